#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>

#include <fmt/color.h>
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "engine/score/score.hpp"
#include "engine/storage/database.hpp"
#include "models/error.hpp"

namespace taeval::cli {

namespace {

namespace ind = taeval::indicators;

struct ScoreArgs {
    std::string as_of;
    std::string project, state, indicator;
    engine::Rollup rollup = engine::Rollup::none;
    double on_track = 0.7;
    double off_track = 0.3;
    // Signed, so that a negative count is refused rather than wrapped.
    long long stale_after = static_cast<long long>(indicators::ScoreOptions{}.stale_after);
    int threads = 0;
    Format format = Format::table;
};

nlohmann::json point_json(const std::optional<ind::Point>& p)
{
    if (!p) return nullptr;
    return {{"value", json_number(p->value)}, {"period", p->period.to_string()}};
}

nlohmann::json row_json(const engine::ScoreRow& r)
{
    const auto& s = r.score;
    nlohmann::json j;
    j["indicator"] = r.indicator;
    if (r.rollup.empty())
        j["state"] = r.state;
    else {
        j["rollup"] = r.rollup;
        j["members"] = r.members;
        j["included"] = r.included;
        auto left_out = nlohmann::json::array();
        for (const auto& l : r.left_out) left_out.push_back({{"state", l.state}, {"reason", l.reason}});
        j["left_out"] = left_out;
        j["window"] = r.window_start ? nlohmann::json{{"start", r.window_start->to_string()},
                                                      {"end", r.window_end->to_string()}}
                                     : nlohmann::json(nullptr);
    }
    j["as_of"] = r.as_of.to_string();
    j["unit"] = r.unit;
    j["direction"] = ind::to_string(r.direction);
    j["baseline"] = point_json(s.baseline);
    j["latest"] = point_json(s.latest);
    j["target"] = s.target ? nlohmann::json{{"value", json_number(s.target->value)}, {"date", s.target->date.to_string()}}
                           : nlohmann::json(nullptr);
    j["progress"] = json_number(s.progress);
    j["probability"] = json_number(s.probability);
    j["expected_at_target"] = std::isnan(s.expected_at_target.estimate)
                                  ? nlohmann::json(nullptr)
                                  : nlohmann::json{{"estimate", s.expected_at_target.estimate},
                                                   {"low", s.expected_at_target.low},
                                                   {"high", s.expected_at_target.high}};
    j["status"] = ind::to_string(s.status);
    j["coverage"] = json_number(s.coverage);
    j["n_observed"] = s.n_observed;
    j["model"] = s.model.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.model);
    j["notes"] = s.notes;
    j["warnings"] = r.warnings;
    return j;
}

std::string colour_status(ind::Status s, bool colour)
{
    fmt::text_style style;  // none: plain text
    switch (s) {
    case ind::Status::off_track: style = fmt::fg(fmt::terminal_color::red); break;
    case ind::Status::at_risk: style = fmt::fg(fmt::terminal_color::yellow); break;
    case ind::Status::stale: style = fmt::fg(fmt::terminal_color::magenta); break;
    case ind::Status::on_track:
    case ind::Status::achieved: style = fmt::fg(fmt::terminal_color::green); break;
    default: break;
    }
    return fmt::format("{}", fmt::styled(ind::to_string(s), colour ? style : fmt::text_style()));
}

// Rows whose values could not be computed: kept, and said on stderr so that
// a table or CSV read by eye or by a script does not hide them.
void print_row_warnings(const engine::ScoreReport& report)
{
    for (const auto& r : report.rows)
        for (const auto& w : r.warnings)
            std::cerr << "taeval: warning: " << r.indicator << " " << (r.rollup.empty() ? r.state : r.rollup) << ": "
                      << w << '\n';
}

void run_score(const GlobalOptions& global, const ScoreArgs& args)
{
    engine::ScoreQuery q;
    if (!args.as_of.empty()) {
        q.as_of = ind::Date::parse(args.as_of);
        if (!q.as_of) throw Error(ErrorCode::usage, "--as-of: '" + args.as_of + "' is not a date YYYY-MM-DD");
    }
    q.project = args.project;
    q.state = args.state;
    q.indicator = args.indicator;
    q.rollup = args.rollup;
    q.options.on_track = args.on_track;
    q.options.off_track = args.off_track;
    q.threads = args.threads;
    if (!(args.off_track >= 0 && args.off_track <= args.on_track && args.on_track <= 1))
        throw Error(ErrorCode::usage, "--off-track and --on-track must satisfy 0 <= off-track <= on-track <= 1");
    if (args.stale_after < 1) throw Error(ErrorCode::usage, "--stale-after must be 1 or more periods");
    q.options.stale_after = static_cast<std::size_t>(args.stale_after);
    const auto database = global.open(engine::storage::Access::read);
    auto& db = *database;
    auto report = engine::score_portfolio(db, q);

    if (args.format == Format::json) {
        auto rows = nlohmann::json::array();
        for (const auto& r : report.rows) rows.push_back(row_json(r));
        print_json(std::cout, rows);
        print_row_warnings(report);
        return;
    }
    // For people: the series needing attention first.
    std::stable_sort(report.rows.begin(), report.rows.end(), [](const auto& a, const auto& b) {
        return ind::severity(a.score.status) < ind::severity(b.score.status);
    });
    const bool colour = args.format == Format::table && use_colour(stdout);
    TextTable t;
    t.header = {"status", "indicator", "state", "states", "as of", "baseline", "latest", "target", "due", "progress",
                "P(reach)", "expected", "coverage"};
    t.right = {false, false, false, true, false, true, true, true, false, true, true, true, true};
    for (const auto& r : report.rows) {
        const auto& s = r.score;
        const bool pct = args.format == Format::table;
        auto percent = [&](double v) {
            if (std::isnan(v)) return std::string();
            return pct ? fmt::format("{:.0f}%", 100 * v) : fmt_number(v);
        };
        // A roll-up's fixed set: its states out of the group's.
        const std::string states = r.rollup.empty() ? "" : fmt::format("{}/{}", r.included, r.members);
        t.rows.push_back({colour_status(s.status, colour), r.indicator, r.rollup.empty() ? r.state : r.rollup, states,
                          r.as_of.to_string(), s.baseline ? fmt_number(s.baseline->value) : "",
                          s.latest ? fmt_number(s.latest->value) : "", s.target ? fmt_number(s.target->value) : "",
                          s.target ? s.target->date.to_string() : "", percent(s.progress), percent(s.probability),
                          fmt_number(s.expected_at_target.estimate, 4), percent(s.coverage)});
    }
    if (args.format == Format::csv) {
        print_csv(std::cout, t);
        print_row_warnings(report);
        return;
    }
    if (report.as_of)
        std::cout << "As of " << report.as_of->to_string() << "\n";
    else
        std::cout << "As of each series' own date (its indicator's present, or its last report if later)\n";
    print_table(std::cout, t);
    print_row_warnings(report);
}

}  // namespace

