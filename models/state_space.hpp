#pragma once
// Types shared by the state-space models (local level, structural): the
// fitted variances, h-step forecasts, and the probability that a forecast
// passes a threshold in the direction that counts as better.
#include <cstddef>
#include <limits>
#include <utility>

#include <Eigen/Core>

namespace taeval::models {

/// Which way is better for a series.
enum class Direction { up, down };

/// What a threshold probability is about.
enum class ForecastTarget {
    level,        ///< the underlying level (signal without observation noise)
    observation,  ///< a future observation (level + seasonal + regression + noise)
};

/// Variances of the disturbances of a structural model; NaN for a
/// component the model does not have.
struct StateSpaceVariances {
    double epsilon = std::numeric_limits<double>::quiet_NaN();   ///< observation noise
    double level = std::numeric_limits<double>::quiet_NaN();     ///< level disturbance eta
    double slope = std::numeric_limits<double>::quiet_NaN();     ///< slope disturbance zeta (local linear trend)
    double seasonal = std::numeric_limits<double>::quiet_NaN();  ///< seasonal disturbance omega
};

/// h-step-ahead predictive distribution from the end of the sample; entry
/// i is step i + 1. All are Gaussian. The variances include the uncertainty
/// of the states at the end of the sample, which under the exact diffuse
/// initialisation includes that of the initial states and of regression
/// coefficients; the variances of the disturbances are taken as known.
struct StateSpaceForecast {
    Eigen::VectorXd level_mean;  ///< E[level_{n+h}]
    Eigen::VectorXd level_var;   ///< Var[level_{n+h}]
    Eigen::VectorXd obs_mean;    ///< E[y_{n+h}]
    Eigen::VectorXd obs_var;     ///< Var[y_{n+h}] (level_var + other components + sigma2_epsilon)

    [[nodiscard]] std::size_t steps() const noexcept { return static_cast<std::size_t>(level_mean.size()); }
};

/// A Gaussian prediction: its mean and variance.
struct GaussianPrediction {
    double mean = std::numeric_limits<double>::quiet_NaN();
    double var = std::numeric_limits<double>::quiet_NaN();
};

/// Probability that a Gaussian prediction lies at or beyond `threshold` in
/// the better direction: P(X >= threshold) for Direction::up, P(X <=
/// threshold) for Direction::down. A prediction without variance passes when
/// its mean reaches the threshold. NaN when the mean is not finite or the
/// variance is negative or NaN. The one place this probability is computed:
/// the state-space forecasts and the scoring of targets both use it.
[[nodiscard]] double probability_passes(const GaussianPrediction& prediction, double threshold,
                                        Direction better) noexcept;

/// The (1 - alpha) interval of a Gaussian prediction, as {low, high}.
[[nodiscard]] std::pair<double, double> prediction_interval(const GaussianPrediction& prediction, double alpha);

/// Probability that the level (or an observation) at forecast step `step`
/// (1-based) lies beyond `threshold` in the better direction:
/// P(X > threshold) for Direction::up, P(X < threshold) for Direction::down.
/// Throws taeval::Error(bad_input) when step is 0 or beyond the forecast, or
/// the threshold is not finite.
[[nodiscard]] double probability_passes(const StateSpaceForecast& forecast, std::size_t step, double threshold,
                                        Direction better, ForecastTarget target = ForecastTarget::level);

}  // namespace taeval::models
