#pragma once
// A reported series on its regular grid of periods, with gaps.
#include <cstddef>
#include <vector>

#include "indicators/period.hpp"

namespace taeval::indicators {

/// One reported value.
struct Point {
    Period period;
    double value = 0;
};

/// Values on consecutive periods from `first`; NaN marks a period not
/// reported. Empty when nothing was reported.
struct Series {
    Period first;
    std::vector<double> values;

    /// Builds the grid from the first to the last point. Points must share
    /// one frequency; their order does not matter. Throws taeval::Error
    /// (internal) on mixed frequencies or a repeated period.
    [[nodiscard]] static Series from_points(std::vector<Point> points);

    [[nodiscard]] std::size_t size() const noexcept { return values.size(); }
    [[nodiscard]] bool empty() const noexcept { return values.empty(); }
    [[nodiscard]] Period period(std::size_t i) const noexcept { return first.plus(static_cast<std::int64_t>(i)); }
    [[nodiscard]] Period last() const noexcept { return period(values.size() - 1); }
    /// Number of reported (non-NaN) periods.
    [[nodiscard]] std::size_t n_observed() const noexcept;
    /// Index of the last reported period (the series is never empty of
    /// reports once built from points).
    [[nodiscard]] std::size_t last_observed() const noexcept;
};

}  // namespace taeval::indicators
