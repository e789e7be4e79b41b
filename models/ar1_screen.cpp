#include "models/ar1_screen.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "models/ar1_gram.hpp"
#include "models/check.hpp"
#include "models/error.hpp"

namespace taeval::models {

using namespace ar1_detail;

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// The base's cross-product `base` ((k0 + 1) x (k0 + 1), y last) extended by
// q more columns: `lower` holds their products with [x0 y x1]
// (q x (k0 + 1 + q)). The result is over [x0 y x1].
Eigen::MatrixXd extend(const Eigen::MatrixXd& base, const Eigen::MatrixXd& lower)
{
    const Eigen::Index b = base.rows(), q = lower.rows();
    Eigen::MatrixXd e(b + q, b + q);
    e.topLeftCorner(b, b) = base;
    e.bottomRows(q) = lower;
    e.topRightCorner(b, q) = lower.leftCols(b).transpose();
    return e;
}

}  // namespace

struct Ar1Screen::Base {
    Ar1RegressionSpec spec;
    Eigen::VectorXd y;    // as given, for the fallback
    Eigen::MatrixXd x0;   // as given, for the fallback
    Observed o;           // observed rows of y and x0
    RowPlan plan;
    Eigen::MatrixXd z;    // observed [x0 / norms, y]
    GramProfile gram;     // of z
};

Ar1Screen::Ar1Screen(const Eigen::VectorXd& y, const Eigen::MatrixXd& x0, const Ar1RegressionSpec& spec)
{
    constexpr std::string_view fn = "Ar1Screen";
    check_size(fn, "rows of x0", static_cast<std::size_t>(x0.rows()), static_cast<std::size_t>(y.size()));
    if (spec.fixed_phi) throw Error(ErrorCode::bad_input, "Ar1Screen: a fixed phi is not supported");
    if (!x0.allFinite()) throw Error(ErrorCode::bad_input, "Ar1Screen: x0 has a value that is not finite");
    auto b = std::make_unique<Base>();
    b->spec = spec;
    b->spec.search = Ar1Search::cross_products;
    b->y = y;
    b->x0 = x0;
    b->o = observed_rows(y, x0);
    b->plan = row_plan(b->o.pos);
    const Eigen::Index m = b->o.y.size(), k0 = x0.cols();
    b->z.resize(m, k0 + 1);
    b->z.leftCols(k0) = b->o.x * b->o.norms.cwiseInverse().asDiagonal();
    b->z.col(k0) = b->o.y;
    b->gram = make_gram(b->z, b->plan, b->o.norms);
    base_ = std::move(b);
}

Ar1Screen::~Ar1Screen() = default;

Ar1ScreenFit Ar1Screen::fit(const std::vector<Eigen::Index>& keep, const Eigen::MatrixXd& x1) const
{
    const Base& b = *base_;
    const Eigen::Index k0 = b.x0.cols(), q = x1.cols(), m = b.o.y.size();
    const auto kk = static_cast<Eigen::Index>(keep.size());
    const Eigen::Index k = kk + q;
    check_size("Ar1Screen::fit", "rows of x1", static_cast<std::size_t>(x1.rows()),
               static_cast<std::size_t>(b.y.size()));

    // fit_ar1_regression itself, on the same columns.
    const auto exact = [&] {
        Eigen::MatrixXd x(b.x0.rows(), k);
        x.leftCols(kk) = b.x0(Eigen::all, keep);
        x.rightCols(q) = x1;
        auto r = fit_ar1_regression(b.y, x, std::vector<std::string>(static_cast<std::size_t>(k)), b.spec);
        Ar1ScreenFit f;
        f.ok = r.diag.ok;
        f.phi = r.phi;
        f.df = r.df_inference;
        f.est.params = std::move(r.est.params);
        f.est.cov = std::move(r.est.cov);
        f.est.alpha = b.spec.alpha;
        return f;
    };
    if (!x1.allFinite() || m <= k + 1 || b.plan.now.empty()) return exact();

    // The cross-products over [x0 y x1], then in the fit's order:
    // the kept x0 columns, x1, y.
    Eigen::MatrixXd zx(m, k0 + 1 + q);
    zx.leftCols(k0 + 1) = b.z;
    Eigen::VectorXd norms(k);
    norms.head(kk) = b.o.norms(keep);
    for (Eigen::Index j = 0; j < q; ++j) {
        auto col = zx.col(k0 + 1 + j);
        col = x1(b.o.pos, j);
        const double nrm = col.norm();
        norms[kk + j] = nrm > 0 ? nrm : 1;
        col /= norms[kk + j];
    }
    std::vector<Eigen::Index> order(keep);
    for (Eigen::Index j = 0; j < q; ++j) order.push_back(k0 + 1 + j);
    order.push_back(k0);
    // Products of x1 over rows `a` with [x0 y x1] over rows `c`.
    const auto lower = [&](const std::vector<Eigen::Index>& a, const std::vector<Eigen::Index>& c) {
        return Eigen::MatrixXd(zx(a, Eigen::seqN(k0 + 1, q)).transpose() * zx(c, Eigen::all));
    };
    const auto square = [&](const Eigen::MatrixXd& base, const std::vector<Eigen::Index>& a) {
        return Eigen::MatrixXd(extend(base, lower(a, a))(order, order));
    };
    const auto cross = [&](const Eigen::MatrixXd& base, const std::vector<Eigen::Index>& a,
                           const std::vector<Eigen::Index>& c) {
        return Eigen::MatrixXd(extend(base, lower(a, c) + lower(c, a))(order, order));
    };
    GramProfile g;
    g.m = m;
    g.k = k;
    g.norms = norms;
    g.c0 = square(b.gram.c0, b.plan.now);
    g.c2 = square(b.gram.c2, b.plan.before);
    g.c1 = cross(b.gram.c1, b.plan.now, b.plan.before);
    g.first = square(b.gram.first, {0});
    for (std::size_t i = 0; i < b.plan.gaps.size(); ++i) {
        const auto& p = b.plan.gaps[i];
        const auto& bg = b.gram.gaps[i];
        g.gaps.push_back({bg.length, bg.count, square(bg.s0, p.at), cross(bg.s1, p.at, p.prev), square(bg.s2, p.prev)});
    }

    // The search for phi, wholly on the cross-products.
    Eigen::MatrixXd c(k + 1, k + 1);
    bool trusted = true;
    const auto value = [&](double phi) {
        const double ll = profile_gram(phi, g, b.spec.method, c);
        trusted = trusted && !std::isnan(ll);
        return ll;
    };
    const auto found = search_phi(b.spec.phi_bound, value, value);
    if (!found || !trusted) return exact();

    // GLS at phi from the cross-products: beta = C^-1 X'y, cov = s2 C^-1
    // (gls_gram); with integrate_phi, the covariance over the grid as
    // fit_ar1_regression takes it.
    const auto at = [&](double phi) { return gls_gram(phi, g, b.spec.method, c); };
    auto gls = at(found->phi);
    if (!gls) return exact();
    if (b.spec.integrate_phi) {
        auto cov = phi_integrated_cov(*found, gls->b, at);
        if (!cov) return exact();
        gls->cov = std::move(*cov);
    }
    Ar1ScreenFit f;
    f.ok = true;
    f.phi = found->phi;
    f.df = static_cast<double>(m - k);
    f.est.alpha = b.spec.alpha;
    f.est.params = std::move(gls->b);
    f.est.cov = std::move(gls->cov);
    return f;
}

}  // namespace taeval::models
