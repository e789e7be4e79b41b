#pragma once
// Internal to engine/import: the importer of one bundle's files. Its core
// (bundle_importer.cpp) reads each file and counts what happened; each bundle
// file has its own parser (states_file.cpp, projects_file.cpp,
// indicators_file.cpp, observations_file.cpp, links_file.cpp), which
// validates a row into its typed record and hands it to the store.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "engine/import/row.hpp"
#include "engine/storage/portfolio_store.hpp"

namespace taeval::engine::import_detail {

using storage::PutResult;

/// The columns of each bundle file: required, then optional.
struct ColumnSpec {
    std::vector<std::string> required;
    std::vector<std::string> optional;
};
[[nodiscard]] const std::map<std::string, ColumnSpec>& column_specs();

class BundleImporter {
public:
    BundleImporter(storage::Database& db, const ImportOptions& options) : m_store(db), m_options(options) {}

    FileReport import_file(const std::string& name, const std::filesystem::path& path);
    void check_links_acyclic();
    [[nodiscard]] const Problems& problems() const noexcept { return m_problems; }

private:
    bool check_header(const std::string& name, const CsvReader& reader,
                      std::map<std::string, std::size_t, std::less<>>& cols);
    void count(FileReport& report, const PutResult& r, Row& row);
    [[nodiscard]] std::string row_file() const { return m_current; }
    std::optional<PutResult> put_row(const std::string& name, Row& row, Provenance at);

    // One parser per bundle file: the row validated into its record and
    // stored, or nothing when the row has a problem.
    std::optional<PutResult> put_state(Row& row, Provenance at);
    std::optional<PutResult> put_provider(Row& row, Provenance at);
    std::optional<PutResult> put_project(Row& row, Provenance at);
    std::optional<PutResult> put_intervention(Row& row, Provenance at);
    std::optional<PutResult> put_indicator(Row& row, Provenance at);
    std::optional<PutResult> put_target(Row& row, Provenance at);
    std::optional<PutResult> put_observation(Row& row, Provenance at);
    std::optional<PutResult> put_link(Row& row, Provenance at);

    void check_area(Row& row, const std::string& area);
    void check_rollup(Row& row, const Target& t);
    // Caches: observation files name the same few indicators and states
    // millions of times, and in runs: the last hit is checked first.
    std::optional<storage::IndicatorKey> lookup_indicator(Row& row, Row::Column column, std::string_view code);
    std::optional<storage::IndicatorKey> lookup_indicator(Row& row, const std::string& code);
    std::optional<std::int64_t> state_id(std::string_view iso3);
    void check_indicator_references();
    std::string canonical_breakdown(Row& row, Row::Column column);
    static std::string breakdown_keys(const std::string& canonical);
    void check_breakdowns(const std::string& file);

    // The columns of observations.csv, looked up once per file.
    struct ObservationColumns {
        ObservationColumns() = default;
        explicit ObservationColumns(const Row& row)
            : indicator(row.column("indicator")), state(row.column("state")), period(row.column("period")),
              value(row.column("value")), source(row.column("source")), breakdown(row.column("breakdown"))
        {
        }
        Row::Column indicator, state, period, value, source, breakdown;
    };

    struct PendingRef {
        std::size_t line;
        std::string code, numerator, denominator;
    };

    storage::PortfolioStore m_store;
    const ImportOptions& m_options;
    Problems m_problems;
    std::string m_current;
    std::vector<PendingRef> m_pending_refs;
    // For targets.csv's rollup column, read when first needed (states.csv
    // and indicators.csv are imported before it): the regions of the
    // states, and each indicator's priority area.
    std::optional<std::set<std::string>> m_regions;
    std::optional<std::map<std::string, std::string>> m_indicator_areas;
    ObservationColumns m_obs;
    // The last hit of each cache: reassigned on every miss (so it never
    // outlives a rehash) and reset when the cache is cleared.
    ByCode<std::optional<storage::IndicatorKey>> m_indicators;
    ByCode<std::optional<storage::IndicatorKey>>::iterator m_last_indicator = m_indicators.end();
    ByCode<std::optional<std::int64_t>> m_states;
    ByCode<std::optional<std::int64_t>>::iterator m_last_state = m_states.end();
    // (indicator, state, period, dimension keys) -> (sum of breakdowns, first line)
    std::map<std::tuple<std::int64_t, std::int64_t, std::string, std::string>, std::pair<double, std::size_t>>
        m_breakdown_sums;
};

}  // namespace taeval::engine::import_detail
