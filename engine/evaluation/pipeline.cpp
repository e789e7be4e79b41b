#include "engine/evaluation/pipeline.hpp"

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "engine/io/clock.hpp"
#include "engine/storage/portfolio_store.hpp"
#include "engine/storage/run_store.hpp"
#include "engine/storage/series_store.hpp"
#include "indicators/period.hpp"
#include "indicators/series.hpp"
#include "models/error.hpp"
#include "models/fdr.hpp"
#include "taeval_version.hpp"

namespace taeval::engine {

namespace ind = taeval::indicators;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// An intervention feeding a series, with its break on the series' grid.
struct Feeder {
    const Intervention* intervention;
    ind::Period start;
    bool declared = true;
};

struct SeriesJob;

// A suggested link's screening: where it came from and the p-values of its
// ITS estimates and detection test, which are all the FDR needs; the few it
// keeps are estimated in full afterwards. A portfolio can have a million
// candidates, so nothing else is kept.
struct Screened {
    const SeriesJob* job;
    const Feeder* feeder;
    ScreenPValues p;
    ScreenPValues q{};
};

// One series to model: its grid, feeders and controls.
struct SeriesJob {
    std::string indicator, state;
    const ind::Indicator* definition = nullptr;
    ind::Series series;
    std::vector<Feeder> declared;
    std::vector<Feeder> suggested;
    Eigen::VectorXd control;  // mean of control states per period; empty when none
    std::vector<LinkEffect> effects;       // of the declared feeders
    std::vector<Screened> screened;        // of the suggested ones (ITS only, until the FDR keeps them)
};

// Estimates the effects of a series' feeders.
struct Modeller {
    const std::map<std::string, Project>& projects;
    EstimatorOptions est;

    // Every declared feeder, in one model; a break outside the grid cannot be
    // estimated and is reported with its counts and no estimate.
    [[nodiscard]] std::vector<LinkEffect> declared(const SeriesJob& job) const
    {
        std::vector<LinkEffect> out;
        for (const auto& f : job.declared)
            if (outside(job, f)) out.push_back(unestimable(job, f));
        const auto feeders = in_model(job);
        if (feeders.empty()) return out;
        auto effects = estimate(job, feeders, est);
        for (std::size_t i = 0; i < effects.size(); ++i)
            out.push_back(identify(std::move(effects[i]), job, feeders[i]));
        return out;
    }

    // One suggested feeder that screening kept, estimated in full alongside
    // the declared breaks so that it claims only what they leave
    // unexplained, with its own counterfactual. Nothing for a break outside
    // the grid.
    [[nodiscard]] std::optional<LinkEffect> suggested(const SeriesJob& job, const Feeder& f) const
    {
        if (outside(job, f)) return std::nullopt;
        auto feeders = in_model(job);
        feeders.push_back(f);
        std::stable_sort(feeders.begin(), feeders.end(),
                         [](const Feeder& a, const Feeder& b) { return a.start < b.start; });
        const auto pos = static_cast<std::size_t>(
            std::find_if(feeders.begin(), feeders.end(), [](const Feeder& x) { return !x.declared; }) -
            feeders.begin());
        EstimatorOptions o = est;
        o.counterfactual_only = pos;
        auto effects = estimate(job, feeders, o);
        return identify(std::move(effects[pos]), job, f);
    }

    // The ITS p-values of suggested feeders starting at these grid indices,
    // each estimated alongside the declared breaks (screening).
    [[nodiscard]] std::vector<ScreenPValues> screen(const SeriesJob& job, const std::vector<std::size_t>& starts) const
    {
        return screen_breaks(series_for(job, in_model(job)), starts, est);
    }

    static bool outside(const SeriesJob& job, const Feeder& f)
    {
        const auto k = f.start.minus(job.series.first);
        return k <= 0 || k >= static_cast<std::int64_t>(job.series.size());
    }

    static std::vector<Feeder> in_model(const SeriesJob& job)
    {
        std::vector<Feeder> out;
        for (const auto& f : job.declared)
            if (!outside(job, f)) out.push_back(f);
        return out;
    }

private:
    static SeriesForEstimation series_for(const SeriesJob& job, const std::vector<Feeder>& feeders)
    {
        SeriesForEstimation s = series_for_estimation(job.series, *job.definition);
        if (job.control.size() > 0) s.controls = job.control;
        for (const auto& f : feeders) s.breaks.push_back(static_cast<std::size_t>(f.start.minus(job.series.first)));
        return s;
    }

