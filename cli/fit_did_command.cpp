// `taeval fit did`: difference-in-differences on a CSV file.
// Reads the columns, calls models/, prints the result; no statistics here.
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/fit_common.hpp"
#include "models/did.hpp"
#include "models/error.hpp"

namespace taeval::cli {

namespace {

struct DidArgs {
    std::string csv, y, unit, time, treated;
    bool event_study = false;
    double alpha = 0.05;
    Format format = Format::table;
};

void run_did(const DidArgs& a)
{
    const auto table = engine::read_csv_table(a.csv);
    const auto y = to_vector(table.numeric(a.y, true));
    const auto units = group_ids(table, a.unit);
    const auto times_raw = table.numeric(a.time, false);
    std::vector<std::int64_t> times;
    const auto tc = table.require_column(a.time);
    for (std::size_t r = 0; r < times_raw.size(); ++r) {
        const double t = times_raw[r];
        if (t != std::floor(t) || std::abs(t) > 1e15)
            throw Error(ErrorCode::bad_input, fmt::format("{}:{}:{} ({}): time must be a whole number of periods, got {}",
                                                          table.path.string(), table.lines[r], tc + 1, a.time, t));
        times.push_back(static_cast<std::int64_t>(t));
    }
    const auto treated = to_vector(table.numeric(a.treated, false));
    models::DidSpec spec;
    spec.event_study = a.event_study;
    spec.alpha = a.alpha;
    const auto fit = models::fit_did(y, units, times, treated, spec);
    auto json = fit_json(a.event_study ? "did_event_study" : "did", fit.est, fit.diag, "cluster");
    json["small_sample"] = fit.small_sample;
    json["n_clusters"] = fit.n_clusters;
    json["n_units"] = fit.n_units;
    json["n_periods"] = fit.n_periods;
    json["n_treated_units"] = fit.n_treated_units;
    json["n_params"] = fit.n_params;
    if (a.event_study) json["event_times"] = fit.event_times;
    emit_regression(a.format, fit.est, fit.diag, json, fit.small_sample,
         {{"panel", fmt::format("{} units ({} treated), {} periods", fit.n_units, fit.n_treated_units, fit.n_periods)}});
}

}  // namespace

void add_fit_did_command(CLI::App& fit)
{
    auto a = std::make_shared<DidArgs>();
    auto* cmd = fit.add_subcommand("did", "Two-way fixed-effects difference-in-differences (estimate att) "
                                          "with errors clustered by unit");
    cmd->add_option("--csv", a->csv, "CSV file with a header row, one row per unit and period")->required();
    cmd->add_option("--y", a->y, "Outcome column (empty or NA: the row is dropped)")->required();
    cmd->add_option("--unit", a->unit, "Unit column (any labels)")->required();
    cmd->add_option("--time", a->time, "Period column (whole numbers)")->required();
    cmd->add_option("--treated", a->treated, "Treated-after indicator column (0 or 1)")->required();
    cmd->add_flag("--event-study", a->event_study,
                  "Leads and lags relative to each unit's first treated period (event_<r>, reference r = -1)");
    add_alpha(*cmd, a->alpha);
    add_format_option(*cmd, a->format);
    cmd->footer("Small-sample convention: CR1 (Stata), G/(G-1) (N-1)/(N-K) with K counting the unit and\n"
                "time dummies; t with G-1 degrees of freedom.\n"
                "Example: taeval fit did --csv panel.csv --y outcome --unit state --time year --treated d");
    cmd->callback([a] { run_did(*a); });
}

}  // namespace taeval::cli
