#include "models/student_t.hpp"

#include <algorithm>
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
// betacf): one division per step instead of Lentz's six. Each step waits on
// the previous one's division, so several fractions are stepped side by side
// (the processor overlaps their chains); each stops on its own at the same
// step as it would alone. `value` is NaN for one that has not converged.
struct Fraction {
    double a = 0;
    double b = 0;
    double x = 0;
    double value = std::numeric_limits<double>::quiet_NaN();
};

template <std::size_t Lanes>
void beta_fractions(std::array<Fraction, Lanes>& f, std::size_t lanes)
{
    constexpr double eps = std::numeric_limits<double>::epsilon();
    std::array<double, Lanes> am{};
    std::array<double, Lanes> bm{};
    std::array<double, Lanes> az{};
    std::array<double, Lanes> bz{};
    std::array<bool, Lanes> active{};
    std::size_t left = 0;
    for (std::size_t l = 0; l < lanes; ++l) {
        am[l] = bm[l] = az[l] = 1;
        bz[l] = 1 - (f[l].a + f[l].b) * f[l].x / (f[l].a + 1);
        active[l] = !std::isnan(f[l].x);
        if (active[l]) ++left;
    }
    for (int step = 1; step <= max_steps && left > 0; ++step) {
        const double m = step;
        const double m2 = 2 * m;
        for (std::size_t l = 0; l < lanes; ++l) {
            if (!active[l]) continue;
            const double a = f[l].a;
            const double b = f[l].b;
            const double x = f[l].x;
            const double even = m * (b - m) * x / ((a - 1 + m2) * (a + m2));
            const double odd = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1 + m2));
            const double ap = az[l] + even * am[l];
            const double bp = bz[l] + even * bm[l];
            const double app = ap + odd * az[l];
            const double bpp = bp + odd * bz[l];
            const double scale = 1 / bpp;
            const double previous = az[l];
            am[l] = ap * scale;
            bm[l] = bp * scale;
            az[l] = app * scale;
            bz[l] = 1;
            if (std::abs(az[l] - previous) <= eps * std::abs(az[l])) {
                f[l].value = az[l];
                active[l] = false;
                --left;
            }
        }
    }
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
    double p = 0;
    student_t_two_sided_p(&t, 1, df, &p);
    return p;
}

void student_t_two_sided_p(const double* t, std::size_t count, double df, double* p)
{
    if (!(df > 0))
        throw Error(ErrorCode::bad_input,
                    "student_t_two_sided_p: degrees of freedom must be positive, got " + std::to_string(df));
    for (std::size_t i = 0; i < count; ++i)
        if (std::isnan(t[i])) throw Error(ErrorCode::bad_input, "student_t_two_sided_p: t is NaN");
    const auto boost_p = [df](double at) {
        return 2 * boost::math::cdf(boost::math::complement(boost::math::students_t_distribution<double>(df), at));
    };
    // Beyond max_fraction_df the fraction's steps become so small that its
    // stopping rule can end it early; fits that large can afford Boost.
    const bool fraction = std::isfinite(df) && df <= max_fraction_df;
    const double a = df / 2;
    const double b = 0.5;
    const double log_beta = fraction ? log_beta_half(df) : 0.0;
    constexpr std::size_t lanes = 4;
    for (std::size_t first = 0; first < count; first += lanes) {
        const std::size_t used = std::min(lanes, count - first);
        std::array<Fraction, lanes> f{};
        std::array<double, lanes> log_front{};
        std::array<bool, lanes> upper{};
        for (std::size_t l = 0; l < used; ++l) {
            const double at = std::abs(t[first + l]);
            f[l].x = std::numeric_limits<double>::quiet_NaN();  // not stepped unless set below
            if (at == 0) {
                p[first + l] = 1;
            } else if (std::isinf(at)) {
                p[first + l] = 0;
            } else if (std::isinf(df)) {
                p[first + l] = std::erfc(at / std::numbers::sqrt2);
            } else if (!fraction) {
                p[first + l] = boost_p(at);
            } else {
                const double t2 = at * at;
                const double x = df / (df + t2);  // I_x(a, b) is the two-sided p
                const double y = t2 / (df + t2);  // 1 - x without cancellation
                // log of x^a y^b / B(a, b); log1p keeps log x accurate for small t.
                log_front[l] = -a * std::log1p(t2 / df) + b * std::log(y) - log_beta;
                // Step the fraction on the side where it converges fast; on
                // the upper side p > 0.05 or so and its complement loses at
                // most a digit.
                upper[l] = !(x < (a + 1) / (a + b + 2));
                f[l] = upper[l] ? Fraction{b, a, y} : Fraction{a, b, x};
            }
        }
        beta_fractions(f, used);
        for (std::size_t l = 0; l < used; ++l) {
            if (std::isnan(f[l].x)) continue;
            const double at = std::abs(t[first + l]);
            if (std::isnan(f[l].value)) {  // not converged (not seen in the tests)
                p[first + l] = boost_p(at);
                continue;
            }
            const double front = std::exp(log_front[l]);
            p[first + l] = upper[l] ? 1 - front * f[l].value / b : front * f[l].value / a;
        }
    }
}

}  // namespace taeval::models
