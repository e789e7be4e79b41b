#include "engine/evaluation/link_estimator.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "models/ar1_regression.hpp"
#include "models/ar1_screen.hpp"
#include "models/contrast.hpp"
#include "models/counterfactual.hpp"
#include "models/error.hpp"
#include "models/its.hpp"

namespace taeval::engine {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// A relative effect needs a counterfactual level of at least this share of
// the series' mean absolute value (and an interval that excludes zero).
constexpr double relative_level_share = 0.1;

// The fitted ITS regression, whatever the error model: its estimates
// (coefficients and their covariance) and the degrees of freedom of the t
// reference.
struct ItsFit {
    models::Estimates est;
    double df = nan;
    bool ok = false;
    std::vector<std::string> warnings;
};

// The t test of g'b = 0 as an effect with its se, interval and p.
EffectEstimate linear_effect(const ItsFit& fit, const Eigen::VectorXd& g)
{
    EffectEstimate e;
    if (!fit.ok) return e;
    const auto t = models::t_test(fit.est, g.transpose(), Eigen::VectorXd::Zero(1), fit.df);
    e.estimate = t.effect[0];
    e.se = t.se[0];
    e.ci_low = t.ci_low[0];
    e.ci_high = t.ci_high[0];
    e.p = t.p[0];
    return e;
}

// The joint Wald test that the break whose level column is `lc` (its slope
// column next) changed nothing: F(2, df) where the fit's t tests use
// t(df), chi-squared(2) where they use the normal. NaN statistic and p when
// the test cannot be computed.
Detection detect(const models::Estimates& est, double df, Eigen::Index lc)
{
    Eigen::MatrixXd r = Eigen::MatrixXd::Zero(2, est.params.size());
    r(0, lc) = 1;
    r(1, lc + 1) = 1;
    const bool f = std::isfinite(df);
    const auto w = models::wald_test(est, r, Eigen::VectorXd::Zero(2), df, f);
    Detection d;
    d.test = f ? DetectionTest::F : DetectionTest::chi2;
    d.statistic = w.statistic;
    d.df = w.df_num;
    d.df_resid = f ? df : nan;
    d.p = w.p;
    return d;
}

void check_inputs(const SeriesForEstimation& s, const EstimatorOptions& o)
{
    const auto fail = [](const std::string& m) { throw Error(ErrorCode::bad_input, "estimate_link_effects: " + m); };
    if (!(o.alpha > 0 && o.alpha < 1)) fail("alpha must lie in (0, 1), got " + std::to_string(o.alpha));
    if (s.season_period != 0 && s.season_period != 4 && s.season_period != 12)
        fail("season period must be 0, 4 or 12, got " + std::to_string(s.season_period));
    const auto n = static_cast<std::size_t>(s.y.size());
    for (std::size_t j = 0; j < s.breaks.size(); ++j) {
        if (s.breaks[j] > n)
            fail("break " + std::to_string(j + 1) + " at " + std::to_string(s.breaks[j]) +
                 " lies past the end of the grid (" + std::to_string(n) + " periods)");
        if (j > 0 && s.breaks[j] < s.breaks[j - 1]) fail("breaks must be in ascending order");
    }
    if (o.counterfactual_only && *o.counterfactual_only >= s.breaks.size())
        fail("counterfactual_only is " + std::to_string(*o.counterfactual_only) + " but there are " +
             std::to_string(s.breaks.size()) + " breaks");
    if (s.y.array().isInf().any()) fail("y has an infinite value");
    if (s.controls.cols() > 0) {
        if (s.controls.rows() != s.y.size())
            fail("controls have " + std::to_string(s.controls.rows()) + " rows; y has " + std::to_string(s.y.size()));
        if (s.controls.array().isInf().any()) fail("controls have an infinite value");
    }
}

std::size_t observed_in(const Eigen::VectorXd& y, std::size_t from, std::size_t to)
{
    std::size_t c = 0;
    for (std::size_t t = from; t < to; ++t)
        if (!std::isnan(y[static_cast<Eigen::Index>(t)])) ++c;
    return c;
}

// Distinct break periods, and which of them the model can carry: a break
// needs a period before it, and two reported periods both in its own
// segment and in the segment before it (level and slope of each).
std::vector<std::size_t> model_breaks(const Eigen::VectorXd& y, const std::vector<std::size_t>& breaks)
{
    const auto n = static_cast<std::size_t>(y.size());
    std::vector<std::size_t> distinct;
    for (const auto b : breaks)
        if (distinct.empty() || distinct.back() != b) distinct.push_back(b);
    std::vector<std::size_t> model;
    for (std::size_t i = 0; i < distinct.size(); ++i) {
        const std::size_t b = distinct[i];
        if (b == 0 || b >= n) continue;
        const std::size_t prev = model.empty() ? 0 : model.back();
        const std::size_t next = i + 1 < distinct.size() ? std::min(distinct[i + 1], n) : n;
        if (observed_in(y, prev, b) >= 2 && observed_in(y, b, next) >= 2) model.push_back(b);
    }
    return model;
}

// Seasonal terms need at least two reported periods per coefficient.
bool seasons_fit(std::size_t observed, std::size_t model_breaks, int season_period)
{
    const std::size_t k = 2 + 2 * model_breaks + static_cast<std::size_t>(season_period - 1);
    return observed >= 2 * k;
}

// Seasonal terms stay only when the data show a seasonal pattern (Wald F
// test at 10%): each dummy costs a degree of freedom, and the t reference
// of short series pays for it in power. A test that cannot be computed (NaN
// p) keeps them. `first` is the column of the first seasonal term.
bool seasons_stay(const models::Estimates& est, double df, Eigen::Index first, int season_period)
{
    const Eigen::Index q = season_period - 1;
    Eigen::MatrixXd r = Eigen::MatrixXd::Zero(q, est.params.size());
    r.middleCols(first, q).setIdentity();
    return !(models::wald_test(est, r, Eigen::VectorXd::Zero(q), df).p > 0.10);
}

// The controls as one finite column: each column standardised on its
// reported periods, averaged over the columns reported in each period, gaps
// filled by linear interpolation (the nearest value at the ends). Columns
// reported in fewer than half the periods are left out. Empty when nothing
// is left. fit_counterfactual needs finite controls, and one combined column
// costs one coefficient instead of one per state.
Eigen::MatrixXd combine_controls(const Eigen::MatrixXd& c)
{
    const Eigen::Index n = c.rows();
    Eigen::VectorXd sum = Eigen::VectorXd::Zero(n);
    Eigen::VectorXd cnt = Eigen::VectorXd::Zero(n);
    for (Eigen::Index j = 0; j < c.cols(); ++j) {
        double s = 0, s2 = 0;
        Eigen::Index m = 0;
        for (Eigen::Index t = 0; t < n; ++t)
            if (!std::isnan(c(t, j))) {
                s += c(t, j);
                s2 += c(t, j) * c(t, j);
                ++m;
            }
        if (2 * m < n || m < 2) continue;
        const double mean = s / static_cast<double>(m);
        const double var = (s2 - static_cast<double>(m) * mean * mean) / static_cast<double>(m - 1);
        if (!(var > 0)) continue;
        const double sd = std::sqrt(var);
        for (Eigen::Index t = 0; t < n; ++t)
            if (!std::isnan(c(t, j))) {
                sum[t] += (c(t, j) - mean) / sd;
                cnt[t] += 1;
            }
    }
    std::vector<Eigen::Index> have;
    for (Eigen::Index t = 0; t < n; ++t)
        if (cnt[t] > 0) have.push_back(t);
    if (have.size() < 2) return {};
    Eigen::VectorXd out(n);
    for (Eigen::Index t : have) out[t] = sum[t] / cnt[t];
    std::size_t h = 0;
    for (Eigen::Index t = 0; t < n; ++t) {
        if (cnt[t] > 0) continue;
        while (h < have.size() && have[h] < t) ++h;
        if (h == 0) out[t] = out[have.front()];
        else if (h == have.size()) out[t] = out[have.back()];
        else {
            const Eigen::Index a = have[h - 1], b = have[h];
            const double w = static_cast<double>(t - a) / static_cast<double>(b - a);
            out[t] = (1 - w) * out[a] + w * out[b];
        }
    }
    return out;
}

// The AR(1) REML fit of the estimator: phi's uncertainty in the standard
// errors (docs/evaluation.md).
models::Ar1RegressionSpec reml_spec(double alpha)
{
    models::Ar1RegressionSpec as;
    as.method = models::Ar1Method::reml;
    as.alpha = alpha;
    as.integrate_phi = true;
    return as;
}

ItsFit fit_its_model(const Eigen::VectorXd& y, const models::ItsSpec& spec, EstimatorKind kind, double alpha,
                     bool screening)
{
    ItsFit f;
    if (kind == EstimatorKind::ar1_reml) {
        std::vector<std::string> names;
        const Eigen::MatrixXd x = models::its_design(static_cast<std::size_t>(y.size()), spec, names);
        models::Ar1RegressionSpec as = reml_spec(alpha);
        as.search = screening ? models::Ar1Search::cross_products : models::Ar1Search::exact;
        auto r = models::fit_ar1_regression(y, x, names, as);
        f.est = std::move(r.est);
        f.df = r.df_inference;
        f.ok = r.diag.ok;
        f.warnings = std::move(r.diag.warnings);
        return f;
    }
    models::ItsSpec s = spec;
    s.errors = kind == EstimatorKind::ols_newey_west ? models::ItsErrors::newey_west : models::ItsErrors::ar1;
    auto r = models::fit_its(y, s);
    f.est = std::move(r.est);
    f.df = r.diag.df_resid;
    f.ok = r.diag.ok || (kind == EstimatorKind::ar1_prais_winsten && r.diag.n > 0 && f.est.params.allFinite());
    f.warnings = std::move(r.diag.warnings);
    return f;
}

// The ITS fit of a series on spec.breaks: with seasonal terms when the
// series has them, the data can carry them and the seasons test keeps them
// (spec.season_period says which); the same decisions for the estimates and
// for describe_link_model.
ItsFit fit_series_model(const SeriesForEstimation& s, const EstimatorOptions& opt, models::ItsSpec& spec)
{
    const std::size_t m_obs = observed_in(s.y, 0, static_cast<std::size_t>(s.y.size()));
    spec.season_period =
        s.season_period > 0 && seasons_fit(m_obs, spec.breaks.size(), s.season_period) ? s.season_period : 0;
    ItsFit fit = fit_its_model(s.y, spec, opt.kind, opt.alpha, opt.screening);
    if (spec.season_period > 0 && fit.ok &&
        !seasons_stay(fit.est, fit.df, static_cast<Eigen::Index>(2 + 2 * spec.breaks.size()), spec.season_period)) {
        spec.season_period = 0;
        fit = fit_its_model(s.y, spec, opt.kind, opt.alpha, opt.screening);
    }
    return fit;
}

}  // namespace

