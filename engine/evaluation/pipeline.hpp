#pragma once
// `taeval evaluate`: for every series that a declared link says an
// intervention feeds, one interrupted-time-series model with every feeding
// intervention's break and a state-space counterfactual; the false discovery
// rate over all effects of the run; evidence grades; links the data suggest;
// everything stored with the run.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/effect.hpp"
#include "engine/evaluation/link_estimator.hpp"
#include "indicators/indicator.hpp"
#include "indicators/series.hpp"
#include "models/fdr.hpp"

namespace taeval::engine {

namespace storage {
class Database;
}

struct EvaluateOptions {
    std::string project;  ///< only series fed by this project's interventions
    double alpha = 0.05;  ///< interval level, FDR level and grading threshold
    int threads = 0;      ///< 0: all cores
    /// Also estimate undeclared links (an intervention in the same state and
    /// priority area as a series) and keep those with a detected change.
    bool suggest = true;
    EstimatorKind estimator = EstimatorKind::ar1_reml;
    /// The false-discovery-rate procedure over each family of the run: the
    /// two-stage adaptive one by default (docs/evaluation.md says why).
    models::FdrMethod fdr = models::FdrMethod::bky;
    /// Called after each series with (done, total).
    std::function<void(std::size_t, std::size_t)> progress;
};

/// Wall time of each stage, in seconds.
struct StageTimes {
    double load = 0, model = 0, fdr = 0, store = 0;
};

struct EvaluateReport {
    std::int64_t run = 0;
    std::size_t series = 0;          ///< series modelled
    std::vector<LinkEffect> effects; ///< declared effects, then suggested ones kept
    std::size_t suggested_tried = 0; ///< undeclared candidates estimated
    StageTimes seconds;
};

/// The season period of a series of frequency `f` in the model (0, 4 or 12:
/// SeriesForEstimation::season_period).
[[nodiscard]] int season_period(indicators::Frequency f) noexcept;

/// A series as the pipeline gives it to the estimator: its values on the
/// grid, and the seasonal period, direction and floor of its indicator; the
/// caller adds the breaks (and controls). `taeval effects --explain` builds
/// its series the same way.
[[nodiscard]] SeriesForEstimation series_for_estimation(const indicators::Series& series,
                                                        const indicators::Indicator& indicator);

/// Runs the evaluation and stores it as a new run. Throws taeval::Error
/// (not_found) for an unknown project, (bad_input) for alpha outside (0, 1).
EvaluateReport evaluate_portfolio(storage::Database& db, const EvaluateOptions& options);

}  // namespace taeval::engine
