#include "models/did.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "models/check.hpp"
#include "models/error.hpp"
#include "models/ols.hpp"

namespace taeval::models {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
}

DidResult fit_did(const Eigen::VectorXd& y, const std::vector<std::int64_t>& unit, const std::vector<std::int64_t>& time,
                  const Eigen::VectorXd& treated, const DidSpec& spec)
{
    constexpr std::string_view fn = "fit_did";
    const auto n = static_cast<std::size_t>(y.size());
    check_open_interval(fn, "alpha", spec.alpha, 0.0, 1.0);
    check_size(fn, "unit", unit.size(), n);
    check_size(fn, "time", time.size(), n);
    check_size(fn, "treated", static_cast<std::size_t>(treated.size()), n);
    std::set<std::pair<std::int64_t, std::int64_t>> seen;
    for (std::size_t i = 0; i < n; ++i) {
        const auto k = static_cast<Eigen::Index>(i);
        if (std::isinf(y[k])) throw Error(ErrorCode::bad_input, "fit_did: y is infinite in row " + std::to_string(i));
        if (treated[k] != 0.0 && treated[k] != 1.0)
            throw Error(ErrorCode::bad_input, "fit_did: treated must be 0 or 1; row " + std::to_string(i) + " is " +
                                                  std::to_string(treated[k]));
        if (!seen.emplace(unit[i], time[i]).second)
            throw Error(ErrorCode::bad_input, "fit_did: unit " + std::to_string(unit[i]) + " has more than one row for time " +
                                                  std::to_string(time[i]));
    }

    // The first treated period of each ever-treated unit (from every row,
    // observed or not: the treatment is known even where y is missing).
    std::map<std::int64_t, std::int64_t> adoption;
    for (std::size_t i = 0; i < n; ++i)
        if (treated[static_cast<Eigen::Index>(i)] == 1.0) {
            auto [it, fresh] = adoption.emplace(unit[i], time[i]);
            if (!fresh) it->second = std::min(it->second, time[i]);
        }
    if (spec.event_study)
        for (std::size_t i = 0; i < n; ++i) {
            const auto a = adoption.find(unit[i]);
            if (a != adoption.end() && time[i] >= a->second && treated[static_cast<Eigen::Index>(i)] == 0.0)
                throw Error(ErrorCode::bad_input, "fit_did: the event study needs a treatment that stays on once "
                                                  "started; unit " + std::to_string(unit[i]) + " is untreated at time " +
                                                  std::to_string(time[i]) + " after starting at " + std::to_string(a->second));
        }

    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < n; ++i)
        if (!std::isnan(y[static_cast<Eigen::Index>(i)])) rows.push_back(i);
    std::set<std::int64_t> units;
    std::set<std::int64_t> periods;
    std::set<std::int64_t> events;
    for (const auto i : rows) {
        units.insert(unit[i]);
        periods.insert(time[i]);
        if (spec.event_study) {
            const auto a = adoption.find(unit[i]);
            if (a != adoption.end() && time[i] - a->second != -1) events.insert(time[i] - a->second);
        }
    }

    DidResult r;
    r.n_units = units.size();
    r.n_periods = periods.size();
    for (const auto u : units) r.n_treated_units += adoption.count(u);

    // Design: treatment terms, intercept, unit dummies, time dummies (the
    // first unit and the first period are the references).
    std::vector<std::string> names;
    if (spec.event_study)
        for (const auto e : events) {
            names.push_back("event_" + std::to_string(e));
            r.event_times.push_back(e);
        }
    else
        names.push_back("att");
    const auto n_treat = static_cast<Eigen::Index>(names.size());
    names.push_back("intercept");
    std::map<std::int64_t, Eigen::Index> unit_col;
    std::map<std::int64_t, Eigen::Index> time_col;
    for (auto it = std::next(units.begin(), units.empty() ? 0 : 1); it != units.end(); ++it) {
        unit_col[*it] = static_cast<Eigen::Index>(names.size());
        names.push_back("unit_" + std::to_string(*it));
    }
    for (auto it = std::next(periods.begin(), periods.empty() ? 0 : 1); it != periods.end(); ++it) {
        time_col[*it] = static_cast<Eigen::Index>(names.size());
        names.push_back("time_" + std::to_string(*it));
    }
    std::map<std::int64_t, Eigen::Index> event_col;
    for (Eigen::Index j = 0; j < static_cast<Eigen::Index>(r.event_times.size()); ++j)
        event_col[r.event_times[static_cast<std::size_t>(j)]] = j;

    const auto m = static_cast<Eigen::Index>(rows.size());
    Eigen::MatrixXd x = Eigen::MatrixXd::Zero(m, static_cast<Eigen::Index>(names.size()));
    Eigen::VectorXd yo(m);
    CovSpec cov;
    cov.type = CovType::cluster;
    for (Eigen::Index k = 0; k < m; ++k) {
        const auto i = rows[static_cast<std::size_t>(k)];
        yo[k] = y[static_cast<Eigen::Index>(i)];
        cov.clusters.push_back(unit[i]);
        if (spec.event_study) {
            const auto a = adoption.find(unit[i]);
            if (a != adoption.end()) {
                const auto e = event_col.find(time[i] - a->second);
                if (e != event_col.end()) x(k, e->second) = 1.0;
            }
        } else {
            x(k, 0) = treated[static_cast<Eigen::Index>(i)];
        }
        x(k, n_treat) = 1.0;
        if (const auto u = unit_col.find(unit[i]); u != unit_col.end()) x(k, u->second) = 1.0;
        if (const auto t = time_col.find(time[i]); t != time_col.end()) x(k, t->second) = 1.0;
    }
    // The overall F of the dummy regression is not a DiD quantity (and G
    // clusters cannot test K > G-1 dummies): not computed.
    auto fit = detail::fit_complete(x, yo, names, cov, spec.alpha, rows, n - rows.size(), false);

    r.diag = std::move(fit.diag);
    if (n > rows.size())
        r.diag.warnings.insert(r.diag.warnings.begin(),
                               std::to_string(n - rows.size()) + " row(s) with missing y were dropped");
    r.n_clusters = fit.n_clusters;
    r.n_params = r.diag.rank;
    r.small_sample = "CR1 (Stata): G/(G-1) * (N-1)/(N-K) with G = " + std::to_string(r.n_clusters) +
                     " unit clusters and K = " + std::to_string(r.n_params) +
                     " parameters counting the unit and time dummies; t with G-1 degrees of freedom";
    if (spec.event_study && r.n_treated_units > 0) {
        bool has_reference = false;
        for (const auto i : rows) {
            const auto a = adoption.find(unit[i]);
            has_reference = has_reference || (a != adoption.end() && time[i] - a->second == -1);
        }
        if (!has_reference)
            r.diag.warnings.push_back("no observation at event time -1, the reference period");
    }
    if (r.n_treated_units == 0) r.diag.warnings.push_back("no unit is ever treated");

    r.est.names.assign(names.begin(), names.begin() + n_treat);
    r.est.alpha = spec.alpha;
    r.est.params = fit.est.params.head(n_treat);
    r.est.se = fit.est.se.head(n_treat);
    r.est.stat = fit.est.stat.head(n_treat);
    r.est.p = fit.est.p.head(n_treat);
    r.est.ci_low = fit.est.ci_low.head(n_treat);
    r.est.ci_high = fit.est.ci_high.head(n_treat);
    r.est.cov = fit.est.cov.topLeftCorner(n_treat, n_treat);
    for (Eigen::Index j = 0; j < n_treat; ++j)
        if (std::isnan(r.est.params[j])) r.diag.ok = false;
    if (n_treat == 0) r.diag.ok = false;
    r.att = spec.event_study || n_treat == 0 ? nan : r.est.params[0];
    r.att_se = spec.event_study || n_treat == 0 ? nan : r.est.se[0];
    return r;
}

}  // namespace taeval::models
