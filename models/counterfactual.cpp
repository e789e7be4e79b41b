#include "models/counterfactual.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include "models/check.hpp"
#include "models/error.hpp"

namespace taeval::models {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

EffectEstimate nan_effect() { return {nan, nan, nan, nan}; }

}  // namespace

CounterfactualResult fit_counterfactual(const Eigen::VectorXd& y, const Eigen::MatrixXd& controls,
                                        const CounterfactualSpec& spec)
{
    constexpr const char* fn = "fit_counterfactual";
    const Eigen::Index n = y.size();
    const auto t0 = static_cast<Eigen::Index>(spec.intervention_index);
    if (spec.intervention_index == 0 || t0 >= n)
        throw Error(ErrorCode::bad_input, std::string(fn) + ": intervention_index must lie in 1.." +
                                              std::to_string(n > 0 ? n - 1 : 0) + " (periods before and after), got " +
                                              std::to_string(spec.intervention_index));
    check_open_interval(fn, "alpha", spec.alpha, 0.0, 1.0);
    const Eigen::Index k = controls.cols();
    if (k > 0) {
        check_size(fn, "rows of controls", static_cast<std::size_t>(controls.rows()), static_cast<std::size_t>(n));
        for (Eigen::Index j = 0; j < k; ++j) check_finite(fn, "Control column " + std::to_string(j + 1), controls.col(j));
    }

    CounterfactualResult r;
    r.intervention_index = spec.intervention_index;
    const Eigen::Index h = n - t0;
    StructuralSpec ss;
    ss.trend = spec.trend;
    ss.season_period = spec.season_period;
    ss.regressor_names = spec.control_names;
    ss.alpha = spec.alpha;
    const Eigen::MatrixXd x_pre = k > 0 ? Eigen::MatrixXd(controls.topRows(t0)) : Eigen::MatrixXd();
    const Eigen::MatrixXd x_post = k > 0 ? Eigen::MatrixXd(controls.bottomRows(h)) : Eigen::MatrixXd();
    r.pre_fit = fit_structural(y.head(t0), x_pre, ss);
    r.diag = r.pre_fit.diag;
    r.n_pre = r.pre_fit.diag.n;

    std::vector<Eigen::Index> obs;
    for (Eigen::Index i = 0; i < h; ++i)
        if (!std::isnan(y[t0 + i])) obs.push_back(i);
    r.n_post = obs.size();
    r.average = r.cumulative = r.relative = nan_effect();
    r.est.names = {"average_effect", "cumulative_effect", "relative_effect"};
    r.est.alpha = spec.alpha;
    r.est.params = r.est.se = r.est.ci_low = r.est.ci_high = r.est.stat = r.est.p = Eigen::VectorXd::Constant(3, nan);
    r.est.cov = Eigen::MatrixXd::Constant(3, 3, nan);
    r.p = r.p_one_sided = nan;
    r.counterfactual = r.counterfactual_var = r.point_effect = r.point_ci_low = r.point_ci_high =
        Eigen::VectorXd::Constant(h, nan);
    if (!r.pre_fit.diag.ok) {
        r.diag.warnings.push_back("the pre-intervention fit failed: no counterfactual");
        return r;
    }
    if (obs.empty()) {
        r.diag.ok = false;
        r.diag.warnings.push_back("no observed period after the intervention");
        return r;
    }

    const auto steps = static_cast<std::size_t>(h);
    Eigen::VectorXd mean;
    Eigen::MatrixXd cov;
    // With the level variance the only free one, its uncertainty is
    // integrated out: a grid over psi = log(sigma2_level / sigma2_epsilon)
    // weighted by the profile (diffuse) likelihood, i.e. a flat prior on psi
    // over [-10, 6] (ratios 4.5e-5 .. 400); the predictive mean and
    // covariance are those of the mixture. This matters: ML of a variance
    // ratio from a short pre-period is often near zero, and the plug-in
    // intervals then undercover.
    const bool one_free = spec.integrate_level_variance && spec.trend == TrendKind::level && spec.season_period == 0;
    bool mixed = false;
    if (one_free) {
        // The mixture is accumulated as the grid goes (weights relative to
        // the best log-likelihood so far, sums rescaled when it rises), its
        // moments about the first forecast mean to keep the digits:
        // cov = sum w (C_j + d_j d_j') / sum w - dbar dbar', d_j = m_j - m_ref.
        double top = -std::numeric_limits<double>::infinity(), total = 0;
        Eigen::VectorXd ref, sum_d = Eigen::VectorXd::Zero(h), d(h);
        Eigen::MatrixXd sum_c = Eigen::MatrixXd::Zero(h, h);
        for (double psi = -10; psi <= 6 + 1e-9; psi += 0.5) {
            StructuralSpec sj = ss;
            sj.fixed = StateSpaceVariances{1.0, std::exp(psi)};
            sj.fixed_are_ratios = true;
            const StructuralResult fj = fit_structural(y.head(t0), x_pre, sj);
            if (!fj.diag.ok || !std::isfinite(fj.loglik)) continue;
            if (fj.loglik > top) {
                const double scale = std::exp(top - fj.loglik);  // 0 for the first
                total *= scale;
                sum_d *= scale;
                sum_c *= scale;
                top = fj.loglik;
            }
            const double w = std::exp(fj.loglik - top);
            const Eigen::VectorXd m = forecast(fj, steps, x_post).obs_mean;
            if (ref.size() == 0) ref = m;
            d = m - ref;
            total += w;
            sum_d += w * d;
            sum_c.noalias() += w * forecast_error_covariance(fj, steps, x_post);
            sum_c.noalias() += (w * d) * d.transpose();
        }
        if (total > 0) {
            const Eigen::VectorXd dbar = sum_d / total;
            mean = ref + dbar;
            cov = sum_c / total;
            cov.noalias() -= dbar * dbar.transpose();
            mixed = true;
        }
    }
    if (!mixed) {
        mean = forecast(r.pre_fit, steps, x_post).obs_mean;
        cov = forecast_error_covariance(r.pre_fit, steps, x_post);
    }
    const boost::math::normal z;
    // sigma2_epsilon is estimated from n_pre - q residual degrees of freedom:
    // a t quantile carries that uncertainty.
    const double df = r.pre_fit.diag.df_resid;
    const double crit = df >= 1 ? boost::math::quantile(boost::math::complement(boost::math::students_t(df), spec.alpha / 2))
                                : boost::math::quantile(boost::math::complement(z, spec.alpha / 2));
    StateSpaceForecast fc;
    fc.obs_mean = mean;
    fc.obs_var = cov.diagonal();
    r.counterfactual = fc.obs_mean;
    r.counterfactual_var = fc.obs_var;
    for (const Eigen::Index i : obs) {
        const double e = y[t0 + i] - fc.obs_mean[i];
        const double sd = std::sqrt(cov(i, i));
        r.point_effect[i] = e;
        r.point_ci_low[i] = e - crit * sd;
        r.point_ci_high[i] = e + crit * sd;
    }

    // Sums over the observed post periods, with the full covariance.
    double sum_y = 0, sum_pred = 0, var_sum = 0;
    for (const Eigen::Index i : obs) {
        sum_y += y[t0 + i];
        sum_pred += fc.obs_mean[i];
        for (const Eigen::Index j : obs) var_sum += cov(i, j);
    }
    const double m = static_cast<double>(obs.size());
    const double sd_sum = std::sqrt(var_sum);
    const double cum = sum_y - sum_pred;
    r.cumulative = {cum, sd_sum, cum - crit * sd_sum, cum + crit * sd_sum};
    r.average = {cum / m, sd_sum / m, (cum - crit * sd_sum) / m, (cum + crit * sd_sum) / m};
    const double zstat = cum / sd_sum;
    r.p = df >= 1 ? 2 * boost::math::cdf(boost::math::complement(boost::math::students_t(df), std::abs(zstat)))
                  : 2 * boost::math::cdf(boost::math::complement(z, std::abs(zstat)));
    r.p_one_sided = r.p / 2;

    // Relative effect: observed mean over counterfactual mean, minus one. The
    // counterfactual mean is uncertain (sd sd_sum / m); the ratio is monotone
    // in it, so its interval maps through when it excludes zero.
    const double ybar = sum_y / m, cbar = sum_pred / m, csd = sd_sum / m;
    const double c_lo = cbar - crit * csd, c_hi = cbar + crit * csd;
    if (c_lo > 0 || c_hi < 0) {
        const double a = ybar / c_hi - 1, b = ybar / c_lo - 1;
        r.relative = {ybar / cbar - 1, std::abs(ybar) * csd / (cbar * cbar), std::min(a, b), std::max(a, b)};
    } else {
        r.relative = {cbar != 0 ? ybar / cbar - 1 : nan, nan, nan, nan};
        r.diag.warnings.push_back("the counterfactual's interval includes zero: no interval for the relative effect");
    }
    r.est.names = {"average_effect", "cumulative_effect", "relative_effect"};
    r.est.alpha = spec.alpha;
    const EffectEstimate* parts[] = {&r.average, &r.cumulative, &r.relative};
    r.est.params.resize(3);
    r.est.se.resize(3);
    r.est.ci_low.resize(3);
    r.est.ci_high.resize(3);
    r.est.stat = Eigen::VectorXd::Constant(3, zstat);
    r.est.p = Eigen::VectorXd::Constant(3, r.p);
    for (Eigen::Index i = 0; i < 3; ++i) {
        const auto& e = *parts[static_cast<std::size_t>(i)];
        r.est.params[i] = e.estimate;
        r.est.se[i] = e.se;
        r.est.ci_low[i] = e.ci_low;
        r.est.ci_high[i] = e.ci_high;
    }
    r.est.stat[2] = r.est.p[2] = nan;  // the relative effect's interval is not symmetric
    r.est.cov = Eigen::MatrixXd::Constant(3, 3, nan);
    return r;
}

}  // namespace taeval::models