std::string_view to_string(EstimatorKind k) noexcept
{
    switch (k) {
    case EstimatorKind::ar1_reml: return "ar1_reml";
    case EstimatorKind::ols_newey_west: return "ols_newey_west";
    case EstimatorKind::ar1_prais_winsten: return "ar1_prais_winsten";
    }
    return "ar1_reml";
}

std::vector<LinkEffect> estimate_link_effects(const SeriesForEstimation& s, const EstimatorOptions& opt)
{
    check_inputs(s, opt);
    const auto n = static_cast<std::size_t>(s.y.size());
    const auto nb = s.breaks.size();
    std::vector<LinkEffect> out(nb);

    const std::vector<std::size_t> model = model_breaks(s.y, s.breaks);  // break periods in the model

    // Segment counts for every input break, against the model's breaks.
    for (std::size_t j = 0; j < nb; ++j) {
        const std::size_t b = s.breaks[j];
        std::size_t prev = 0, next = n;
        for (const auto m : model) {
            if (m < b) prev = m;
            if (m > b && next == n) next = m;
        }
        out[j].n_pre = observed_in(s.y, prev, std::min(b, n));
        out[j].n_post = observed_in(s.y, std::min(b, n), next);
        if (j > 0 && s.breaks[j - 1] == b)
            out[j].warnings.push_back("another intervention starts in the same period: the two share one break and "
                                      "one estimate");
    }

    models::ItsSpec spec;
    spec.breaks = model;
    spec.alpha = opt.alpha;
    const std::size_t m_obs = observed_in(s.y, 0, n);
    // The series' typical size, for the relative effect's rule.
    double scale = 0;
    for (Eigen::Index t = 0; t < s.y.size(); ++t)
        if (!std::isnan(s.y[t])) scale += std::abs(s.y[t]);
    scale = m_obs > 0 ? scale / static_cast<double>(m_obs) : 0.0;
    const std::string season_note =
        s.season_period > 0 && !seasons_fit(m_obs, model.size(), s.season_period)
            ? "too few reported periods for seasonal terms: fitted without them"
            : "";
    ItsFit fit;
    if (!model.empty()) fit = fit_series_model(s, opt, spec);
    const auto k = static_cast<Eigen::Index>(fit.est.params.size());
    std::vector<std::string> names;
    const Eigen::MatrixXd x = model.empty() ? Eigen::MatrixXd() : models::its_design(n, spec, names);
    const Eigen::MatrixXd controls =
        opt.counterfactual && s.controls.cols() > 0 ? combine_controls(s.controls) : Eigen::MatrixXd();
    const double crit = models::t_critical_value(opt.alpha, fit.df);

    for (std::size_t j = 0; j < nb; ++j) {
        LinkEffect& e = out[j];
        const std::size_t b = s.breaks[j];
        const auto it = std::find(model.begin(), model.end(), b);
        if (it == model.end()) {
            e.warnings.push_back(b == 0   ? "the intervention starts before the first period: no period before it"
                                 : b >= n ? "the intervention starts after the last period: no period after it"
                                          : "too few reported periods around the intervention to estimate its effect");
            e.grade = Grade::insufficient_data;
            continue;
        }
        if (!season_note.empty()) e.warnings.push_back(season_note);
        for (const auto& w : fit.warnings) e.warnings.push_back(w);
        if (!fit.ok) {
            e.warnings.push_back("the interrupted time series model could not be fitted");
            e.grade = Grade::insufficient_data;
            continue;
        }
        const auto mj = static_cast<std::size_t>(it - model.begin());
        const auto lc = static_cast<Eigen::Index>(2 + 2 * mj);
        const std::size_t end = mj + 1 < model.size() ? model[mj + 1] : n;
        const auto len = static_cast<double>(end - b);

        Eigen::VectorXd g = Eigen::VectorXd::Zero(k);
        g[lc] = 1;
        e.level_change = linear_effect(fit, g);
        g.setZero();
        g[lc + 1] = 1;
        e.slope_change = linear_effect(fit, g);
        e.detection = detect(fit.est, fit.df, lc);
        Eigen::VectorXd ga = Eigen::VectorXd::Zero(k);
        ga[lc] = 1;
        ga[lc + 1] = (len - 1) / 2;
        e.average_effect = linear_effect(fit, ga);
        e.improved = s.direction == indicators::Direction::up ? e.average_effect.estimate > 0
                                                              : e.average_effect.estimate < 0;

        // Relative effect: average effect over the ITS counterfactual level
        // in the window (the fitted path without this break), delta method;
        // only where that level is clearly away from zero (docs/evaluation.md).
        Eigen::VectorXd gc = Eigen::VectorXd::Zero(k);
        for (std::size_t t = b; t < end; ++t) gc += x.row(static_cast<Eigen::Index>(t)).transpose();
        gc /= len;
        gc[lc] = 0;
        gc[lc + 1] = 0;
        const Eigen::VectorXd& b_hat = fit.est.params;
        const Eigen::MatrixXd& v_hat = fit.est.cov;
        const double a = ga.dot(b_hat);
        const double c = gc.dot(b_hat);
        const double c_se = std::sqrt(std::max(0.0, gc.dot(v_hat * gc)));
        if (s.nonnegative && std::isfinite(c) && c < 0) {
            e.warnings.push_back(fmt::format(
                "no relative effect: the counterfactual level {:.4g} is below zero, which this indicator cannot "
                "reach (the trend before the intervention extrapolated past its range)",
                c));
        } else if (std::isfinite(a) && std::isfinite(c) && std::abs(c) > crit * c_se &&
                   std::abs(c) >= relative_level_share * scale) {
            // Over |c|: the ratio has the average effect's sign.
            const double ac = std::abs(c);
            e.relative_effect.estimate = a / ac;
            const Eigen::VectorXd gr = ga / ac - (a * (c > 0 ? 1.0 : -1.0) / (c * c)) * gc;
            const double se = std::sqrt(std::max(0.0, gr.dot(v_hat * gr)));
            e.relative_effect.ci_low = a / ac - crit * se;
            e.relative_effect.ci_high = a / ac + crit * se;
        } else if (std::isfinite(c)) {
            e.warnings.push_back(fmt::format(
                "no relative effect: the counterfactual level {:.4g} (se {:.3g}) is not clearly away from zero "
                "(its interval must exclude zero and its size be at least {:g} of the series' mean absolute "
                "value, {:.4g})",
                c, c_se, relative_level_share, scale));
        }

        if (!opt.counterfactual || (opt.counterfactual_only && *opt.counterfactual_only != j)) continue;
        // State-space counterfactual: fitted before this break on the series
        // with the estimated effects of earlier breaks removed, forecast over
        // this break's window.
        Eigen::VectorXd ya = s.y.head(static_cast<Eigen::Index>(end));
        for (std::size_t i = 0; i < mj; ++i) {
            const auto ci = static_cast<Eigen::Index>(2 + 2 * i);
            for (std::size_t t = model[i]; t < end; ++t)
                ya[static_cast<Eigen::Index>(t)] -=
                    fit.est.params[ci] + fit.est.params[ci + 1] * static_cast<double>(t - model[i]);
        }
        models::CounterfactualSpec cs;
        cs.intervention_index = b;
        cs.alpha = opt.alpha;
        const std::size_t pre_obs = observed_in(s.y, 0, b);
        if (s.season_period > 0 && pre_obs >= 3 * static_cast<std::size_t>(s.season_period))
            cs.season_period = s.season_period;
        Eigen::MatrixXd cx;
        if (controls.size() > 0) {
            cx = controls.topRows(static_cast<Eigen::Index>(end));
            cs.control_names = {"controls"};
        }
        try {
            const auto cf = models::fit_counterfactual(ya, cx, cs);
            if (cf.diag.ok && std::isfinite(cf.average.estimate)) {
                e.counterfactual_average = EffectInterval{cf.average.estimate, cf.average.ci_low, cf.average.ci_high};
                e.counterfactual_p = cf.p;
            } else {
                e.warnings.push_back("no state-space counterfactual: " +
                                     (cf.diag.warnings.empty() ? std::string("the pre-period fit failed")
                                                               : cf.diag.warnings.back()));
            }
        } catch (const Error& err) {
            e.warnings.push_back(std::string("no state-space counterfactual: ") + err.what());
        }
    }
    for (auto& e : out) e.grade = grade_effect(e, opt.alpha, opt.min_pre, opt.min_post);
    return out;
}

