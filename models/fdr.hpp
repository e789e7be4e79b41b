#pragma once
// Control of the false discovery rate over a family of p-values:
// Benjamini-Hochberg (1995) and the two-stage adaptive procedure of
// Benjamini, Krieger and Yekutieli (2006).
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace taeval::models {

/// Which procedure controls the false discovery rate.
enum class FdrMethod {
    /// Benjamini-Hochberg: controls the FDR at pi0 * alpha, where pi0 is the
    /// share of true nulls; conservative when many hypotheses are false.
    bh,
    /// Benjamini-Krieger-Yekutieli two-stage adaptive step-up: estimates the
    /// number of true nulls m0 from a first BH pass at alpha / (1 + alpha)
    /// and runs BH again at alpha / (1 + alpha) * m / m0. Controls the FDR
    /// at alpha for independent p-values (BKY 2006, Theorem 1) and recovers
    /// the power BH gives away when many effects are real.
    bky,
};

/// The outcome of a step-up procedure.
struct FdrResult {
    std::vector<double> q;       ///< adjusted p-values (q-values), one per input; NaN where p was NaN
    std::vector<bool> rejected;  ///< q <= alpha
    std::size_t m = 0;           ///< p-values in the family (NaN ones are not counted)
    std::size_t n_rejected = 0;
    double alpha = 0.05;         ///< the false discovery rate controlled
};

/// Benjamini-Hochberg q-values: q_(i) = min_{j >= i} min(1, m p_(j) / j) over
/// the sorted p-values, as R's p.adjust(p, "BH"). NaN marks a missing p-value:
/// it stays NaN and is left out of m. Throws taeval::Error(bad_input) for a
/// p-value outside [0, 1].
[[nodiscard]] std::vector<double> bh_qvalues(const std::vector<double>& p);

/// bh_qvalues plus the decisions at false discovery rate alpha in (0, 1).
[[nodiscard]] FdrResult fdr_bh(const std::vector<double>& p, double alpha = 0.05);

/// Two-stage adaptive q-values at level alpha in (0, 1), as statsmodels'
/// multipletests(p, alpha, method="fdr_tsbky"): with r1 the number of BH
/// q-values <= alpha / (1 + alpha) and m0 = m - r1, q = min(1, bh_q (1 +
/// alpha) m0 / m), or min(1, bh_q (1 + alpha)) when r1 is 0 or m. Reject
/// where q <= alpha. Unlike BH's, these q-values depend on alpha (the first
/// stage's level): compare them with the alpha they were computed for. NaN
/// as in bh_qvalues. Throws taeval::Error(bad_input) for a p-value outside
/// [0, 1] or alpha outside (0, 1).
[[nodiscard]] std::vector<double> bky_qvalues(const std::vector<double>& p, double alpha);

/// The q-values of `method` plus the decisions at false discovery rate alpha.
[[nodiscard]] FdrResult fdr_control(const std::vector<double>& p, double alpha, FdrMethod method);

[[nodiscard]] std::string_view to_string(FdrMethod m) noexcept;
[[nodiscard]] std::optional<FdrMethod> parse_fdr_method(std::string_view text) noexcept;

}  // namespace taeval::models
