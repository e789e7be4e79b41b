#pragma once
// Basic structural time-series models (Harvey 1989; Durbin & Koopman 2012,
// ch. 3): a local level or local linear trend, optional seasonal dummies,
// and optional regression on control series,
//   y_t = mu_t + gamma_t + x_t' beta + eps_t,
//   mu_{t+1} = mu_t + nu_t + eta_t,  nu_{t+1} = nu_t + zeta_t,
//   gamma_{t+1} = -(gamma_t + ... + gamma_{t-s+2}) + omega_t.
// Every initial state and every regression coefficient is diffuse. The
// filter is the augmented (de Jong) form of the exact diffuse filter, D&K
// 2012 sec. 5.7: it carries the dependence of the state on the diffuse
// vector delta = (initial states, beta) in extra columns, estimates delta by
// GLS, and gives the same diffuse log-likelihood, smoothed states and
// forecasts as the exact initial Kalman filter of sec. 5.2 (checked against
// statsmodels' exact diffuse UnobservedComponents in the tests). Regression
// coefficients therefore come out by GLS given the variances, with their
// uncertainty carried into smoothed states and forecasts.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "models/estimates.hpp"
#include "models/state_space.hpp"

namespace taeval::models {

/// The trend component.
enum class TrendKind {
    level,         ///< local level (random walk)
    linear_trend,  ///< local linear trend (level plus a random-walk slope)
};

/// What to fit.
struct StructuralSpec {
    TrendKind trend = TrendKind::level;
    bool stochastic_slope = true;      ///< slope variance estimated (else 0: a fixed drift)
    int season_period = 0;             ///< 0: no seasonal; else s >= 2 dummy seasonals (4, 12 ...)
    bool stochastic_seasonal = true;   ///< seasonal variance estimated (else 0: fixed pattern)
    /// Fix the variances instead of estimating them: epsilon > 0 and each
    /// component the model has >= 0 (NaN for those it has not).
    std::optional<StateSpaceVariances> fixed;
    /// With `fixed`: read its entries as ratios to sigma2_epsilon (epsilon
    /// ignored) and estimate sigma2_epsilon by concentrating it out; loglik
    /// is then the profile likelihood at those ratios.
    bool fixed_are_ratios = false;
    std::vector<std::string> regressor_names;  ///< names of the columns of x (default x1, x2, ...)
    double alpha = 0.05;
    int max_iterations = 200;
};

/// The state at the end of the sample in augmented form, for forecasting:
/// alpha_{n+1} = a0 + A delta, with delta ~ N(delta_hat, delta_cov) and the
/// remaining error N(0, P).
struct StructuralEndState {
    Eigen::VectorXd a0;
    Eigen::MatrixXd A;
    Eigen::MatrixXd P;
    Eigen::VectorXd delta;      ///< GLS estimate of (initial states, beta)
    Eigen::MatrixXd delta_cov;  ///< its covariance
};

/// A fitted structural model. Per-period vectors have one entry per t;
/// filtered values are NaN until the data identify every diffuse element.
struct StructuralResult {
    StructuralSpec spec;
    StateSpaceVariances sigma2;
    double loglik = 0;  ///< diffuse log-likelihood (D&K 2012 eq. 7.2; regression coefficients diffuse)
    Eigen::VectorXd level_smoothed, level_smoothed_var;
    Eigen::VectorXd slope_smoothed, slope_smoothed_var;        ///< empty without a trend
    Eigen::VectorXd seasonal_smoothed, seasonal_smoothed_var;  ///< empty without a seasonal
    Eigen::VectorXd level_filtered, level_filtered_var;
    Eigen::VectorXd innovation;      ///< y_t minus its one-step prediction (after the diffuse period); NaN if missing
    Eigen::VectorXd innovation_var;  ///< its variance
    Eigen::VectorXd std_resid;       ///< innovation / sqrt(innovation_var)
    /// The variances (no standard errors: NaN) followed by the regression
    /// coefficients with GLS standard errors given the variances, z tests.
    Estimates est;
    Diagnostics diag;
    StructuralEndState end;
    Eigen::Index n_regressors = 0;
};

/// Fits the model to y (NaN = missing) with regressors x (n rows, k >= 0
/// columns, finite). The variances relative to sigma2_epsilon are estimated
/// on the log scale by L-BFGS-B on the concentrated diffuse likelihood.
/// Throws taeval::Error(bad_input) for mismatched sizes, non-finite x, a bad
/// season period or fixed variances; too few observations to identify the
/// diffuse elements, or a constant series, give diag.ok = false.
[[nodiscard]] StructuralResult fit_structural(const Eigen::VectorXd& y, const Eigen::MatrixXd& x,
                                              const StructuralSpec& spec = {});

/// The predictive distribution 1..h steps past the end of the sample.
/// x_future holds the regressors of those steps (h rows; may be empty when
/// the model has none). Throws taeval::Error(bad_input) on a size mismatch.
[[nodiscard]] StateSpaceForecast forecast(const StructuralResult& fit, std::size_t h,
                                          const Eigen::MatrixXd& x_future = {});

/// Joint covariance (h x h) of the errors of the h observation forecasts:
/// the state path is shared, so errors at different steps are correlated
/// (Cov = Z T^{j-i} P_i Z' + W_i Cov(delta) W_j'); sums and averages of
/// forecast errors need it. Same arguments and errors as forecast().
[[nodiscard]] Eigen::MatrixXd forecast_error_covariance(const StructuralResult& fit, std::size_t h,
                                                        const Eigen::MatrixXd& x_future = {});

}  // namespace taeval::models