    static std::vector<LinkEffect> estimate(const SeriesJob& job, const std::vector<Feeder>& feeders,
                                            const EstimatorOptions& o)
    {
        return estimate_link_effects(series_for(job, feeders), o);
    }

    LinkEffect identify(LinkEffect e, const SeriesJob& job, const Feeder& f) const
    {
        e.intervention = f.intervention->code;
        e.kind = f.intervention->kind;
        e.project = f.intervention->project;
        e.provider = projects.at(f.intervention->project).provider;
        e.indicator = job.indicator;
        e.state = job.state;
        e.start_period = f.start.to_string();
        e.declared = f.declared;
        return e;
    }

    LinkEffect unestimable(const SeriesJob& job, const Feeder& f) const
    {
        LinkEffect e;
        const auto k = f.start.minus(job.series.first);
        std::size_t pre = 0;
        for (std::size_t i = 0; i < job.series.size(); ++i)
            if (!std::isnan(job.series.values[i]) && static_cast<std::int64_t>(i) < k) ++pre;
        e.n_pre = pre;
        e.n_post = job.series.n_observed() - pre;
        e.grade = Grade::insufficient_data;
        e.warnings.push_back(k <= 0 ? "the intervention started before the first report of the series"
                                    : "the intervention started after the last report of the series");
        return identify(std::move(e), job, f);
    }
};

// q-values over one family (detection, level change, slope change and
// average effect each), then the grades.
void control_fdr(const std::vector<LinkEffect*>& family, const EvaluateOptions& options, const EstimatorOptions& est)
{
    std::vector<double> p(family.size(), std::numeric_limits<double>::quiet_NaN());
    for (std::size_t i = 0; i < family.size(); ++i)
        if (family[i]->detection) p[i] = family[i]->detection->p;
    auto q = models::fdr_control(p, options.alpha, options.fdr).q;
    for (std::size_t i = 0; i < family.size(); ++i)
        if (family[i]->detection) family[i]->detection->q = q[i];
    for (auto member : {&LinkEffect::level_change, &LinkEffect::slope_change, &LinkEffect::average_effect}) {
        for (std::size_t i = 0; i < family.size(); ++i) p[i] = (family[i]->*member).p;
        q = models::fdr_control(p, options.alpha, options.fdr).q;
        for (std::size_t i = 0; i < family.size(); ++i) (family[i]->*member).q = q[i];
    }
    for (auto* e : family) e->grade = grade_effect(*e, options.alpha, est.min_pre, est.min_post);
}

// The same for the screened suggestions, over their kept p-values.
void control_fdr(std::vector<Screened>& family, const EvaluateOptions& options)
{
    for (auto member : {&ScreenPValues::level, &ScreenPValues::slope, &ScreenPValues::average,
                        &ScreenPValues::detection}) {
        std::vector<double> p(family.size());
        for (std::size_t i = 0; i < family.size(); ++i) p[i] = family[i].p.*member;
        const auto q = models::fdr_control(p, options.alpha, options.fdr).q;
        for (std::size_t i = 0; i < family.size(); ++i) family[i].q.*member = q[i];
    }
}

}  // namespace

SeriesForEstimation series_for_estimation(const ind::Series& series, const ind::Indicator& indicator)
{
    SeriesForEstimation s;
    s.y = Eigen::Map<const Eigen::VectorXd>(series.values.data(), static_cast<Eigen::Index>(series.size()));
    s.season_period = season_period(indicator.frequency);
    s.direction = indicator.direction;
    s.nonnegative = ind::nonnegative(indicator.measure);
    return s;
}

int season_period(ind::Frequency f) noexcept
{
    switch (f) {
    case ind::Frequency::month: return 12;
    case ind::Frequency::quarter: return 4;
    case ind::Frequency::year: return 0;
    }
    return 0;
}

