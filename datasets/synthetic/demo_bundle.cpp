#include "datasets/synthetic/demo_bundle.hpp"

#include "datasets/synthetic/generator.hpp"

#ifndef TAEVAL_DEMO_BUNDLE
#define TAEVAL_DEMO_BUNDLE ""
#endif

namespace taeval::synthetic {

std::filesystem::path demo_bundle(const std::filesystem::path& out,
                                  const std::function<void(const std::string&)>& progress)
{
    const std::filesystem::path built_in = TAEVAL_DEMO_BUNDLE;
    if (!built_in.empty() && std::filesystem::exists(built_in / "observations.csv")) return built_in;
    // An installed binary away from its sources: the generator makes the very
    // same files from the demo's seed.
    const auto dir = out / "demo-bundle";
    if (progress) progress("generating the demo portfolio in " + dir.string());
    (void)generate_portfolio(GeneratorOptions{}, dir);
    return dir;
}

}  // namespace taeval::synthetic