std::vector<ScreenPValues> screen_breaks(const SeriesForEstimation& s,
                                                 const std::vector<std::size_t>& candidates,
                                                 const EstimatorOptions& opt)
{
    check_inputs(s, opt);
    EstimatorOptions o = opt;
    o.screening = true;
    o.counterfactual = false;
    o.counterfactual_only.reset();
    const auto n = static_cast<std::size_t>(s.y.size());
    const std::size_t m_obs = observed_in(s.y, 0, n);
    const std::vector<std::size_t> declared = model_breaks(s.y, s.breaks);
    const auto pvalues = [](const LinkEffect& e) {
        return ScreenPValues{e.level_change.p, e.slope_change.p, e.average_effect.p,
                             e.detection ? e.detection->p : nan};
    };

    // The base design: trend, the declared breaks and (when the series has
    // them) seasonal terms; a candidate adds its level and slope columns.
    std::optional<models::Ar1Screen> screen;
    const auto nd = static_cast<Eigen::Index>(2 + 2 * declared.size());
    if (opt.kind == EstimatorKind::ar1_reml) {
        models::ItsSpec base;
        base.breaks = declared;
        base.season_period = s.season_period;
        std::vector<std::string> names;
        screen.emplace(s.y, models::its_design(n, base, names), reml_spec(opt.alpha));
    }

    // A candidate on the shared design carries the declared breaks and its
    // own: the same columns kept, and the same seasons rule, for all.
    std::vector<Eigen::Index> keep(static_cast<std::size_t>(nd));
    std::iota(keep.begin(), keep.end(), Eigen::Index{0});
    const bool seasons = s.season_period > 0 && seasons_fit(m_obs, declared.size() + 1, s.season_period);
    std::vector<Eigen::Index> with_seasons = keep;
    for (Eigen::Index j = 0; seasons && j < s.season_period - 1; ++j) with_seasons.push_back(nd + j);
    Eigen::MatrixXd x1(static_cast<Eigen::Index>(n), 2);

    std::vector<ScreenPValues> out;
    out.reserve(candidates.size());
    for (const std::size_t c : candidates) {
        if (c > n) throw Error(ErrorCode::bad_input, "screen_breaks: a candidate break lies past the end of the grid");
        std::vector<std::size_t> breaks = s.breaks;
        const auto at = std::upper_bound(breaks.begin(), breaks.end(), c);
        const auto pos = static_cast<std::size_t>(at - breaks.begin());
        breaks.insert(at, c);
        // The shared design serves a candidate that adds one break of its
        // own to the declared model and changes nothing else; any other
        // (a shared start, a segment too short) takes the full path.
        std::vector<std::size_t> expect = declared;
        const auto where = std::lower_bound(expect.begin(), expect.end(), c);
        const auto mj = static_cast<std::size_t>(where - expect.begin());  // the candidate's place among them
        const bool own = screen && (where == expect.end() || *where != c);
        if (own) expect.insert(where, c);
        if (!own || model_breaks(s.y, breaks) != expect) {
            SeriesForEstimation merged = s;
            merged.breaks = std::move(breaks);
            out.push_back(pvalues(estimate_link_effects(merged, o)[pos]));
            continue;
        }
        const std::size_t end = mj + 1 < expect.size() ? expect[mj + 1] : n;
        for (std::size_t t = 0; t < n; ++t) {
            const bool after = t >= c;
            x1(static_cast<Eigen::Index>(t), 0) = after ? 1.0 : 0.0;
            x1(static_cast<Eigen::Index>(t), 1) = after ? static_cast<double>(t - c) : 0.0;
        }
        auto fit = screen->fit(with_seasons, x1);
        if (seasons && fit.ok && !seasons_stay(fit.est, fit.df, nd, s.season_period)) fit = screen->fit(keep, x1);
        if (!fit.ok) {
            out.push_back({});
            continue;
        }
        // Level change, slope change, average effect and detection of the
        // candidate's break, its columns being the last two.
        const Eigen::Index k = fit.est.params.size();
        Eigen::MatrixXd r = Eigen::MatrixXd::Zero(3, k);
        r(0, k - 2) = 1;
        r(1, k - 1) = 1;
        r(2, k - 2) = 1;
        r(2, k - 1) = (static_cast<double>(end - c) - 1) / 2;
        const auto t = models::t_test(fit.est, r, Eigen::VectorXd::Zero(3), fit.df);
        out.push_back({t.p[0], t.p[1], t.p[2], detect(fit.est, fit.df, k - 2).p});
    }
    return out;
}

