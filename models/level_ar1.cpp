#include "models/level_ar1.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include <Eigen/LU>
#include <boost/math/tools/minima.hpp>

#include "models/error.hpp"

namespace taeval::models {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// One pass at phi: whitened rows (the first with the stationary variance,
// each later one y_t - phi^g y_s against x_t - phi^g x_s with variance
// (1 - phi^2g) / (1 - phi^2), in units of sigma2), each predicted from the
// rows before it once they identify the coefficients.
struct Pass {
    Eigen::VectorXd v, f;  // innovation and its variance / sigma2
    double ss = 0, sum_log_f = 0;
    std::size_t m = 0;
    Eigen::Matrix2d S = Eigen::Matrix2d::Zero();
    Eigen::Vector2d b = Eigen::Vector2d::Zero();
    double profile = -std::numeric_limits<double>::infinity();
};

Eigen::Vector2d regressors(Eigen::Index t, double centre, bool trend)
{
    return {1.0, trend ? static_cast<double>(t) - centre : 0.0};
}

// The normal equations with the unused slope pinned, so that one 2 x 2
// solve serves both models.
Eigen::Matrix2d usable(const Eigen::Matrix2d& S, bool trend)
{
    if (trend) return S;
    Eigen::Matrix2d s = Eigen::Matrix2d::Identity();
    s(0, 0) = S(0, 0);
    return s;
}

Pass run(const Eigen::VectorXd& y, bool trend, double phi)
{
    const Eigen::Index n = y.size();
    const int k = trend ? 2 : 1;
    const double centre = static_cast<double>(n) / 2;
    const double stationary = 1 / (1 - phi * phi);
    Pass r;
    r.v = Eigen::VectorXd::Constant(n, nan);
    r.f = Eigen::VectorXd::Constant(n, nan);
    // The normal equations in scalars: S = [sa sb; sb sc], b = (ba, bb).
    double sa = 0, sb = 0, sc = 0, ba = 0, bb = 0, scale = 0;
    Eigen::Index s = -1;
    int rows = 0;
    for (Eigen::Index t = 0; t < n; ++t) {
        if (std::isnan(y[t])) continue;
        scale = std::max(scale, std::abs(y[t]));
        double x0 = 1, x1 = trend ? static_cast<double>(t) - centre : 0.0, ys = y[t], w = stationary;
        if (s >= 0) {
            const Eigen::Index g = t - s;
            const double pg = g == 1 ? phi : std::pow(phi, static_cast<double>(g));
            ys -= pg * y[s];
            x0 -= pg;
            if (trend) x1 -= pg * (static_cast<double>(s) - centre);
            w = (1 - pg * pg) * stationary;
        }
        if (rows >= k) {
            double v = 0, f = 0;
            if (trend) {
                const double det = sa * sc - sb * sb;
                const double i00 = sc / det, i01 = -sb / det, i11 = sa / det;
                v = ys - (x0 * (i00 * ba + i01 * bb) + x1 * (i01 * ba + i11 * bb));
                f = w + x0 * x0 * i00 + 2 * x0 * x1 * i01 + x1 * x1 * i11;
            } else {
                v = ys - x0 * ba / sa;
                f = w + x0 * x0 / sa;
            }
            r.v[t] = v;
            r.f[t] = f;
            r.ss += v * v / f;
            r.sum_log_f += std::log(f);
            ++r.m;
        }
        sa += x0 * x0 / w;
        sb += x0 * x1 / w;
        sc += x1 * x1 / w;
        ba += x0 * ys / w;
        bb += x1 * ys / w;
        ++rows;
        s = t;
    }
    r.S << sa, sb, sb, sc;
    r.b << ba, bb;
    // A series without variation (beyond rounding) has nothing to fit.
    if (r.m >= 2 && r.ss > 1e-24 * scale * scale * static_cast<double>(r.m)) {
        const double m = static_cast<double>(r.m);
        r.profile = -0.5 * (m * std::log(r.ss / m) + r.sum_log_f);
    }
    return r;
}

}  // namespace

LevelAr1Result fit_level_ar1(const Eigen::VectorXd& y, bool trend, std::optional<double> fixed_phi)
{
    for (Eigen::Index t = 0; t < y.size(); ++t)
        if (std::isinf(y[t])) throw Error(ErrorCode::bad_input, "fit_level_ar1: y holds an infinity");
    if (fixed_phi && !(*fixed_phi > -1 && *fixed_phi < 1))
        throw Error(ErrorCode::bad_input, "fit_level_ar1: phi must be in (-1, 1)");
    LevelAr1Result r;
    r.trend = trend;
    const double phi = fixed_phi ? *fixed_phi
                                 : boost::math::tools::brent_find_minima(
                                       [&](double p) { return -run(y, trend, p).profile; }, -0.9, 0.97, 20)
                                       .first;
    const Pass p = run(y, trend, phi);
    r.innovation = Eigen::VectorXd::Constant(y.size(), nan);
    r.innovation_var = Eigen::VectorXd::Constant(y.size(), nan);
    if (!std::isfinite(p.profile)) return r;
    const double m = static_cast<double>(p.m);
    r.phi = phi;
    r.sigma2 = p.ss / m;
    r.n_densities = p.m;
    r.innovation = p.v;
    r.innovation_var = r.sigma2 * p.f;
    r.loglik = -0.5 * (m * std::log(2 * std::numbers::pi * r.sigma2) + p.sum_log_f + m);
    const Eigen::Matrix2d inv = usable(p.S, trend).inverse();
    r.beta = inv * p.b;
    r.beta_cov = r.sigma2 * inv;
    if (!trend) r.beta_cov(1, 1) = 0;
    for (Eigen::Index t = y.size() - 1; t >= 0; --t)
        if (!std::isnan(y[t])) {
            r.last = t;
            r.y_last = y[t];
            break;
        }
    r.ok = true;
    return r;
}

GaussianPrediction forecast(const LevelAr1Result& fit, std::size_t h)
{
    if (!fit.ok) return {};
    const Eigen::Index n = fit.innovation.size();
    const double centre = static_cast<double>(n) / 2;
    const double ph = std::pow(fit.phi, static_cast<double>(h));
    const auto at = [&](Eigen::Index t) { return regressors(t, centre, fit.trend); };
    const Eigen::Vector2d d = at(fit.last + static_cast<Eigen::Index>(h)) - ph * at(fit.last);
    return {d.dot(fit.beta) + ph * fit.y_last,
            fit.sigma2 * (1 - ph * ph) / (1 - fit.phi * fit.phi) + d.dot(fit.beta_cov * d)};
}

}  // namespace taeval::models
