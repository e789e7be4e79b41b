#include "models/student_t.hpp"

#include <cmath>
#include <string>

#include <boost/math/distributions/cauchy.hpp>
#include <boost/math/distributions/normal.hpp>

#include "models/error.hpp"

// The root CMakeLists.txt defines BOOST_NO_CXX14_CONSTEXPR for every user of
// Boost so that Boost.Math keeps its tables static: as constexpr locals GCC
// copies them to the stack on every call (docs/architecture.md, "Short
// fits"), which made p-values 2 to 3 times slower.
#ifdef BOOST_MATH_HAVE_CONSTEXPR_TABLES
#error "Boost.Math's constexpr tables are on: build through the project's CMake (Boost::headers)"
#endif

namespace taeval::models {

namespace {

// In double rather than long double: about 0.65 us instead of 2.9 us per
// call at the df of a 48-point series, and within 2e-13 of the long double
// values. (Reporting Boost's errors by errno instead of exceptions made no
// measurable difference: the arguments are checked before the call.)
using Policy = DoublePolicy;

}  // namespace

double student_t_two_sided_p(double t, double df)
{
    if (!(df > 0))
        throw Error(ErrorCode::bad_input,
                    "student_t_two_sided_p: degrees of freedom must be positive, got " + std::to_string(df));
    if (std::isnan(t)) throw Error(ErrorCode::bad_input, "student_t_two_sided_p: t is NaN");
    const double at = std::abs(t);
    if (at == 0) return 1;
    if (std::isinf(at)) return 0;
    if (std::isinf(df))
        return 2 * boost::math::cdf(boost::math::complement(boost::math::normal_distribution<double, Policy>(), at));
    // At df = 1 Boost's Student t goes through I_x(1/2, 1/2), which in double
    // loses up to 3e-9 relative for small t; the Cauchy distribution (the
    // same law) keeps full precision.
    if (df == 1)
        return 2 * boost::math::cdf(boost::math::complement(boost::math::cauchy_distribution<double, Policy>(), at));
    return 2 * boost::math::cdf(boost::math::complement(StudentT(df), at));
}

}  // namespace taeval::models
