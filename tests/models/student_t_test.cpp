#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <numbers>

#include <boost/math/distributions/students_t.hpp>

#include "models/error.hpp"
#include "models/student_t.hpp"

using namespace taeval;

TEST_CASE("the t p-value in double agrees with Boost's long double one to 1e-11", "[models][student_t]")
{
    // Reference: Boost's Student t with its default policy (long double
    // internally), over the degrees of freedom of short and long regressions,
    // non-integer ones, and t from tiny to far in the tail (p down to 1e-300).
    const double dfs[] = {1, 2, 3, 4, 5, 7, 10, 20, 30, 43, 44, 45, 100, 300, 1000, 1e4, 1e5, 1e7, 2.5, 7.3, 0.4};
    const double ts[] = {1e-8, 1e-3, 0.1, 0.5, 1, 1.2, 1.5, 1.69, 1.7, 2, 2.5, 3, 4, 5, 7, 10, 20, 30, 100, 1e3, 1e5};
    for (const double df : dfs)
        for (const double t : ts) {
            const double ref = 2 * boost::math::cdf(boost::math::complement(boost::math::students_t_distribution<double>(df), t));
            if (!(ref > std::numeric_limits<double>::min())) continue;  // beyond double's normal range
            INFO("df " << df << ", t " << t);
            CHECK(std::abs(models::student_t_two_sided_p(t, df) - ref) <= 1e-11 * ref);
            CHECK(std::abs(models::student_t_two_sided_p(-t, df) - ref) <= 1e-11 * ref);
        }
}

TEST_CASE("the t p-value at one degree of freedom is the Cauchy tail to full precision", "[models][student_t]")
{
    // P(|T| >= t) = 1 - (2 / pi) atan(t) exactly; Boost's Student t in double
    // was 3e-9 off at t = 1e-8 (its I_x(1/2, 1/2) path).
    for (const double t : {1e-8, 1e-6, 1e-3, 0.5, 3.0, 1e4}) {
        INFO("t " << t);
        CHECK(models::student_t_two_sided_p(t, 1) == Approx(2 / std::numbers::pi * std::atan(1 / t)).epsilon(1e-14));
    }
}

TEST_CASE("the t p-value handles its edge cases", "[models][student_t]")
{
    CHECK(models::student_t_two_sided_p(0.0, 10) == 1.0);
    CHECK(models::student_t_two_sided_p(std::numeric_limits<double>::infinity(), 10) == 0.0);
    CHECK(models::student_t_two_sided_p(1.959963984540054, std::numeric_limits<double>::infinity()) ==
          Approx(0.05).epsilon(1e-12));
    CHECK_THROWS_AS(models::student_t_two_sided_p(1.0, 0.0), Error);
    CHECK_THROWS_AS(models::student_t_two_sided_p(1.0, -3.0), Error);
    CHECK_THROWS_AS(models::student_t_two_sided_p(std::nan(""), 5.0), Error);
}
