#pragma once
// Performance indicators: what is measured, how, and which way is better.
#include <optional>
#include <string>
#include <string_view>

#include "indicators/period.hpp"

namespace taeval::indicators {

/// Where an indicator sits in the results chain.
enum class Level { output, outcome, impact };
/// What kind of number an indicator is.
enum class Measure { count, percent, days, ratio, binary, score };
/// Which way is better.
enum class Direction { up, down };
/// How values combine across periods and across states.
enum class Aggregation {
    sum,             ///< counts of events (officials trained)
    mean,            ///< averages of levels (scores)
    ratio_of_sums,   ///< percents with numerator and denominator
    last,            ///< stocks (a central authority in place)
    median,          ///< durations (days to answer a request)
};

[[nodiscard]] std::string_view to_string(Level v) noexcept;
[[nodiscard]] std::string_view to_string(Measure v) noexcept;
[[nodiscard]] std::string_view to_string(Direction v) noexcept;
[[nodiscard]] std::string_view to_string(Aggregation v) noexcept;
[[nodiscard]] std::optional<Level> parse_level(std::string_view text) noexcept;
[[nodiscard]] std::optional<Measure> parse_measure(std::string_view text) noexcept;
[[nodiscard]] std::optional<Direction> parse_direction(std::string_view text) noexcept;
[[nodiscard]] std::optional<Aggregation> parse_aggregation(std::string_view text) noexcept;
/// The accepted spellings, for error messages ("output, outcome, impact").
[[nodiscard]] std::string_view level_names() noexcept;
[[nodiscard]] std::string_view measure_names() noexcept;
[[nodiscard]] std::string_view direction_names() noexcept;
[[nodiscard]] std::string_view aggregation_names() noexcept;
/// The aggregation used when an indicator declares none.
[[nodiscard]] Aggregation default_aggregation(Measure m) noexcept;

/// A performance indicator's definition.
struct Indicator {
    std::string code;
    std::string name;
    Level level = Level::outcome;
    Measure measure = Measure::count;
    Direction direction = Direction::up;
    std::string unit;
    Frequency frequency = Frequency::year;
    std::string area;        ///< priority area
    std::string instrument;  ///< UNTOC, TIP, SOM, FIREARMS, UNCAC, or empty
    std::string article;
    std::string numerator;   ///< code of the numerator indicator, or empty
    std::string denominator; ///< code of the denominator indicator, or empty
    std::string project;     ///< code of the owning project, or empty (portfolio-wide)
    Aggregation aggregation = Aggregation::sum;
    bool cumulative = false; ///< a running total
};

/// True when values of the measure cannot go below zero (every measure so
/// far: counts, percents, days, ratios, binaries, scores). A model's
/// counterfactual or forecast below zero is then an extrapolation past the
/// indicator's range.
[[nodiscard]] constexpr bool nonnegative(Measure) noexcept { return true; }

/// Why a value is not valid for a measure, or nullopt when it is
/// (a percent within 0..100, a count or duration not negative, a binary 0 or 1).
[[nodiscard]] std::optional<std::string> check_value(Measure m, double value);

}  // namespace taeval::indicators

namespace taeval::indicators {

/// The priority areas of technical assistance (DOMAIN.md), as codes.
[[nodiscard]] bool is_priority_area(std::string_view code) noexcept;
/// "criminalization, international_cooperation, ...", for error messages.
[[nodiscard]] std::string_view priority_area_names() noexcept;
/// True for UNTOC, TIP, SOM, FIREARMS, UNCAC.
[[nodiscard]] bool is_instrument(std::string_view code) noexcept;

}  // namespace taeval::indicators
