#include "models/ar1_regression.hpp"

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include "models/ar1_gram.hpp"
#include "models/check.hpp"
#include "models/error.hpp"
#include "models/ols.hpp"

namespace taeval::models {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

}  // namespace

using namespace ar1_detail;

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
    GramProfile gram;
    Eigen::MatrixXd scratch;
    std::optional<PhiSearch> found;
    if (spec.fixed_phi) {
        phi = *spec.fixed_phi;
    } else {
        // The grid from the cross-products (profile() where they cannot be
        // trusted); the best cell's value and Brent's from profile() itself,
        // or from the cross-products too for a search by cross-products.
        Eigen::MatrixXd z(static_cast<Eigen::Index>(m), o.x.cols() + 1);
        z.leftCols(o.x.cols()) = o.x * o.norms.cwiseInverse().asDiagonal();
        z.col(o.x.cols()) = o.y;
        gram = make_gram(z, row_plan(o.pos), o.norms);
        scratch.resize(gram.k + 1, gram.k + 1);
        const bool by_gram = spec.search == Ar1Search::cross_products;
        const auto grid = [&](double p) {
            const double ll = profile_gram(p, gram, spec.method, scratch);
            return std::isnan(ll) ? profile(p, o, spec.method) : ll;
        };
        const auto refine = [&](double p) { return by_gram ? grid(p) : profile(p, o, spec.method); };
        found = search_phi(spec.phi_bound, grid, refine);
        if (!found) return fail("the likelihood could not be evaluated (an exact fit or a rank-deficient design)");
        phi = found->phi;
        loglik_at_phi = found->loglik;
        r.diag.iterations = found->iterations;
        r.phi_on_bound = std::abs(std::abs(phi) - spec.phi_bound) < 1e-6;
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
    if (spec.integrate_phi && found) {
        // GLS at each grid point that counts: from the cross-products, or
        // from the QR of the whitened design where they cannot be trusted.
        const auto at = [&](double p) -> std::optional<GlsAtPhi> {
            if (auto g = gls_gram(p, gram, spec.method, scratch)) return g;
            Eigen::MatrixXd xp;
            Eigen::VectorXd yp;
            whiten(p, o, xp, yp);
            OlsResult f = detail::fit_complete(xp, yp, names, {}, spec.alpha, o.pos, o.missing);
            return GlsAtPhi{profile(p, o, spec.method), std::move(f.est.params), std::move(f.est.cov)};
        };
        if (auto cov = phi_integrated_cov(*found, r.est.params, at)) r.est.cov = std::move(*cov);
        else r.diag.warnings.push_back("phi's uncertainty could not be taken into the standard errors: they are "
                                       "those at the estimated phi");
    }
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
