#include "models/ar1_regression.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <utility>

#include <Eigen/Cholesky>
#include <Eigen/QR>
#include <boost/math/tools/minima.hpp>

#include "models/check.hpp"
#include "models/error.hpp"
#include "models/ols.hpp"

namespace taeval::models {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// The observed rows: y and every column of x finite.
struct Observed {
    Eigen::MatrixXd x;
    Eigen::VectorXd y;
    std::vector<std::size_t> pos;
    Eigen::VectorXd norms;  // column norms of x, fixed scaling for the rank decision
    std::size_t missing = 0;
};

Observed observed_rows(const Eigen::VectorXd& y, const Eigen::MatrixXd& x)
{
    Observed o;
    const Eigen::Index n = y.size();
    for (Eigen::Index i = 0; i < n; ++i) {
        const bool ok = !std::isnan(y[i]) && !x.row(i).hasNaN();
        if (ok) o.pos.push_back(static_cast<std::size_t>(i));
    }
    o.missing = static_cast<std::size_t>(n) - o.pos.size();
    const auto m = static_cast<Eigen::Index>(o.pos.size());
    o.x.resize(m, x.cols());
    o.y.resize(m);
    for (Eigen::Index i = 0; i < m; ++i) {
        const auto src = static_cast<Eigen::Index>(o.pos[static_cast<std::size_t>(i)]);
        o.x.row(i) = x.row(src);
        o.y[i] = y[src];
    }
    o.norms = o.x.colwise().norm().transpose();
    for (Eigen::Index j = 0; j < o.norms.size(); ++j)
        if (!(o.norms[j] > 0)) o.norms[j] = 1;
    return o;
}

// Gap-aware Prais-Winsten transform; returns sum log s_i = -1/2 log|V| with
// Cov(u) = sigma2 V (sigma2 the innovation variance).
double whiten(double phi, const Observed& o, Eigen::MatrixXd& xs, Eigen::VectorXd& ys)
{
    const Eigen::Index m = o.y.size();
    xs.resize(m, o.x.cols());
    ys.resize(m);
    if (m == 0) return 0;
    const double one_minus = 1 - phi * phi;
    const double s0 = std::sqrt(one_minus);
    xs.row(0) = s0 * o.x.row(0);
    ys[0] = s0 * o.y[0];
    double log_s = std::log(s0);
    for (Eigen::Index i = 1; i < m; ++i) {
        const auto k = o.pos[static_cast<std::size_t>(i)] - o.pos[static_cast<std::size_t>(i - 1)];
        const double a = k == 1 ? phi : std::pow(phi, static_cast<double>(k));
        const double s = k == 1 ? 1.0 : std::sqrt(one_minus / (1 - a * a));
        xs.row(i) = s * (o.x.row(i) - a * o.x.row(i - 1));
        ys[i] = s * (o.y[i] - a * o.y[i - 1]);
        log_s += std::log(s);
    }
    return log_s;
}

// Profile log-likelihood at phi: ML or REML (nlme's form), b and sigma2
// concentrated out. NaN when no residual degrees of freedom are left.
double profile(double phi, const Observed& o, Ar1Method method)
{
    Eigen::MatrixXd xs;
    Eigen::VectorXd ys;
    const double log_s = whiten(phi, o, xs, ys);
    for (Eigen::Index j = 0; j < xs.cols(); ++j) xs.col(j) /= o.norms[j];
    const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(xs);
    const Eigen::Index r = qr.rank();
    const auto m = static_cast<double>(o.y.size());
    const double df = method == Ar1Method::reml ? m - static_cast<double>(r) : m;
    if (!(df > 0)) return nan;
    // Residuals of the least-squares fit on the first r pivoted columns.
    Eigen::VectorXd qty = qr.householderQ().transpose() * ys;
    const double ssr = qty.tail(qty.size() - r).squaredNorm();
    if (!(ssr > 0)) return nan;
    const double sigma2 = ssr / df;
    double ll = -df / 2 * (std::log(2 * std::numbers::pi * sigma2) + 1) + log_s;
    if (method == Ar1Method::reml) {
        // -1/2 log|X' V^-1 X| on the original column scale.
        const auto& perm = qr.colsPermutation().indices();
        double logdet = 0;
        for (Eigen::Index i = 0; i < r; ++i)
            logdet += 2 * (std::log(std::abs(qr.matrixR()(i, i))) + std::log(o.norms[perm[i]]));
        ll -= logdet / 2;
    }
    return ll;
}

// The whitened cross-products [X y]'[X y] as a function of phi, for the
// search of phi: c(phi) = sum_t w_t(phi) M_t over a few fixed symmetric
// matrices. Rows one period after the previous observed one give
// c0 - phi c1 + phi^2 c2 with fixed sums; the first row gives (1 - phi^2)
// z0 z0'; the rows after a gap of L periods give, per L,
// s2_L (S0_L - a S1_L + a^2 S2_L) with a = phi^L and s2_L = (1 - phi^2) /
// (1 - a^2). O(k^2) per term and phi plus a k x k Cholesky, where profile()
// whitens and factors the whole design.
struct GramProfile {
    Eigen::Index m = 0, k = 0;
    Eigen::MatrixXd c0, c1, c2, first;  // (k + 1) x (k + 1)
    struct Gap {
        double length;
        double count;  // rows after a gap of this length
        Eigen::MatrixXd s0, s1, s2;
    };
    std::vector<Gap> gaps;  // by gap length, ascending
};

GramProfile make_gram(const Observed& o)
{
    GramProfile g;
    const Eigen::Index m = o.y.size(), k = o.x.cols();
    g.m = m;
    g.k = k;
    Eigen::MatrixXd z(m, k + 1);
    z.leftCols(k) = o.x * o.norms.cwiseInverse().asDiagonal();
    z.col(k) = o.y;
    std::vector<Eigen::Index> now, before;
    std::vector<std::pair<std::size_t, Eigen::Index>> gap_rows;  // (length, row)
    for (Eigen::Index i = 1; i < m; ++i) {
        const auto len = o.pos[static_cast<std::size_t>(i)] - o.pos[static_cast<std::size_t>(i - 1)];
        if (len == 1) {
            now.push_back(i);
            before.push_back(i - 1);
        } else {
            gap_rows.emplace_back(len, i);
        }
    }
    const Eigen::MatrixXd a = z(now, Eigen::all), b = z(before, Eigen::all);
    g.c0 = a.transpose() * a;
    g.c2 = b.transpose() * b;
    const Eigen::MatrixXd ab = a.transpose() * b;
    g.c1 = ab + ab.transpose();
    if (m > 0) g.first = z.row(0).transpose() * z.row(0);
    std::sort(gap_rows.begin(), gap_rows.end());
    for (std::size_t i = 0; i < gap_rows.size();) {
        std::size_t j = i;
        std::vector<Eigen::Index> at, prev;
        for (; j < gap_rows.size() && gap_rows[j].first == gap_rows[i].first; ++j) {
            at.push_back(gap_rows[j].second);
            prev.push_back(gap_rows[j].second - 1);
        }
        const Eigen::MatrixXd za = z(at, Eigen::all), zb = z(prev, Eigen::all);
        GramProfile::Gap gap;
        gap.length = static_cast<double>(gap_rows[i].first);
        gap.count = static_cast<double>(at.size());
        gap.s0 = za.transpose() * za;
        gap.s2 = zb.transpose() * zb;
        const Eigen::MatrixXd x = za.transpose() * zb;
        gap.s1 = x + x.transpose();
        g.gaps.push_back(std::move(gap));
        i = j;
    }
    return g;
}

// profile() from the cross-products. NaN where they cannot be trusted (the
// design is nearly rank deficient, or the residual sum of squares is a small
// difference of large numbers): the caller then uses profile(). `c` is
// scratch of (k + 1) x (k + 1).
double profile_gram(double phi, const GramProfile& g, const Observed& o, Ar1Method method, Eigen::MatrixXd& c)
{
    const Eigen::Index m = g.m, k = g.k;
    if (m == 0 || k == 0) return nan;
    const double one_minus = 1 - phi * phi;
    c = g.c0 - phi * g.c1 + (phi * phi) * g.c2 + one_minus * g.first;
    double log_s = 0.5 * std::log(one_minus);
    for (const auto& gap : g.gaps) {
        const double a = std::pow(phi, gap.length);
        const double s2 = one_minus / (1 - a * a);
        c += s2 * (gap.s0 - a * gap.s1 + (a * a) * gap.s2);
        // One log per row after a gap of this length.
        log_s += 0.5 * std::log(s2) * gap.count;
    }
    Eigen::Ref<Eigen::MatrixXd> top = c.topLeftCorner(k, k);
    const Eigen::LLT<Eigen::Ref<Eigen::MatrixXd>> llt(top);
    if (llt.info() != Eigen::Success) return nan;
    const Eigen::VectorXd d = llt.matrixLLT().diagonal();
    // Columns are scaled to unit norm: a tiny pivot means near rank
    // deficiency, where the rank decision belongs to the QR.
    if (!(d.minCoeff() > 1e-6 * d.maxCoeff())) return nan;
    const Eigen::VectorXd u = llt.matrixL().solve(c.col(k).head(k));
    const double ssr = c(k, k) - u.squaredNorm();
    if (!(ssr > 1e-8 * c(k, k))) return nan;
    const double df = method == Ar1Method::reml ? static_cast<double>(m - k) : static_cast<double>(m);
    if (!(df > 0)) return nan;
    double ll = -df / 2 * (std::log(2 * std::numbers::pi * ssr / df) + 1) + log_s;
    if (method == Ar1Method::reml) ll -= d.array().log().sum() + o.norms.array().log().sum();
    return ll;
}

}  // namespace

