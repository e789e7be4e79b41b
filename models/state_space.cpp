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
    const double mean = target == ForecastTarget::level ? forecast.level_mean[i] : forecast.obs_mean[i];
    const double var = target == ForecastTarget::level ? forecast.level_var[i] : forecast.obs_var[i];
    if (!std::isfinite(mean) || !(var >= 0)) return std::numeric_limits<double>::quiet_NaN();
    const double gap = better == Direction::up ? mean - threshold : threshold - mean;
    if (var == 0) return gap > 0 ? 1.0 : 0.0;
    // P(X beyond threshold) = Phi(gap / sd).
    return boost::math::cdf(boost::math::normal(), gap / std::sqrt(var));
}

}  // namespace taeval::models
