#pragma once
// The per-series effect estimator of `taeval evaluate`: one interrupted time
// series model with every feeding intervention's break, AR(1) errors that
// handle missing periods, and a state-space counterfactual per break. Pure:
// no storage, no I/O. The estimator and the evidence rule are documented in
// docs/evaluation.md.
#include <cstddef>
#include <limits>
#include <optional>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "engine/effect.hpp"
#include "indicators/indicator.hpp"
#include "models/its.hpp"

namespace taeval::engine {

/// How the ITS regression's errors are treated.
enum class EstimatorKind {
    /// Regression with AR(1) errors, phi by restricted maximum likelihood
    /// on the gap-aware likelihood, GLS standard errors, t(n - k) reference
    /// (models/ar1_regression.hpp). The default: it meets the coverage, null
    /// and power requirements (docs/evaluation.md).
    ar1_reml,
    /// OLS with Newey-West errors (automatic lag), t(n - k): the plain baseline.
    ols_newey_west,
    /// AR(1) by iterated Prais-Winsten FGLS (phi from OLS residuals), the
    /// classical covariance of the transformed regression: the other baseline.
    ar1_prais_winsten,
};

[[nodiscard]] std::string_view to_string(EstimatorKind k) noexcept;

/// One (indicator, state) series and the interventions that feed it.
struct SeriesForEstimation {
    /// One entry per period on a regular grid; NaN = not reported.
    Eigen::VectorXd y;
    /// 0 (none), 4 (quarterly) or 12 (monthly): seasonal dummies, by grid
    /// index modulo the period (the grid should start at a year's start for
    /// the dummies to mean calendar seasons; any start works for the fit).
    int season_period = 0;
    /// Grid index of the first post-intervention period of each feeding
    /// intervention, ascending (equal indices are allowed: interventions
    /// starting in the same period share one break and get the same estimate,
    /// with a warning).
    std::vector<std::size_t> breaks;
    indicators::Direction direction = indicators::Direction::up;
    /// The indicator cannot go below zero (indicators::nonnegative): a
    /// counterfactual level below zero gives no relative effect.
    bool nonnegative = false;
    /// Optional control series (the same indicator in states without an
    /// intervention in the window): one column each, y.size() rows, NaN
    /// allowed. Used by the counterfactual only.
    Eigen::MatrixXd controls;
};

/// Settings of the estimator.
struct EstimatorOptions {
    double alpha = 0.05;        ///< intervals are (1 - alpha); in (0, 1)
    std::size_t min_pre = 4;    ///< reported periods needed before a break (since the previous one)
    std::size_t min_post = 4;   ///< reported periods needed from a break to the next (or the end)
    EstimatorKind kind = EstimatorKind::ar1_reml;
    bool counterfactual = true; ///< fit the state-space counterfactual (the slow part)
    /// Screening of many candidate breaks, where only the ITS p-values feed a
    /// decision: the AR(1) REML search for phi runs on the cross-products
    /// (models::Ar1Search::cross_products; p-values within about 1e-6 of the
    /// exact search). The pipeline refits what screening keeps without it.
    bool screening = false;
    /// When set, only the break at this position of `breaks` gets its
    /// counterfactual; the others still enter the ITS model and get their
    /// ITS estimates. For a suggested link estimated alongside the declared
    /// ones, whose own effect is the only one kept.
    std::optional<std::size_t> counterfactual_only;
};

/// Estimates, for every break of `series` (in order), the intervention's
/// effect: level change at the break, slope change after it, the average
/// effect over its post period (up to the next break or the end of the grid,
/// every grid period counted), the relative effect (average effect over the
/// ITS counterfactual level in that window), and the state-space
/// counterfactual (models::fit_counterfactual fitted on the periods before
/// the break, the estimated ITS effects of earlier breaks removed, with the
/// controls when given). q-values are left NaN; `grade` is set by
/// grade_effect with the q-values unknown (the pipeline regrades after FDR).
/// The identity fields (intervention, indicator, ...) are left empty.
/// Throws taeval::Error(bad_input) for breaks out of order or past the grid,
/// a bad season period, controls with the wrong number of rows, infinite
/// values or a bad alpha. Numerical trouble is reported in `warnings`.
[[nodiscard]] std::vector<LinkEffect> estimate_link_effects(const SeriesForEstimation& series,
                                                            const EstimatorOptions& options = {});

/// The p-values one screened candidate break keeps: those of its level
/// change, slope change and average effect, and of its detection test (the
/// one that decides whether the suggestion is kept). NaN where none.
struct ScreenPValues {
    double level = std::numeric_limits<double>::quiet_NaN();
    double slope = std::numeric_limits<double>::quiet_NaN();
    double average = std::numeric_limits<double>::quiet_NaN();
    double detection = std::numeric_limits<double>::quiet_NaN();
};

/// Screening of candidate breaks (suggested links) against a series' own
/// breaks: for each candidate (a grid index, like `series.breaks`), the
/// p-values of its estimates, as estimate_link_effects with `screening`
/// gives them for `series.breaks` plus that candidate. The fits share the
/// work that depends on the series and its own breaks (models::Ar1Screen),
/// so a series with many candidates costs a fraction of one
/// estimate_link_effects per candidate; the p-values agree with those to
/// 1e-5 relative (tested; both searches stop within about 1e-6 of the same
/// phi). Throws as estimate_link_effects does.
[[nodiscard]] std::vector<ScreenPValues> screen_breaks(const SeriesForEstimation& series,
                                                       const std::vector<std::size_t>& candidates,
                                                       const EstimatorOptions& options = {});

/// The evidence grade of one effect (docs/evaluation.md). "Detected" means
/// the detection test (joint level and slope change) has q < alpha, or
/// p < alpha while q is NaN (not yet filled by the run's FDR); the
/// counterfactual "agrees" when its effect has the sign of the ITS average
/// effect:
/// - insufficient_data: n_pre < min_pre, n_post < min_post, or no
///   detection p or average effect;
/// - strong: detected, and the counterfactual agrees with p < alpha;
/// - moderate: detected, and the counterfactual agrees without p < alpha,
///   or is missing;
/// - weak: detected, but the counterfactual points the other way; or not
///   detected, detection p < alpha, and no significant counterfactual
///   pointing the other way;
/// - none: otherwise. A significant counterfactual alone is not evidence
///   (its local-level forecast ignores a trend before the intervention).
[[nodiscard]] Grade grade_effect(const LinkEffect& effect, double alpha, std::size_t min_pre = 4,
                                 std::size_t min_post = 4);

// The design of the fitted model, for checking a stored effect by hand
// (`taeval effects --explain`).

/// The ITS model estimate_link_effects fits to a series.
struct LinkModel {
    /// The distinct break periods the model carries (grid indices,
    /// ascending): level_change_j and slope_change_j of models::its_design
    /// belong to breaks[j - 1]. Breaks with too few reported periods around
    /// them are not among them.
    std::vector<std::size_t> breaks;
    /// 4 or 12 when the seasonal terms stayed in the model (enough reported
    /// periods, and kept by the seasons test), else 0.
    int season_period = 0;
    EstimatorKind kind = EstimatorKind::ar1_reml;
    double alpha = 0.05;
    bool fitted = false;  ///< the model could be fitted (its effects have estimates)
};

/// The design estimate_link_effects fits to `series` with `options`: the
/// same rules for the breaks and the seasonal terms, decided on the same
/// fits (the effects themselves are not computed). Throws as
/// estimate_link_effects does.
[[nodiscard]] LinkModel describe_link_model(const SeriesForEstimation& series, const EstimatorOptions& options = {});

/// The models::fit_its specification that gives the ITS estimates of a
/// described model: its breaks, seasonal terms, alpha, and the error model
/// of its kind (with phi's uncertainty integrated for ar1_reml).
[[nodiscard]] models::ItsSpec its_spec(const LinkModel& model);

/// The kind that to_string names, or nothing.
[[nodiscard]] std::optional<EstimatorKind> parse_estimator_kind(std::string_view text) noexcept;

}  // namespace taeval::engine
