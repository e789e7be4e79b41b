#pragma once
// The effect of an intervention on a series, in the manner of CausalImpact
// (Brodersen et al. 2015) but without MCMC: a structural time-series model
// (models/structural.hpp) is fitted by maximum likelihood on the periods
// before the intervention, its forecast of the later periods is the
// counterfactual, and the effect is observed minus counterfactual.
//
// Uncertainty: the forecast errors of the post-period observations are
// jointly Gaussian and correlated (they share the state path), so the
// average and cumulative effects use the full covariance matrix of the
// errors, not the sum of their variances. That covariance includes the
// uncertainty of the state at the intervention, of the initial states and of
// the regression coefficients on the controls (all diffuse, estimated by GLS
// from the pre-period). For a local level without seasonal, the uncertainty
// of the level-to-noise variance ratio is integrated out over a grid
// weighted by the likelihood, and the observation variance's by a t
// quantile on the pre-period's residual degrees of freedom; with a trend or
// seasonal the ratios are plugged in at their ML estimates (t quantile
// still), which makes those intervals somewhat narrow for short pre-periods.
#include <cstddef>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "models/estimates.hpp"
#include "models/structural.hpp"

namespace taeval::models {

/// What to fit.
struct CounterfactualSpec {
    std::size_t intervention_index = 0;  ///< first period of the post-intervention part (0-based)
    TrendKind trend = TrendKind::level;
    int season_period = 0;               ///< 0 or s >= 2 seasonal dummies
    std::vector<std::string> control_names;
    double alpha = 0.05;
    /// Local level without seasonal only: integrate the level-to-noise ratio
    /// out over a likelihood-weighted grid instead of plugging in its ML
    /// estimate (see fit_counterfactual).
    bool integrate_level_variance = true;
};

/// An effect with its standard error and 1 - alpha interval.
struct EffectEstimate {
    double estimate = 0;
    double se = 0;
    double ci_low = 0;
    double ci_high = 0;
};

/// The estimated effect. Per-period vectors cover the post periods only
/// (entry i is period intervention_index + i); summaries use the observed
/// post periods.
struct CounterfactualResult {
    std::size_t intervention_index = 0;
    std::size_t n_pre = 0;             ///< observed pre-intervention periods
    std::size_t n_post = 0;            ///< observed post-intervention periods
    Eigen::VectorXd counterfactual;     ///< predicted y without the intervention
    Eigen::VectorXd counterfactual_var; ///< its predictive variance (an observation's)
    Eigen::VectorXd point_effect;       ///< y - counterfactual; NaN where y is missing
    Eigen::VectorXd point_ci_low, point_ci_high;
    EffectEstimate average;             ///< mean effect over the observed post periods
    EffectEstimate cumulative;          ///< sum of the effects over the observed post periods
    /// average effect / average counterfactual; interval by transforming the
    /// counterfactual's interval (NaN when that interval includes zero); se
    /// by the delta method.
    EffectEstimate relative;
    double p = 0;                       ///< two-sided p of the cumulative effect (no effect: H0)
    double p_one_sided = 0;             ///< CausalImpact's tail-area probability, min(P(<), P(>))
    /// "average_effect", "cumulative_effect", "relative_effect" with se,
    /// interval, t statistic (df = pre-fit residual df) and p, for tables.
    Estimates est;
    StructuralResult pre_fit;           ///< the model fitted before the intervention
    Diagnostics diag;                   ///< pre-fit's, plus warnings of this step
};

/// Estimates the effect of an intervention at spec.intervention_index on y
/// (NaN = missing) with optional control series (columns of `controls`, n
/// rows, finite; they must not be affected by the intervention). Throws
/// taeval::Error(bad_input) when the index leaves no pre or post period, or
/// the sizes or values are invalid; a pre-period too short to fit, or no
/// observed post period, gives diag.ok = false and NaN effects.
[[nodiscard]] CounterfactualResult fit_counterfactual(const Eigen::VectorXd& y, const Eigen::MatrixXd& controls,
                                                      const CounterfactualSpec& spec);

}  // namespace taeval::models
