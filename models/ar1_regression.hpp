#pragma once
// Linear regression with AR(1) errors on a regular time grid with missing
// periods, by exact Gaussian maximum likelihood (ML) or restricted maximum
// likelihood (REML):
//   y_t = x_t' b + u_t,  u_t = phi u_{t-1} + e_t,  e_t ~ N(0, sigma2),
// u stationary. Only the observed rows enter; the covariance of two observed
// errors k periods apart is sigma2 phi^k / (1 - phi^2), so a gap is handled
// exactly (no interpolation): the gap-aware Prais-Winsten transform
//   first row  sqrt(1 - phi^2) (y_t - x_t' b),
//   later rows sqrt((1 - phi^2) / (1 - phi^(2k))) ((y_t - x_t' b) - phi^k (y_{t-k} - x_{t-k}' b))
// whitens the errors exactly. Given phi, b is GLS; phi maximises the profile
// (restricted) likelihood, found by a grid over (-bound, bound) refined by
// Brent's method.
//
// REML (Patterson & Thompson 1971; Cheang & Reinsel 2000 for AR(1) errors in
// regression) removes most of the downward bias of ML's phi in short series
// with a trend, which is what makes the GLS standard errors honest there.
// Inference (as R's nlme::gls, under both methods): GLS covariance
// s2 (X' V^-1 X)^-1 with s2 = SSR / (n - k) of the whitened regression, and
// a t reference on n - k degrees of freedom; or, with integrate_phi, that
// covariance averaged over phi's likelihood (see Ar1RegressionSpec).
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "models/estimates.hpp"

namespace taeval::models {

/// How phi (and sigma2) are estimated.
enum class Ar1Method {
    ml,    ///< exact maximum likelihood (R's arima(..., xreg), nlme::gls(method = "ML"))
    reml,  ///< restricted maximum likelihood (nlme::gls(method = "REML") with corCAR1)
};

/// How the profile likelihood is evaluated in the search for phi.
enum class Ar1Search {
    /// A grid over the whitened cross-products, then Brent's refinement and
    /// the best cell's value from the QR of the whitened design: phi to the
    /// last digits the likelihood can resolve. The default.
    exact,
    /// Grid and refinement both over the cross-products (the QR only where
    /// they cannot be trusted): a few times faster, phi within about 1e-6
    /// of the exact search (the likelihood is flat at its maximum, so the
    /// rounding of the cross-products moves the argmax more than the
    /// value). For screening many candidate models; the coefficients are
    /// still GLS given that phi, by QR.
    cross_products,
};

/// What to fit.
struct Ar1RegressionSpec {
    Ar1Method method = Ar1Method::reml;
    Ar1Search search = Ar1Search::exact;
    /// phi is searched in [-phi_bound, phi_bound]; in (0, 1).
    double phi_bound = 0.99;
    /// Fix phi instead of estimating it (|phi| < 1).
    std::optional<double> fixed_phi;
    double alpha = 0.05;  ///< intervals are (1 - alpha)
    /// Take phi's uncertainty into the coefficients' covariance: instead of
    /// s2 (X' V^-1 X)^-1 at the estimated phi (nlme's, which treats phi as
    /// known), its mean over phi plus the spread of the GLS coefficients
    /// b(phi) about b(phi_hat), phi weighted by its profile likelihood (for
    /// REML the posterior of phi under a flat prior, Harville 1974) over
    /// the search's grid (ar1_detail::phi_integrated_cov). The coefficients
    /// stay those at phi_hat. On short series the plug-in covariance is too
    /// small: phi is estimated low exactly where break terms absorb
    /// autocorrelated noise, and tests at the 5% level reject up to twice as
    /// often as they should (docs/evaluation.md). Ignored with fixed_phi.
    bool integrate_phi = false;
};

/// A fitted regression with AR(1) errors.
struct Ar1RegressionResult {
    /// Coefficients with GLS standard errors given phi (see the header note).
    Estimates est;
    /// n, n_missing, rank, df_resid = n - rank, loglik (ML or REML, as
    /// fitted; the REML one as nlme's), r2 on the original scale, warnings
    /// (phi on its bound, rank deficiency).
    Diagnostics diag;
    Ar1Method method = Ar1Method::reml;
    double phi = 0;
    double sigma2 = 0;          ///< innovation variance: SSR / n (ML) or SSR / (n - k) (REML)
    double df_inference = 0;    ///< degrees of freedom of the t reference, n - rank
    bool phi_on_bound = false;  ///< the optimum is at +-phi_bound
    std::vector<std::size_t> rows;  ///< time index of each observed row used
    Eigen::VectorXd resid;          ///< y - X b on the rows used (not whitened)
};

/// Fits y (n, NaN = missing period) on x (n x k, finite; a row whose x has a
/// NaN is treated as missing). Throws taeval::Error(bad_input) on mismatched
/// sizes, infinite values, a bad alpha, phi_bound or fixed_phi. Too few
/// observations (n <= k + 1) or no two adjacent observed periods give
/// diag.ok = false.
[[nodiscard]] Ar1RegressionResult fit_ar1_regression(const Eigen::VectorXd& y, const Eigen::MatrixXd& x,
                                                     std::vector<std::string> names,
                                                     const Ar1RegressionSpec& spec = {});

/// The profile log-likelihood of phi (ML or REML, b and sigma2 concentrated
/// out) for the observed rows of y and x, for plotting and tests. NaN when
/// the transformed design is rank deficient.
[[nodiscard]] double ar1_profile_loglik(const Eigen::VectorXd& y, const Eigen::MatrixXd& x, double phi,
                                        Ar1Method method);

}  // namespace taeval::models
