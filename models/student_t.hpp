#pragma once
// The two-sided p-value of a t statistic, cheap enough to call for every
// parameter of many small fits: Boost.Math's Student t evaluated in double
// (Boost's default promotes double to long double, four times slower). It
// agrees with Boost's default policy to 1e-11 relative or better
// (tests/models/student_t_test.cpp).

#include <boost/math/distributions/students_t.hpp>
#include <boost/math/policies/policy.hpp>

namespace taeval::models {

/// Boost.Math's policy for evaluating distributions in double: Boost
/// promotes double to long double by default, which is four to five times
/// slower for no digit a p-value, an interval or a probability needs.
using DoublePolicy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
/// Student's t in double (DoublePolicy).
using StudentT = boost::math::students_t_distribution<double, DoublePolicy>;

/// P(|T| >= |t|) for T ~ Student t with `df` degrees of freedom (df may be
/// +infinity: the standard normal), by Boost.Math in double precision. Returns 1 for t = 0 and 0
/// for infinite t. Throws taeval::Error(bad_input) when df is not positive or
/// t is NaN.
[[nodiscard]] double student_t_two_sided_p(double t, double df);

}  // namespace taeval::models
