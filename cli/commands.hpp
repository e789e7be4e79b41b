#pragma once
// One add_*_command per subcommand, each in its own file (cli/<name>_command.cpp).
#include <CLI/CLI.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>

#include "engine/storage/database.hpp"

namespace taeval::cli {

/// Options every database command shares.
struct GlobalOptions {
    std::string db;  ///< --db PATH; empty: $TAEVAL_DB, else ./taeval.db
    double wait_seconds = 5;  ///< --wait: how long a write waits for another writer's lock
    /// The database path in force.
    [[nodiscard]] std::filesystem::path database() const;
    /// Opens the database in force for `access`; a write that has to wait
    /// for another writer's lock says so on stderr.
    [[nodiscard]] std::unique_ptr<engine::storage::Database> open(engine::storage::Access access) const;
};

void add_init_command(CLI::App& app, const GlobalOptions& global);
void add_import_command(CLI::App& app, const GlobalOptions& global);
void add_list_command(CLI::App& app, const GlobalOptions& global);
void add_score_command(CLI::App& app, const GlobalOptions& global);
void add_evaluate_command(CLI::App& app, const GlobalOptions& global);
void add_effects_command(CLI::App& app, const GlobalOptions& global);
void add_series_command(CLI::App& app, const GlobalOptions& global);
/// IND@ISO3 as (indicator, state); taeval::Error(usage) naming `what` otherwise.
[[nodiscard]] std::pair<std::string, std::string> parse_series_key(const std::string& text, const std::string& what);
void add_graph_command(CLI::App& app, const GlobalOptions& global);
void add_generate_command(CLI::App& app);
void add_demo_command(CLI::App& app);
void add_fit_command(CLI::App& app);

// `taeval fit MODEL`: one file per model (cli/fit_<model>_command.cpp),
// sharing cli/fit_common.hpp.
void add_fit_ols_command(CLI::App& fit);
void add_fit_trend_command(CLI::App& fit);
void add_fit_its_command(CLI::App& fit);
void add_fit_did_command(CLI::App& fit);
void add_fit_fdr_command(CLI::App& fit);
void add_fit_local_level_command(CLI::App& fit);
void add_fit_local_trend_command(CLI::App& fit);
void add_fit_impact_command(CLI::App& fit);
void add_fit_meta_command(CLI::App& fit);

}  // namespace taeval::cli
