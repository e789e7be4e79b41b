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

}  // namespace taeval::engine::storage
