#pragma once
// Reading the observations as series, one indicator at a time, for the
// commands that model every series (`taeval evaluate`): memory holds one
// indicator's reports, not the whole table.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/storage/database.hpp"
#include "indicators/series.hpp"

namespace taeval::engine::storage {

/// One state's reported totals of an indicator, ordered by period.
struct StateReports {
    std::string state;  ///< ISO3 code
    std::vector<indicators::Point> points;
};

/// Calls `visit(indicator code, reports)` for every indicator with at least
/// one reported total (breakdown ''), in the order of their codes, with the
/// reports of each state ordered by ISO3 code and then by period (the order
/// of PortfolioStore::observations()). A period whose text does not parse
/// is skipped. `reports` may be moved from. Reads each indicator's rows by
/// the observations table's key, so no sort of the whole table is needed.
void for_each_indicator_series(Database& db,
                               const std::function<void(const std::string&, std::vector<StateReports>&)>& visit);

/// One reported total of a series, with where it came from.
struct SeriesRow {
    indicators::Period period;
    double value = 0;
    std::string source;  ///< the observation's source column ("" when none)
    std::string file;    ///< the bundle file of the import that stored it
    std::int64_t line = 0;  ///< its line in that file
};

/// The reported totals (breakdown '') of `indicator` in `iso3`, by period,
/// as for_each_indicator_series reads them (a period that does not parse is
/// skipped). Empty when nothing is reported. Throws taeval::Error
/// (not_found) for an unknown indicator or state.
[[nodiscard]] std::vector<SeriesRow> read_series(Database& db, const std::string& indicator, const std::string& iso3);

}  // namespace taeval::engine::storage
