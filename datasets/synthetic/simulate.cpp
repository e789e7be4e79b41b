#include "datasets/synthetic/simulate.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

#include "datasets/synthetic/random.hpp"

namespace taeval::synthetic::detail {

namespace {

bool in_gap(const Plan& p, const State& s, Frequency f, int t)
{
    if (s.gap_from < 0) return false;
    const Date d = p.first_period(f).plus(t).first_day();
    const int month = (d.year - p.opt.first_year) * 12 + d.month - 1;
    return month >= s.gap_from && month < s.gap_to;
}

// The model's values before rounding: mean + AR(1) noise started from its
// stationary distribution. Every period draws its noise, reported or not.
void simulate_raw(const Plan& p, int ind, int st, std::vector<double>& out)
{
    const Series& s = p.series[p.key(ind, st)];
    const int n = p.periods(p.frequency(ind));
    Rng rng(stream_seed(p.opt.seed, 3, ind, st));
    const double innovation = s.sd * std::sqrt(1 - s.phi * s.phi);
    out.resize(static_cast<std::size_t>(n));
    double u = rng.normal() * s.sd;
    for (int t = 0; t < n; ++t) {
        if (t > 0) u = s.phi * u + rng.normal() * innovation;
        at(out, t) = mean_at(s, p.links, t) + u;
    }
}

}  // namespace

void simulate(const Plan& p, int ind, int st, std::vector<double>& out, Scratch& scratch)
{
    const Indicator& ii = at(p.indicators, ind);
    const auto& t = p.tpl(ind);
    const int n = p.periods(ii.frequency);
    if (ii.share >= 0) {
        // A composite: the share is modelled; the numerator is the share of
        // the (modelled) denominator, and the share written is their ratio,
        // so that numerator / denominator reproduces it.
        const Indicator& share = at(p.indicators, ii.share);
        simulate_raw(p, share.denominator, st, scratch.a);
        simulate_raw(p, ii.share, st, scratch.b);
        out.resize(static_cast<std::size_t>(n));
        for (int k = 0; k < n; ++k) {
            const double den = std::max(1.0, round_to(at(scratch.a, k), 0));
            const double num = std::clamp(round_to(den * at(scratch.b, k) / 100, 0), 0.0, den);
            at(out, k) = ind == share.denominator ? den
                         : ind == share.numerator ? num
                                                  : round_to(100 * num / den, 2);
        }
    } else {
        simulate_raw(p, ind, st, out);
        for (auto& v : out) v = valid_value(t.measure, v);
    }
    // Missing periods: shared by the members of a composite (a state reports
    // the three together), plus the state's reporting gap.
    const int group = ii.share >= 0 ? ii.share : ind;
    const double missing = p.series[p.key(group, st)].missing;
    Rng rng(stream_seed(p.opt.seed, 4, group, st));
    const State& s = at(p.states, st);
    for (int k = 0; k < n; ++k) {
        const bool drop = rng.chance(missing);
        if (drop || in_gap(p, s, ii.frequency, k)) at(out, k) = std::numeric_limits<double>::quiet_NaN();
    }
}

}  // namespace taeval::synthetic::detail
