#pragma once
// Reading the observations as series, one indicator at a time, for the
// commands that model every series (`taeval evaluate`): memory holds one
// indicator's reports, not the whole table.
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

}  // namespace taeval::engine::storage
