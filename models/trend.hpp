#pragma once
// Linear trend y_t = a + b t with a chosen covariance, and the forecast at a
// future period with its prediction interval.
#include <optional>

#include <Eigen/Core>

#include "models/covariance.hpp"
#include "models/estimates.hpp"

namespace taeval::models {

/// What to fit.
struct TrendSpec {
    CovSpec cov;                       ///< covariance of (intercept, slope)
    double alpha = 0.05;               ///< intervals are (1 - alpha), in (0, 1)
    std::optional<double> predict_at;  ///< a period t to forecast (same units as t)
};

/// A point forecast at period t with its (1 - alpha) prediction interval.
struct TrendPrediction {
    double t = 0;
    double estimate = 0;  ///< a + b t
    double se = 0;        ///< sqrt(x0' V x0 + sigma^2): parameter and new-observation uncertainty
    double pi_low = 0;
    double pi_high = 0;
};

/// A fitted trend: parameters "intercept" and "slope" (change per unit of t).
struct TrendResult {
    Estimates est;
    Diagnostics diag;
    CovType cov_type = CovType::classical;
    std::size_t hac_lags = 0;     ///< Newey-West lag used
    double sigma2 = 0;            ///< residual variance SSR / (n - 2)
    double df_inference = 0;      ///< degrees of freedom of the t distribution used
    double slope = 0;             ///< = est.params[1]
    double slope_se = 0;          ///< = est.se[1]
    std::optional<TrendPrediction> prediction;  ///< when TrendSpec::predict_at was set
};

/// Fits y on t = 0, 1, ..., n-1 (the row index). NaN in y is missing: the
/// row is dropped and counted. Throws taeval::Error(bad_input) for infinite
/// y, a bad alpha or a non-finite predict_at.
[[nodiscard]] TrendResult fit_trend(const Eigen::VectorXd& y, const TrendSpec& spec);

/// Fits y on the given periods t (same length; NaN in t or y drops the row).
/// Newey-West lags count rows of the input, so the rows should be equally
/// spaced periods in order.
[[nodiscard]] TrendResult fit_trend(const Eigen::VectorXd& y, const Eigen::VectorXd& t, const TrendSpec& spec);

/// The forecast at period t with the (1 - alpha) prediction interval
/// estimate +- q sqrt(x0' V x0 + sigma^2), q the t quantile on
/// fit.df_inference degrees of freedom; V is the fit's covariance (robust
/// when the fit's is). NaN fields when the fit has no usable covariance.
/// Throws taeval::Error(bad_input) for a non-finite t or a bad alpha.
[[nodiscard]] TrendPrediction predict(const TrendResult& fit, double t, double alpha = 0.05);

}  // namespace taeval::models
