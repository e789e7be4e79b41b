#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/output.hpp"
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
    options.bundle = args.bundle;
    if (show_progress()) options.progress = [](const std::string& what) { std::cerr << what << "...\n"; };
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
