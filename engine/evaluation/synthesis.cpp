#include "engine/evaluation/synthesis.hpp"

#include <boost/math/distributions/normal.hpp>

#include <cmath>
#include <limits>
#include <set>

#include <Eigen/Core>

#include "models/meta.hpp"

namespace taeval::engine {

std::vector<KindSynthesis> synthesise_by_kind(const std::vector<LinkEffect>& effects,
                                              const std::map<std::string, double>& cost, double alpha)
{
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    const double z = boost::math::quantile(boost::math::complement(boost::math::normal(), alpha / 2));
    std::map<std::string, std::vector<std::pair<double, double>>> by_kind;  // (improvement, variance)
    std::map<std::string, std::set<std::string>> interventions;
    for (const auto& e : effects) {
        if (!e.declared) continue;
        interventions[e.kind].insert(e.intervention);
        const auto& r = e.relative_effect;
        if (e.grade == Grade::insufficient_data || !std::isfinite(r.estimate) || !std::isfinite(r.ci_low) ||
            !std::isfinite(r.ci_high))
            continue;
        // Signed so that a move in the indicator's better direction is positive.
        const double improvement = e.improved ? std::abs(r.estimate) : -std::abs(r.estimate);
        const double se = (r.ci_high - r.ci_low) / (2 * z);
        if (se > 0) by_kind[e.kind].emplace_back(improvement, se * se);
    }
    std::vector<KindSynthesis> out;
    for (const auto& [kind, codes] : interventions) {
        KindSynthesis k{kind, 0, nan, nan, nan, nan, nan, nan, nan};
        const auto& ys = by_kind[kind];
        k.links = ys.size();
        if (ys.size() >= 2) {
            Eigen::VectorXd yi(static_cast<Eigen::Index>(ys.size())), vi(yi.size());
            for (Eigen::Index i = 0; i < yi.size(); ++i) {
                yi[i] = ys[static_cast<std::size_t>(i)].first;
                vi[i] = ys[static_cast<std::size_t>(i)].second;
            }
            models::MetaSpec spec;
            spec.method = models::Tau2Method::reml;
            spec.hartung_knapp = true;
            spec.alpha = alpha;
            const auto m = models::fit_meta(yi, vi, spec);
            if (m.diag.ok) {
                k.estimate = m.estimate;
                k.ci_low = m.ci_low;
                k.ci_high = m.ci_high;
                k.p = m.p;
                k.i2 = m.i2;
                k.tau2 = m.tau2;
            }
        }
        double total = 0, n = 0;
        for (const auto& c : codes)
            if (auto it = cost.find(c); it != cost.end()) {
                total += it->second;
                n += 1;
            }
        if (n > 0 && k.estimate > 0) k.cost_per_point = (total / n) / (100 * k.estimate);
        out.push_back(k);
    }
    return out;
}

}  // namespace taeval::engine
