#include <cctype>
#include <cmath>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/effect_json.hpp"
#include "cli/fit_common.hpp"
#include "cli/output.hpp"
#include "engine/evaluation/explain.hpp"
#include "engine/evaluation/pipeline.hpp"
#include "engine/storage/database.hpp"
#include "engine/storage/run_store.hpp"
#include "models/error.hpp"

namespace taeval::cli {

namespace {

struct EffectsArgs {
    std::string intervention, kind, indicator, state, grade;
    std::int64_t run = 0;
    bool declared_only = false;
    std::vector<std::string> explain;  // INTERVENTION IND@ISO3
    std::string out;
    Format format = Format::table;
};

// A word for the shell as it is, or single-quoted.
std::string shell_word(const std::string& w)
{
    if (!w.empty() && w.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./@:+-") ==
                          std::string::npos)
        return w;
    std::string q = "'";
    for (const char c : w) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

std::string default_out(const std::string& intervention, const std::string& indicator, const std::string& state)
{
    std::string name = "explain_" + intervention + "_" + indicator + "_" + state + ".csv";
    for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') c = '_';
    return name;
}

// The series and the design, one row per period of the grid, every number
// written in full (shortest round trip) so that `fit its` reads back the
// same doubles.
void write_design(const std::string& path, const engine::LinkExplanation& x)
{
    TextTable t;
    t.header = {"t", "period", "value"};
    t.header.insert(t.header.end(), x.names.begin(), x.names.end());
    for (std::size_t i = 0; i < x.series.size(); ++i) {
        const double v = x.series.values[i];
        std::vector<std::string> row{std::to_string(i), x.series.period(i).to_string(),
                                     std::isnan(v) ? "" : fmt::format("{}", v)};
        for (Eigen::Index c = 0; c < x.design.cols(); ++c)
            row.push_back(fmt::format("{}", x.design(static_cast<Eigen::Index>(i), c)));
        t.rows.push_back(std::move(row));
    }
    std::ofstream f(path);
    print_csv(f, t);
    f.close();
    if (!f) throw Error(ErrorCode::bad_input, "cannot write '" + path + "'");
}

void run_explain(const GlobalOptions& global, const EffectsArgs& args)
{
    if (args.format == Format::csv)
        throw Error(ErrorCode::usage, "--explain writes its CSV to --out; --format is table or json");
    const auto [indicator, state] = parse_series_key(args.explain[1], "--explain");
    const auto database = global.open(engine::storage::Access::read);
    const auto x = engine::explain_link(*database, args.run > 0 ? std::optional(args.run) : std::nullopt,
                                        args.explain[0], indicator, state);
    const std::string out = args.out.empty() ? default_out(args.explain[0], indicator, state) : args.out;
    write_design(out, x);

    const auto errors = its_errors_options(engine::its_spec(x.model));
    std::vector<std::string> rows;
    auto breaks = nlohmann::json::array();
    for (const auto b : x.model.breaks) {
        rows.push_back(std::to_string(b));
        breaks.push_back({{"row", b}, {"period", x.series.period(b).to_string()}});
    }
    const std::string parameter = "level_change_" + std::to_string(x.term);
    std::string command = fmt::format("taeval fit its --csv {} --y value --break {}", shell_word(out),
                                      fmt::format("{}", fmt::join(rows, ",")));
    if (x.model.season_period > 0) command += fmt::format(" --season {}", x.model.season_period);
    command += fmt::format(" {} --alpha {}", errors.flags(), x.model.alpha);
    if (!x.reproduces)
        std::cerr << fmt::format("taeval: warning: today's series no longer gives the estimate stored by run {} (it "
                                 "changed since): the CSV and the command reproduce today's fit\n",
                                 x.run);

    const auto& lc = x.effect.level_change;
    const int seasons = engine::season_period(x.series.first.frequency());
    if (args.format == Format::json) {
        print_json(std::cout,
                   {{"run", x.run},
                    {"intervention", x.effect.intervention},
                    {"indicator", x.effect.indicator},
                    {"state", x.effect.state},
                    {"start_period", x.effect.start_period},
                    {"declared", x.effect.declared},
                    {"estimator", std::string(engine::to_string(x.model.kind))},
                    {"alpha", x.model.alpha},
                    {"csv", out},
                    {"first_period", x.series.first.to_string()},
                    {"periods", x.series.size()},
                    {"reported", x.series.n_observed()},
                    {"breaks", breaks},
                    {"season_period", x.model.season_period},
                    {"errors", errors.errors},
                    {"method", errors.method.empty() ? nlohmann::json(nullptr) : nlohmann::json(errors.method)},
                    {"phi_uncertainty", errors.phi_uncertainty.empty() ? nlohmann::json(nullptr)
                                                                       : nlohmann::json(errors.phi_uncertainty)},
                    {"parameter", parameter},
                    {"level_change",
                     {{"estimate", json_number(lc.estimate)},
                      {"se", json_number(lc.se)},
                      {"ci_low", json_number(lc.ci_low)},
                      {"ci_high", json_number(lc.ci_high)},
                      {"p", json_number(lc.p)}}},
                    {"reproduces", x.reproduces},
                    {"command", command}});
        return;
    }
    std::vector<std::string> at_rows;
    for (const auto b : x.model.breaks)
        at_rows.push_back(fmt::format("row {} ({}){}", b, x.series.period(b).to_string(),
                                      b == x.break_index ? " <- this link" : ""));
    std::cout << fmt::format("effect of {} on {}@{}, run {} ({} link; estimator {}, alpha {})\n",
                             x.effect.intervention, indicator, state, x.run,
                             x.effect.declared ? "declared" : "suggested", engine::to_string(x.model.kind),
                             x.model.alpha);
    std::cout << fmt::format("  series   {} .. {}: {} periods, {} reported\n", x.series.first.to_string(),
                             x.series.last().to_string(), x.series.size(), x.series.n_observed());
    std::cout << fmt::format("  breaks   {}\n", fmt::join(at_rows, ", "));
    std::cout << "  seasons  "
              << (x.model.season_period > 0 ? fmt::format("{} seasonal terms kept\n", x.model.season_period - 1)
                  : seasons > 0 ? "none: too few reported periods, or no seasonal pattern at 10%\n"
                                : "none (a yearly series)\n");
    std::cout << "  errors   " << errors.flags() << '\n';
    std::cout << fmt::format("  stored   {} = {:.10g} (se {:.10g}, {:g}% interval {:.10g} .. {:.10g})\n", parameter,
                             lc.estimate, lc.se, 100 * (1 - x.model.alpha), lc.ci_low, lc.ci_high);
    std::cout << fmt::format("wrote {}: the series (empty value: not reported) and the model's design columns\n",
                             out);
    std::cout << "reproduce it with:\n  " << command << '\n' << "and read " << parameter << ".\n";
}

void run_effects(const GlobalOptions& global, const EffectsArgs& args)
{
    if (!args.explain.empty()) return run_explain(global, args);
    if (!args.out.empty()) throw Error(ErrorCode::usage, "--out goes with --explain");
    const auto database = global.open(engine::storage::Access::read);
    auto& db = *database;
    engine::storage::RunStore runs(db);
    engine::storage::EffectFilter f;
    if (args.run > 0) f.run = args.run;
    f.intervention = args.intervention;
    f.kind = args.kind;
    f.indicator = args.indicator;
    f.state = args.state;
    if (!args.grade.empty()) {
        f.grade = engine::parse_grade(args.grade);
        if (!f.grade)
            throw Error(ErrorCode::usage,
                        "--grade: '" + args.grade + "' is not one of strong, moderate, weak, none, insufficient_data");
    }
    f.include_suggested = !args.declared_only;
    if (!runs.latest_run())
        throw Error(ErrorCode::not_found, "no evaluation yet: run `taeval evaluate` first");
    const auto effects = runs.effects(f);
    auto json = nlohmann::json::array();
    TextTable t;
    t.header = {"intervention", "kind", "improvement", "start", "level", "slope", "average", "relative",
                "detection q", "grade", "link"};
    t.right = {false, false, false, false, true, true, true, true, true, false, false};
    for (const auto& e : effects) {
        json.push_back(effect_json(e));
        const auto& a = e.average_effect;
        t.rows.push_back({e.intervention, e.kind, e.indicator + "@" + e.state, e.start_period,
                          fmt_number(e.level_change.estimate, 4), fmt_number(e.slope_change.estimate, 3),
                          std::isnan(a.estimate) ? "" : fmt::format("{} [{}, {}]", fmt_number(a.estimate, 4),
                                                                    fmt_number(a.ci_low, 3), fmt_number(a.ci_high, 3)),
                          std::isnan(e.relative_effect.estimate)
                              ? ""
                              : fmt::format("{:+.0f}%", 100 * e.relative_effect.estimate),
                          e.detection ? fmt_number(e.detection->q, 2) : "",
                          std::string(engine::to_string(e.grade)), e.declared ? "declared" : "suggested"});
    }
    print_listing(std::cout, args.format, t, json);
}

}  // namespace

void add_effects_command(CLI::App& app, const GlobalOptions& global)
{
    auto eargs = std::make_shared<EffectsArgs>();
    auto* eff = app.add_subcommand("effects", "List the effects of the latest evaluation run (or --run N)");
    eff->add_option("--intervention", eargs->intervention, "Only this intervention");
    eff->add_option("--kind", eargs->kind, "Only interventions of this kind");
    eff->add_option("--indicator", eargs->indicator, "Only this indicator");
    eff->add_option("--state", eargs->state, "Only this state (ISO3)");
    eff->add_option("--grade", eargs->grade, "Only this grade: strong, moderate, weak, none, insufficient_data");
    eff->add_option("--run", eargs->run, "An earlier run's id");
    eff->add_flag("--declared", eargs->declared_only, "Leave out the links the data suggest");
    eff->add_option("--explain", eargs->explain,
                    "INTERVENTION IND@ISO3: write the series and the stored model's design to a CSV and print\n"
                    "the `taeval fit its` command that reproduces the stored level change")
        ->expected(2);
    eff->add_option("--out", eargs->out, "With --explain: the CSV file (default explain_INTERVENTION_IND_ISO3.csv)");
    add_format_option(*eff, eargs->format);
    eff->callback([&global, eargs] { run_effects(global, *eargs); });
}

}  // namespace taeval::cli
