#include "models/state_space.hpp"

#include <cmath>
#include <string>

#include <boost/math/distributions/normal.hpp>

#include "models/check.hpp"
#include "models/error.hpp"

namespace taeval::models {

double probability_passes(const StateSpaceForecast& forecast, std::size_t step, double threshold, Direction better,
                          ForecastTarget target)
{
    constexpr const char* fn = "probability_passes";
    check_finite(fn, "threshold", threshold);
    if (step == 0 || step > forecast.steps())
        throw Error(ErrorCode::bad_input, std::string(fn) + ": step must lie in 1.." +
                                              std::to_string(forecast.steps()) + ", got " + std::to_string(step));
    const auto i = static_cast<Eigen::Index>(step - 1);
    if (target == ForecastTarget::level)
        return probability_passes({forecast.level_mean[i], forecast.level_var[i]}, threshold, better);
    return probability_passes({forecast.obs_mean[i], forecast.obs_var[i]}, threshold, better);
}

double probability_passes(const GaussianPrediction& prediction, double threshold, Direction better) noexcept
{
    const auto [mean, var] = prediction;
    if (!std::isfinite(mean) || !(var >= 0) || std::isnan(threshold)) return std::numeric_limits<double>::quiet_NaN();
    const double gap = better == Direction::up ? mean - threshold : threshold - mean;
    if (var == 0) return gap >= 0 ? 1.0 : 0.0;
    // P(X beyond threshold) = Phi(gap / sd).
    return boost::math::cdf(boost::math::normal(), gap / std::sqrt(var));
}

std::pair<double, double> prediction_interval(const GaussianPrediction& prediction, double alpha)
{
    check_open_interval("prediction_interval", "alpha", alpha, 0.0, 1.0);
    const double z = boost::math::quantile(boost::math::complement(boost::math::normal(), alpha / 2));
    const double half = z * std::sqrt(prediction.var);
    return {prediction.mean - half, prediction.mean + half};
}

}  // namespace taeval::models
