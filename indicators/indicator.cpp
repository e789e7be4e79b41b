#include "indicators/indicator.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace taeval::indicators {

namespace {

template <typename E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E v) noexcept
{
    for (const auto& [e, s] : table)
        if (e == v) return s;
    return "";
}

template <typename E, std::size_t N>
std::optional<E> parse_of(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view text) noexcept
{
    for (const auto& [e, s] : table)
        if (s == text) return e;
    return std::nullopt;
}

constexpr std::array<std::pair<Level, std::string_view>, 3> levels{
    {{Level::output, "output"}, {Level::outcome, "outcome"}, {Level::impact, "impact"}}};
constexpr std::array<std::pair<Measure, std::string_view>, 6> measures{{{Measure::count, "count"},
                                                                        {Measure::percent, "percent"},
                                                                        {Measure::days, "days"},
                                                                        {Measure::ratio, "ratio"},
                                                                        {Measure::binary, "binary"},
                                                                        {Measure::score, "score"}}};
constexpr std::array<std::pair<Direction, std::string_view>, 2> directions{
    {{Direction::up, "up"}, {Direction::down, "down"}}};
constexpr std::array<std::pair<Aggregation, std::string_view>, 5> aggregations{
    {{Aggregation::sum, "sum"},
     {Aggregation::mean, "mean"},
     {Aggregation::ratio_of_sums, "ratio_of_sums"},
     {Aggregation::last, "last"},
     {Aggregation::median, "median"}}};

}  // namespace

std::string_view to_string(Level v) noexcept { return name_of(levels, v); }
std::string_view to_string(Measure v) noexcept { return name_of(measures, v); }
std::string_view to_string(Direction v) noexcept { return name_of(directions, v); }
std::string_view to_string(Aggregation v) noexcept { return name_of(aggregations, v); }
std::optional<Level> parse_level(std::string_view t) noexcept { return parse_of(levels, t); }
std::optional<Measure> parse_measure(std::string_view t) noexcept { return parse_of(measures, t); }
std::optional<Direction> parse_direction(std::string_view t) noexcept { return parse_of(directions, t); }
std::optional<Aggregation> parse_aggregation(std::string_view t) noexcept { return parse_of(aggregations, t); }
std::string_view level_names() noexcept { return "output, outcome, impact"; }
std::string_view measure_names() noexcept { return "count, percent, days, ratio, binary, score"; }
std::string_view direction_names() noexcept { return "up, down"; }
std::string_view aggregation_names() noexcept { return "sum, mean, ratio_of_sums, last, median"; }

Aggregation default_aggregation(Measure m) noexcept
{
    switch (m) {
    case Measure::count: return Aggregation::sum;
    case Measure::percent: return Aggregation::ratio_of_sums;
    case Measure::days: return Aggregation::median;
    case Measure::binary: return Aggregation::last;
    case Measure::ratio:
    case Measure::score: return Aggregation::mean;
    }
    return Aggregation::mean;
}

std::optional<std::string> check_value(Measure m, double value)
{
    if (!std::isfinite(value)) return "a finite number";
    switch (m) {
    case Measure::percent:
        if (value < 0 || value > 100) return "a percent within 0..100";
        break;
    case Measure::count:
        if (value < 0) return "a count of 0 or more";
        break;
    case Measure::days:
        if (value < 0) return "a number of days of 0 or more";
        break;
    case Measure::binary:
        if (value != 0 && value != 1) return "0 or 1 (a binary measure)";
        break;
    case Measure::ratio:
        if (value < 0) return "a ratio of 0 or more";
        break;
    case Measure::score: break;
    }
    return std::nullopt;
}

}  // namespace taeval::indicators

namespace taeval::indicators {

namespace {
constexpr std::array<std::string_view, 7> areas{"criminalization",     "international_cooperation",
                                                "central_authorities", "victims",
                                                "witness_protection",  "regional_cooperation",
                                                "firearms"};
constexpr std::array<std::string_view, 5> instruments{"UNTOC", "TIP", "SOM", "FIREARMS", "UNCAC"};
}  // namespace

bool is_priority_area(std::string_view code) noexcept
{
    return std::find(areas.begin(), areas.end(), code) != areas.end();
}

std::string_view priority_area_names() noexcept
{
    return "criminalization, international_cooperation, central_authorities, victims, witness_protection, "
           "regional_cooperation, firearms";
}

bool is_instrument(std::string_view code) noexcept
{
    return std::find(instruments.begin(), instruments.end(), code) != instruments.end();
}

}  // namespace taeval::indicators
