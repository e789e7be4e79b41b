#include "models/fdr.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "models/check.hpp"
#include "models/error.hpp"

namespace taeval::models {

std::vector<double> bh_qvalues(const std::vector<double>& p)
{
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < p.size(); ++i) {
        if (std::isnan(p[i])) continue;
        if (!(p[i] >= 0 && p[i] <= 1))
            throw Error(ErrorCode::bad_input, "bh_qvalues: p-value " + std::to_string(i) + " is " +
                                                  std::to_string(p[i]) + ", outside [0, 1]");
        order.push_back(i);
    }
    std::vector<double> q(p.size(), std::numeric_limits<double>::quiet_NaN());
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
    const auto m = static_cast<double>(order.size());
    // Step up from the largest p-value, carrying the running minimum.
    double running = 1.0;
    for (std::size_t r = order.size(); r-- > 0;) {
        const double rank = static_cast<double>(r + 1);
        running = std::min(running, m * p[order[r]] / rank);
        q[order[r]] = running;
    }
    return q;
}

FdrResult fdr_bh(const std::vector<double>& p, double alpha)
{
    check_open_interval("fdr_bh", "alpha", alpha, 0.0, 1.0);
    FdrResult r;
    r.alpha = alpha;
    r.q = bh_qvalues(p);
    r.rejected.resize(p.size(), false);
    for (std::size_t i = 0; i < p.size(); ++i) {
        if (std::isnan(r.q[i])) continue;
        ++r.m;
        if (r.q[i] <= alpha) {
            r.rejected[i] = true;
            ++r.n_rejected;
        }
    }
    return r;
}

}  // namespace taeval::models