double ar1_profile_loglik(const Eigen::VectorXd& y, const Eigen::MatrixXd& x, double phi, Ar1Method method)
{
    check_size("ar1_profile_loglik", "rows of x", static_cast<std::size_t>(x.rows()),
               static_cast<std::size_t>(y.size()));
    check_open_interval("ar1_profile_loglik", "phi", phi, -1.0, 1.0);
    return profile(phi, observed_rows(y, x), method);
}

Ar1RegressionResult fit_ar1_regression(const Eigen::VectorXd& y, const Eigen::MatrixXd& x,
                                       std::vector<std::string> names, const Ar1RegressionSpec& spec)
{
    constexpr std::string_view fn = "fit_ar1_regression";
    check_size(fn, "rows of x", static_cast<std::size_t>(x.rows()), static_cast<std::size_t>(y.size()));
    check_size(fn, "names", names.size(), static_cast<std::size_t>(x.cols()));
    check_open_interval(fn, "alpha", spec.alpha, 0.0, 1.0);
    check_open_interval(fn, "phi_bound", spec.phi_bound, 0.0, 1.0);
    if (spec.fixed_phi) check_open_interval(fn, "fixed_phi", *spec.fixed_phi, -1.0, 1.0);
    for (Eigen::Index i = 0; i < y.size(); ++i)
        if (std::isinf(y[i])) throw Error(ErrorCode::bad_input, std::string(fn) + ": y is infinite in row " + std::to_string(i));
    if (x.array().isInf().any()) throw Error(ErrorCode::bad_input, std::string(fn) + ": x has an infinite value");

    Ar1RegressionResult r;
    r.method = spec.method;
    const Observed o = observed_rows(y, x);
    const auto m = o.pos.size();
    const auto k = static_cast<std::size_t>(x.cols());
    r.rows = o.pos;
    std::vector<std::string> warnings;
    if (o.missing > 0) warnings.push_back(std::to_string(o.missing) + " missing period(s) were dropped");

    bool adjacent = false;
    for (std::size_t i = 1; i < m; ++i) adjacent = adjacent || o.pos[i] == o.pos[i - 1] + 1;
    const auto fail = [&](const std::string& why) {
        r.phi = r.sigma2 = r.df_inference = nan;
        r.est.names = std::move(names);
        r.est.alpha = spec.alpha;
        const auto kk = static_cast<Eigen::Index>(k);
        r.est.params = Eigen::VectorXd::Constant(kk, nan);
        r.est.cov = Eigen::MatrixXd::Constant(kk, kk, nan);
        detail::fill_inference(r.est, nan);
        r.diag.n = m;
        r.diag.n_missing = o.missing;
        r.diag.ok = false;
        r.diag.r2 = r.diag.adj_r2 = r.diag.resid_sd = r.diag.loglik = nan;
        r.diag.warnings = warnings;
        r.diag.warnings.push_back(why);
        return r;
    };
    if (m <= k + 1) return fail("too few observations for a regression with AR(1) errors (" + std::to_string(m) +
                                " observed, " + std::to_string(k) + " coefficients)");
    if (!adjacent && !spec.fixed_phi) return fail("AR(1) errors need two adjacent observed periods; none found");

    // phi: a grid for the global maximum, then Brent on the cell around it.
    double phi = 0;
    double loglik_at_phi = nan;  // profile(phi), when the search computed it
    if (spec.fixed_phi) {
        phi = *spec.fixed_phi;
    } else {
        const double b = spec.phi_bound;
        constexpr int cells = 80;
        const double h = 2 * b / cells;
        int best = -1;
        double best_ll = -std::numeric_limits<double>::infinity();
        // The grid from the cross-products (profile() where they cannot be
        // trusted); the best cell's value and Brent's from profile() itself,
        // or from the cross-products too for a search by cross-products.
        const GramProfile gram = make_gram(o);
        Eigen::MatrixXd scratch(gram.k + 1, gram.k + 1);
        const bool by_gram = spec.search == Ar1Search::cross_products;
        const auto objective = [&](double p) {
            double ll = by_gram ? profile_gram(p, gram, o, spec.method, scratch) : nan;
            if (std::isnan(ll)) ll = profile(p, o, spec.method);
            return ll;
        };
        for (int i = 0; i <= cells; ++i) {
            double ll = profile_gram(-b + h * i, gram, o, spec.method, scratch);
            if (std::isnan(ll)) ll = profile(-b + h * i, o, spec.method);
            if (std::isfinite(ll) && ll > best_ll) {
                best_ll = ll;
                best = i;
            }
        }
        if (best < 0) return fail("the likelihood could not be evaluated (an exact fit or a rank-deficient design)");
        best_ll = objective(-b + h * best);
        const double lo = -b + h * std::max(0, best - 1);
        const double hi = -b + h * std::min(cells, best + 1);
        const auto neg = [&](double p) {
            const double ll = objective(p);
            return std::isfinite(ll) ? -ll : std::numeric_limits<double>::max();
        };
        boost::uintmax_t iters = 200;
        const auto [arg, val] = boost::math::tools::brent_find_minima(neg, lo, hi, 40, iters);
        phi = -val <= best_ll ? -b + h * best : arg;
        loglik_at_phi = -val <= best_ll ? best_ll : -val;
        r.diag.iterations = static_cast<int>(iters);
        r.phi_on_bound = std::abs(std::abs(phi) - b) < 1e-6;
        if (r.phi_on_bound)
            warnings.push_back("AR(1) coefficient at its bound " + std::to_string(phi) +
                               ": the series may not be stationary around the model");
    }
    r.phi = phi;

    Eigen::MatrixXd xs;
    Eigen::VectorXd ys;
    whiten(phi, o, xs, ys);
    OlsResult gls = detail::fit_complete(xs, ys, names, {}, spec.alpha, o.pos, o.missing);
    const auto md = static_cast<double>(m);
    const double rank = static_cast<double>(gls.diag.rank);
    r.est = std::move(gls.est);
    r.diag = std::move(gls.diag);
    r.diag.warnings.insert(r.diag.warnings.begin(), warnings.begin(), warnings.end());
    r.diag.n_missing = o.missing;
    // sigma2 is the ML or REML estimate; the coefficients' covariance scales
    // (X' V^-1 X)^-1 by SSR / (n - k) under both, as nlme::gls does.
    r.sigma2 = gls.ssr / (spec.method == Ar1Method::ml ? md : md - rank);
    r.df_inference = md - rank;
    detail::fill_inference(r.est, r.df_inference);
    // The search's value at phi is profile(phi) itself (or its
    // cross-products form, for a search by cross-products).
    r.diag.loglik = std::isnan(loglik_at_phi) ? profile(phi, o, spec.method) : loglik_at_phi;
    const Eigen::VectorXd b = r.est.params.unaryExpr([](double v) { return std::isnan(v) ? 0.0 : v; });
    r.resid = o.y - o.x * b;
    const double tss = (o.y.array() - o.y.mean()).matrix().squaredNorm();
    r.diag.r2 = tss > 0 ? 1 - r.resid.squaredNorm() / tss : nan;
    r.diag.adj_r2 = r.diag.df_resid > 0 && tss > 0 ? 1 - (1 - r.diag.r2) * (md - 1) / r.diag.df_resid : nan;
    r.diag.resid_sd = std::sqrt(r.sigma2);
    return r;
}

}  // namespace taeval::models
