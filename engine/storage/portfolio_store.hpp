#pragma once
// Reading and writing the portfolio tables. The only place their SQL lives:
// one file per table (engine/storage/*_table.cpp) maps its record to and from
// SQL; docs/storage.md has the pattern.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/portfolio.hpp"
#include "engine/storage/database.hpp"
#include "indicators/indicator.hpp"

namespace taeval::engine::storage {

/// What writing one record did.
enum class PutOutcome {
    inserted,   ///< a new key
    unchanged,  ///< the key was stored with the same content
    replaced,   ///< the key was stored with other content, and replace was asked
    conflict,   ///< the key was stored with other content by an earlier import
    duplicate,  ///< the key appeared earlier in the same file
};

/// The outcome, and for conflict and duplicate where the stored row came from.
struct PutResult {
    PutOutcome outcome = PutOutcome::inserted;
    Provenance existing;
    std::string existing_file;  ///< the file of the existing row's batch
    /// For conflict and replaced: the fields that differ, stored and incoming
    /// (`name: 'X, Y' stored, 'X' here; ...`), compared as typed values.
    std::string differences;
};

/// What observation validation needs to know of an indicator.
struct IndicatorKey {
    std::int64_t id = 0;
    indicators::Frequency frequency = indicators::Frequency::year;
    indicators::Measure measure = indicators::Measure::count;
};

/// Row counts of the portfolio tables.
struct TableCounts {
    std::int64_t states = 0, providers = 0, projects = 0, interventions = 0, indicators = 0, targets = 0,
                 observations = 0, links = 0, batches = 0;
};

/// The portfolio tables of a database. Keeps prepared statements, so one
/// store serves a whole import.
class PortfolioStore {
public:
    explicit PortfolioStore(Database& db);
    ~PortfolioStore();
    PortfolioStore(const PortfolioStore&) = delete;
    PortfolioStore& operator=(const PortfolioStore&) = delete;

    // Import batches.
    [[nodiscard]] std::optional<ImportBatch> find_batch(const std::string& file, const std::string& sha256);
    [[nodiscard]] std::int64_t add_batch(const ImportBatch& batch);
    void set_batch_rows(std::int64_t batch, std::int64_t rows);
    [[nodiscard]] std::vector<ImportBatch> batches();

    // Writing: `at` is the batch and line of the record being written.
    PutResult put(const State& r, Provenance at, bool replace);
    PutResult put(const Provider& r, Provenance at, bool replace);
    PutResult put(const Project& r, Provenance at, bool replace);
    PutResult put(const Intervention& r, Provenance at, bool replace);
    PutResult put(const indicators::Indicator& r, Provenance at, bool replace);
    PutResult put(const Target& r, Provenance at, bool replace);
    /// The hot path of an import: ids resolved (and checked) by the caller.
    /// The text is bound without a copy.
    PutResult put_observation(std::int64_t indicator_id, std::int64_t state_id, std::string_view period,
                              std::string_view breakdown, double value, std::string_view source, Provenance at,
                              bool replace);
    /// The stored value of one observation, if any.
    [[nodiscard]] std::optional<double> observation_value(std::int64_t indicator_id, std::int64_t state_id,
                                                          std::string_view period, std::string_view breakdown);
    PutResult put(const Link& r, Provenance at, bool replace);

    // Look-ups for validation.
    [[nodiscard]] std::optional<std::int64_t> state_id(std::string_view iso3);
    [[nodiscard]] std::optional<IndicatorKey> indicator_key(std::string_view code);
    [[nodiscard]] bool has_provider(std::string_view code);
    [[nodiscard]] bool has_project(std::string_view code);
    [[nodiscard]] bool has_intervention(std::string_view code);

    // Listings, ordered by key.
    [[nodiscard]] std::vector<State> states();
    [[nodiscard]] std::vector<Provider> providers();
    [[nodiscard]] std::vector<Project> projects();
    [[nodiscard]] std::vector<Intervention> interventions();
    [[nodiscard]] std::vector<indicators::Indicator> indicators();
    [[nodiscard]] std::vector<Target> targets();
    [[nodiscard]] std::vector<Link> links();
    /// Every observation, ordered by indicator, state and period.
    [[nodiscard]] std::vector<Observation> observations();
    [[nodiscard]] TableCounts counts();

private:
    // One row by its code, or every row for "": the conflict checks of put()
    // read only the stored row they compare against.
    std::vector<Project> read_projects(const std::string& code);
    std::vector<Intervention> read_interventions(const std::string& code);
    std::vector<indicators::Indicator> read_indicators(const std::string& code);

    struct Statements;
    Database& m_db;
    std::unique_ptr<Statements> m_stmt;
};

}  // namespace taeval::engine::storage
