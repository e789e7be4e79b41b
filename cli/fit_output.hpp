#pragma once
// Shared output of `taeval fit`: the fields every model's JSON has, and the
// parameter table a person reads.
#include <nlohmann/json.hpp>

#include <iosfwd>
#include <string>

#include "cli/output.hpp"
#include "models/estimates.hpp"

namespace taeval::cli {

/// The `params` array: {name, estimate, se, ci_low, ci_high, t, p} each.
[[nodiscard]] nlohmann::json params_json(const models::Estimates& est);
/// The common object: model, n, df_resid, params, r2, resid_sd, loglik, cov_type.
[[nodiscard]] nlohmann::json fit_json(const std::string& model, const models::Estimates& est,
                                      const models::Diagnostics& diag, const std::string& cov_type);
/// The parameter table for a person.
[[nodiscard]] TextTable params_table(const models::Estimates& est);
/// Prints the diagnostics' warnings to stderr, one a line, prefixed "warning: ".
void print_warnings(const models::Diagnostics& diag);

}  // namespace taeval::cli
