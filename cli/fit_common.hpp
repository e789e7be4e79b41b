#pragma once
// What the `taeval fit` subcommands (cli/fit_<model>_command.cpp, one file
// each) share: reading columns, the covariance, alpha and forecast options,
// and the summaries printed after the parameter table.
#include <CLI/CLI.hpp>
#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/fit_output.hpp"
#include "cli/output.hpp"
#include "engine/io/csv_reader.hpp"
#include "models/covariance.hpp"
#include "models/estimates.hpp"
#include "models/its.hpp"
#include "models/state_space.hpp"

namespace taeval::cli {

/// Throws taeval::Error(usage) with the message.
[[noreturn]] void usage(const std::string& message);
/// A non-negative integer, or usage() naming `what`.
[[nodiscard]] std::size_t parse_count(const std::string& text, const std::string& what);
/// "nw" or "nw:L": the lag when given.
[[nodiscard]] std::optional<std::size_t> parse_nw_lag(const std::string& value, const std::string& option);
/// Group ids from a text column, numbered in order of first appearance.
/// Throws taeval::Error(bad_input) for an empty cell.
[[nodiscard]] std::vector<std::int64_t> group_ids(const engine::CsvTable& table, const std::string& column);
[[nodiscard]] Eigen::VectorXd to_vector(const std::vector<double>& v);
/// The values of `taeval fit its --errors`, `--method` and
/// `--phi-uncertainty` that select the error model of `spec` (method empty
/// unless AR(1), phi_uncertainty unless REML or ML; Newey-West with the
/// automatic lag).
struct ItsErrorsOptions {
    std::string errors, method, phi_uncertainty;
    /// "--errors E [--method M [--phi-uncertainty U]]"
    [[nodiscard]] std::string flags() const;
};
/// Defined beside the parsing of those options.
[[nodiscard]] ItsErrorsOptions its_errors_options(const models::ItsSpec& spec);
/// --alpha, in (0, 1).
CLI::Option* add_alpha(CLI::App& cmd, double& alpha);

/// --cov and --nw-adjust of the regressions.
struct CovOptions {
    std::string cov = "classical";
    bool nw_adjust = false;
};

/// Adds --cov (with cluster:COL when `cluster`) and --nw-adjust.
void add_cov_options(CLI::App& cmd, CovOptions& o, bool cluster);
/// The covariance the options ask for; usage() when they are inconsistent.
[[nodiscard]] models::CovSpec cov_spec(const CovOptions& o, const engine::CsvTable& table);
/// The covariance as the summary names it.
[[nodiscard]] std::string cov_description(models::CovType type, std::size_t lags, bool adjusted, std::size_t clusters);
/// Prints a regression in the chosen format: JSON, the parameter table as
/// CSV, or the table with a summary (diagnostics, covariance, `extra` lines)
/// for a person; warnings go to stderr.
void emit_regression(Format format, const models::Estimates& est, const models::Diagnostics& diag,
                     const nlohmann::json& json, const std::string& cov,
                     const std::vector<std::pair<std::string, std::string>>& extra);

/// Forecast and threshold options shared by local-level and local-trend.
struct ForecastArgs {
    std::size_t horizon = 0;
    std::optional<double> threshold;
    std::string better;
};
/// Adds --forecast, --threshold and --better.
void add_forecast_options(CLI::App& cmd, ForecastArgs& a);
/// usage() unless the forecast options are consistent.
void check_forecast_args(const ForecastArgs& a);
/// The estimated variances as JSON (slope and seasonal only when the model has them).
[[nodiscard]] nlohmann::json sigma2_json(const models::StateSpaceVariances& v);
/// Common output of the two state-space commands (local-level, local-trend).
void emit_state_space(Format format, const std::string& model, const models::Estimates& est,
                      const models::Diagnostics& diag, const models::StateSpaceVariances& sigma2,
                      const Eigen::VectorXd& level, const Eigen::VectorXd& level_var,
                      const models::StateSpaceForecast& fc, const ForecastArgs& fa);

}  // namespace taeval::cli
