#include "indicators/period.hpp"

#include <charconv>
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

bool leap(int y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) noexcept
{
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
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

// Howard Hinnant's days_from_civil.
std::int64_t Date::days() const noexcept
{
    const int y = month <= 2 ? year - 1 : year;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int mp = (month + 9) % 12;
    const int doy = (153 * mp + 2) / 5 + day - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

Date Date::from_days(std::int64_t z) noexcept
{
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<int>(z - era * 146097);
    const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int mp = (5 * doy + 2) / 153;
    const int d = doy - (153 * mp + 2) / 5 + 1;
    const int m = mp < 10 ? mp + 3 : mp - 9;
    const auto y = static_cast<int>(yoe + era * 400) + (m <= 2 ? 1 : 0);
    return Date{y, m, d};
}

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
    if (!y || !m || !d || *m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m)) return std::nullopt;
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

Date Period::last_day() const noexcept { return Date::from_days(plus(1).first_day().days() - 1); }

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
