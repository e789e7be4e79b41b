#pragma once
// A portfolio bundle generated for a study (bench/estimator_study.hpp,
// bench/calibration_study.hpp): generate_portfolio with a seed, into a
// temporary folder kept for reuse within one process run.
#include <cstdint>
#include <filesystem>
#include <string>

#include <unistd.h>

#include "datasets/synthetic/generator.hpp"

namespace taeval::test {

/// The bundle of `seed` in taeval_<study>_study_<seed>_<pid> under the
/// temporary folder, generated on first use.
inline std::filesystem::path generated_bundle(std::uint64_t seed, const std::string& study = "estimator")
{
    const auto dir = std::filesystem::temp_directory_path() / ("taeval_" + study + "_study_" + std::to_string(seed) +
                                                               "_" + std::to_string(::getpid()));
    if (!std::filesystem::exists(dir / "truth.json")) {
        synthetic::GeneratorOptions o;
        o.seed = seed;
        (void)synthetic::generate_portfolio(o, dir);
    }
    return dir;
}

}  // namespace taeval::test
