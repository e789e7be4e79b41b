#pragma once
// Internal to engine/import: the problems an import collects and one data row
// under validation, with typed access to its cells.
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/algorithm/string/trim.hpp>
#include <fmt/format.h>

#include "engine/import/importer.hpp"
#include "engine/io/csv_reader.hpp"
#include "indicators/period.hpp"
#include "models/error.hpp"

namespace taeval::engine::import_detail {

namespace ind = taeval::indicators;

constexpr std::size_t max_shown = 50;

// Every problem counts; the first max_shown are kept for the message.
class Problems {
public:
    void add(ImportProblem p)
    {
        ++m_count;
        if (!p.conflict) m_all_conflicts = false;
        if (m_shown.size() < max_shown) m_shown.push_back(std::move(p));
    }
    [[nodiscard]] std::size_t count() const noexcept { return m_count; }
    [[nodiscard]] bool empty() const noexcept { return m_count == 0; }

    [[noreturn]] void raise() const
    {
        std::string msg = fmt::format("import failed: {} problem{} found; nothing was imported", m_count,
                                      m_count == 1 ? "" : "s");
        for (const auto& p : m_shown) msg += "\n  " + to_string(p);
        if (m_count > m_shown.size()) msg += fmt::format("\n  ... and {} more", m_count - m_shown.size());
        throw Error(m_all_conflicts ? ErrorCode::conflict : ErrorCode::bad_input, msg);
    }

private:
    std::vector<ImportProblem> m_shown;
    std::size_t m_count = 0;
    bool m_all_conflicts = true;
};

// Spaces and tabs, the blanks of the "C" locale, without a locale look-up
// per character (this runs on every cell of an import).
inline bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }

inline std::string_view trim_view(std::string_view s) { return boost::algorithm::trim_copy_if(s, is_blank); }

inline std::string trim(std::string_view s) { return std::string(trim_view(s)); }

// Heterogeneous look-up: the cells of a row are looked up as views, without
// building a string per look-up.
struct ViewHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};
template <typename T>
using ByCode = std::unordered_map<std::string, T, ViewHash, std::equal_to<>>;



// One data row being validated: typed access to its cells, every failure
// recorded as a problem naming line, column and value. Columns are looked up
// by name once per file (column()); the typed accessors take the Column, so
// the millions of rows of an observations file cost no name look-ups and no
// copies of their cells.
class Row {
public:
    /// A column of the file: its name and 0-based index, or npos when absent.
    struct Column {
        std::string_view name;
        std::size_t index = std::string_view::npos;
    };

    Row(const std::string& file, const std::map<std::string, std::size_t, std::less<>>& cols, Problems& problems)
        : m_file(file), m_cols(cols), m_problems(problems)
    {
    }

    [[nodiscard]] Column column(std::string_view name) const
    {
        const auto it = m_cols.find(name);
        return {name, it == m_cols.end() ? std::string_view::npos : it->second};
    }

    void reset(const CsvRecord& record)
    {
        m_record = &record;
        m_ok = true;
    }
    [[nodiscard]] bool ok() const noexcept { return m_ok; }
    [[nodiscard]] std::size_t line() const noexcept { return m_record->line; }

    /// The trimmed cell, or "" when the column is absent; valid until the next reset().
    [[nodiscard]] std::string_view view(Column c) const
    {
        if (c.index == std::string_view::npos) return {};
        return trim_view(m_record->fields[c.index]);
    }
    [[nodiscard]] std::string get(std::string_view name) const { return std::string(view(column(name))); }

    void fail(Column c, std::string_view value, std::string expected, bool conflict = false)
    {
        m_problems.add({m_file, line(), c.index == std::string_view::npos ? 0 : c.index + 1, std::string(c.name),
                        std::string(value), std::move(expected), conflict});
        m_ok = false;
    }
    void fail(std::string_view name, std::string_view value, std::string expected, bool conflict = false)
    {
        fail(column(name), value, std::move(expected), conflict);
    }

    std::string_view required(Column c)
    {
        const std::string_view v = view(c);
        if (v.empty()) fail(c, v, "a value (the column is required)");
        return v;
    }
    std::string required(std::string_view name) { return std::string(required(column(name))); }

    std::string code(std::string_view name)
    {
        std::string v = required(name);
        if (!v.empty() && v.find_first_of(" \t@;,") != std::string::npos)
            fail(name, v, "a code without spaces, '@', ';' or ','");
        return v;
    }

    std::optional<ind::Date> date(std::string_view name, bool optional = false)
    {
        const Column c = column(name);
        const std::string_view v = optional ? view(c) : required(c);
        if (v.empty()) return std::nullopt;
        auto d = ind::Date::parse(v);
        if (!d) {
            fail(c, v, "an ISO date YYYY-MM-DD that exists");
        } else if (!ind::within_years(d->year)) {
            fail(c, v, fmt::format("a date from {}-01-01 to {}-12-31", ind::earliest_year, ind::latest_year));
            d.reset();
        }
        return d;
    }

    std::optional<double> number(Column c, bool optional = false)
    {
        const std::string_view v = optional ? view(c) : required(c);
        if (v.empty()) return std::nullopt;
        double x = 0;
        const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
        if (ec != std::errc() || ptr != v.data() + v.size() || !std::isfinite(x)) {
            fail(c, v, "a finite number");
            return std::nullopt;
        }
        return x;
    }
    std::optional<double> number(std::string_view name, bool optional = false)
    {
        return number(column(name), optional);
    }

    std::optional<std::int64_t> integer(std::string_view name)
    {
        const Column c = column(name);
        const std::string_view v = view(c);
        if (v.empty()) return std::nullopt;
        std::int64_t x = 0;
        const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
        if (ec != std::errc() || ptr != v.data() + v.size() || x < 0) {
            fail(c, v, "a whole number of 0 or more");
            return std::nullopt;
        }
        return x;
    }

    template <typename E>
    std::optional<E> choice(std::string_view name, std::optional<E> (*parse)(std::string_view) noexcept,
                            std::string_view names, bool optional = false)
    {
        const Column c = column(name);
        const std::string_view v = optional ? view(c) : required(c);
        if (v.empty()) return std::nullopt;
        auto e = parse(v);
        if (!e) fail(c, v, "one of: " + std::string(names));
        return e;
    }

private:
    const std::string& m_file;
    const std::map<std::string, std::size_t, std::less<>>& m_cols;
    Problems& m_problems;
    const CsvRecord* m_record = nullptr;
    bool m_ok = true;
};

}  // namespace taeval::engine::import_detail
