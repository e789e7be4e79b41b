#pragma once
// Scoring a series against its baseline and target: progress, the
// probability of reaching the target by its date, and a status.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "indicators/indicator.hpp"
#include "indicators/period.hpp"
#include "indicators/series.hpp"

namespace taeval::indicators {

/// Where a series stands; the rule for each, in order of precedence, is in
/// docs/scoring.md ("Statuses"). `no_target` is for a series with reports
/// and no target: it can be described but not judged. `stale` is for a
/// series whose reports stopped: its last report no longer describes the
/// as-of date.
enum class Status { achieved, on_track, at_risk, off_track, stale, insufficient_data, no_target, no_data };

[[nodiscard]] std::string_view to_string(Status s) noexcept;
/// Order for a meeting: the ones needing attention first.
[[nodiscard]] int severity(Status s) noexcept;

struct ScoreOptions {
    double on_track = 0.7;          ///< probability at or above: on_track
    double off_track = 0.3;         ///< probability below: off_track
    std::size_t min_observed = 4;   ///< fewer reports: insufficient_data (progress only)
    double alpha = 0.05;            ///< expected value at the target date: (1 - alpha) interval
    /// No report in this many of the last periods due by the as-of date (in
    /// the series' frequency): stale. One missing period is a late report;
    /// two in a row mean the reporting stopped (docs/scoring.md).
    std::size_t stale_after = 2;
};

/// Checks the options, naming the one at fault. Throws taeval::Error(usage)
/// unless 0 <= off_track <= on_track <= 1, 0 < alpha < 1, min_observed >= 1
/// and stale_after >= 1.
void check_options(const ScoreOptions& options);

/// A baseline or target value with its date.
struct Mark {
    double value = 0;
    Date date;
};

/// A series to score, with everything after the as-of date already removed.
struct SeriesToScore {
    Direction direction = Direction::up;
    Measure measure = Measure::count;
    bool cumulative = false;  ///< values are a running total
    Frequency frequency = Frequency::year;
    Series series;            ///< reports up to the as-of date (may be empty)
    std::optional<Mark> baseline;
    std::optional<Mark> target;
    Date as_of;               ///< reports of periods ending after it are not in `series`
};

/// A point estimate with an interval; NaN when not available.
struct Interval {
    double estimate;
    double low;
    double high;
};

struct SeriesScore {
    std::optional<Point> baseline;  ///< the baseline value and the period of its date
    std::optional<Point> latest;    ///< the last report
    std::optional<Mark> target;
    /// (latest - baseline) / (target - baseline): the share of the way from
    /// baseline to target, unclamped (negative: moved away from the target;
    /// above 1: beyond it). NaN when target equals baseline or either is
    /// missing.
    double progress;
    /// Probability that the value reported for the target's period reaches
    /// the target (in the better direction), from the forecast of
    /// docs/scoring.md ("The forecast"); NaN when not modelled.
    double probability;
    /// The expected value reported for the target's period, with its
    /// (1 - alpha) interval (observation noise included).
    Interval expected_at_target;
    Status status = Status::no_data;
    /// Share of the periods from the baseline (or first report) to the as-of
    /// date that were reported.
    double coverage;
    std::size_t n_observed = 0;
    std::string model;               ///< the forecast model used, or empty
    std::vector<std::string> notes;  ///< why a field is missing, how a rule applied
};

/// True when `value` is at the target or beyond it in the better direction.
[[nodiscard]] bool reaches(double value, double target, Direction better) noexcept;

/// (latest - baseline) / (target - baseline); NaN when target == baseline.
[[nodiscard]] double progress(double baseline, double latest, double target) noexcept;

/// The forecast behind a score: the probability that the value reported for
/// the target's period reaches the target, and that value's expected level
/// with its (1 - alpha) interval (docs/scoring.md, "The forecast"). NaN
/// fields and an empty model when the series cannot be modelled: no target,
/// the target's period already reported, fewer than min_observed reports,
/// or no model fits. score_series shows it only where the status rules ask
/// for a forecast; the calibration study reads it for every series.
struct TargetForecast {
    double probability;
    Interval expected_at_target;
    std::string model;
};
[[nodiscard]] TargetForecast forecast_target(const SeriesToScore& input, const ScoreOptions& options = {});

/// Scores one series. Pure: no I/O. Degenerate series (no reports, a
/// constant series, too few reports) give a status and notes, not errors.
[[nodiscard]] SeriesScore score_series(const SeriesToScore& input, const ScoreOptions& options = {});

}  // namespace taeval::indicators
