#include "indicators/period.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>

#include "models/error.hpp"

namespace taeval::indicators {

std::string_view to_string(Frequency f) noexcept
{
    switch (f) {
    case Frequency::month: return "month";
    case Frequency::quarter: return "quarter";
    case Frequency::year: return "year";
    }
    return "year";
}

std::optional<Frequency> parse_frequency(std::string_view text) noexcept
{
    if (text == "month") return Frequency::month;
    if (text == "quarter") return Frequency::quarter;
    if (text == "year") return Frequency::year;
    return std::nullopt;
}

int periods_per_year(Frequency f) noexcept
{
    switch (f) {
    case Frequency::month: return 12;
    case Frequency::quarter: return 4;
    case Frequency::year: return 1;
    }
    return 1;
}

namespace {

namespace chr = std::chrono;

// The calendar arithmetic is C++20's (<chrono>'s civil calendar).
chr::year_month_day civil(int year, int month, int day) noexcept
{
    return chr::year{year} / chr::month{static_cast<unsigned>(month)} / chr::day{static_cast<unsigned>(day)};
}

Date from_civil(const chr::year_month_day& ymd) noexcept
{
    return Date{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
                static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

// Parses exactly `digits` decimal digits.
std::optional<int> parse_digits(std::string_view text, std::size_t digits) noexcept
{
    if (text.size() != digits) return std::nullopt;
    int value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

}  // namespace

std::int64_t Date::days() const noexcept
{
    return chr::sys_days{civil(year, month, day)}.time_since_epoch().count();
}

Date Date::from_days(std::int64_t z) noexcept { return from_civil(chr::year_month_day{chr::sys_days{chr::days{z}}}); }

std::string Date::to_string() const
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
}

std::optional<Date> Date::parse(std::string_view text) noexcept
{
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    const auto y = parse_digits(text.substr(0, 4), 4);
    const auto m = parse_digits(text.substr(5, 2), 2);
    const auto d = parse_digits(text.substr(8, 2), 2);
    if (!y || !m || !d || !civil(*y, *m, *d).ok()) return std::nullopt;
    return Date{*y, *m, *d};
}

Period::Period(Frequency frequency, int year, int index)
    : m_frequency(frequency), m_year(year), m_index(frequency == Frequency::year ? 1 : index)
{
    if (m_index < 1 || m_index > periods_per_year(frequency))
        throw Error(ErrorCode::internal, "Period: index " + std::to_string(index) + " out of range");
}

std::optional<Period> Period::parse(std::string_view text) noexcept
{
    if (text.size() == 4) {
        if (auto y = parse_digits(text, 4)) return Period(Frequency::year, *y);
        return std::nullopt;
    }
    if (text.size() != 7 || text[4] != '-') return std::nullopt;
    const auto y = parse_digits(text.substr(0, 4), 4);
    if (!y) return std::nullopt;
    if (text[5] == 'Q') {
        const auto q = parse_digits(text.substr(6, 1), 1);
        if (!q || *q < 1 || *q > 4) return std::nullopt;
        return Period(Frequency::quarter, *y, *q);
    }
    const auto m = parse_digits(text.substr(5, 2), 2);
    if (!m || *m < 1 || *m > 12) return std::nullopt;
    return Period(Frequency::month, *y, *m);
}

Period Period::containing(Frequency f, const Date& date) noexcept
{
    switch (f) {
    case Frequency::month: return Period(f, date.year, date.month);
    case Frequency::quarter: return Period(f, date.year, (date.month - 1) / 3 + 1);
    case Frequency::year: return Period(f, date.year);
    }
    return Period(Frequency::year, date.year);
}

std::int64_t Period::ordinal() const noexcept
{
    return static_cast<std::int64_t>(m_year) * periods_per_year(m_frequency) + (m_index - 1);
}

Period Period::plus(std::int64_t n) const noexcept
{
    const std::int64_t per = periods_per_year(m_frequency);
    std::int64_t o = ordinal() + n;
    std::int64_t y = o >= 0 ? o / per : (o - per + 1) / per;
    return Period(m_frequency, static_cast<int>(y), static_cast<int>(o - y * per) + 1);
}

std::int64_t Period::minus(const Period& other) const
{
    if (other.m_frequency != m_frequency)
        throw Error(ErrorCode::internal, "Period::minus: " + to_string() + " and " + other.to_string() +
                                             " have different frequencies");
    return ordinal() - other.ordinal();
}

Date Period::first_day() const noexcept
{
    switch (m_frequency) {
    case Frequency::month: return Date{m_year, m_index, 1};
    case Frequency::quarter: return Date{m_year, (m_index - 1) * 3 + 1, 1};
    case Frequency::year: return Date{m_year, 1, 1};
    }
    return Date{m_year, 1, 1};
}

Date Period::last_day() const noexcept
{
    const int last_month = m_frequency == Frequency::month ? m_index : m_frequency == Frequency::quarter ? m_index * 3 : 12;
    return from_civil(chr::year_month_day{chr::year{m_year} / chr::month{static_cast<unsigned>(last_month)} / chr::last});
}

Period Period::to(Frequency coarser) const
{
    if (coarser < m_frequency)
        throw Error(ErrorCode::internal, "Period::to: cannot convert " + to_string() + " to a finer frequency");
    return containing(coarser, first_day());
}

std::string Period::to_string() const
{
    char buf[16];
    switch (m_frequency) {
    case Frequency::month: std::snprintf(buf, sizeof buf, "%04d-%02d", m_year, m_index); break;
    case Frequency::quarter: std::snprintf(buf, sizeof buf, "%04d-Q%d", m_year, m_index); break;
    case Frequency::year: std::snprintf(buf, sizeof buf, "%04d", m_year); break;
    }
    return buf;
}

}  // namespace taeval::indicators
