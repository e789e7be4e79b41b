// `taeval generate`: writes a synthetic portfolio bundle with planted effects.
#include <iostream>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "datasets/synthetic/generator.hpp"
#include "models/error.hpp"

namespace taeval::cli {

namespace {

struct GenerateArgs {
    synthetic::GeneratorOptions options;
    std::string out;
    std::string frequency = "mixed";
};

void run_generate(const GenerateArgs& args)
{
    synthetic::GeneratorOptions options = args.options;
    if (args.frequency != "mixed") options.frequency = indicators::parse_frequency(args.frequency);
    const auto result = synthetic::generate_portfolio(options, args.out);
    std::cout << fmt::format(
        "wrote {} files to {}: {} states, {} providers, {} projects, {} interventions, {} indicators, "
        "{} targets, {} observations, {} links ({} planted effects)\n",
        result.files.size(), args.out, result.states, result.providers, result.projects, result.interventions,
        result.indicators, result.targets, result.observations, result.links, result.planted_links);
}

}  // namespace

void add_generate_command(CLI::App& app)
{
    auto args = std::make_shared<GenerateArgs>();
    auto* cmd = app.add_subcommand(
        "generate",
        "Write a synthetic portfolio bundle (the CSV files of `taeval import`) with planted intervention "
        "effects, recorded in truth.json. The same seed gives byte-identical files.");
    cmd->add_option("--out", args->out, "Folder to write the bundle into (created when missing)")->required();
    cmd->add_option("--seed", args->options.seed, "Random seed")->capture_default_str();
    cmd->add_option("--states", args->options.states, "Number of states (1..1000)")->capture_default_str();
    cmd->add_option("--years", args->options.years, "Years observed (2..100)")->capture_default_str();
    cmd->add_option("--first-year", args->options.first_year, "First calendar year observed")
        ->capture_default_str();
    cmd->add_option("--indicators", args->options.indicators,
                    "Number of indicators (1..1200; beyond 12, copies of the twelve templates)")
        ->capture_default_str();
    cmd->add_option("--projects", args->options.projects, "Number of projects (1..1000)")->capture_default_str();
    cmd->add_option("--interventions", args->options.interventions, "Number of interventions (0..100000)")
        ->capture_default_str();
    cmd->add_option("--frequency", args->frequency,
                    "Frequency of every indicator: mixed (the templates' own), month, quarter or year; "
                    "month makes the largest portfolios")
        ->check(CLI::IsMember({"mixed", "month", "quarter", "year"}))
        ->capture_default_str();
    cmd->footer("Example: taeval generate --seed 20261128 --out datasets/demo\n"
                "Benchmark size: taeval generate --out big --states 200 --indicators 60 --years 20 "
                "--frequency month");
    cmd->callback([args] { run_generate(*args); });
}

}  // namespace taeval::cli
