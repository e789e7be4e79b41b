#pragma once
// Cycle detection in a directed graph of named vertices (declared
// intervention → intervention links must form a DAG).
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace taeval::engine {

/// A cycle among the given directed edges, as the vertices on it in order
/// (the first vertex is not repeated at the end), or nullopt when acyclic.
/// Deterministic: the same edges give the same cycle.
[[nodiscard]] std::optional<std::vector<std::string>> find_cycle(
    const std::vector<std::pair<std::string, std::string>>& edges);

}  // namespace taeval::engine
