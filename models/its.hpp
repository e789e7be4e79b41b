#pragma once
// Interrupted time series by segmented regression:
//   y_t = b0 + b1 t + sum_j (c_j step_j(t) + d_j (t - B_j) step_j(t)) [+ seasons] + e_t
// with t the row index (0-based), B_j the row of the first observation after
// intervention j and step_j(t) = 1 when t >= B_j. Errors: OLS, Newey-West,
// or AR(1) by iterated Prais-Winsten feasible GLS, exact maximum likelihood or
// restricted maximum likelihood (models/ar1_regression.hpp).
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "models/estimates.hpp"

namespace taeval::models {

/// How the errors of an ITS model are treated.
enum class ItsErrors {
    ols,         ///< independent errors, classical covariance
    newey_west,  ///< OLS estimates with Newey-West HAC covariance
    ar1,         ///< AR(1) errors: Prais-Winsten feasible GLS, iterated until phi settles
    ar1_reml,    ///< AR(1) errors, phi by restricted maximum likelihood (fit_ar1_regression)
    ar1_ml,      ///< AR(1) errors, phi by exact maximum likelihood (fit_ar1_regression)
};

/// What to fit.
struct ItsSpec {
    /// 0-based row of the first post-intervention observation of each
    /// intervention; strictly increasing, each in [1, n - 1].
    std::vector<std::size_t> breaks;
    ItsErrors errors = ItsErrors::newey_west;
    /// Newey-West lag; empty: floor(4 (n/100)^(2/9)), n the observations used.
    std::optional<std::size_t> hac_lags;
    /// Newey-West: multiply the covariance by n / (n - k).
    bool hac_small_sample = false;
    /// 0 (none), 4 or 12: dummies season_1 .. season_{P-1} for t mod P
    /// (season 0 is the reference).
    int season_period = 0;
    /// Model log(y) (every observed y must be > 0).
    bool log_outcome = false;
    double alpha = 0.05;         ///< intervals are (1 - alpha)
    /// AR(1) by REML or ML: take phi's uncertainty into the coefficients'
    /// covariance (Ar1RegressionSpec::integrate_phi; what `taeval evaluate`
    /// does); false gives nlme's covariance at the estimated phi.
    bool integrate_phi = false;
    int max_iterations = 100;    ///< AR(1): iterations of the phi update
    double tolerance = 1e-10;    ///< AR(1): stop when phi changes by less
};

/// A fitted ITS model. Parameters are named intercept, time,
/// level_change_1, slope_change_1, level_change_2, ..., then season_1, ...
/// Everything is on the model scale (log scale when log_outcome).
struct ItsResult {
    Estimates est;
    Diagnostics diag;
    ItsErrors errors = ItsErrors::newey_west;
    /// "nonrobust", "HAC", "AR1" (Prais-Winsten GLS, classical covariance
    /// of the transformed regression), "AR1-REML" or "AR1-ML" (GLS given the
    /// likelihood's phi, t on n - k degrees of freedom).
    std::string cov_type;
    std::size_t hac_lags = 0;          ///< Newey-West lag used (0 otherwise)
    bool hac_small_sample = false;
    double phi = 0;                    ///< AR(1) coefficient (NaN unless the errors are AR(1))
    bool log_outcome = false;
    std::vector<std::size_t> breaks;
    std::vector<double> level_change;  ///< per break: the step at the break
    std::vector<double> slope_change;  ///< per break: the change in slope per period
    Eigen::VectorXd fitted;            ///< fitted values for every t = 0..n-1 (missing rows too)
    Eigen::VectorXd counterfactual;    ///< fitted values with every break term removed
};

/// Fits the segmented regression to y (NaN = missing; its row is dropped and
/// counted, the time index stays the row index). Newey-West counts lags in
/// periods: a missing period contributes nothing. AR(1) uses the gap-aware
/// Prais-Winsten transform: an observation k periods after the previous
/// observed one becomes sqrt((1-phi^2)/(1-phi^(2k))) (y_t - phi^k y_{t-k}),
/// the first sqrt(1-phi^2) y_t; phi is estimated from adjacent observed pairs
/// of the untransformed residuals. AR(1) by REML or ML is
/// fit_ar1_regression on its_design (the same numbers as calling it
/// directly). Throws taeval::Error(bad_input) for a break
/// at row 0 or past the end, breaks out of order, a season period other than
/// 0, 4 or 12, a non-positive y with log_outcome, infinite y or a bad alpha.
[[nodiscard]] ItsResult fit_its(const Eigen::VectorXd& y, const ItsSpec& spec);

/// The design matrix of fit_its for n periods (n x k) and its column names.
[[nodiscard]] Eigen::MatrixXd its_design(std::size_t n, const ItsSpec& spec, std::vector<std::string>& names);

}  // namespace taeval::models
