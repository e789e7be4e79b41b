#pragma once
// `taeval score`: every (indicator, state) series, and the roll-ups asked
// for, scored against baselines and targets as known at an as-of date.
#include <optional>
#include <string>
#include <vector>

#include "indicators/scoring.hpp"

namespace taeval::engine {

namespace storage {
class Database;
}

/// Which roll-ups to add to the state series.
enum class Rollup {
    none,    ///< state series only
    region,  ///< each indicator across the states of each region
    area,    ///< each indicator across the states assisted in its priority area
    all,     ///< each indicator across all states
};

struct ScoreQuery {
    /// Ignore reports of periods that end after this date. Default, per
    /// series: its indicator's present (the end of the latest period that
    /// more than half of the indicator's reporting states reported) or the
    /// end of its own last report, whichever is later (docs/scoring.md).
    std::optional<indicators::Date> as_of;
    std::string project;    ///< only this project's indicators and states
    std::string state;      ///< only this state's series (roll-ups still span their groups)
    std::string indicator;  ///< only this indicator
    Rollup rollup = Rollup::none;
    indicators::ScoreOptions options;
    int threads = 0;        ///< 0: all cores
};

/// A member of a roll-up's group left out of its fixed set, and why.
struct LeftOut {
    std::string state;   ///< ISO3
    std::string reason;  ///< e.g. "first report 2020-Q1, after the window's start 2018-Q1"
};

struct ScoreRow {
    std::string indicator;
    std::string state;   ///< ISO3, or empty for a roll-up
    std::string rollup;  ///< `region:NAME`, `area:CODE`, `all`, or empty for a state series
    std::string unit;
    indicators::Direction direction = indicators::Direction::up;
    std::size_t members = 1;  ///< states in the group (1 for a state series)
    /// Roll-ups (docs/scoring.md, "Roll-ups"): the states of the fixed set
    /// the roll-up is computed over, the members left out with why, and
    /// the window the set is fixed over (empty when no member reported).
    std::size_t included = 1;
    std::vector<LeftOut> left_out;
    std::optional<indicators::Period> window_start, window_end;
    /// What could not be computed (a roll-up whose arithmetic overflows):
    /// the row is kept, its computed values null, and the report goes on.
    std::vector<std::string> warnings;
    indicators::Date as_of;   ///< the as-of date this row was scored at
    indicators::SeriesScore score;
};

struct ScoreReport {
    std::optional<indicators::Date> as_of;  ///< the query's; empty: each row has its own
    /// Sorted: indicator, then state series, then roll-ups. A series the
    /// portfolio declares (a baseline or target of its own, a link feeding
    /// it, its indicator's project assisting its state) has a row even
    /// without reports.
    std::vector<ScoreRow> rows;
};

/// Scores the portfolio. Throws taeval::Error(not_found) for an unknown
/// project, state or indicator named in the query, and (usage) for options
/// that indicators::check_options refuses.
[[nodiscard]] ScoreReport score_portfolio(storage::Database& db, const ScoreQuery& query);

}  // namespace taeval::engine
