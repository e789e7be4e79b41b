#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>

#include <boost/algorithm/string/join.hpp>
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "datasets/synthetic/demo_bundle.hpp"
#include "engine/demo/demo.hpp"

namespace taeval::cli {

namespace {

struct DemoArgs {
    std::string out = "out";
    std::string bundle;
};

void run_demo(const DemoArgs& args)
{
    engine::DemoOptions options;
    options.out = args.out;
    if (show_progress()) options.progress = [](const std::string& what) { std::cerr << what << "...\n"; };
    // The bundle is chosen here, not in the engine, so that the engine does
    // not link the generator (docs/architecture.md).
    options.bundle = args.bundle.empty() ? synthetic::demo_bundle(options.out, options.progress)
                                         : std::filesystem::path(args.bundle);
    const auto r = engine::run_demo(options);

    std::cout << fmt::format("taeval demo: {} states, {} providers, {} projects, {} interventions, {} indicators, "
                             "{} observations, {} links\n",
                             r.states, r.providers, r.projects, r.interventions, r.indicators, r.observations, r.links);
    std::cout << "\nInterventions by kind\n";
    TextTable kinds;
    kinds.header = {"kind", "interventions", "cost (USD)"};
    kinds.right = {false, true, true};
    for (const auto& [kind, nc] : r.kinds)
        kinds.rows.push_back({kind, std::to_string(nc.first), fmt::format("{:.0f}", nc.second)});
    print_table(std::cout, kinds);
    std::cout << "\nReporting coverage by indicator (periods reported between first and last report)\n";
    TextTable coverage;
    coverage.header = {"indicator", "coverage"};
    coverage.right = {false, true};
    for (const auto& [code, c] : r.coverage) coverage.rows.push_back({code, fmt::format("{:.0f}%", 100 * c)});
    print_table(std::cout, coverage);

    std::cout << "\nScores (taeval score):";
    for (const auto& [status, n] : r.statuses) std::cout << fmt::format(" {} {},", status, n);
    std::cout << fmt::format("\n\nEvaluation run {}: {} series;", r.run, r.series);
    for (const auto& [grade, n] : r.grades) std::cout << fmt::format(" {} {},", grade, n);
    std::cout << fmt::format(" {} suggested links\n", r.suggested);

    std::cout << "\nStrongest effects\n";
    TextTable strong;
    strong.header = {"intervention", "kind", "improvement", "relative effect"};
    strong.right = {false, false, false, true};
    for (const auto& e : r.strongest)
        strong.rows.push_back({e.intervention, e.kind, e.indicator + "@" + e.state,
                               fmt::format("{:+.0f}%", 100 * e.relative_effect.estimate)});
    print_table(std::cout, strong);

    std::cout << "\nWhat kinds of assistance work (random-effects pooled improvement, 95% interval)\n";
    TextTable kinds_pooled;
    kinds_pooled.header = {"kind", "links", "pooled", "interval", "I2", "USD per point", "verdict"};
    kinds_pooled.right = {false, true, true, false, true, true, false};
    for (const auto& k : r.kinds_pooled) {
        const bool pooled = std::isfinite(k.estimate);
        const std::string verdict = !pooled ? "too few links" : k.ci_low > 0 ? "works" : k.ci_high < 0 ? "harms" : "no evidence of an effect";
        kinds_pooled.rows.push_back({k.kind, std::to_string(k.links), pooled ? fmt::format("{:+.1f}%", 100 * k.estimate) : "",
                                     pooled ? fmt::format("[{:+.1f}%, {:+.1f}%]", 100 * k.ci_low, 100 * k.ci_high) : "",
                                     pooled ? fmt::format("{:.0f}%", k.i2) : "",
                                     std::isfinite(k.cost_per_point) ? fmt::format("{:.0f}", k.cost_per_point) : "", verdict});
    }
    print_table(std::cout, kinds_pooled);

    std::cout << fmt::format("\nImprovements fed by several providers (coordination): {}\n", r.overlaps.size());
    for (std::size_t i = 0; i < r.overlaps.size() && i < 5; ++i) {
        std::cout << "  " << r.overlaps[i].first << ": " << boost::algorithm::join(r.overlaps[i].second, ", ") << '\n';
    }
    std::cout << fmt::format("\nDatabase: {}\nReport:   {}\n", r.database.string(), r.report.string());
}

}  // namespace

void add_demo_command(CLI::App& app)
{
    auto args = std::make_shared<DemoArgs>();
    auto* cmd = app.add_subcommand("demo", "Run the main job on the bundled demo portfolio into a fresh database");
    cmd->add_option("--out", args->out, "Output folder for taeval.db and report.json")->default_str("out");
    cmd->add_option("--bundle", args->bundle, "Run on this bundle instead of the bundled demo portfolio");
    cmd->callback([args] { run_demo(*args); });
}

}  // namespace taeval::cli
