#pragma once
// The estimated effect of one intervention on one improvement (an indicator
// in a state): what `taeval evaluate` stores and `taeval effects` lists.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace taeval::engine {

/// An estimate with its standard error, (1 - alpha) interval, p-value and
/// false-discovery-rate q-value (NaN when not available).
struct EffectEstimate {
    double estimate = std::numeric_limits<double>::quiet_NaN();
    double se = std::numeric_limits<double>::quiet_NaN();
    double ci_low = std::numeric_limits<double>::quiet_NaN();
    double ci_high = std::numeric_limits<double>::quiet_NaN();
    double p = std::numeric_limits<double>::quiet_NaN();
    double q = std::numeric_limits<double>::quiet_NaN();
};

/// A point estimate with an interval.
struct EffectInterval {
    double estimate = std::numeric_limits<double>::quiet_NaN();
    double ci_low = std::numeric_limits<double>::quiet_NaN();
    double ci_high = std::numeric_limits<double>::quiet_NaN();
};

/// The reference distribution of a detection test: F(df, df_resid) where
/// the fit's tests use a t(df_resid) reference, chi-squared(df) where they
/// use the normal.
enum class DetectionTest { F, chi2 };

[[nodiscard]] std::string_view to_string(DetectionTest t) noexcept;
[[nodiscard]] std::optional<DetectionTest> parse_detection_test(std::string_view text) noexcept;

/// The joint Wald test that an intervention changed neither the level nor
/// the slope of its series (df = 2 restrictions): the one test the evidence
/// grade reads (docs/evaluation.md).
struct Detection {
    DetectionTest test = DetectionTest::F;
    double statistic = std::numeric_limits<double>::quiet_NaN();
    double df = 2;
    double df_resid = std::numeric_limits<double>::quiet_NaN();  ///< NaN for chi2
    double p = std::numeric_limits<double>::quiet_NaN();
    double q = std::numeric_limits<double>::quiet_NaN();  ///< over the run's links, by its FDR procedure
};

/// How strong the evidence of a link's effect is. The rule is in
/// docs/evaluation.md.
enum class Grade { strong, moderate, weak, none, insufficient_data };

[[nodiscard]] std::string_view to_string(Grade g) noexcept;
[[nodiscard]] std::optional<Grade> parse_grade(std::string_view text) noexcept;

/// One intervention's estimated effect on one improvement.
struct LinkEffect {
    std::int64_t run = 0;
    std::string intervention;
    std::string kind;
    std::string project;
    std::string provider;
    std::string indicator;
    std::string state;
    std::string start_period;  ///< the first period after the intervention started
    /// Level change at the start and slope change per period after it, in the
    /// indicator's units, signed as measured.
    EffectEstimate level_change;
    EffectEstimate slope_change;
    /// Average effect over the post period (level change plus the slope
    /// change accumulated over it), in the indicator's units.
    EffectEstimate average_effect;
    /// Whether the data show a change at all (level or slope); none where
    /// the link has no ITS estimate.
    std::optional<Detection> detection;
    /// Average effect as a share of the counterfactual level.
    EffectInterval relative_effect;
    /// The state-space counterfactual (fitted before the intervention):
    /// average effect over the post period and the p-value of no effect.
    std::optional<EffectInterval> counterfactual_average;
    double counterfactual_p = std::numeric_limits<double>::quiet_NaN();
    Grade grade = Grade::insufficient_data;
    bool improved = false;  ///< the average effect is in the indicator's better direction
    std::size_t n_pre = 0;  ///< reported periods before the start
    std::size_t n_post = 0; ///< reported periods from the start on
    std::vector<std::string> warnings;
    /// False for a link the engine suggests from the data (same state and
    /// priority area, before a detected change) that nobody declared.
    bool declared = true;
};

}  // namespace taeval::engine