Grade grade_effect(const LinkEffect& e, double alpha, std::size_t min_pre, std::size_t min_post)
{
    if (e.n_pre < min_pre || e.n_post < min_post || !e.detection || std::isnan(e.detection->p) ||
        std::isnan(e.average_effect.estimate))
        return Grade::insufficient_data;
    const Detection& d = *e.detection;
    const bool detected = (std::isnan(d.q) ? d.p : d.q) < alpha;
    const bool has_cf = e.counterfactual_average.has_value() && !std::isnan(e.counterfactual_p);
    const bool cf_sig = has_cf && e.counterfactual_p < alpha;
    const bool same_sign = has_cf && (e.counterfactual_average->estimate > 0) == (e.average_effect.estimate > 0);
    if (detected) {
        if (cf_sig) return same_sign ? Grade::strong : Grade::weak;
        return !has_cf || same_sign ? Grade::moderate : Grade::weak;
    }
    // Not detected: at most weak, and only on the detection test's own p.
    if (d.p < alpha && !(cf_sig && !same_sign)) return Grade::weak;
    return Grade::none;
}

// The design of the fitted model (`taeval effects --explain`): the decisions
// of estimate_link_effects, by the same helpers, on the same fits.

LinkModel describe_link_model(const SeriesForEstimation& s, const EstimatorOptions& opt)
{
    check_inputs(s, opt);
    LinkModel m;
    m.kind = opt.kind;
    m.alpha = opt.alpha;
    m.breaks = model_breaks(s.y, s.breaks);
    if (m.breaks.empty()) return m;
    models::ItsSpec spec;
    spec.breaks = m.breaks;
    spec.alpha = opt.alpha;
    m.fitted = fit_series_model(s, opt, spec).ok;
    m.season_period = spec.season_period;
    return m;
}

models::ItsSpec its_spec(const LinkModel& m)
{
    models::ItsSpec spec;
    spec.breaks = m.breaks;
    spec.season_period = m.season_period;
    spec.alpha = m.alpha;
    switch (m.kind) {
    case EstimatorKind::ar1_reml:
        spec.errors = models::ItsErrors::ar1_reml;
        spec.integrate_phi = reml_spec(m.alpha).integrate_phi;
        break;
    case EstimatorKind::ols_newey_west: spec.errors = models::ItsErrors::newey_west; break;
    case EstimatorKind::ar1_prais_winsten: spec.errors = models::ItsErrors::ar1; break;
    }
    return spec;
}

std::optional<EstimatorKind> parse_estimator_kind(std::string_view text) noexcept
{
    for (const auto k : {EstimatorKind::ar1_reml, EstimatorKind::ols_newey_west, EstimatorKind::ar1_prais_winsten})
        if (to_string(k) == text) return k;
    return std::nullopt;
}

}  // namespace taeval::engine
