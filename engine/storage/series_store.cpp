#include "engine/storage/series_store.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "engine/storage/connection.hpp"
#include "models/error.hpp"

namespace taeval::engine::storage {

void for_each_indicator_series(Database& db,
                               const std::function<void(const std::string&, std::vector<StateReports>&)>& visit)
{
    auto& c = db.connection().db;
    std::unordered_map<std::int64_t, std::string> iso3;
    {
        SQLite::Statement s(c, "SELECT id, iso3 FROM states");
        while (s.executeStep()) iso3.emplace(s.getColumn(0).getInt64(), s.getColumn(1).getString());
    }
    std::vector<std::pair<std::int64_t, std::string>> indicators;
    {
        SQLite::Statement s(c, "SELECT id, code FROM indicators ORDER BY code");
        while (s.executeStep()) indicators.emplace_back(s.getColumn(0).getInt64(), s.getColumn(1).getString());
    }
    // The key is (indicator_id, state_id, period, breakdown): one indicator's
    // totals come in key order, state by state, periods ascending.
    SQLite::Statement rows(c, "SELECT state_id, period, value FROM observations "
                              "WHERE indicator_id = ? AND breakdown = '' ORDER BY state_id, period");
    std::vector<StateReports> reports;
    for (const auto& [id, code] : indicators) {
        reports.clear();
        rows.reset();
        rows.bind(1, id);
        std::int64_t current = -1;
        while (rows.executeStep()) {
            const std::int64_t state = rows.getColumn(0).getInt64();
            if (state != current || reports.empty()) {
                const auto it = iso3.find(state);
                if (it == iso3.end())
                    throw Error(ErrorCode::internal, "an observation of " + code + " refers to an unknown state");
                reports.push_back({it->second, {}});
                current = state;
            }
            const char* text = rows.getColumn(1).getText();
            if (auto p = indicators::Period::parse(std::string_view(text)))
                reports.back().points.push_back({*p, rows.getColumn(2).getDouble()});
        }
        std::erase_if(reports, [](const StateReports& r) { return r.points.empty(); });
        if (reports.empty()) continue;
        std::sort(reports.begin(), reports.end(),
                  [](const StateReports& a, const StateReports& b) { return a.state < b.state; });
        visit(code, reports);
    }
}

std::vector<SeriesRow> read_series(Database& db, const std::string& indicator, const std::string& iso3)
{
    auto& c = db.connection().db;
    const auto id_of = [&c](const char* sql, const std::string& key, const std::string& what) {
        SQLite::Statement s(c, sql);
        s.bind(1, key);
        if (!s.executeStep()) throw Error(ErrorCode::not_found, "no " + what + " '" + key + "'");
        return s.getColumn(0).getInt64();
    };
    const auto ind = id_of("SELECT id FROM indicators WHERE code = ?", indicator, "indicator");
    const auto state = id_of("SELECT id FROM states WHERE iso3 = ?", iso3, "state");
    SQLite::Statement rows(c, "SELECT o.period, o.value, IFNULL(o.source, ''), b.file, o.line FROM observations o "
                              "JOIN import_batches b ON b.id = o.batch_id "
                              "WHERE o.indicator_id = ? AND o.state_id = ? AND o.breakdown = ''");
    rows.bind(1, ind);
    rows.bind(2, state);
    std::vector<SeriesRow> out;
    while (rows.executeStep())
        if (auto p = indicators::Period::parse(std::string_view(rows.getColumn(0).getText())))
            out.push_back({*p, rows.getColumn(1).getDouble(), rows.getColumn(2).getString(),
                           rows.getColumn(3).getString(), rows.getColumn(4).getInt64()});
    std::sort(out.begin(), out.end(), [](const SeriesRow& a, const SeriesRow& b) { return a.period < b.period; });
    return out;
}

}  // namespace taeval::engine::storage
