#include "indicators/aggregation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

namespace taeval::indicators {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::vector<double> present(std::span<const double> values)
{
    std::vector<double> v;
    for (double x : values)
        if (!std::isnan(x)) v.push_back(x);
    return v;
}

double mean(const std::vector<double>& v)
{
    return v.empty() ? nan : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double median(std::vector<double> v)
{
    if (v.empty()) return nan;
    std::sort(v.begin(), v.end());
    const std::size_t m = v.size() / 2;
    return v.size() % 2 == 1 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

}  // namespace

double across_states(Aggregation rule, Measure measure, std::span<const double> values)
{
    const auto v = present(values);
    if (v.empty()) return nan;
    switch (rule) {
    case Aggregation::sum: return std::accumulate(v.begin(), v.end(), 0.0);
    case Aggregation::median: return median(v);
    case Aggregation::last:
        return measure == Measure::count ? std::accumulate(v.begin(), v.end(), 0.0) : mean(v);
    case Aggregation::mean:
    case Aggregation::ratio_of_sums: return mean(v);
    }
    return nan;
}

double across_periods(Aggregation rule, std::span<const double> values)
{
    const auto v = present(values);
    if (v.empty()) return nan;
    switch (rule) {
    case Aggregation::sum: return std::accumulate(v.begin(), v.end(), 0.0);
    case Aggregation::median: return median(v);
    case Aggregation::last: return v.back();
    case Aggregation::mean:
    case Aggregation::ratio_of_sums: return mean(v);
    }
    return nan;
}

double ratio_of_sums(std::span<const double> numerators, std::span<const double> denominators)
{
    double num = 0, den = 0;
    bool any = false;
    for (std::size_t i = 0; i < numerators.size() && i < denominators.size(); ++i) {
        if (std::isnan(numerators[i]) || std::isnan(denominators[i])) continue;
        num += numerators[i];
        den += denominators[i];
        any = true;
    }
    return any && den != 0 ? 100.0 * num / den : nan;
}

}  // namespace taeval::indicators
