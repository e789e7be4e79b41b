#pragma once
// Reporting periods (a year, a quarter or a month) and calendar dates.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace taeval::indicators {

/// How often an indicator is measured. Ordered from finest to coarsest.
enum class Frequency { month, quarter, year };

[[nodiscard]] std::string_view to_string(Frequency f) noexcept;
/// Parses "month", "quarter" or "year".
[[nodiscard]] std::optional<Frequency> parse_frequency(std::string_view text) noexcept;
/// Periods of frequency f in one year (12, 4, 1).
[[nodiscard]] int periods_per_year(Frequency f) noexcept;

/// The years a portfolio's periods and dates may fall in. A year outside is
/// a typing error (9999 for "unknown", 2202 for 2022) rather than data, and
/// would stretch every series' grid to it.
inline constexpr int earliest_year = 1950;
inline constexpr int latest_year = 2100;
[[nodiscard]] constexpr bool within_years(int year) noexcept { return year >= earliest_year && year <= latest_year; }

/// A calendar date (proleptic Gregorian).
struct Date {
    int year = 1970;
    int month = 1;
    int day = 1;
    auto operator<=>(const Date&) const = default;
    /// Days since 1970-01-01.
    [[nodiscard]] std::int64_t days() const noexcept;
    [[nodiscard]] std::string to_string() const;
    /// Parses an ISO date `YYYY-MM-DD`, checking that the day exists.
    [[nodiscard]] static std::optional<Date> parse(std::string_view text) noexcept;
    [[nodiscard]] static Date from_days(std::int64_t days) noexcept;
};

/// One reporting period: `2024` (year), `2024-Q1` (quarter) or `2024-03` (month).
class Period {
public:
    Period() = default;
    /// `index` is the quarter (1..4) or month (1..12); ignored for a year.
    Period(Frequency frequency, int year, int index = 1);

    /// Parses any of the three forms; nullopt when it matches none.
    [[nodiscard]] static std::optional<Period> parse(std::string_view text) noexcept;
    /// The period of frequency f that contains a date.
    [[nodiscard]] static Period containing(Frequency f, const Date& date) noexcept;

    [[nodiscard]] Frequency frequency() const noexcept { return m_frequency; }
    [[nodiscard]] int year() const noexcept { return m_year; }
    /// Quarter (1..4), month (1..12), or 1 for a year.
    [[nodiscard]] int index() const noexcept { return m_index; }
    /// Periods since year 0 at this frequency: consecutive periods differ by 1.
    [[nodiscard]] std::int64_t ordinal() const noexcept;
    /// The period `n` periods later (earlier when n < 0).
    [[nodiscard]] Period plus(std::int64_t n) const noexcept;
    /// Number of periods from `other` to this one (same frequency required).
    [[nodiscard]] std::int64_t minus(const Period& other) const;
    [[nodiscard]] Date first_day() const noexcept;
    [[nodiscard]] Date last_day() const noexcept;
    /// The period of a coarser (or equal) frequency that contains this one.
    [[nodiscard]] Period to(Frequency coarser) const;
    [[nodiscard]] std::string to_string() const;

    /// Ordered by start, then by frequency (a month before its quarter).
    auto operator<=>(const Period& other) const noexcept
    {
        if (auto c = first_day() <=> other.first_day(); c != 0) return c;
        return m_frequency <=> other.m_frequency;
    }
    bool operator==(const Period& other) const noexcept = default;

private:
    Frequency m_frequency = Frequency::year;
    int m_year = 1970;
    int m_index = 1;
};

}  // namespace taeval::indicators
