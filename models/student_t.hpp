#pragma once
// The two-sided p-value of a t statistic, fast enough to call for every
// parameter of many small fits. Boost.Math's Student t (the reference, and
// the fallback) evaluates the incomplete beta by a general method that costs
// about a microsecond per call at the degrees of freedom of short series; the
// continued fraction used here costs a fifth of that and agrees with Boost to
// 1e-12 relative or better (tests/models/student_t_test.cpp).
#include <cstddef>

namespace taeval::models {

/// P(|T| >= |t|) for T ~ Student t with `df` degrees of freedom (df may be
/// +infinity: the standard normal). Computed as the regularized incomplete
/// beta I_x(df/2, 1/2), x = df / (df + t^2), by its continued fraction (the
/// three-term recurrence of its convergents, renormalized each step) on the
/// side where the fraction converges fast; by Boost.Math (default policy)
/// for df > 1e4 or when the fraction has not converged in 300 steps.
/// Returns 1 for t = 0 and 0 for infinite t. Throws taeval::Error(bad_input)
/// when df is not positive or t is NaN.
[[nodiscard]] double student_t_two_sided_p(double t, double df);

/// The same for `count` statistics t[0..count) on the same df, into p: the
/// fractions are evaluated side by side, which takes little longer than one.
/// Each p[i] equals student_t_two_sided_p(t[i], df) exactly.
void student_t_two_sided_p(const double* t, std::size_t count, double df, double* p);

}  // namespace taeval::models