void add_score_command(CLI::App& app, const GlobalOptions& global)
{
    auto args = std::make_shared<ScoreArgs>();
    auto* cmd = app.add_subcommand("score", "Score indicators against baselines and targets: progress, probability "
                                            "of reaching the target by its date, status");
    cmd->add_option("--as-of", args->as_of,
                    "Use only what was known on this date (YYYY-MM-DD); default, per series: the end of the latest "
                    "period more than half of its indicator's states reported, or of its own last report if later");
    cmd->add_option("--project", args->project, "Only this project's indicators and states");
    cmd->add_option("--state", args->state, "Only this state (ISO3)");
    cmd->add_option("--indicator", args->indicator, "Only this indicator");
    const std::map<std::string, engine::Rollup> rollups{{"none", engine::Rollup::none},
                                                        {"region", engine::Rollup::region},
                                                        {"area", engine::Rollup::area},
                                                        {"all", engine::Rollup::all}};
    cmd->add_option("--rollup", args->rollup, "Add roll-ups across states: none, region, area or all (each over a fixed set of states, with "
                    "its own targets only: docs/scoring.md)")
        ->transform(CLI::CheckedTransformer(rollups, CLI::ignore_case))
        ->default_str("none");
    cmd->add_option("--on-track", args->on_track, "Probability at or above which a series is on track")
        ->capture_default_str();
    cmd->add_option("--off-track", args->off_track, "Probability below which a series is off track")
        ->capture_default_str();
    cmd->add_option("--stale-after", args->stale_after,
                    "Periods (of the indicator's frequency) due by the as-of date without a report that make a "
                    "series stale")
        ->capture_default_str();
    cmd->add_option("--threads", args->threads, "Threads (0: all cores)")->capture_default_str();
    add_format_option(*cmd, args->format);
    cmd->callback([&global, args] { run_score(global, *args); });
}

}  // namespace taeval::cli
