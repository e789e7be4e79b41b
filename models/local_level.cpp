#include "models/local_level.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>

#include <Eigen/LU>
#include <boost/math/distributions/normal.hpp>

#include "models/bounded_minimizer.hpp"
#include "models/check.hpp"
#include "models/error.hpp"

namespace taeval::models {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();
const double log_2pi = std::log(2 * std::numbers::pi);
// Bounds of psi = log(sigma2_level / sigma2_epsilon): beyond them the
// likelihood is flat to double precision for any series.
constexpr double psi_low = -20;
constexpr double psi_high = 20;

/// Sums of the filter run in units of sigma2_epsilon at ratio q (and their
/// derivatives in q when wanted): the concentrated likelihood needs only these.
struct ScaledSums {
    double s = 0;           ///< sum of v_t^2 / F_t
    double sum_log_f = 0;   ///< sum of log F_t
    double ds = 0;          ///< d s / d q
    double dsum_log_f = 0;  ///< d sum_log_f / d q
    std::size_t m = 0;      ///< terms (observed periods after the first)
};

/// One pass of the exact-diffuse filter in scalar form. The first
/// observation collapses the diffuse level (a = y, P = sigma2_epsilon, and
/// contributes log F_inf = 0); after that the filter is the ordinary one.
/// Derivatives in q are carried alongside (forward mode), so the gradient
/// costs a few more flops per step and no extra pass.
template <bool WithGradient>
ScaledSums scaled_pass(const double* y, Eigen::Index n, double q)
{
    ScaledSums r;
    double a = 0, p = 0, da = 0, dp = 0;
    double prod_f = 1;  // logs of products: one log per ~dozen steps instead of one per step
    Eigen::Index t = 0;
    for (; t < n; ++t) {
        if (!std::isnan(y[t])) {
            a = y[t];
            p = 1 + q;
            dp = 1;
            ++t;
            break;
        }
    }
    for (; t < n; ++t) {
        const double yt = y[t];
        if (!std::isnan(yt)) {
            const double f = p + 1;
            const double inv_f = 1 / f;
            const double v = yt - a;
            const double k = p * inv_f;
            r.s += v * v * inv_f;
            prod_f *= f;
            if (prod_f > 1e250) {
                r.sum_log_f += std::log(prod_f);
                prod_f = 1;
            }
            ++r.m;
            if constexpr (WithGradient) {
                const double dv = -da;
                const double inv_f2 = inv_f * inv_f;
                r.ds += 2 * v * dv * inv_f - v * v * dp * inv_f2;
                r.dsum_log_f += dp * inv_f;
                const double dk = dp * inv_f2;
                da = da + dk * v + k * dv;
                dp = dp * inv_f2;
            }
            a += k * v;
            p = k;  // P (1 - K) = P / F in units of sigma2_epsilon
        }
        p += q;
        if constexpr (WithGradient) dp += 1;
    }
    r.sum_log_f += std::log(prod_f);
    return r;
}

/// Concentrated diffuse log-likelihood at q without the -(n/2) log 2pi term.
double concentrated(const ScaledSums& s)
{
    const double m = static_cast<double>(s.m);
    return -0.5 * m * (std::log(s.s / m) + 1) - 0.5 * s.sum_log_f;
}

/// Diffuse log-likelihood at (sigma2_epsilon, sigma2_level) from the scaled sums.
double full_loglik(const double* y, Eigen::Index n, std::size_t n_obs, double se, double sl)
{
    const ScaledSums s = scaled_pass<false>(y, n, sl / se);
    const double m = static_cast<double>(s.m);
    return -0.5 * static_cast<double>(n_obs) * log_2pi - 0.5 * (m * std::log(se) + s.sum_log_f) - 0.5 * s.s / se;
}

void fill_nan(LocalLevelResult& r, Eigen::Index n)
{
    for (auto* v : {&r.predicted, &r.predicted_var, &r.filtered, &r.filtered_var, &r.smoothed, &r.smoothed_var,
                    &r.innovation, &r.innovation_var, &r.std_resid})
        *v = Eigen::VectorXd::Constant(n, nan);
}

void set_estimates(LocalLevelResult& r, double alpha, const Eigen::Matrix2d* cov_log)
{
    r.est.names = {"sigma2_epsilon", "sigma2_level"};
    r.est.alpha = alpha;
    r.est.params = Eigen::Vector2d(r.sigma2_epsilon, r.sigma2_level);
    r.est.se = Eigen::VectorXd::Constant(2, nan);
    r.est.ci_low = Eigen::VectorXd::Constant(2, nan);
    r.est.ci_high = Eigen::VectorXd::Constant(2, nan);
    r.est.stat = Eigen::VectorXd::Constant(2, nan);
    r.est.p = Eigen::VectorXd::Constant(2, nan);
    r.est.cov = Eigen::MatrixXd::Constant(2, 2, nan);
    if (cov_log == nullptr) return;
    const double z = boost::math::quantile(boost::math::complement(boost::math::normal(), alpha / 2));
    const Eigen::Vector2d d = r.est.params;
    r.est.cov = d.asDiagonal() * (*cov_log) * d.asDiagonal();
    for (Eigen::Index i = 0; i < 2; ++i) {
        const double se_log = std::sqrt((*cov_log)(i, i));
        r.est.se[i] = d[i] * se_log;
        r.est.ci_low[i] = d[i] * std::exp(-z * se_log);
        r.est.ci_high[i] = d[i] * std::exp(z * se_log);
    }
}

/// Filter and smoother at fixed variances, storing every per-period quantity.
void run_filter_smoother(const Eigen::VectorXd& y, double se, double sl, LocalLevelResult& r)
{
    const Eigen::Index n = y.size();
    fill_nan(r, n);
    Eigen::Index t0 = -1;
    double a = nan, p = inf, ll = 0;
    std::size_t n_obs = 0;
    for (Eigen::Index t = 0; t < n; ++t) {
        const bool observed = !std::isnan(y[t]);
        r.predicted[t] = a;
        r.predicted_var[t] = p;
        if (t0 < 0) {
            if (observed) {
                // The diffuse level collapses on the first observation.
                t0 = t;
                ++n_obs;
                r.filtered[t] = y[t];
                r.filtered_var[t] = se;
                a = y[t];
                p = se + sl;
            } else {
                r.filtered_var[t] = inf;
            }
            continue;
        }
        double af = a, pf = p;
        if (observed) {
            ++n_obs;
            const double f = p + se;
            const double v = y[t] - a;
            r.innovation[t] = v;
            r.innovation_var[t] = f;
            r.std_resid[t] = v / std::sqrt(f);
            ll += std::log(f) + v * v / f;
            const double k = p / f;
            af = a + k * v;
            pf = k * se;
        }
        r.filtered[t] = af;
        r.filtered_var[t] = pf;
        a = af;
        p = pf + sl;
    }
    r.loglik = -0.5 * static_cast<double>(n_obs) * log_2pi - 0.5 * ll;
    if (t0 < 0) return;

    // Fixed-interval smoother in Rauch-Tung-Striebel form; before the first
    // observation the diffuse limit gives the random walk run backwards.
    r.smoothed[n - 1] = r.filtered[n - 1];
    r.smoothed_var[n - 1] = r.filtered_var[n - 1];
    for (Eigen::Index t = n - 2; t >= t0; --t) {
        const double p_next = r.predicted_var[t + 1];
        const double j = r.filtered_var[t] / p_next;
        r.smoothed[t] = r.filtered[t] + j * (r.smoothed[t + 1] - r.predicted[t + 1]);
        r.smoothed_var[t] = r.filtered_var[t] + j * j * (r.smoothed_var[t + 1] - p_next);
    }
    for (Eigen::Index t = t0 - 1; t >= 0; --t) {
        r.smoothed[t] = r.smoothed[t + 1];
        r.smoothed_var[t] = r.smoothed_var[t + 1] + sl;
    }
}

/// Observed information of (log sigma2_epsilon, log sigma2_level) by central
/// differences of the full likelihood; false when it is not positive definite.
bool log_scale_covariance(const Eigen::VectorXd& y, std::size_t n_obs, double se, double sl, Eigen::Matrix2d& cov)
{
    const double h = 1e-4;
    const double le = std::log(se), ll = std::log(sl);
    auto f = [&](double de, double dl) { return full_loglik(y.data(), y.size(), n_obs, std::exp(le + de), std::exp(ll + dl)); };
    const double f0 = f(0, 0);
    Eigen::Matrix2d hess;
    hess(0, 0) = (f(h, 0) - 2 * f0 + f(-h, 0)) / (h * h);
    hess(1, 1) = (f(0, h) - 2 * f0 + f(0, -h)) / (h * h);
    hess(0, 1) = hess(1, 0) = (f(h, h) - f(h, -h) - f(-h, h) + f(-h, -h)) / (4 * h * h);
    const Eigen::Matrix2d info = -hess;
    if (!(info(0, 0) > 0 && info(1, 1) > 0 && info.determinant() > 0)) return false;
    cov = info.inverse();
    return true;
}

}  // namespace

