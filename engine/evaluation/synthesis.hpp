#pragma once
// What kinds of assistance work: the effects of a run pooled by kind of
// intervention with a random-effects meta-analysis.
#include <map>
#include <string>
#include <vector>

#include "engine/effect.hpp"

namespace taeval::engine {

struct KindSynthesis {
    std::string kind;
    std::size_t links = 0;  ///< declared links pooled (graded, with an estimate)
    /// Pooled improvement: the relative effect, positive in each indicator's
    /// better direction, REML with the Hartung-Knapp adjustment; NaN when
    /// fewer than two links could be pooled.
    double estimate, ci_low, ci_high, p;
    double i2;    ///< percent of the variation that is between links
    double tau2;
    /// Mean cost (USD) of the kind's interventions per percentage point of
    /// pooled improvement; NaN without costs or without a positive estimate.
    double cost_per_point;
};

/// Pools the declared, graded effects of each kind. `cost` maps intervention
/// codes to their cost in USD (interventions without a cost are absent).
[[nodiscard]] std::vector<KindSynthesis> synthesise_by_kind(const std::vector<LinkEffect>& effects,
                                                            const std::map<std::string, double>& cost,
                                                            double alpha = 0.05);

}  // namespace taeval::engine
