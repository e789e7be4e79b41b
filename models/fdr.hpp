#pragma once
// Benjamini-Hochberg control of the false discovery rate over a family of
// p-values.
#include <cstddef>
#include <vector>

namespace taeval::models {

/// The outcome of the Benjamini-Hochberg step-up procedure.
struct FdrResult {
    std::vector<double> q;       ///< BH-adjusted p-values (q-values), one per input; NaN where p was NaN
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

}  // namespace taeval::models