EvaluateReport evaluate_portfolio(storage::Database& db, const EvaluateOptions& options)
{
    if (!(options.alpha > 0 && options.alpha < 1))
        throw Error(ErrorCode::bad_input, "evaluate: alpha must lie in (0, 1)");
    EvaluateReport report;
    const std::string started = now_utc();
    auto t0 = Clock::now();

    storage::PortfolioStore store(db);
    std::map<std::string, ind::Indicator> indicators;
    for (auto& i : store.indicators()) indicators.emplace(i.code, i);
    const auto interventions = store.interventions();
    std::map<std::string, const Intervention*> intervention_by_code;
    for (const auto& i : interventions) intervention_by_code.emplace(i.code, &i);
    std::map<std::string, Project> projects;
    for (auto& p : store.projects()) projects.emplace(p.code, p);
    if (!options.project.empty() && !projects.count(options.project))
        throw Error(ErrorCode::not_found, "no project '" + options.project + "'");

    // Declared feeds of each series.
    std::map<std::pair<std::string, std::string>, std::vector<const Intervention*>> feeds;
    std::set<std::tuple<std::string, std::string, std::string>> declared_links;
    std::map<std::string, std::set<std::string>> fed_states;  // indicator -> states fed by any intervention
    for (const auto& l : store.links()) {
        if (l.to_indicator.empty()) continue;
        feeds[{l.to_indicator, l.to_state}].push_back(intervention_by_code.at(l.from));
        declared_links.emplace(l.from, l.to_indicator, l.to_state);
        fed_states[l.to_indicator].insert(l.to_state);
    }
    // The candidates for suggested links of a series: interventions by state
    // and their project's area, in the order of their codes.
    std::map<std::pair<std::string, std::string>, std::vector<const Intervention*>> by_state_area;
    if (options.suggest)
        for (const auto& i : interventions) by_state_area[{i.state, projects.at(i.project).area}].push_back(&i);

    auto start_period = [](const Intervention& i, ind::Frequency f) {
        return ind::Period::containing(f, *ind::Date::parse(i.start));
    };

    // One indicator at a time (memory holds one indicator's reports): its
    // controls, then its series' jobs.
    std::vector<SeriesJob> jobs;
    storage::for_each_indicator_series(db, [&](const std::string& code, std::vector<storage::StateReports>& reports) {
        const auto& def = indicators.at(code);
        const auto& fed = fed_states[code];
        // Per period from the indicator's first report: the sum and count
        // of the reports of the states that no declared link feeds.
        ind::Period lo = reports.front().points.front().period, hi = lo;
        for (const auto& r : reports) {
            lo = std::min(lo, r.points.front().period);
            hi = std::max(hi, r.points.back().period);
        }
        std::vector<std::pair<double, double>> totals(static_cast<std::size_t>(hi.minus(lo) + 1), {0.0, 0.0});
        for (const auto& r : reports) {
            if (fed.count(r.state)) continue;
            for (const auto& p : r.points) {
                auto& [sum, count] = totals[static_cast<std::size_t>(p.period.minus(lo))];
                sum += p.value;
                count += 1;
            }
        }
        for (auto& r : reports) {
            const std::string& iso3 = r.state;
            SeriesJob job;
            job.indicator = code;
            job.state = iso3;
            job.definition = &def;
            if (auto it = feeds.find({code, iso3}); it != feeds.end())
                for (const auto* i : it->second) job.declared.push_back({i, start_period(*i, def.frequency), true});
            if (auto it = by_state_area.find({iso3, def.area}); it != by_state_area.end()) {
                for (const auto* i : it->second) {
                    if (declared_links.count({i->code, code, iso3})) continue;
                    job.suggested.push_back({i, start_period(*i, def.frequency), false});
                }
            }
            if (!options.project.empty()) {
                const bool ours = std::any_of(job.declared.begin(), job.declared.end(), [&](const Feeder& f) {
                    return f.intervention->project == options.project;
                });
                if (!ours) continue;
                std::erase_if(job.suggested,
                              [&](const Feeder& f) { return f.intervention->project != options.project; });
            }
            if (job.declared.empty() && job.suggested.empty()) continue;
            job.series = ind::Series::from_points(std::move(r.points));
            std::sort(job.declared.begin(), job.declared.end(),
                      [](const Feeder& a, const Feeder& b) { return a.start < b.start; });

            // Controls: the same indicator in states no intervention feeds,
            // averaged per period (robust to their own gaps); never the
            // series itself.
            Eigen::VectorXd control(static_cast<Eigen::Index>(job.series.size()));
            bool any = false;
            const bool own_is_control = !fed.count(iso3);
            const auto offset = static_cast<std::size_t>(job.series.first.minus(lo));
            for (Eigen::Index k = 0; k < control.size(); ++k) {
                auto [sum, count] = totals[offset + static_cast<std::size_t>(k)];
                const double own = job.series.values[static_cast<std::size_t>(k)];
                if (own_is_control && !std::isnan(own)) {
                    sum -= own;
                    count -= 1;
                }
                control[k] = count > 0 ? sum / count : std::nan("");
                any |= count > 0;
            }
            if (any) job.control = std::move(control);
            jobs.push_back(std::move(job));
        }
    });
    report.seconds.load = seconds_since(t0);

    // Model every series; series are independent. Suggested links get their
    // ITS estimate here and their counterfactual (the slow part) only once
    // the FDR has kept them, below.
    t0 = Clock::now();
    EstimatorOptions est;
    est.alpha = options.alpha;
    est.kind = options.estimator;
    const Modeller modeller{projects, est};
    std::atomic<std::size_t> done{0};
    std::mutex progress_mutex;
    const int threads = options.threads > 0 ? options.threads
                                            : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
    tbb::parallel_for(std::size_t{0}, jobs.size(), [&](std::size_t j) {
        auto& job = jobs[j];
        job.effects = modeller.declared(job);
        // Candidates starting in the same period have the same model and
        // the same estimates: one fit for each start inside the grid.
        std::vector<std::size_t> starts;
        for (const auto& f : job.suggested)
            if (!Modeller::outside(job, f)) starts.push_back(static_cast<std::size_t>(f.start.minus(job.series.first)));
        std::sort(starts.begin(), starts.end());
        starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
        const auto p = modeller.screen(job, starts);
        for (const auto& f : job.suggested) {
            if (Modeller::outside(job, f)) continue;
            const auto at = std::lower_bound(starts.begin(), starts.end(),
                                             static_cast<std::size_t>(f.start.minus(job.series.first)));
            job.screened.push_back({&job, &f, p[static_cast<std::size_t>(at - starts.begin())]});
        }
        const std::size_t n = ++done;
        if (options.progress) {
            std::lock_guard lock(progress_mutex);
            options.progress(n, jobs.size());
        }
    });
    report.seconds.model = seconds_since(t0);

    // The false discovery rate over all effects of the run, declared and
    // suggested links as separate families (suggestions are exploratory and
    // must not dilute or inflate the declared ones).
    t0 = Clock::now();
    std::vector<LinkEffect*> declared;
    std::vector<Screened> suggested;
    for (auto& job : jobs) {
        for (auto& e : job.effects) declared.push_back(&e);
        for (auto& x : job.screened) suggested.push_back(x);
        job.screened = {};
    }
    report.series = jobs.size();
    report.suggested_tried = suggested.size();
    control_fdr(declared, options, est);
    control_fdr(suggested, options);
    // Keep a suggestion only where the data show a change at its start: its
    // detection test, the one the evidence grade reads (docs/evaluation.md).
    std::erase_if(suggested, [&](const Screened& x) { return !(x.q.detection < options.alpha); });
    suggested.shrink_to_fit();
    report.seconds.fdr = seconds_since(t0);

    // The kept suggestions in full (with their counterfactual), then their
    // grades.
    t0 = Clock::now();
    std::vector<LinkEffect> kept(suggested.size());
    tbb::parallel_for(std::size_t{0}, suggested.size(), [&](std::size_t i) {
        const auto& x = suggested[i];
        auto full = modeller.suggested(*x.job, *x.feeder);
        full->level_change.q = x.q.level;
        full->slope_change.q = x.q.slope;
        full->average_effect.q = x.q.average;
        if (full->detection) full->detection->q = x.q.detection;
        full->grade = grade_effect(*full, options.alpha, est.min_pre, est.min_post);
        kept[i] = std::move(*full);
    });
    for (auto* e : declared) report.effects.push_back(std::move(*e));
    for (auto& e : kept) report.effects.push_back(std::move(e));
    report.seconds.model += seconds_since(t0);

    t0 = Clock::now();
    storage::RunInfo run;
    run.started_at = started;
    run.finished_at = now_utc();
    run.code_version = taeval::version;
    run.series = static_cast<std::int64_t>(report.series);
    run.spec = nlohmann::json{{"estimator", std::string(to_string(options.estimator))},
                              {"alpha", options.alpha},
                              {"fdr", std::string(models::to_string(options.fdr))},
                              {"project", options.project},
                              {"suggest", options.suggest},
                              {"min_pre", est.min_pre},
                              {"min_post", est.min_post}}
                   .dump();
    report.run = storage::RunStore(db).save_run(run, report.effects);
    for (auto& e : report.effects) e.run = report.run;
    report.seconds.store = seconds_since(t0);
    return report;
}

}  // namespace taeval::engine
