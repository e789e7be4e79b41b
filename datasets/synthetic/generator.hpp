#pragma once
// The synthetic portfolio generator behind `taeval generate` and the bundled
// demo portfolio (datasets/demo): a bundle of CSV files in the format of
// DESIGN.md plus truth.json, the planted effects the evaluation must recover.
// Its own library (taeval_synthetic), beside the engine and not in it: it
// only writes files, and the engine only reads them (docs/architecture.md).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "indicators/period.hpp"

namespace taeval::synthetic {

/// What to generate. The defaults make the committed demo portfolio.
struct GeneratorOptions {
    std::uint64_t seed = 20261128;  ///< same seed, same files, byte for byte
    int states = 30;                ///< 1..1000; beyond the built-in list, codes X01, X02, ...
    int first_year = 2017;          ///< first calendar year observed; 1950..2100 - years (import's range)
    int years = 8;                  ///< years observed, 2..100
    int indicators = 12;            ///< 1..1200; beyond the twelve templates, copies `CODE_02`, ...
    int projects = 12;              ///< 1..1000
    int interventions = 80;         ///< 0..100000
    /// Every indicator at this frequency (for benchmarks); nullopt keeps the
    /// templates' mix of monthly, quarterly and annual indicators.
    std::optional<indicators::Frequency> frequency;
};

/// One file written and its data rows (header not counted).
struct GeneratedFile {
    std::filesystem::path path;
    std::size_t rows = 0;
};

/// What generate_portfolio wrote.
struct GeneratedPortfolio {
    std::vector<GeneratedFile> files;  ///< the eight CSV files then truth.json (rows: planted links)
    std::size_t states = 0;
    std::size_t providers = 0;
    std::size_t projects = 0;
    std::size_t interventions = 0;
    std::size_t indicators = 0;
    std::size_t targets = 0;
    std::size_t observations = 0;
    std::size_t links = 0;          ///< rows of links.csv (intervention -> indicator@state and -> intervention)
    std::size_t planted_links = 0;  ///< intervention -> indicator@state links, each with a planted effect
};

/// Kinds of intervention whose planted effect is exactly zero.
[[nodiscard]] std::vector<std::string> null_intervention_kinds();

/// Writes a synthetic portfolio bundle into `out_dir` (created when missing;
/// existing bundle files are overwritten): states.csv, providers.csv,
/// projects.csv, interventions.csv, indicators.csv, targets.csv,
/// observations.csv, links.csv and truth.json. Observations are streamed, so
/// memory does not grow with their number. Throws taeval::Error(usage) for an
/// option out of range, naming it, and Error(internal) when a file cannot be
/// written.
[[nodiscard]] GeneratedPortfolio generate_portfolio(const GeneratorOptions& options,
                                                    const std::filesystem::path& out_dir);

}  // namespace taeval::synthetic
