#include "engine/score/rollup.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "indicators/aggregation.hpp"

namespace taeval::engine::score_detail {

namespace ind = taeval::indicators;

namespace {

// A member's reports as the roll-up reads them: one value per period, or a
// (numerator, denominator) pair for a composite.
using Track = std::map<ind::Period, std::pair<double, double>>;

Track track_of(const MemberReports& m, bool composite)
{
    Track t;
    if (composite) {
        for (const auto& [period, num] : m.numerator)
            if (auto den = m.denominator.find(period); den != m.denominator.end())
                t.emplace(period, std::pair{num, den->second});
    } else {
        for (const auto& [period, v] : m.values) t.emplace(period, std::pair{v, 0.0});
    }
    return t;
}

// The member's value in period p of the window: its report; else, inside
// its reports, the straight line between its reports on either side
// (weighted so that two finite values never overflow on the way); else, at
// an end of the window it missed by less than the tolerance, its nearest
// report.
std::pair<double, double> value_at(const Track& t, const ind::Period& p, bool& reported)
{
    const auto after = t.lower_bound(p);
    reported = after != t.end() && after->first == p;
    if (reported) return after->second;
    if (after == t.end()) return t.rbegin()->second;
    if (after == t.begin()) return after->second;
    const auto before = std::prev(after);
    const double w =
        static_cast<double>(p.minus(before->first)) / static_cast<double>(after->first.minus(before->first));
    return {before->second.first * (1 - w) + after->second.first * w,
            before->second.second * (1 - w) + after->second.second * w};
}

// The k-th of `periods` in `order` (0-based), the rule of "more than half".
template <typename Order>
ind::Period kth(std::vector<ind::Period> periods, std::size_t k, Order order)
{
    std::nth_element(periods.begin(), periods.begin() + static_cast<std::ptrdiff_t>(k), periods.end(), order);
    return periods[k];
}

}  // namespace

RollupSeries roll_up(const ind::Indicator& d, bool composite, const std::vector<MemberReports>& members,
                     std::size_t late)
{
    RollupSeries r;
    r.reported_share = std::numeric_limits<double>::quiet_NaN();
    std::vector<Track> tracks;
    tracks.reserve(members.size());
    for (const auto& m : members) tracks.push_back(track_of(m, composite));
    // A composite none of whose members reported both parts rolls up its
    // own values (the mean: aggregation.hpp).
    if (composite && std::all_of(tracks.begin(), tracks.end(), [](const Track& t) { return t.empty(); })) {
        composite = false;
        for (std::size_t i = 0; i < members.size(); ++i) tracks[i] = track_of(members[i], false);
    }

    std::vector<ind::Period> firsts, lasts;
    for (const auto& t : tracks)
        if (!t.empty()) {
            firsts.push_back(t.begin()->first);
            lasts.push_back(t.rbegin()->first);
        }
    if (!firsts.empty()) {
        const std::size_t half = firsts.size() / 2;
        const auto start = kth(firsts, half, std::less<>());
        const auto end = kth(lasts, half, std::greater<>());
        if (start <= end) {
            r.start = start;
            r.end = end;
        }
    }

    // Periods an end of the window may be missed by: fewer than `late`.
    const auto slack = static_cast<std::int64_t>(late) - 1;
    std::vector<std::size_t> fixed;
    for (std::size_t i = 0; i < members.size(); ++i) {
        const auto& t = tracks[i];
        const auto& iso3 = members[i].iso3;
        if (t.empty())
            r.left_out.push_back({iso3, "no report by the as-of date"});
        else if (!r.start)
            r.left_out.push_back({iso3, "the members' reports do not overlap: more than half of them began "
                                        "reporting only after more than half had stopped"});
        else if (t.begin()->first.minus(*r.start) > slack)
            r.left_out.push_back({iso3, "first report " + t.begin()->first.to_string() + ", after the window's start " +
                                            r.start->to_string()});
        else if (r.end->minus(t.rbegin()->first) > slack)
            r.left_out.push_back({iso3, "last report " + t.rbegin()->first.to_string() + ", before the window's end " +
                                            r.end->to_string()});
        else {
            fixed.push_back(i);
            r.included.push_back(iso3);
        }
    }
    if (fixed.empty()) return r;

    const auto n_periods = r.end->minus(*r.start) + 1;
    std::size_t reported = 0;
    std::vector<double> values, numerators, denominators;
    for (std::int64_t k = 0; k < n_periods; ++k) {
        const ind::Period p = r.start->plus(k);
        values.clear();
        numerators.clear();
        denominators.clear();
        for (const std::size_t i : fixed) {
            bool was_reported = false;
            const auto [a, b] = value_at(tracks[i], p, was_reported);
            reported += was_reported ? 1 : 0;
            if (composite) {
                numerators.push_back(a);
                denominators.push_back(b);
            } else {
                values.push_back(a);
            }
        }
        double value = 0;
        bool finite = true;
        if (composite) {
            value = ind::ratio_of_sums(numerators, denominators);
            finite = std::isfinite(ind::across_states(ind::Aggregation::sum, d.measure, numerators)) &&
                     std::isfinite(ind::across_states(ind::Aggregation::sum, d.measure, denominators)) &&
                     !std::isinf(value);
        } else {
            value = ind::across_states(d.aggregation, d.measure, values);
            finite = !std::isinf(value);
        }
        if (!finite) {
            r.overflow = p;
            r.points.clear();
            return r;
        }
        if (!std::isnan(value)) r.points.push_back({p, value});  // NaN: denominators summing to zero
    }
    const auto values_in_window = fixed.size() * static_cast<std::size_t>(n_periods);
    r.reported_share = static_cast<double>(reported) / static_cast<double>(values_in_window);
    return r;
}

}  // namespace taeval::engine::score_detail
