#include "models/meta.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/tools/toms748_solve.hpp>

#include "models/check.hpp"

namespace taeval::models {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// Weighted mean and generalised Q at a given tau^2.
struct AtTau2 {
    double mu = 0;
    double sum_w = 0;
    double q = 0;  ///< sum w_i (y_i - mu)^2 with w_i = 1 / (v_i + tau2)
};

AtTau2 at_tau2(const Eigen::VectorXd& y, const Eigen::VectorXd& v, double tau2)
{
    AtTau2 r;
    double sum_wy = 0;
    for (Eigen::Index i = 0; i < y.size(); ++i) {
        const double w = 1.0 / (v[i] + tau2);
        r.sum_w += w;
        sum_wy += w * y[i];
    }
    r.mu = sum_wy / r.sum_w;
    for (Eigen::Index i = 0; i < y.size(); ++i) {
        const double e = y[i] - r.mu;
        r.q += e * e / (v[i] + tau2);
    }
    return r;
}

/// Root in tau^2 >= 0 of Q(tau^2) = target, where Q decreases from Q(0);
/// 0 when Q(0) <= target. Brackets by doubling, then TOMS 748.
double q_root(const Eigen::VectorXd& y, const Eigen::VectorXd& v, double target, double tol, int max_iterations,
              int& iterations, bool& converged)
{
    auto f = [&](double t) { return at_tau2(y, v, t).q - target; };
    const double f0 = f(0.0);
    if (f0 <= 0) return 0.0;
    double hi = std::max(1.0, v.maxCoeff());
    double fhi = f(hi);
    int doublings = 0;
    while (fhi > 0 && doublings < 200) {
        hi *= 2;
        fhi = f(hi);
        ++doublings;
    }
    if (fhi > 0) {
        converged = false;
        return nan;
    }
    auto done = [tol](double a, double b) { return std::abs(b - a) <= tol * std::max(1.0, std::abs(a)); };
    auto iters = static_cast<std::uintmax_t>(max_iterations);
    const auto [a, b] = boost::math::tools::toms748_solve(f, 0.0, hi, f0, fhi, done, iters);
    iterations += static_cast<int>(iters);
    if (iters >= static_cast<std::uintmax_t>(max_iterations)) converged = false;
    return 0.5 * (a + b);
}

/// REML by Fisher scoring from `start`, with step halving at the boundary 0
/// (as metafor does). The score and information are those of the restricted
/// log-likelihood in tau^2.
double reml_tau2(const Eigen::VectorXd& y, const Eigen::VectorXd& v, double start, const MetaSpec& spec,
                 int& iterations, bool& converged)
{
    double tau2 = start;
    converged = false;
    for (int it = 0; it < spec.max_iterations; ++it) {
        double s1 = 0, s2 = 0, s3 = 0, swy = 0;
        for (Eigen::Index i = 0; i < y.size(); ++i) {
            const double w = 1.0 / (v[i] + tau2);
            s1 += w;
            s2 += w * w;
            s3 += w * w * w;
            swy += w * y[i];
        }
        const double mu = swy / s1;
        double py2 = 0;  // y'PPy = sum (w_i (y_i - mu))^2
        for (Eigen::Index i = 0; i < y.size(); ++i) {
            const double r = (y[i] - mu) / (v[i] + tau2);
            py2 += r * r;
        }
        const double tr_p = s1 - s2 / s1;
        const double tr_pp = s2 - 2 * s3 / s1 + (s2 / s1) * (s2 / s1);
        double step = (py2 - tr_p) / tr_pp;
        // Keep tau2 >= 0; a step that would cross zero is halved until it does not.
        int halvings = 0;
        while (tau2 + step < 0 && halvings < 60) {
            step /= 2;
            ++halvings;
        }
        if (tau2 + step < 0) step = -tau2;
        tau2 += step;
        iterations = it + 1;
        if (std::abs(step) <= spec.tol * std::max(1.0, tau2)) {
            converged = true;
            break;
        }
    }
    return tau2;
}

}  // namespace

const char* to_string(Tau2Method method) noexcept
{
    switch (method) {
    case Tau2Method::fixed_effect: return "fe";
    case Tau2Method::dersimonian_laird: return "dl";
    case Tau2Method::reml: return "reml";
    case Tau2Method::paule_mandel: return "pm";
    }
    return "?";
}

