#pragma once
// Combining values by an indicator's aggregation rule: across states within
// one period (roll-ups), and across periods (to a coarser frequency).
#include <span>

#include "indicators/indicator.hpp"

namespace taeval::indicators {

/// Combines the values of several states for one period. sum, mean and
/// median do what they say; `last` (stocks) sums counts and averages
/// anything else (the share of states, for a binary measure);
/// ratio_of_sums without numerators and denominators falls back to the
/// mean (use ratio_of_sums() when they are known). NaN for no values.
[[nodiscard]] double across_states(Aggregation rule, Measure measure, std::span<const double> values);

/// Combines consecutive periods' values into one (e.g. months into a
/// quarter): sum, mean, median, or the last value; ratio_of_sums falls back
/// to the mean. NaN values are skipped; NaN when none is left.
[[nodiscard]] double across_periods(Aggregation rule, std::span<const double> values);

/// 100 * sum(numerators) / sum(denominators) over the pairs where both are
/// reported: the correct way to combine percents. NaN when the
/// denominators sum to zero or nothing is reported.
[[nodiscard]] double ratio_of_sums(std::span<const double> numerators, std::span<const double> denominators);

}  // namespace taeval::indicators
