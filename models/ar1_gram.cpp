#include "models/ar1_gram.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <utility>

#include <Eigen/Cholesky>
#include <Eigen/QR>
#include <boost/math/tools/minima.hpp>

namespace taeval::models::ar1_detail {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

}  // namespace

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

RowPlan row_plan(const std::vector<std::size_t>& pos)
{
    RowPlan p;
    std::vector<std::pair<std::size_t, Eigen::Index>> gap_rows;  // (length, row)
    for (std::size_t i = 1; i < pos.size(); ++i) {
        const auto len = pos[i] - pos[i - 1];
        const auto row = static_cast<Eigen::Index>(i);
        if (len == 1) {
            p.now.push_back(row);
            p.before.push_back(row - 1);
        } else {
            gap_rows.emplace_back(len, row);
        }
    }
    std::sort(gap_rows.begin(), gap_rows.end());
    for (std::size_t i = 0; i < gap_rows.size();) {
        RowPlan::Gap gap;
        gap.length = static_cast<double>(gap_rows[i].first);
        std::size_t j = i;
        for (; j < gap_rows.size() && gap_rows[j].first == gap_rows[i].first; ++j) {
            gap.at.push_back(gap_rows[j].second);
            gap.prev.push_back(gap_rows[j].second - 1);
        }
        p.gaps.push_back(std::move(gap));
        i = j;
    }
    return p;
}

GramProfile make_gram(const Eigen::MatrixXd& z, const RowPlan& plan, Eigen::VectorXd norms)
{
    GramProfile g;
    g.m = z.rows();
    g.k = z.cols() - 1;
    g.norms = std::move(norms);
    const Eigen::MatrixXd a = z(plan.now, Eigen::all), b = z(plan.before, Eigen::all);
    g.c0 = a.transpose() * a;
    g.c2 = b.transpose() * b;
    const Eigen::MatrixXd ab = a.transpose() * b;
    g.c1 = ab + ab.transpose();
    if (g.m > 0) g.first = z.row(0).transpose() * z.row(0);
    for (const auto& gp : plan.gaps) {
        const Eigen::MatrixXd za = z(gp.at, Eigen::all), zb = z(gp.prev, Eigen::all);
        GramProfile::Gap gap;
        gap.length = gp.length;
        gap.count = static_cast<double>(gp.at.size());
        gap.s0 = za.transpose() * za;
        gap.s2 = zb.transpose() * zb;
        const Eigen::MatrixXd x = za.transpose() * zb;
        gap.s1 = x + x.transpose();
        g.gaps.push_back(std::move(gap));
    }
    return g;
}

double gram_at(double phi, const GramProfile& g, Eigen::MatrixXd& c)
{
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
    return log_s;
}

double profile_gram(double phi, const GramProfile& g, Ar1Method method, Eigen::MatrixXd& c)
{
    const Eigen::Index m = g.m, k = g.k;
    if (m == 0 || k == 0) return nan;
    const double log_s = gram_at(phi, g, c);
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
    if (method == Ar1Method::reml) ll -= d.array().log().sum() + g.norms.array().log().sum();
    return ll;
}

std::optional<GlsAtPhi> gls_gram(double phi, const GramProfile& g, Ar1Method method, Eigen::MatrixXd& c)
{
    const double ll = profile_gram(phi, g, method, c);  // the trust checks, and c at phi
    if (std::isnan(ll)) return std::nullopt;
    // profile_gram factored the top left corner in place; the rest of c is
    // the cross-products at phi.
    const Eigen::Index k = g.k;
    const Eigen::MatrixXd factor = c.topLeftCorner(k, k);
    const auto l = factor.triangularView<Eigen::Lower>();
    const Eigen::VectorXd u = l.solve(c.col(k).head(k));
    const double ssr = c(k, k) - u.squaredNorm();
    const Eigen::VectorXd inv_norms = g.norms.cwiseInverse();
    const Eigen::MatrixXd inv = l.solve(Eigen::MatrixXd::Identity(k, k));  // L^-1
    GlsAtPhi out;
    out.loglik = ll;
    out.b = l.transpose().solve(u).cwiseProduct(inv_norms);
    out.cov = (ssr / static_cast<double>(g.m - k)) * inv_norms.asDiagonal() * (inv.transpose() * inv) *
              inv_norms.asDiagonal();
    return out;
}

std::optional<PhiSearch> search_phi(double bound, const std::function<double(double)>& grid,
                                    const std::function<double(double)>& refine)
{
    constexpr int cells = 80;
    const double h = 2 * bound / cells;
    PhiSearch s;
    s.grid.resize(cells + 1);
    s.values.resize(cells + 1);
    int best = -1;
    double best_ll = -std::numeric_limits<double>::infinity();
    for (int i = 0; i <= cells; ++i) {
        const double phi = -bound + h * i;
        const double ll = grid(phi);
        s.grid[static_cast<std::size_t>(i)] = phi;
        s.values[static_cast<std::size_t>(i)] = std::isfinite(ll) ? ll : nan;
        if (std::isfinite(ll) && ll > best_ll) {
            best_ll = ll;
            best = i;
        }
    }
    if (best < 0) return std::nullopt;
    best_ll = refine(-bound + h * best);
    const double lo = -bound + h * std::max(0, best - 1);
    const double hi = -bound + h * std::min(cells, best + 1);
    const auto neg = [&](double p) {
        const double ll = refine(p);
        return std::isfinite(ll) ? -ll : std::numeric_limits<double>::max();
    };
    boost::uintmax_t iters = 200;
    const auto [arg, val] = boost::math::tools::brent_find_minima(neg, lo, hi, 40, iters);
    const bool grid_point = -val <= best_ll;
    s.phi = grid_point ? -bound + h * best : arg;
    s.loglik = grid_point ? best_ll : -val;
    s.iterations = static_cast<int>(iters);
    return s;
}

std::optional<Eigen::MatrixXd> phi_integrated_cov(const PhiSearch& search, const Eigen::VectorXd& b_hat,
                                                  const std::function<std::optional<GlsAtPhi>(double)>& at)
{
    const auto n = search.values.size();
    std::size_t top = n;
    for (std::size_t i = 0; i < n; ++i)
        if (search.values[i] > (top < n ? search.values[top] : -std::numeric_limits<double>::infinity())) top = i;
    if (top == n) return std::nullopt;
    const auto weight = [&](std::size_t i) {
        const double w = std::exp(search.values[i] - search.values[top]);
        return w >= 1e-6 ? w : 0.0;  // also 0 where the grid had no value (NaN)
    };
    // The integrand is smooth in phi: where the likelihood is wide, every
    // stride-th point (counted from the mode) is enough, at most about
    // max_points of them.
    constexpr std::size_t max_points = 16;
    std::size_t counted = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (weight(i) > 0) ++counted;
    const std::size_t stride = std::max<std::size_t>(1, (counted + max_points - 1) / max_points);
    const auto k = b_hat.size();
    Eigen::MatrixXd sum = Eigen::MatrixXd::Zero(k, k);
    double total = 0;
    for (std::size_t i = top % stride; i < n; i += stride) {
        const double w = weight(i);
        if (w == 0) continue;
        const auto fit = at(search.grid[i]);
        if (!fit) return std::nullopt;
        const Eigen::VectorXd d = fit->b - b_hat;
        sum += w * (fit->cov + d * d.transpose());
        total += w;
    }
    return Eigen::MatrixXd(sum / total);
}

}  // namespace taeval::models::ar1_detail
