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

std::vector<double> bky_qvalues(const std::vector<double>& p, double alpha)
{
    check_open_interval("bky_qvalues", "alpha", alpha, 0.0, 1.0);
    auto q = bh_qvalues(p);
    const double first_stage = alpha / (1 + alpha);
    std::size_t m = 0, r1 = 0;
    for (const double v : q) {
        if (std::isnan(v)) continue;
        ++m;
        if (v <= first_stage) ++r1;
    }
    // m0 / m estimates the share of true nulls; with r1 = 0 or m the
    // procedure keeps the first stage (statsmodels' convention).
    const double factor = (1 + alpha) * (r1 == 0 || r1 == m ? 1.0
                                                            : static_cast<double>(m - r1) / static_cast<double>(m));
    for (double& v : q)
        if (!std::isnan(v)) v = std::min(1.0, v * factor);
    return q;
}

FdrResult fdr_bh(const std::vector<double>& p, double alpha)
{
    return fdr_control(p, alpha, FdrMethod::bh);
}

FdrResult fdr_control(const std::vector<double>& p, double alpha, FdrMethod method)
{
    check_open_interval("fdr_control", "alpha", alpha, 0.0, 1.0);
    FdrResult r;
    r.alpha = alpha;
    r.q = method == FdrMethod::bky ? bky_qvalues(p, alpha) : bh_qvalues(p);
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

std::string_view to_string(FdrMethod m) noexcept
{
    return m == FdrMethod::bky ? "bky" : "bh";
}

std::optional<FdrMethod> parse_fdr_method(std::string_view text) noexcept
{
    if (text == "bh") return FdrMethod::bh;
    if (text == "bky") return FdrMethod::bky;
    return std::nullopt;
}

}  // namespace taeval::models
