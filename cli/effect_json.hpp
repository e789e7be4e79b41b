#pragma once
// The JSON of one evaluated effect (`taeval effects`, the demo report).
#include <nlohmann/json.hpp>

#include "engine/effect.hpp"

namespace taeval::cli {

/// {intervention, kind, project, provider, indicator, state, start_period,
/// level_change, slope_change, average_effect (each {estimate, se, ci_low,
/// ci_high, p, q}), relative_effect {estimate, ci_low, ci_high},
/// counterfactual ({average_effect {estimate, ci_low, ci_high}, p} or null),
/// grade, improved, declared, n_pre, n_post, warnings, run}.
[[nodiscard]] nlohmann::json effect_json(const engine::LinkEffect& e);

}  // namespace taeval::cli
