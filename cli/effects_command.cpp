#include <cmath>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/effect_json.hpp"
#include "cli/output.hpp"
#include "engine/storage/database.hpp"
#include "engine/storage/run_store.hpp"
#include "models/error.hpp"

namespace taeval::cli {

namespace {

struct EffectsArgs {
    std::string intervention, kind, indicator, state, grade;
    std::int64_t run = 0;
    bool declared_only = false;
    Format format = Format::table;
};

void run_effects(const GlobalOptions& global, const EffectsArgs& args)
{
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
    add_format_option(*eff, eargs->format);
    eff->callback([&global, eargs] { run_effects(global, *eargs); });
}

}  // namespace taeval::cli
