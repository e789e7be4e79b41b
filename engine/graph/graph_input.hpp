#pragma once
// Where the impact graph's input comes from: the database, read through the
// stores' typed records (no SQL here; that stays in engine/storage).
#include <cstdint>
#include <optional>

#include "engine/graph/impact_graph.hpp"

namespace taeval::engine {

namespace storage {
class Database;
}

/// The interventions, projects' providers and areas, indicators' areas and
/// declared links of the portfolio, with the effects (declared and
/// suggested) of evaluation run `run`, or of the latest run when nullopt
/// (no effects when nothing has been evaluated). Throws taeval::Error
/// not_found when `run` does not exist.
[[nodiscard]] ImpactGraphInput load_impact_graph_input(storage::Database& db,
                                                       std::optional<std::int64_t> run = std::nullopt);

}  // namespace taeval::engine
