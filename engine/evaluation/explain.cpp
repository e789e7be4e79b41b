#include "engine/evaluation/explain.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/evaluation/pipeline.hpp"
#include "engine/storage/portfolio_store.hpp"
#include "engine/storage/run_store.hpp"
#include "engine/storage/series_store.hpp"
#include "models/error.hpp"

namespace taeval::engine {

namespace {

storage::RunInfo find_run(storage::RunStore& runs, std::optional<std::int64_t> id)
{
    if (!id) {
        if (auto r = runs.latest_run()) return *r;
        throw Error(ErrorCode::not_found, "no evaluation yet: run `taeval evaluate` first");
    }
    for (auto& r : runs.runs())
        if (r.id == *id) return r;
    throw Error(ErrorCode::not_found, fmt::format("no evaluation run {}", *id));
}

bool close(double a, double b)
{
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    return std::abs(a - b) <= 1e-9 * std::max({std::abs(a), std::abs(b), 1e-300});
}

bool same_estimate(const EffectEstimate& a, const EffectEstimate& b)
{
    return close(a.estimate, b.estimate) && close(a.se, b.se) && close(a.ci_low, b.ci_low) &&
           close(a.ci_high, b.ci_high);
}

}  // namespace

LinkExplanation explain_link(storage::Database& db, std::optional<std::int64_t> run_id,
                             const std::string& intervention, const std::string& indicator, const std::string& iso3)
{
    storage::RunStore runs(db);
    const auto run = find_run(runs, run_id);
    storage::PortfolioStore store(db);
    if (!store.has_intervention(intervention))
        throw Error(ErrorCode::not_found, "no intervention '" + intervention + "'");
    const auto rows = storage::read_series(db, indicator, iso3);  // throws for an unknown indicator or state
    const std::string link = intervention + " -> " + indicator + "@" + iso3;
    if (rows.empty()) throw Error(ErrorCode::not_found, "no reported value of " + indicator + "@" + iso3);

    // The run's effects on this series: the declared ones were the model's
    // breaks (a suggested link joined them for its own estimate).
    storage::EffectFilter filter;
    filter.run = run.id;
    filter.indicator = indicator;
    filter.state = iso3;
    const auto effects = runs.effects(filter);
    const auto it = std::find_if(effects.begin(), effects.end(),
                                 [&](const LinkEffect& e) { return e.intervention == intervention; });
    if (it == effects.end())
        throw Error(ErrorCode::not_found, fmt::format("run {} has no effect of {}: the link was neither declared "
                                                      "nor suggested, or its series was not evaluated",
                                                      run.id, link));
    if (std::isnan(it->level_change.estimate)) {
        std::string why;
        for (const auto& w : it->warnings) why += "; " + w;
        throw Error(ErrorCode::bad_input, fmt::format("run {} has no estimate of {} (grade {}, {} reported periods "
                                                      "before its start and {} from it){}",
                                                      run.id, link, to_string(it->grade), it->n_pre, it->n_post, why));
    }

    LinkExplanation x;
    x.run = run.id;
    x.effect = *it;
    std::vector<indicators::Point> points;
    for (const auto& r : rows) points.push_back({r.period, r.value});
    x.series = indicators::Series::from_points(std::move(points));

    const auto all = store.indicators();
    const auto def = std::find_if(all.begin(), all.end(), [&](const auto& i) { return i.code == indicator; });
    if (def == all.end()) throw Error(ErrorCode::internal, "indicator '" + indicator + "' vanished");

    // The breaks as the pipeline set them: the run's declared links starting
    // inside the grid, and this link's own when it is a suggested one (the
    // stored starts, so later imports of links or interventions change nothing).
    const auto n = static_cast<std::int64_t>(x.series.size());
    const auto grid_index = [&](const LinkEffect& e) -> std::optional<std::size_t> {
        const auto p = indicators::Period::parse(e.start_period);
        if (!p) throw Error(ErrorCode::internal, "a stored start period '" + e.start_period + "' does not parse");
        const auto k = p->minus(x.series.first);
        if (k <= 0 || k >= n) return std::nullopt;
        return static_cast<std::size_t>(k);
    };
    SeriesForEstimation s = series_for_estimation(x.series, *def);
    for (const auto& e : effects)
        if (e.declared || e.intervention == intervention)
            if (const auto k = grid_index(e)) s.breaks.push_back(*k);
    std::sort(s.breaks.begin(), s.breaks.end());
    const auto own = grid_index(*it);
    const std::string changed = fmt::format("the series changed since run {}: evaluate again", run.id);
    if (!own) throw Error(ErrorCode::bad_input, "the start of " + link + " lies outside today's series; " + changed);
    x.break_index = *own;

    const auto spec = nlohmann::json::parse(run.spec);
    EstimatorOptions opt;
    opt.alpha = spec.value("alpha", 0.05);
    const auto kind = parse_estimator_kind(spec.value("estimator", std::string("ar1_reml")));
    if (!kind) throw Error(ErrorCode::internal, fmt::format("run {} names an unknown estimator", run.id));
    opt.kind = *kind;
    opt.counterfactual = false;
    x.model = describe_link_model(s, opt);
    const auto term = std::find(x.model.breaks.begin(), x.model.breaks.end(), x.break_index);
    if (term == x.model.breaks.end() || !x.model.fitted)
        throw Error(ErrorCode::bad_input, "today's data give no estimate of " + link + "; " + changed);
    x.term = static_cast<std::size_t>(term - x.model.breaks.begin()) + 1;
    x.design = models::its_design(x.series.size(), its_spec(x.model), x.names);

    // Does today's data give the stored numbers?
    const auto at = std::lower_bound(s.breaks.begin(), s.breaks.end(), x.break_index) - s.breaks.begin();
    const auto now = estimate_link_effects(s, opt);
    x.reproduces = same_estimate(now[static_cast<std::size_t>(at)].level_change, x.effect.level_change);
    return x;
}

}  // namespace taeval::engine
