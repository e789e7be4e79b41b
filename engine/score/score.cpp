#include "engine/score/score.hpp"

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <thread>

#include "engine/storage/portfolio_store.hpp"
#include "engine/storage/series_store.hpp"
#include "indicators/aggregation.hpp"
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
    double member_coverage = nan;  // roll-ups: mean share of members reporting
    std::string declared_by;       // a series without reports: why it is listed
};

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
    for (const auto& t : store.targets()) {
        const auto d = ind::Date::parse(t.date);
        if (d) marks[t.indicator][t.state].push_back({t.kind, {t.value, *d}});
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
        for (const auto& d : indicator_list) {
            if (!wanted_indicator(d.code)) continue;
            const bool composite = d.aggregation == ind::Aggregation::ratio_of_sums && !d.numerator.empty();
            const auto& own = reports[d.code];
            for (auto [label, members] : groups_for(d)) {
                if (!q.state.empty() && std::find(members.begin(), members.end(), q.state) == members.end()) continue;
                if (!q.project.empty())
                    std::erase_if(members, [&](const std::string& s) { return !project_states.count(s); });
                if (members.empty()) continue;
                // Per period: every member's value (and numerator and
                // denominator for a composite).
                std::map<ind::Period, std::vector<double>> values, nums, dens;
                std::map<ind::Period, std::size_t> reporting;
                for (const auto& iso3 : members) {
                    if (auto it = own.find(iso3); it != own.end())
                        for (const auto& p : it->second) {
                            values[p.period].push_back(p.value);
                            ++reporting[p.period];
                        }
                    if (composite) {
                        std::map<ind::Period, double> n, dn;
                        for (const auto& p : reports[d.numerator][iso3]) n[p.period] = p.value;
                        for (const auto& p : reports[d.denominator][iso3]) dn[p.period] = p.value;
                        for (const auto& [period, v] : n)
                            if (auto den = dn.find(period); den != dn.end()) {
                                nums[period].push_back(v);
                                dens[period].push_back(den->second);
                            }
                    }
                }
                // A period where fewer than half the members reported would
                // make a sum drop for want of reports: left out (missing).
                std::vector<ind::Point> points;
                double share_sum = 0;
                for (const auto& [period, v] : values) {
                    const double share = static_cast<double>(reporting[period]) / static_cast<double>(members.size());
                    share_sum += share;
                    if (2 * reporting[period] < members.size()) continue;
                    const double value = composite && nums.count(period)
                                             ? ind::ratio_of_sums(nums[period], dens[period])
                                             : ind::across_states(d.aggregation, d.measure, v);
                    if (!std::isnan(value)) points.push_back({period, value});
                }
                // The same default as-of rule as a state series, on the
                // roll-up's own series.
                Job j = base_job(d, as_of_for(d.code, points));
                j.row.rollup = label;
                j.row.members = members.size();
                j.input.series = ind::Series::from_points(points);
                // An all-states target applies to the group; else the
                // members' baselines and targets combine by the same rule.
                std::vector<MarkRow> rows;
                if (auto it = marks.find(d.code); it != marks.end() && it->second.count(""))
                    rows = it->second.at("");
                const ind::Date as_of = j.input.as_of;
                j.input.baseline = pick(rows, "baseline", as_of);
                j.input.target = pick(rows, "target", as_of);
                if (!j.input.target) {
                    std::vector<double> bases, targets;
                    std::optional<ind::Date> base_date, target_date;
                    for (const auto& iso3 : members) {
                        const auto& mr = marks_for(d.code, iso3);
                        if (auto b = pick(mr, "baseline", as_of)) {
                            bases.push_back(b->value);
                            base_date = base_date ? std::min(*base_date, b->date) : b->date;
                        }
                        if (auto t = pick(mr, "target", as_of)) {
                            targets.push_back(t->value);
                            target_date = target_date ? std::max(*target_date, t->date) : t->date;
                        }
                    }
                    // Sums of targets only make sense when every member has one.
                    const bool complete = d.aggregation != ind::Aggregation::sum || targets.size() == members.size();
                    if (!targets.empty() && complete) {
                        j.input.target = ind::Mark{ind::across_states(d.aggregation, d.measure, targets), *target_date};
                        if (!bases.empty() && (d.aggregation != ind::Aggregation::sum || bases.size() == members.size()))
                            j.input.baseline = ind::Mark{ind::across_states(d.aggregation, d.measure, bases), *base_date};
                    }
                }
                if (!points.empty()) {
                    const auto span = static_cast<double>(points.back().period.minus(values.begin()->first) + 1);
                    j.member_coverage = share_sum / span;
                }
                jobs.push_back(std::move(j));
            }
        }
    }

    const int threads = q.threads > 0 ? q.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
    tbb::parallel_for(std::size_t{0}, jobs.size(), [&](std::size_t i) {
        auto& j = jobs[i];
        j.row.score = ind::score_series(j.input, q.options);
        if (!j.declared_by.empty()) j.row.score.notes.push_back(j.declared_by);
        if (!j.row.rollup.empty()) {
            j.row.score.coverage = j.member_coverage;
            j.row.score.notes.push_back("roll-up of " + std::to_string(j.row.members) +
                                        " states; periods where fewer than half reported are left out");
        }
    });
    report.rows.reserve(jobs.size());
    for (auto& j : jobs) report.rows.push_back(std::move(j.row));
    return report;
}

}  // namespace taeval::engine
