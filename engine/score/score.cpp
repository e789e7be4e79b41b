#include "engine/score/score.hpp"

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "engine/score/rollup.hpp"
#include "engine/storage/portfolio_store.hpp"
#include "engine/storage/series_store.hpp"
#include "models/error.hpp"

namespace taeval::engine {

namespace ind = taeval::indicators;

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

struct MarkRow {
    std::string kind;
    ind::Mark mark;
};

// Among a series' baseline rows: the latest dated on or before the as-of
// date; one dated after it was not known yet. Among its target rows: the
// earliest due on or after the as-of date (the next one), else the last
// (already due). A target's date is when it falls due, not when it was set,
// so a target dated after the as-of date is the one in force.
std::optional<ind::Mark> pick(const std::vector<MarkRow>& rows, const std::string& kind, const ind::Date& as_of)
{
    std::optional<ind::Mark> before, after;
    for (const auto& r : rows) {
        if (r.kind != kind) continue;
        if (r.mark.date <= as_of) {
            if (!before || r.mark.date > before->date) before = r.mark;
        } else if (!after || r.mark.date < after->date) {
            after = r.mark;
        }
    }
    if (kind == "baseline") return before;
    return after ? after : before;
}

// An indicator's present: the end of the latest period that more than half
// of its reporting states have reported (`ends`: the end of each one's last
// report). One state's stray period cannot move it.
ind::Date present_of(std::vector<ind::Date> ends)
{
    const auto middle = ends.begin() + static_cast<std::ptrdiff_t>(ends.size() / 2);
    std::nth_element(ends.begin(), middle, ends.end(), std::greater<>());
    return *middle;
}

// One job for the scoring threads.
struct Job {
    ScoreRow row;
    ind::SeriesToScore input;
    double member_coverage = nan;  // roll-ups: the share of the fixed set's values reported
    std::vector<std::string> rollup_notes;
    std::string declared_by;       // a series without reports: why it is listed
};

// A row whose values cannot be computed (its warnings say why): the target
// as given, everything computed null.
ind::SeriesScore not_computed(const ind::SeriesToScore& in)
{
    ind::SeriesScore s{};
    s.progress = s.probability = s.coverage = nan;
    s.expected_at_target = {nan, nan, nan};
    s.target = in.target;
    s.status = ind::Status::insufficient_data;
    return s;
}

// A roll-up that totals its members (a sum, or the stock of a count): a
// state left out makes it smaller, not just less representative.
bool adds_up(const ind::Indicator& d)
{
    return d.aggregation == ind::Aggregation::sum ||
           (d.aggregation == ind::Aggregation::last && d.measure == ind::Measure::count);
}

// What a roll-up row says about its fixed set.
std::vector<std::string> rollup_notes(const ScoreRow& r)
{
    std::vector<std::string> notes;
    if (r.window_start)
        notes.push_back(fmt::format("roll-up of {} of the group's {} states, the ones whose reports span {} to {}; a "
                                    "period a state missed is filled from its reports on either side",
                                    r.included, r.members, r.window_start->to_string(), r.window_end->to_string()));
    else
        notes.push_back(fmt::format("no fixed set among the group's {} states", r.members));
    if (!r.left_out.empty()) {
        std::string out;
        for (const auto& l : r.left_out) out += (out.empty() ? "" : "; ") + l.state + " (" + l.reason + ")";
        notes.push_back(
            fmt::format("{} state{} left out: {}", r.left_out.size(), r.left_out.size() == 1 ? "" : "s", out));
    }
    return notes;
}

}  // namespace

