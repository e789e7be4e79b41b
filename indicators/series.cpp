#include "indicators/series.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "models/error.hpp"

namespace taeval::indicators {

Series Series::from_points(std::vector<Point> points)
{
    Series s;
    if (points.empty()) return s;
    std::sort(points.begin(), points.end(), [](const Point& a, const Point& b) { return a.period < b.period; });
    const Frequency f = points.front().period.frequency();
    s.first = points.front().period;
    s.values.assign(static_cast<std::size_t>(points.back().period.minus(s.first)) + 1,
                    std::numeric_limits<double>::quiet_NaN());
    for (const auto& p : points) {
        if (p.period.frequency() != f)
            throw Error(ErrorCode::internal, "Series: mixed frequencies (" + p.period.to_string() + ")");
        auto& slot = s.values[static_cast<std::size_t>(p.period.minus(s.first))];
        if (!std::isnan(slot)) throw Error(ErrorCode::internal, "Series: repeated period " + p.period.to_string());
        slot = p.value;
    }
    return s;
}

std::size_t Series::n_observed() const noexcept
{
    return static_cast<std::size_t>(std::count_if(values.begin(), values.end(), [](double v) { return !std::isnan(v); }));
}

std::size_t Series::last_observed() const noexcept
{
    for (std::size_t i = values.size(); i-- > 0;)
        if (!std::isnan(values[i])) return i;
    return 0;
}

}  // namespace taeval::indicators