MetaResult fit_meta(const Eigen::VectorXd& yi, const Eigen::VectorXd& vi, const MetaSpec& spec)
{
    constexpr const char* fn = "fit_meta";
    check_size(fn, "Sampling variances vi", static_cast<std::size_t>(vi.size()), static_cast<std::size_t>(yi.size()));
    check_finite(fn, "Effects yi", yi);
    for (Eigen::Index i = 0; i < vi.size(); ++i)
        check_positive(fn, "Sampling variance vi[" + std::to_string(i) + "]", vi[i]);
    check_open_interval(fn, "alpha", spec.alpha, 0.0, 1.0);
    check_positive(fn, "tol", spec.tol);
    if (yi.size() == 0) check_size(fn, "Effects yi (number of studies)", 0, 1);

    MetaResult r;
    r.method = spec.method;
    r.hartung_knapp = spec.hartung_knapp;
    const auto k = static_cast<std::size_t>(yi.size());
    const double kd = static_cast<double>(k);
    r.k = k;
    r.diag.n = k;
    r.q_df = kd - 1;

    // Fixed-effect quantities: Q and the typical within-study variance s^2.
    const AtTau2 fe = at_tau2(yi, vi, 0.0);
    double sum_w2 = 0;
    for (Eigen::Index i = 0; i < vi.size(); ++i) sum_w2 += 1.0 / (vi[i] * vi[i]);
    r.q = fe.q;
    const double s2_typical = k > 1 ? (kd - 1) * fe.sum_w / (fe.sum_w * fe.sum_w - sum_w2) : nan;
    r.q_p = k > 1 ? boost::math::cdf(boost::math::complement(boost::math::chi_squared(kd - 1), r.q)) : nan;

    bool converged = true;
    int iterations = 0;
    double tau2 = 0;
    if (k < 2) {
        r.diag.ok = false;
        r.diag.warnings.push_back("a single study: heterogeneity cannot be estimated; the estimate is that study's");
    } else {
        switch (spec.method) {
        case Tau2Method::fixed_effect: tau2 = 0; break;
        case Tau2Method::dersimonian_laird:
            tau2 = std::max(0.0, (r.q - (kd - 1)) / (fe.sum_w - sum_w2 / fe.sum_w));
            break;
        case Tau2Method::reml: {
            const double dl = std::max(0.0, (r.q - (kd - 1)) / (fe.sum_w - sum_w2 / fe.sum_w));
            tau2 = reml_tau2(yi, vi, dl, spec, iterations, converged);
            break;
        }
        case Tau2Method::paule_mandel:
            tau2 = q_root(yi, vi, kd - 1, spec.tol, spec.max_iterations, iterations, converged);
            break;
        }
    }
    if (!converged) {
        r.diag.warnings.push_back(std::string("tau^2 (") + to_string(spec.method) + ") did not converge in " +
                                  std::to_string(iterations) + " iterations");
    }
    r.diag.converged = converged;
    r.diag.iterations = iterations;
    r.tau2 = tau2;

    const AtTau2 re = at_tau2(yi, vi, tau2);
    r.estimate = re.mu;
    r.weights.resize(yi.size());
    for (Eigen::Index i = 0; i < yi.size(); ++i) r.weights[i] = 100.0 / (vi[i] + tau2) / re.sum_w;

    const bool hk = spec.hartung_knapp && k >= 2;
    double crit = 0;
    if (hk) {
        r.se = std::sqrt(re.q / ((kd - 1) * re.sum_w));
        r.df = kd - 1;
        const boost::math::students_t t(r.df);
        crit = boost::math::quantile(boost::math::complement(t, spec.alpha / 2));
        r.stat = r.estimate / r.se;
        r.p = 2 * boost::math::cdf(boost::math::complement(t, std::abs(r.stat)));
    } else {
        r.se = std::sqrt(1.0 / re.sum_w);
        r.df = std::numeric_limits<double>::infinity();
        const boost::math::normal z;
        crit = boost::math::quantile(boost::math::complement(z, spec.alpha / 2));
        r.stat = r.estimate / r.se;
        r.p = 2 * boost::math::cdf(boost::math::complement(z, std::abs(r.stat)));
    }
    if (hk && !(r.se > 0)) {
        r.diag.warnings.push_back("Hartung-Knapp standard error is zero: all effects equal the estimate");
    }
    r.ci_low = r.estimate - crit * r.se;
    r.ci_high = r.estimate + crit * r.se;
    const double pi_sd = std::sqrt(r.se * r.se + tau2);
    r.pi_low = r.estimate - crit * pi_sd;
    r.pi_high = r.estimate + crit * pi_sd;

    if (k >= 2) {
        if (spec.method == Tau2Method::fixed_effect) {
            r.i2 = r.q > 0 ? std::max(0.0, 100 * (r.q - (kd - 1)) / r.q) : 0.0;
            r.h2 = r.q / (kd - 1);
            r.tau2_ci_low = nan;
            r.tau2_ci_high = nan;
        } else {
            r.i2 = 100 * tau2 / (tau2 + s2_typical);
            r.h2 = (tau2 + s2_typical) / s2_typical;
            // Q-profile: the generalised Q decreases in tau^2; the interval is
            // where it lies between the chi-square(k-1) quantiles.
            const boost::math::chi_squared chi(kd - 1);
            const double q_hi = boost::math::quantile(boost::math::complement(chi, spec.alpha / 2));
            const double q_lo = boost::math::quantile(chi, spec.alpha / 2);
            int ci_iterations = 0;
            bool ci_converged = true;
            r.tau2_ci_low = q_root(yi, vi, q_hi, spec.tol, spec.max_iterations, ci_iterations, ci_converged);
            r.tau2_ci_high = q_root(yi, vi, q_lo, spec.tol, spec.max_iterations, ci_iterations, ci_converged);
            if (!ci_converged) r.diag.warnings.push_back("the Q-profile interval for tau^2 did not converge");
        }
    } else {
        r.i2 = r.h2 = r.tau2_ci_low = r.tau2_ci_high = nan;
    }

    r.diag.df_resid = kd - 1;
    r.est.names = {"estimate"};
    r.est.params = Eigen::VectorXd::Constant(1, r.estimate);
    r.est.se = Eigen::VectorXd::Constant(1, r.se);
    r.est.ci_low = Eigen::VectorXd::Constant(1, r.ci_low);
    r.est.ci_high = Eigen::VectorXd::Constant(1, r.ci_high);
    r.est.stat = Eigen::VectorXd::Constant(1, r.stat);
    r.est.p = Eigen::VectorXd::Constant(1, r.p);
    r.est.cov = Eigen::MatrixXd::Constant(1, 1, r.se * r.se);
    r.est.alpha = spec.alpha;
    return r;
}

}  // namespace taeval::models
