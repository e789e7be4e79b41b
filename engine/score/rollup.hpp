#pragma once
// Internal to engine/score: one roll-up's series, over a fixed set of its
// group's states (docs/scoring.md, "Roll-ups").
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/score/score.hpp"
#include "indicators/indicator.hpp"
#include "indicators/series.hpp"

namespace taeval::engine::score_detail {

/// One member state's reports (up to the as-of date). `values` are the
/// indicator's own; a composite (a ratio of sums) rolls up from
/// `numerator` and `denominator` instead, on the periods where both are
/// reported.
struct MemberReports {
    std::string iso3;
    std::map<indicators::Period, double> values;
    std::map<indicators::Period, double> numerator, denominator;
};

struct RollupSeries {
    /// The window: from the first period by which more than half of the
    /// members with reports had begun reporting, to the last period more
    /// than half of them reported. Empty when no member reported, or when
    /// these do not overlap.
    std::optional<indicators::Period> start, end;
    std::vector<std::string> included;  ///< the fixed set: members whose reports span the window
    std::vector<LeftOut> left_out;      ///< the other members, in group order
    /// The roll-up's value in each period of the window (a period without a
    /// value: a ratio whose denominators sum to zero).
    std::vector<indicators::Point> points;
    /// The share of the fixed set's values in the window that were reported
    /// rather than filled between two reports; NaN without a fixed set.
    double reported_share;
    /// The first period whose value is not a finite number (the arithmetic
    /// overflowed); `points` is then empty.
    std::optional<indicators::Period> overflow;
};

/// Rolls members up by the indicator's aggregation rule (a ratio of sums
/// when `composite`) over the fixed set: the members whose reports span the
/// window, each end missed by fewer than `late` periods (a late report, as
/// for `stale`: late >= 1; 1 requires reports of both ends). A member's gap
/// inside the window is filled by linear interpolation between its reports
/// on either side, an end it missed by its nearest report. Pure: no I/O.
[[nodiscard]] RollupSeries roll_up(const indicators::Indicator& indicator, bool composite,
                                   const std::vector<MemberReports>& members, std::size_t late);

}  // namespace taeval::engine::score_detail
