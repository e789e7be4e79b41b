#include <iostream>
#include <map>
#include <memory>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "engine/evaluation/pipeline.hpp"
#include "engine/storage/database.hpp"
#include "models/fdr.hpp"

namespace taeval::cli {

namespace {

struct EvaluateArgs {
    std::string project;
    double alpha = 0.05;
    int threads = 0;
    bool no_suggest = false;
    std::string fdr = "bky";
    Format format = Format::table;
};

void run_evaluate(const GlobalOptions& global, const EvaluateArgs& args)
{
    const auto database = global.open(engine::storage::Access::write);
    auto& db = *database;
    engine::EvaluateOptions options;
    options.project = args.project;
    options.alpha = args.alpha;
    options.threads = args.threads;
    options.suggest = !args.no_suggest;
    options.fdr = *models::parse_fdr_method(args.fdr);
    if (show_progress()) {
        options.progress = [](std::size_t done, std::size_t total) {
            std::cerr << fmt::format("\revaluating series {}/{}", done, total) << (done == total ? "\n" : "")
                      << std::flush;
        };
    }
    const auto r = engine::evaluate_portfolio(db, options);

    std::map<std::string, std::size_t> grades;
    std::size_t suggested = 0;
    for (const auto& e : r.effects) {
        if (e.declared)
            ++grades[std::string(engine::to_string(e.grade))];
        else
            ++suggested;
    }
    if (args.format == Format::json) {
        print_json(std::cout, {{"run", r.run},
                               {"series", r.series},
                               {"effects", r.effects.size() - suggested},
                               {"suggested", suggested},
                               {"suggested_tried", r.suggested_tried},
                               {"grades", grades},
                               {"seconds",
                                {{"load", r.seconds.load},
                                 {"model", r.seconds.model},
                                 {"fdr", r.seconds.fdr},
                                 {"store", r.seconds.store}}}});
        return;
    }
    std::cout << fmt::format("run {}: {} series, {} declared links evaluated, {} suggested links kept (of {} tried)\n",
                             r.run, r.series, r.effects.size() - suggested, suggested, r.suggested_tried);
    TextTable t;
    t.header = {"grade", "links"};
    t.right = {false, true};
    for (const char* g : {"strong", "moderate", "weak", "none", "insufficient_data"})
        t.rows.push_back({g, std::to_string(grades[g])});
    if (args.format == Format::csv) {
        print_csv(std::cout, t);
        return;
    }
    print_table(std::cout, t);
    std::cout << fmt::format("time: load {:.2f} s, models {:.2f} s, FDR {:.3f} s, store {:.2f} s\n", r.seconds.load,
                             r.seconds.model, r.seconds.fdr, r.seconds.store);
    std::cout << "List the effects with `taeval effects`.\n";
}

}  // namespace

void add_evaluate_command(CLI::App& app, const GlobalOptions& global)
{
    auto args = std::make_shared<EvaluateArgs>();
    auto* cmd = app.add_subcommand("evaluate", "Estimate the effect of every intervention on the improvements it "
                                               "feeds, grade the evidence, and store the run");
    cmd->add_option("--project", args->project, "Only series fed by this project's interventions");
    cmd->add_option("--alpha", args->alpha, "Interval, false discovery rate and grading level")
        ->capture_default_str()
        ->check(CLI::Range(0.0001, 0.5));
    cmd->add_option("--threads", args->threads, "Threads (0: all cores)")->capture_default_str();
    cmd->add_option("--fdr", args->fdr,
                    "False-discovery-rate procedure: bky (two-stage adaptive, Benjamini-Krieger-Yekutieli) or bh\n"
                    "(Benjamini-Hochberg)")
        ->check(CLI::IsMember({"bky", "bh"}))
        ->capture_default_str();
    cmd->add_flag("--no-suggest", args->no_suggest, "Do not look for undeclared links in the data");
    add_format_option(*cmd, args->format);
    cmd->callback([&global, args] { run_evaluate(global, *args); });
}

}  // namespace taeval::cli
