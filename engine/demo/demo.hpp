#pragma once
// `taeval demo`: the main job on the bundled demo portfolio, start to end, in
// a fresh database under the output folder.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>

#include "engine/effect.hpp"
#include "engine/evaluation/synthesis.hpp"
#include "engine/import/importer.hpp"

namespace taeval::engine {

struct DemoOptions {
    /// The bundle to run on (required). `taeval demo` passes the bundled
    /// datasets/demo, or the same portfolio regenerated from its seed
    /// (synthetic::demo_bundle): the engine does not link the generator.
    std::filesystem::path bundle;
    /// Output folder: taeval.db and report.json are written here.
    std::filesystem::path out = "out";
    std::function<void(const std::string&)> progress;
};

/// What the demo found, for the summary a person reads.
struct DemoReport {
    std::filesystem::path bundle;
    std::filesystem::path database;
    std::filesystem::path report;  ///< report.json
    ImportReport import;
    std::int64_t states = 0, providers = 0, projects = 0, interventions = 0, indicators = 0, observations = 0,
                 links = 0;
    /// Interventions and their total cost (USD) by kind.
    std::map<std::string, std::pair<std::int64_t, double>> kinds;
    /// Observed periods over expected periods, per indicator, across the
    /// series that report at all.
    std::map<std::string, double> coverage;

    /// Series by status (taeval score, as of the end of the data).
    std::map<std::string, std::size_t> statuses;
    /// The evaluation run: its id, series modelled, and declared links by grade.
    std::int64_t run = 0;
    std::size_t series = 0;
    std::map<std::string, std::size_t> grades;
    std::size_t suggested = 0;
    /// The strongest declared effects (grade strong, largest relative
    /// improvement first), at most five.
    std::vector<LinkEffect> strongest;
    /// Each kind of intervention pooled; null kinds are those whose interval
    /// includes no effect.
    std::vector<KindSynthesis> kinds_pooled;
    /// Improvements fed by interventions of several providers: (improvement, providers).
    std::vector<std::pair<std::string, std::vector<std::string>>> overlaps;
};

/// Runs the demo. Throws taeval::Error(usage) when no bundle is given,
/// before writing anything, and taeval::Error as import does.
DemoReport run_demo(const DemoOptions& options);

}  // namespace taeval::engine