ScoreReport score_portfolio(storage::Database& db, const ScoreQuery& q)
{
    ind::check_options(q.options);
    storage::PortfolioStore store(db);
    const auto indicator_list = store.indicators();
    const auto states = store.states();
    std::map<std::string, ind::Indicator> indicators;
    for (const auto& i : indicator_list) indicators.emplace(i.code, i);
    std::map<std::string, std::string> region_of;
    for (const auto& s : states) region_of.emplace(s.iso3, s.region);

    if (!q.indicator.empty() && !indicators.count(q.indicator))
        throw Error(ErrorCode::not_found, "no indicator '" + q.indicator + "'");
    if (!q.state.empty() && !region_of.count(q.state)) throw Error(ErrorCode::not_found, "no state '" + q.state + "'");

    // The project filter: its own indicators and those its interventions
    // feed; its recipient states and the states of its interventions.
    std::set<std::string> project_indicators, project_states;
    const auto interventions = store.interventions();
    const auto projects = store.projects();
    const auto links = store.links();
    if (!q.project.empty()) {
        const auto it = std::find_if(projects.begin(), projects.end(), [&](const Project& p) { return p.code == q.project; });
        if (it == projects.end()) throw Error(ErrorCode::not_found, "no project '" + q.project + "'");
        project_states.insert(it->recipients.begin(), it->recipients.end());
        std::set<std::string> own;
        for (const auto& i : interventions)
            if (i.project == q.project) {
                own.insert(i.code);
                if (!i.state.empty()) project_states.insert(i.state);
            }
        for (const auto& l : links)
            if (own.count(l.from) && !l.to_indicator.empty()) project_indicators.insert(l.to_indicator);
        for (const auto& i : indicator_list)
            if (i.project == q.project) project_indicators.insert(i.code);
    }
    auto wanted_indicator = [&](const std::string& code) {
        return (q.indicator.empty() || code == q.indicator) && (q.project.empty() || project_indicators.count(code));
    };
    auto wanted_state = [&](const std::string& iso3) {
        return (q.state.empty() || iso3 == q.state) && (q.project.empty() || project_states.count(iso3));
    };

    // Reports (totals only: breakdowns are kept apart) by indicator and state.
    std::map<std::string, std::map<std::string, std::vector<ind::Point>>> reports;
    storage::for_each_indicator_series(db, [&](const std::string& code, std::vector<storage::StateReports>& series) {
        auto& by_state = reports[code];
        for (auto& r : series) by_state[r.state] = std::move(r.points);
    });

    // Each series' as-of date (docs/scoring.md): the one asked for, else its
    // indicator's present or the end of its own last report, whichever is
    // later, so that a stray period moves no other series.
    std::map<std::string, ind::Date> present;
    for (const auto& [code, by_state] : reports) {
        std::vector<ind::Date> ends;
        for (const auto& [iso3, points] : by_state)
            if (!points.empty()) ends.push_back(points.back().period.last_day());
        if (!ends.empty()) present.emplace(code, present_of(std::move(ends)));
    }
    // For the series of an indicator nobody reported (no_data rows): the
    // latest of the indicators' presents.
    ind::Date portfolio_present{1, 1, 1};
    for (const auto& [code, date] : present) portfolio_present = std::max(portfolio_present, date);
    auto as_of_for = [&](const std::string& code, const std::vector<ind::Point>& points) {
        if (q.as_of) return *q.as_of;
        const auto it = present.find(code);
        ind::Date d = it == present.end() ? portfolio_present : it->second;
        if (!points.empty()) d = std::max(d, points.back().period.last_day());
        return d;
    };
    // (By default this removes nothing, so `as_of_for` gives the same date
    // on what is left.)
    for (auto& [code, by_state] : reports)
        for (auto& [iso3, points] : by_state) {
            const ind::Date as_of = as_of_for(code, points);
            std::erase_if(points, [&](const ind::Point& p) { return p.period.last_day() > as_of; });
        }
    ScoreReport report;
    report.as_of = q.as_of;

    std::map<std::string, std::map<std::string, std::vector<MarkRow>>> marks;  // indicator -> state ('' = all)
    std::map<std::string, std::map<std::string, std::vector<MarkRow>>> rollup_marks;  // indicator -> roll-up
    for (const auto& t : store.targets()) {
        const auto d = ind::Date::parse(t.date);
        if (!d) continue;
        auto& rows = t.rollup.empty() ? marks[t.indicator][t.state] : rollup_marks[t.indicator][t.rollup];
        rows.push_back({t.kind, {t.value, *d}});
    }
    auto marks_for = [&](const std::string& code, const std::string& iso3) -> const std::vector<MarkRow>& {
        static const std::vector<MarkRow> none;
        const auto it = marks.find(code);
        if (it == marks.end()) return none;
        if (auto s = it->second.find(iso3); s != it->second.end()) return s->second;
        if (auto all = it->second.find(""); all != it->second.end()) return all->second;
        return none;
    };

    // The series the portfolio declares, with how, so that one without
    // reports still gets its no_data row: a baseline or target of its own, a
    // link feeding it, or its indicator's project assisting its state.
    std::map<std::string, std::map<std::string, std::set<std::string>>> declared;  // indicator -> state -> how
    for (const auto& [code, by_state] : marks)
        for (const auto& [iso3, rows] : by_state)
            if (!iso3.empty()) declared[code][iso3].insert("a baseline or target of its own");
    for (const auto& l : links)
        if (!l.to_indicator.empty()) declared[l.to_indicator][l.to_state].insert("a link from " + l.from);
    for (const auto& d : indicator_list) {
        if (d.project.empty()) continue;
        for (const auto& p : projects)
            if (p.code == d.project)
                for (const auto& iso3 : p.recipients)
                    declared[d.code][iso3].insert("the indicator's project " + p.code + " assisting the state");
    }

    std::vector<Job> jobs;
    auto base_job = [&](const ind::Indicator& d, const ind::Date& as_of) {
        Job j;
        j.row.indicator = d.code;
        j.row.unit = d.unit;
        j.row.direction = d.direction;
        j.row.as_of = as_of;
        j.input.direction = d.direction;
        j.input.measure = d.measure;
        j.input.cumulative = d.cumulative;
        j.input.frequency = d.frequency;
        j.input.as_of = as_of;
        return j;
    };

    for (const auto& d : indicator_list) {
        if (!wanted_indicator(d.code)) continue;
        std::set<std::string> series_states;
        if (auto it = reports.find(d.code); it != reports.end())
            for (const auto& [iso3, points] : it->second) series_states.insert(iso3);
        if (auto it = declared.find(d.code); it != declared.end())
            for (const auto& [iso3, how] : it->second) series_states.insert(iso3);
        for (const auto& iso3 : series_states) {
            if (!wanted_state(iso3)) continue;
            const auto& points = reports[d.code][iso3];
            Job j = base_job(d, as_of_for(d.code, points));
            j.row.state = iso3;
            j.input.series = ind::Series::from_points(points);
            const auto& rows = marks_for(d.code, iso3);
            j.input.baseline = pick(rows, "baseline", j.input.as_of);
            j.input.target = pick(rows, "target", j.input.as_of);
            if (points.empty())
                if (auto it = declared[d.code].find(iso3); it != declared[d.code].end()) {
                    std::string by;
                    for (const auto& how : it->second) by += (by.empty() ? "" : "; ") + how;
                    j.declared_by = "declared by " + by;
                }
            jobs.push_back(std::move(j));
        }
    }

    if (q.rollup != Rollup::none) {
        // Groups of states per indicator.
        auto groups_for = [&](const ind::Indicator& d) {
            std::map<std::string, std::vector<std::string>> groups;
            if (q.rollup == Rollup::all) {
                for (const auto& s : states) groups["all"].push_back(s.iso3);
            } else if (q.rollup == Rollup::region) {
                for (const auto& s : states) groups["region:" + s.region].push_back(s.iso3);
            } else {
                std::set<std::string> assisted;
                std::set<std::string> area_projects;
                for (const auto& p : projects)
                    if (p.area == d.area) {
                        area_projects.insert(p.code);
                        assisted.insert(p.recipients.begin(), p.recipients.end());
                    }
                for (const auto& i : interventions)
                    if (area_projects.count(i.project) && !i.state.empty()) assisted.insert(i.state);
                if (!assisted.empty()) groups["area:" + d.area].assign(assisted.begin(), assisted.end());
            }
            return groups;
        };
        auto reports_of = [&](const std::string& code, const std::string& iso3) {
            std::map<ind::Period, double> out;
            if (auto it = reports.find(code); it != reports.end())
                if (auto s = it->second.find(iso3); s != it->second.end())
                    for (const auto& p : s->second) out.emplace(p.period, p.value);
            return out;
        };
        for (const auto& d : indicator_list) {
            if (!wanted_indicator(d.code)) continue;
            const bool composite = d.aggregation == ind::Aggregation::ratio_of_sums && !d.numerator.empty();
            for (auto [label, members] : groups_for(d)) {
                if (!q.state.empty() && std::find(members.begin(), members.end(), q.state) == members.end()) continue;
                if (!q.project.empty())
                    std::erase_if(members, [&](const std::string& s) { return !project_states.count(s); });
                if (members.empty()) continue;
                std::vector<score_detail::MemberReports> member_reports;
                for (const auto& iso3 : members) {
                    auto& m = member_reports.emplace_back();
                    m.iso3 = iso3;
                    m.values = reports_of(d.code, iso3);
                    if (composite) {
                        m.numerator = reports_of(d.numerator, iso3);
                        m.denominator = reports_of(d.denominator, iso3);
                    }
                }
                auto rolled = score_detail::roll_up(d, composite, member_reports, q.options.stale_after);
                // The same default as-of rule as a state series, on the
                // roll-up's own series.
                Job j = base_job(d, as_of_for(d.code, rolled.points));
                j.row.rollup = label;
                j.row.members = members.size();
                j.row.included = rolled.included.size();
                j.row.left_out = std::move(rolled.left_out);
                j.row.window_start = rolled.start;
                j.row.window_end = rolled.end;
                j.input.series = ind::Series::from_points(std::move(rolled.points));
                j.member_coverage = rolled.reported_share;
                // Only the roll-up's own baseline and target (targets.csv's
                // rollup column): a state's, or all states', is for one
                // state's series, never for a sum or a mean of them.
                const auto& rows = rollup_marks[d.code][label];
                j.input.baseline = pick(rows, "baseline", j.input.as_of);
                j.input.target = pick(rows, "target", j.input.as_of);
                j.rollup_notes = rollup_notes(j.row);
                if (!j.input.target)
                    j.rollup_notes.push_back("no target for this roll-up (a targets.csv row with rollup " + label +
                                             "); state targets do not apply to a roll-up");
                else if (j.row.included < j.row.members && adds_up(d))
                    j.rollup_notes.push_back("the baseline and target are for the group as given; this total covers " +
                                             std::to_string(j.row.included) + " of its " +
                                             std::to_string(j.row.members) + " states");
                if (rolled.overflow)
                    j.row.warnings.push_back("the roll-up's value for " + rolled.overflow->to_string() +
                                             " is not a finite number (the arithmetic overflows): its values are null");
                jobs.push_back(std::move(j));
            }
        }
    }

    const int threads = q.threads > 0 ? q.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
    tbb::parallel_for(std::size_t{0}, jobs.size(), [&](std::size_t i) {
        auto& j = jobs[i];
        j.row.score = j.row.warnings.empty() ? ind::score_series(j.input, q.options) : not_computed(j.input);
        if (!j.declared_by.empty()) j.row.score.notes.push_back(j.declared_by);
        if (!j.row.rollup.empty()) {
            j.row.score.coverage = j.member_coverage;
            auto& notes = j.row.score.notes;
            notes.insert(notes.end(), j.rollup_notes.begin(), j.rollup_notes.end());
        }
    });
    report.rows.reserve(jobs.size());
    for (auto& j : jobs) report.rows.push_back(std::move(j.row));
    return report;
}

}  // namespace taeval::engine
