#pragma once
// One stored effect and what it takes to check it by hand (`taeval effects
// --explain`): the series as the run modelled it, the design of the model
// (breaks, seasonal terms, error model) and the run's alpha. Read-only.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "engine/effect.hpp"
#include "engine/evaluation/link_estimator.hpp"
#include "indicators/series.hpp"

namespace taeval::engine {

namespace storage {
class Database;
}

/// A stored effect with the model that estimated it.
struct LinkExplanation {
    std::int64_t run = 0;
    LinkEffect effect;          ///< as stored
    indicators::Series series;  ///< the reported totals on their grid (today's data)
    /// Grid index of the link's break (its start period).
    std::size_t break_index = 0;
    /// The model's design: its breaks, the seasonal terms kept, the
    /// estimator and alpha of the run (describe_link_model).
    LinkModel model;
    /// 1-based number of the link's break among model.breaks: its level
    /// change is the parameter level_change_<term> of models::its_design.
    std::size_t term = 0;
    /// models::its_design for the grid and the model (n x k) and its column names.
    Eigen::MatrixXd design;
    std::vector<std::string> names;
    /// Today's series gives the stored level change, its se and interval (to
    /// 1e-9 relative). False when the series changed since the run (the
    /// breaks are the run's): the design above is then today's fit's.
    bool reproduces = false;
};

/// Explains the effect of `intervention` on `indicator`@`iso3` stored by run
/// `run` (default: the latest). Throws taeval::Error(not_found) when there is
/// no run (or no run `run`), no such intervention, indicator or state, no
/// reported value of the series, or no stored effect of that link in the
/// run; (bad_input) when the stored effect has no estimate (the message says
/// why: the grade and the stored warnings) or today's data no longer carry
/// its break.
[[nodiscard]] LinkExplanation explain_link(storage::Database& db, std::optional<std::int64_t> run,
                                           const std::string& intervention, const std::string& indicator,
                                           const std::string& iso3);

}  // namespace taeval::engine
