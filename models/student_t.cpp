#include "models/student_t.hpp"

#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>

#include <boost/math/distributions/students_t.hpp>
#include <boost/math/special_functions/beta.hpp>

#include "models/error.hpp"

namespace taeval::models {

namespace {

using Policy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;

constexpr int max_steps = 300;
constexpr double max_fraction_df = 1e4;

// The continued fraction of I_x(a, b) / (x^a (1-x)^b / (a B(a, b))), evaluated
// by the three-term recurrence of its convergents (Numerical Recipes, 1st ed.,
// betacf): one division per step instead of Lentz's six, which is what
// bounds the time of this short loop. NaN when it has not converged.
double beta_fraction(double a, double b, double x)
{
    constexpr double eps = std::numeric_limits<double>::epsilon();
    const double qab = a + b;
    const double qap = a + 1;
    const double qam = a - 1;
    double am = 1;
    double bm = 1;
    double az = 1;
    double bz = 1 - qab * x / qap;
    for (int step = 1; step <= max_steps; ++step) {
        const double m = step;
        const double m2 = 2 * m;
        const double even = m * (b - m) * x / ((qam + m2) * (a + m2));
        const double odd = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        const double ap = az + even * am;
        const double bp = bz + even * bm;
        const double app = ap + odd * az;
        const double bpp = bp + odd * bz;
        const double scale = 1 / bpp;
        const double previous = az;
        am = ap * scale;
        bm = bp * scale;
        az = app * scale;
        bz = 1;
        if (std::abs(az - previous) <= eps * std::abs(az)) return az;
    }
    return std::numeric_limits<double>::quiet_NaN();
}

// log B(df/2, 1/2), remembered per df in a small direct-mapped table (per
// thread; a cache, not state): the fits of a batch of series share a few
// degrees of freedom, which alternate as their numbers of missing periods do.
double log_beta_half(double df)
{
    struct Entry {
        double df = std::numeric_limits<double>::quiet_NaN();
        double value = 0;
    };
    thread_local std::array<Entry, 64> memo{};
    auto& e = memo[static_cast<std::size_t>(std::fmod(df, 64.0))];
    if (e.df != df) {
        e.value = std::log(boost::math::beta(df / 2, 0.5, Policy()));
        e.df = df;
    }
    return e.value;
}

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
    if (std::isinf(df)) return std::erfc(at / std::numbers::sqrt2);
    // Beyond this the fraction's steps become so small that its stopping
    // rule can end it early; fits that large can afford Boost.
    if (df > max_fraction_df)
        return 2 * boost::math::cdf(boost::math::complement(boost::math::students_t_distribution<double>(df), at));
    const double t2 = at * at;
    const double a = df / 2;
    const double b = 0.5;
    const double x = df / (df + t2);  // I_x(a, b) is the two-sided p
    const double y = t2 / (df + t2);  // 1 - x without cancellation
    // log of x^a y^b / B(a, b); log1p keeps log x accurate for small t.
    const double log_front = -a * std::log1p(t2 / df) + b * std::log(y) - log_beta_half(df);
    double p = std::numeric_limits<double>::quiet_NaN();
    if (x < (a + 1) / (a + b + 2)) {
        p = std::exp(log_front) * beta_fraction(a, b, x) / a;
    } else {
        // Here p > 0.05 or so: the complement loses at most a digit.
        p = 1 - std::exp(log_front) * beta_fraction(b, a, y) / b;
    }
    if (std::isnan(p))  // not converged (not seen in the tests): Boost's default policy
        p = 2 * boost::math::cdf(boost::math::complement(boost::math::students_t_distribution<double>(df), at));
    return p;
}

}  // namespace taeval::models
