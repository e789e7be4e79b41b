// Fitting the structural models (the concentrated likelihood and its
// maximisation), the smoother and the forecasts; the filter itself is in
// structural_filter.cpp.
#include "models/structural.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <Eigen/Cholesky>
#include <boost/math/distributions/normal.hpp>

#include "models/bounded_minimizer.hpp"
#include "models/check.hpp"
#include "models/error.hpp"
#include "models/structural_filter.hpp"

namespace taeval::models {

namespace {

using structural_detail::Gls;
using structural_detail::Layout;
using structural_detail::log_2pi;
using structural_detail::loglik_from;
using structural_detail::make_layout;
using structural_detail::make_system;
using structural_detail::pass;
using structural_detail::solve_gls;
using structural_detail::Store;
using structural_detail::Sums;
using structural_detail::System;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double log_ratio_low = -20;
constexpr double log_ratio_high = 20;

/// Which variances are estimated, in the order of the parameter vector.
struct FreeSet {
    bool slope = false, seasonal = false;
    [[nodiscard]] Eigen::Index size() const { return 1 + (slope ? 1 : 0) + (seasonal ? 1 : 0); }
    [[nodiscard]] StateSpaceVariances ratios(const Eigen::VectorXd& log_ratio, const Layout& l) const
    {
        StateSpaceVariances v;
        v.epsilon = 1;
        Eigen::Index i = 0;
        v.level = std::exp(log_ratio[i++]);
        if (l.slope >= 0) v.slope = slope ? std::exp(log_ratio[i++]) : 0.0;
        if (l.season >= 0) v.seasonal = seasonal ? std::exp(log_ratio[i++]) : 0.0;
        return v;
    }
};

void fill_nan(StructuralResult& r, Eigen::Index n, const Layout& l)
{
    for (auto* v : {&r.level_smoothed, &r.level_smoothed_var, &r.level_filtered, &r.level_filtered_var,
                    &r.innovation, &r.innovation_var, &r.std_resid})
        *v = Eigen::VectorXd::Constant(n, nan);
    if (l.slope >= 0) r.slope_smoothed = r.slope_smoothed_var = Eigen::VectorXd::Constant(n, nan);
    if (l.season >= 0) r.seasonal_smoothed = r.seasonal_smoothed_var = Eigen::VectorXd::Constant(n, nan);
}

void set_estimates(StructuralResult& r, const Layout& l, const Gls* g)
{
    std::vector<std::string> names = {"sigma2_epsilon", "sigma2_level"};
    std::vector<double> values = {r.sigma2.epsilon, r.sigma2.level};
    if (l.slope >= 0) {
        names.emplace_back("sigma2_slope");
        values.push_back(r.sigma2.slope);
    }
    if (l.season >= 0) {
        names.emplace_back("sigma2_seasonal");
        values.push_back(r.sigma2.seasonal);
    }
    const auto nv = static_cast<Eigen::Index>(names.size());
    for (Eigen::Index j = 0; j < l.k; ++j) {
        const auto ju = static_cast<std::size_t>(j);
        names.push_back(ju < r.spec.regressor_names.size() ? r.spec.regressor_names[ju] : "x" + std::to_string(j + 1));
    }
    const auto np = static_cast<Eigen::Index>(names.size());
    r.est.names = names;
    r.est.alpha = r.spec.alpha;
    r.est.params = Eigen::VectorXd::Constant(np, nan);
    r.est.se = r.est.ci_low = r.est.ci_high = r.est.stat = r.est.p = Eigen::VectorXd::Constant(np, nan);
    r.est.cov = Eigen::MatrixXd::Constant(np, np, nan);
    for (Eigen::Index i = 0; i < nv; ++i) r.est.params[i] = values[static_cast<std::size_t>(i)];
    if (g == nullptr || l.k == 0) return;
    const boost::math::normal z;
    const double crit = boost::math::quantile(boost::math::complement(z, r.spec.alpha / 2));
    const Eigen::MatrixXd cov = g->s_inv.bottomRightCorner(l.k, l.k);
    r.est.cov.bottomRightCorner(l.k, l.k) = cov;
    for (Eigen::Index j = 0; j < l.k; ++j) {
        const Eigen::Index i = nv + j;
        const double b = g->delta[l.m + j], se = std::sqrt(cov(j, j));
        r.est.params[i] = b;
        r.est.se[i] = se;
        r.est.ci_low[i] = b - crit * se;
        r.est.ci_high[i] = b + crit * se;
        r.est.stat[i] = b / se;
        r.est.p[i] = 2 * boost::math::cdf(boost::math::complement(z, std::abs(b / se)));
    }
}

/// Filter, GLS and smoother at the final variances.
void finish(StructuralResult& r, const Layout& l, const Eigen::VectorXd& y, const Eigen::MatrixXd& x)
{
    const Eigen::Index n = y.size();
    fill_nan(r, n, l);
    const System sys = make_system(l, r.sigma2);
    Sums sums;
    Store store;
    store.a0.push_back(Eigen::VectorXd::Zero(l.m));
    Eigen::MatrixXd a_init = Eigen::MatrixXd::Zero(l.m, l.q);
    a_init.leftCols(l.m).setIdentity();
    store.A.push_back(a_init);
    store.P.push_back(Eigen::MatrixXd::Zero(l.m, l.m));
    pass(sys, l, y, x, sums, &store, &r, &r.end);
    const Gls g = solve_gls(sums, true);
    if (!g.ok) {
        r.diag.ok = false;
        r.diag.warnings.push_back("the data do not identify the initial state and regression coefficients");
        r.loglik = r.diag.loglik = nan;
        set_estimates(r, l, nullptr);
        return;
    }
    r.loglik = r.diag.loglik = loglik_from(sums, g);
    r.end.delta = g.delta;
    r.end.delta_cov = g.s_inv;

    // de Jong's smoother: alpha_hat_t(delta) = b_t + B_t delta, linear in
    // the diffuse vector, then averaged over delta ~ N(delta_hat, S^-1).
    Eigen::VectorXd rv = Eigen::VectorXd::Zero(l.m);
    Eigen::MatrixXd R = Eigen::MatrixXd::Zero(l.m, l.q), N = Eigen::MatrixXd::Zero(l.m, l.m);
    Eigen::MatrixXd L(l.m, l.m);
    const Eigen::VectorXd zt = sys.Z.transpose();
    for (Eigen::Index t = n - 1; t >= 0; --t) {
        const auto tu = static_cast<std::size_t>(t);
        if (store.observed[tu] != 0) {
            const double inv_f = 1 / store.f[tu];
            L = sys.T - store.k[tu] * sys.Z;
            rv = (zt * (store.v0[tu] * inv_f) + L.transpose() * rv).eval();
            R = (zt * store.w[tu] * inv_f + L.transpose() * R).eval();
            N = (zt * zt.transpose() * inv_f + L.transpose() * N * L).eval();
        } else {
            rv = (sys.T.transpose() * rv).eval();
            R = (sys.T.transpose() * R).eval();
            N = (sys.T.transpose() * N * sys.T).eval();
        }
        const Eigen::MatrixXd& P = store.P[tu];
        const Eigen::VectorXd b = store.a0[tu] + P * rv;
        const Eigen::MatrixXd B = store.A[tu] - P * R;
        const Eigen::MatrixXd V = P - P * N * P;
        auto component = [&](Eigen::Index i, Eigen::VectorXd& mean, Eigen::VectorXd& var) {
            mean[t] = b[i] + B.row(i).dot(g.delta);
            var[t] = V(i, i) + B.row(i) * g.s_inv * B.row(i).transpose();
        };
        component(0, r.level_smoothed, r.level_smoothed_var);
        if (l.slope >= 0) component(l.slope, r.slope_smoothed, r.slope_smoothed_var);
        if (l.season >= 0) component(l.season, r.seasonal_smoothed, r.seasonal_smoothed_var);
    }
    set_estimates(r, l, &g);
}

void check_x_future(const StructuralResult& fit, std::size_t h, const Eigen::MatrixXd& x_future, const char* fn)
{
    if (fit.n_regressors == 0) return;
    check_size(fn, "rows of x_future", static_cast<std::size_t>(x_future.rows()), h);
    check_size(fn, "columns of x_future", static_cast<std::size_t>(x_future.cols()),
               static_cast<std::size_t>(fit.n_regressors));
    for (Eigen::Index j = 0; j < x_future.cols(); ++j) check_finite(fn, "x_future column", x_future.col(j));
}

}  // namespace

StructuralResult fit_structural(const Eigen::VectorXd& y, const Eigen::MatrixXd& x, const StructuralSpec& spec)
{
    constexpr const char* fn = "fit_structural";
    for (Eigen::Index t = 0; t < y.size(); ++t)
        if (std::isinf(y[t]))
            throw Error(ErrorCode::bad_input, std::string(fn) + ": Series y must be finite or NaN (missing); element " +
                                                  std::to_string(t) + " is infinite");
    const Eigen::Index k = x.cols();
    if (k > 0) {
        check_size(fn, "rows of x", static_cast<std::size_t>(x.rows()), static_cast<std::size_t>(y.size()));
        for (Eigen::Index j = 0; j < k; ++j) check_finite(fn, "Regressor column " + std::to_string(j + 1), x.col(j));
    }
    if (spec.season_period == 1 || spec.season_period < 0)
        throw Error(ErrorCode::bad_input, std::string(fn) + ": season_period must be 0 (none) or at least 2, got " +
                                              std::to_string(spec.season_period));
    check_open_interval(fn, "alpha", spec.alpha, 0.0, 1.0);

    StructuralResult r;
    r.spec = spec;
    r.n_regressors = k;
    const Layout l = make_layout(spec, k);
    const Eigen::Index n = y.size();
    if (spec.fixed) {
        if (!spec.fixed_are_ratios) check_positive(fn, "fixed sigma2_epsilon", spec.fixed->epsilon);
        auto check_var = [&](const char* name, double v, bool present) {
            if (!present) return;
            check_finite(fn, name, v);
            if (v < 0) check_positive(fn, name, v);
        };
        check_var("fixed sigma2_level", spec.fixed->level, true);
        check_var("fixed sigma2_slope", spec.fixed->slope, l.slope >= 0);
        check_var("fixed sigma2_seasonal", spec.fixed->seasonal, l.season >= 0);
    }

    std::size_t n_obs = 0;
    for (Eigen::Index t = 0; t < n; ++t) if (!std::isnan(y[t])) ++n_obs;
    r.diag.n = n_obs;
    r.diag.n_missing = static_cast<std::size_t>(n) - n_obs;
    r.diag.rank = static_cast<std::size_t>(l.q);
    FreeSet free;
    free.slope = l.slope >= 0 && spec.stochastic_slope;
    free.seasonal = l.season >= 0 && spec.stochastic_seasonal;
    const Eigen::Index n_free = spec.fixed ? 0 : free.size();
    r.diag.df_resid = static_cast<double>(n_obs) - static_cast<double>(l.q + n_free);

    auto degenerate = [&](const std::string& why) {
        fill_nan(r, n, l);
        r.sigma2.epsilon = r.sigma2.level = nan;
        if (l.slope >= 0) r.sigma2.slope = nan;
        if (l.season >= 0) r.sigma2.seasonal = nan;
        r.loglik = r.diag.loglik = nan;
        r.diag.ok = false;
        r.diag.converged = false;
        r.diag.warnings.push_back(why);
        set_estimates(r, l, nullptr);
        return r;
    };
    if (n_obs == 0) return degenerate("no observations: the series is all missing");
    if (static_cast<Eigen::Index>(n_obs) <= l.q + n_free)
        return degenerate("too few observations (" + std::to_string(n_obs) + ") for " + std::to_string(l.q) +
                          " diffuse elements and " + std::to_string(n_free) + " variances");

    if (spec.fixed && spec.fixed_are_ratios) {
        StateSpaceVariances ratios = *spec.fixed;
        ratios.epsilon = 1;
        const System sys = make_system(l, ratios);
        Sums sums;
        pass(sys, l, y, x, sums, nullptr, nullptr, nullptr);
        const Gls g = solve_gls(sums, false);
        if (!g.ok) return degenerate("the data do not identify the initial state and regression coefficients");
        if (!(g.rss > 1e-20 * sums.R.col(l.q).squaredNorm()))
            return degenerate("the series is fitted exactly by its initial state and regressors");
        const double sigma2 = g.rss / (static_cast<double>(sums.n_obs) - static_cast<double>(l.q));
        r.sigma2.epsilon = sigma2;
        r.sigma2.level = ratios.level * sigma2;
        r.sigma2.slope = l.slope >= 0 ? ratios.slope * sigma2 : nan;
        r.sigma2.seasonal = l.season >= 0 ? ratios.seasonal * sigma2 : nan;
    } else if (spec.fixed) {
        r.sigma2 = *spec.fixed;
        if (l.slope < 0) r.sigma2.slope = nan;
        if (l.season < 0) r.sigma2.seasonal = nan;
    } else {
        const Eigen::Index d = n_free;
        auto concentrated = [&](const Eigen::VectorXd& lr, double& sigma2) {
            const System sys = make_system(l, free.ratios(lr, l));
            Sums sums;
            pass(sys, l, y, x, sums, nullptr, nullptr, nullptr);
            const Gls g = solve_gls(sums, false);
            if (!g.ok) return nan;
            const double m_eff = static_cast<double>(sums.n_obs) - static_cast<double>(l.q);
            const double rss = g.rss;
            // Zero up to rounding: the diffuse part fits the data exactly.
            if (!(rss > 1e-20 * sums.R.col(l.q).squaredNorm())) return nan;
            sigma2 = rss / m_eff;
            return -0.5 * static_cast<double>(sums.n_obs) * log_2pi - 0.5 * m_eff * (std::log(sigma2) + 1) -
                   0.5 * sums.sum_log_f - 0.5 * g.log_det;
        };
        // Starting point: the best of a coarse grid.
        const double grid[] = {-6.0, -3.0, 0.0, 3.0};
        Eigen::VectorXd start = Eigen::VectorXd::Zero(d), point(d);
        double best = -std::numeric_limits<double>::infinity();
        Eigen::Index combos = 1;
        for (Eigen::Index i = 0; i < d; ++i) combos *= 4;
        for (Eigen::Index c = 0; c < combos; ++c) {
            Eigen::Index code = c;
            for (Eigen::Index i = 0; i < d; ++i) {
                point[i] = grid[code % 4];
                code /= 4;
            }
            double s2 = 0;
            const double v = concentrated(point, s2);
            if (std::isfinite(v) && v > best) {
                best = v;
                start = point;
            }
        }
        if (!std::isfinite(best))
            return degenerate("the series is fitted exactly by its initial state and regressors (for example "
                              "constant): the variances are not identified");
        auto objective = [&](const Eigen::VectorXd& lr, Eigen::VectorXd& grad) {
            double s2 = 0;
            const double f0 = concentrated(lr, s2);
            if (!std::isfinite(f0)) return f0;
            // Central differences: the parameter vector has at most 3 entries.
            const double step = 1e-5;
            Eigen::VectorXd e = lr;
            for (Eigen::Index i = 0; i < lr.size(); ++i) {
                e[i] = lr[i] + step;
                const double fp = concentrated(e, s2);
                e[i] = lr[i] - step;
                const double fm = concentrated(e, s2);
                e[i] = lr[i];
                grad[i] = -(fp - fm) / (2 * step);
            }
            return -f0;
        };
        MinimizeOptions options;
        options.max_iterations = spec.max_iterations;
        options.grad_tol = 1e-6;
        options.stall_tol = 1e-3;
        const MinimizeResult m = minimize_bounded(objective, start, Eigen::VectorXd::Constant(d, log_ratio_low),
                                                  Eigen::VectorXd::Constant(d, log_ratio_high), options);
        double sigma2 = 0;
        concentrated(m.x, sigma2);
        const StateSpaceVariances ratios = free.ratios(m.x, l);
        r.sigma2.epsilon = sigma2;
        r.sigma2.level = ratios.level * sigma2;
        r.sigma2.slope = l.slope >= 0 ? ratios.slope * sigma2 : nan;
        r.sigma2.seasonal = l.season >= 0 ? ratios.seasonal * sigma2 : nan;
        r.diag.converged = m.converged;
        r.diag.iterations = m.iterations;
        if (!m.converged) r.diag.warnings.push_back(m.message);
        for (Eigen::Index i = 0; i < d; ++i) {
            if (m.x[i] <= log_ratio_low + 1e-6)
                r.diag.warnings.push_back("a disturbance variance is at its lower bound (estimated as about zero)");
            if (m.x[i] >= log_ratio_high - 1e-6)
                r.diag.warnings.push_back("sigma2_epsilon is at its lower bound (estimated as about zero)");
        }
    }
    finish(r, l, y, x);
    r.diag.resid_sd = std::sqrt(r.sigma2.epsilon);
    return r;
}

StateSpaceForecast forecast(const StructuralResult& fit, std::size_t h, const Eigen::MatrixXd& x_future)
{
    check_x_future(fit, h, x_future, "forecast");
    StateSpaceForecast f;
    const auto steps = static_cast<Eigen::Index>(h);
    f.level_mean = f.level_var = f.obs_mean = f.obs_var = Eigen::VectorXd::Constant(steps, nan);
    if (!fit.diag.ok || fit.end.delta.size() == 0) return f;
    const Layout l = make_layout(fit.spec, fit.n_regressors);
    const System sys = make_system(l, fit.sigma2);
    Eigen::VectorXd a0 = fit.end.a0, scratch_v;
    Eigen::MatrixXd A = fit.end.A, P = fit.end.P, scratch_a, scratch_p;
    const Eigen::VectorXd& d = fit.end.delta;
    const Eigen::MatrixXd& dc = fit.end.delta_cov;
    Eigen::RowVectorXd w(l.q);
    for (Eigen::Index i = 0; i < steps; ++i) {
        w.noalias() = sys.Z * A;
        if (l.k > 0) w.tail(l.k) += x_future.row(i);
        f.level_mean[i] = a0[0] + A.row(0).dot(d);
        f.level_var[i] = P(0, 0) + A.row(0) * dc * A.row(0).transpose();
        f.obs_mean[i] = sys.Z.dot(a0) + w.dot(d);
        f.obs_var[i] = sys.Z.dot(P * sys.Z.transpose()) + sys.h + w * dc * w.transpose();
        transition(l, a0, scratch_v);
        transition(l, A, scratch_a);
        propagate(l, sys.qdiag, P, scratch_p);
    }
    return f;
}

Eigen::MatrixXd forecast_error_covariance(const StructuralResult& fit, std::size_t h, const Eigen::MatrixXd& x_future)
{
    check_x_future(fit, h, x_future, "forecast_error_covariance");
    const auto steps = static_cast<Eigen::Index>(h);
    Eigen::MatrixXd cov = Eigen::MatrixXd::Constant(steps, steps, nan);
    if (!fit.diag.ok || fit.end.delta.size() == 0) return cov;
    const Layout l = make_layout(fit.spec, fit.n_regressors);
    const System sys = make_system(l, fit.sigma2);
    Eigen::MatrixXd A = fit.end.A, P = fit.end.P, scratch_a, scratch_p;
    // Cov(e_i, e_j) = Z T^{j-i} P_i Z' for j > i: the rows Z T^d once, then
    // one product per step (O(h^2 m) in all, no temporaries).
    Eigen::MatrixXd zt(steps, l.m);
    if (steps > 0) zt.row(0) = sys.Z;
    for (Eigen::Index d = 1; d < steps; ++d) zt.row(d).noalias() = zt.row(d - 1) * sys.T;
    Eigen::MatrixXd W(steps, l.q);
    Eigen::VectorXd g(l.m);
    for (Eigen::Index i = 0; i < steps; ++i) {
        W.row(i).noalias() = sys.Z * A;
        if (l.k > 0) W.row(i).tail(l.k) += x_future.row(i);
        g.noalias() = P * sys.Z.transpose();
        cov(i, i) = sys.Z.dot(g) + sys.h;
        const Eigen::Index later = steps - i - 1;
        if (later > 0) {
            cov.col(i).tail(later).noalias() = zt.middleRows(1, later) * g;
            cov.row(i).tail(later) = cov.col(i).tail(later).transpose();
        }
        transition(l, A, scratch_a);
        propagate(l, sys.qdiag, P, scratch_p);
    }
    // Errors of the estimated initial state and coefficients, shared by all steps.
    // In place: an h x h temporary (zeroed, freed) per call was a tenth of a
    // large evaluate in the allocator and page faults.
    cov.noalias() += (W * fit.end.delta_cov) * W.transpose();
    return cov;
}

}  // namespace taeval::models