LocalLevelResult fit_local_level(const Eigen::VectorXd& y, const LocalLevelSpec& spec)
{
    constexpr const char* fn = "fit_local_level";
    for (Eigen::Index t = 0; t < y.size(); ++t)
        if (std::isinf(y[t]))
            throw Error(ErrorCode::bad_input, std::string(fn) + ": Series y must be finite or NaN (missing); element " +
                                                  std::to_string(t) + " is infinite");
    check_open_interval(fn, "alpha", spec.alpha, 0.0, 1.0);
    if (spec.sigma2_epsilon.has_value() != spec.sigma2_level.has_value())
        throw Error(ErrorCode::bad_input, std::string(fn) + ": fix both variances or neither");
    if (spec.sigma2_epsilon) check_positive(fn, "sigma2_epsilon", *spec.sigma2_epsilon);
    if (spec.sigma2_level) {
        check_finite(fn, "sigma2_level", *spec.sigma2_level);
        if (*spec.sigma2_level < 0) check_positive(fn, "sigma2_level", *spec.sigma2_level);
    }

    LocalLevelResult r;
    const Eigen::Index n = y.size();
    std::size_t n_obs = 0;
    double y_min = inf, y_max = -inf;
    for (Eigen::Index t = 0; t < n; ++t)
        if (!std::isnan(y[t])) {
            ++n_obs;
            y_min = std::min(y_min, y[t]);
            y_max = std::max(y_max, y[t]);
        }
    r.diag.n = n_obs;
    r.diag.n_missing = static_cast<std::size_t>(n) - n_obs;
    r.diag.df_resid = n_obs > 0 ? static_cast<double>(n_obs - 1) : 0.0;
    r.diag.rank = 1;
    const bool fixed = spec.sigma2_epsilon.has_value();

    if (n_obs == 0 || (!fixed && n_obs < 3)) {
        fill_nan(r, n);
        r.sigma2_epsilon = r.sigma2_level = r.loglik = r.diag.loglik = nan;
        r.diag.ok = false;
        r.diag.converged = false;
        r.diag.warnings.push_back(n_obs == 0 ? "no observations: the series is all missing"
                                             : "too few observations to estimate the variances (" +
                                                   std::to_string(n_obs) + ", need at least 3)");
        set_estimates(r, spec.alpha, nullptr);
        return r;
    }
    if (!fixed && y_min == y_max) {
        // No variation: both variances are estimated as zero and the level is
        // the constant, known exactly.
        r.sigma2_epsilon = r.sigma2_level = 0;
        fill_nan(r, n);
        r.predicted.setConstant(y_min);
        r.filtered.setConstant(y_min);
        r.smoothed.setConstant(y_min);
        r.predicted_var.setZero();
        r.filtered_var.setZero();
        r.smoothed_var.setZero();
        r.loglik = r.diag.loglik = nan;
        r.diag.ok = false;
        r.diag.warnings.push_back("the series is constant: both variances are zero and the likelihood is unbounded");
        set_estimates(r, spec.alpha, nullptr);
        return r;
    }

    double se = 0, sl = 0;
    if (fixed) {
        se = *spec.sigma2_epsilon;
        sl = *spec.sigma2_level;
    } else {
        const double* data = y.data();
        auto objective = [data, n](const Eigen::VectorXd& x, Eigen::VectorXd& grad) {
            const double q = std::exp(x[0]);
            const ScaledSums s = scaled_pass<true>(data, n, q);
            const double m = static_cast<double>(s.m);
            grad[0] = q * (0.5 * m * s.ds / s.s + 0.5 * s.dsum_log_f);
            return -concentrated(s);
        };
        // A coarse grid picks the basin; the quasi-Newton search refines.
        double best_psi = 0, best = inf;
        for (double psi : {-9.0, -6.0, -4.0, -2.0, 0.0, 2.0, 4.0}) {
            const double v = -concentrated(scaled_pass<false>(data, n, std::exp(psi)));
            if (v < best) {
                best = v;
                best_psi = psi;
            }
        }
        MinimizeOptions options;
        options.max_iterations = spec.max_iterations;
        options.grad_tol = 1e-9 * static_cast<double>(n_obs);
        const MinimizeResult m = minimize_bounded(objective, Eigen::VectorXd::Constant(1, best_psi),
                                                  Eigen::VectorXd::Constant(1, psi_low),
                                                  Eigen::VectorXd::Constant(1, psi_high), options);
        const double psi = m.x[0];
        const double q = std::exp(psi);
        const ScaledSums s = scaled_pass<false>(data, n, q);
        se = s.s / static_cast<double>(s.m);
        sl = q * se;
        r.diag.converged = m.converged;
        r.diag.iterations = m.iterations;
        if (!m.converged) r.diag.warnings.push_back(m.message);
        if (psi <= psi_low + 1e-6)
            r.diag.warnings.push_back("sigma2_level is at its lower bound: the level is (nearly) constant");
        if (psi >= psi_high - 1e-6)
            r.diag.warnings.push_back("sigma2_epsilon is at its lower bound: the series is (nearly) a random walk");
    }
    r.sigma2_epsilon = se;
    r.sigma2_level = sl;
    run_filter_smoother(y, se, sl, r);
    r.diag.loglik = r.loglik;
    r.diag.resid_sd = std::sqrt(se);

    Eigen::Matrix2d cov_log;
    const bool have_cov = !fixed && spec.standard_errors && sl > 0 &&
                          log_scale_covariance(y, n_obs, se, sl, cov_log);
    if (!fixed && spec.standard_errors && !have_cov)
        r.diag.warnings.push_back("the information matrix is singular: no standard errors for the variances");
    set_estimates(r, spec.alpha, have_cov ? &cov_log : nullptr);
    return r;
}

StateSpaceForecast forecast(const LocalLevelResult& fit, std::size_t h)
{
    StateSpaceForecast f;
    const auto steps = static_cast<Eigen::Index>(h);
    f.level_mean.resize(steps);
    f.level_var.resize(steps);
    f.obs_mean.resize(steps);
    f.obs_var.resize(steps);
    const Eigen::Index n = fit.filtered.size();
    const double a = n > 0 ? fit.filtered[n - 1] : nan;
    const double p = n > 0 ? fit.filtered_var[n - 1] : nan;
    for (Eigen::Index i = 0; i < steps; ++i) {
        f.level_mean[i] = a;
        f.level_var[i] = p + static_cast<double>(i + 1) * fit.sigma2_level;
        f.obs_mean[i] = a;
        f.obs_var[i] = f.level_var[i] + fit.sigma2_epsilon;
    }
    return f;
}

}  // namespace taeval::models
