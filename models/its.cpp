#include "models/its.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include <boost/container/small_vector.hpp>

#include "models/ar1_regression.hpp"
#include "models/check.hpp"
#include "models/error.hpp"
#include "models/ols.hpp"

namespace taeval::models {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

void check_spec(std::size_t n, const ItsSpec& spec)
{
    constexpr std::string_view fn = "fit_its";
    check_open_interval(fn, "alpha", spec.alpha, 0.0, 1.0);
    if (spec.season_period != 0 && spec.season_period != 4 && spec.season_period != 12)
        throw Error(ErrorCode::bad_input,
                    "fit_its: season period must be 0, 4 or 12, got " + std::to_string(spec.season_period));
    for (std::size_t j = 0; j < spec.breaks.size(); ++j) {
        const auto b = spec.breaks[j];
        if (b == 0)
            throw Error(ErrorCode::bad_input, "fit_its: break " + std::to_string(j + 1) +
                                                  " is at row 0, which leaves no observation before it");
        if (b >= n)
            throw Error(ErrorCode::bad_input, "fit_its: break " + std::to_string(j + 1) + " at row " +
                                                  std::to_string(b) + " is past the end of the series (" +
                                                  std::to_string(n) + " rows)");
        if (j > 0 && b <= spec.breaks[j - 1])
            throw Error(ErrorCode::bad_input, "fit_its: breaks must be strictly increasing (break " +
                                                  std::to_string(j + 1) + " at row " + std::to_string(b) + ")");
    }
    if (spec.errors == ItsErrors::ar1) {
        if (spec.max_iterations < 1)
            throw Error(ErrorCode::bad_input, "fit_its: max_iterations must be at least 1");
        check_positive(fn, "tolerance", spec.tolerance);
    }
}

// An aliased (NaN) coefficient counts as 0: the reduced model's prediction.
double usable(double b)
{
    return std::isnan(b) ? 0.0 : b;
}

Eigen::VectorXd usable(const Eigen::VectorXd& b)
{
    return b.unaryExpr([](double v) { return usable(v); });
}

// phi = sum e_t e_{t-1} / sum e_{t-1}^2 over adjacent observed periods.
double estimate_phi(const Eigen::VectorXd& e, const std::vector<std::size_t>& pos)
{
    double num = 0;
    double den = 0;
    for (std::size_t i = 1; i < pos.size(); ++i)
        if (pos[i] == pos[i - 1] + 1) {
            const auto a = static_cast<Eigen::Index>(i);
            num += e[a] * e[a - 1];
            den += e[a - 1] * e[a - 1];
        }
    return den > 0 ? num / den : nan;
}

// The gap-aware Prais-Winsten transform of the observed rows; returns the sum
// of log scale factors (the log Jacobian).
double prais_winsten(double phi, const Eigen::Ref<const Eigen::MatrixXd>& x, const Eigen::Ref<const Eigen::VectorXd>& y,
                     const std::vector<std::size_t>& pos, Eigen::MatrixXd& xs, Eigen::VectorXd& ys)
{
    xs.resize(x.rows(), x.cols());
    ys.resize(y.size());
    const double one_minus = 1 - phi * phi;
    double log_jac = 0;
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
        if (i == 0) {
            const double s = std::sqrt(one_minus);
            xs.row(0) = s * x.row(0);
            ys[0] = s * y[0];
            log_jac += std::log(s);
            continue;
        }
        const auto k = static_cast<double>(pos[static_cast<std::size_t>(i)] - pos[static_cast<std::size_t>(i - 1)]);
        const double a = std::pow(phi, k);
        const double s = k == 1 ? 1.0 : std::sqrt(one_minus / (1 - a * a));
        xs.row(i) = s * (x.row(i) - a * x.row(i - 1));
        ys[i] = s * (y[i] - a * y[i - 1]);
        log_jac += std::log(s);
    }
    return log_jac;
}

}  // namespace

namespace {

// The number of seasonal dummies (season 0 is the reference).
std::size_t its_seasons(const ItsSpec& spec)
{
    return static_cast<std::size_t>(spec.season_period > 0 ? spec.season_period - 1 : 0);
}

Eigen::Index its_columns(const ItsSpec& spec)
{
    return static_cast<Eigen::Index>(2 + 2 * spec.breaks.size() + its_seasons(spec));
}

std::vector<std::string> its_names(const ItsSpec& spec)
{
    const auto nb = spec.breaks.size();
    const auto seasons = its_seasons(spec);
    std::vector<std::string> names;
    names.reserve(2 + 2 * nb + seasons);
    names.emplace_back("intercept");
    names.emplace_back("time");
    for (std::size_t j = 1; j <= nb; ++j) {
        names.push_back("level_change_" + std::to_string(j));
        names.push_back("slope_change_" + std::to_string(j));
    }
    for (std::size_t s = 1; s <= seasons; ++s) names.push_back("season_" + std::to_string(s));
    return names;
}

// Row i of x (rows.size() x its_columns) is the design row of period rows[i].
void fill_design(const std::vector<std::size_t>& rows, const ItsSpec& spec, Eigen::Ref<Eigen::MatrixXd> x)
{
    const auto nb = spec.breaks.size();
    const auto seasons = its_seasons(spec);
    x.setZero();
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto r = static_cast<Eigen::Index>(i);
        const std::size_t tt = rows[i];
        x(r, 0) = 1.0;
        x(r, 1) = static_cast<double>(tt);
        for (std::size_t j = 0; j < nb; ++j) {
            if (tt < spec.breaks[j]) continue;
            const auto c = static_cast<Eigen::Index>(2 + 2 * j);
            x(r, c) = 1.0;
            x(r, c + 1) = static_cast<double>(tt - spec.breaks[j]);
        }
        if (seasons > 0) {
            const auto s = tt % static_cast<std::size_t>(spec.season_period);
            if (s > 0) x(r, static_cast<Eigen::Index>(2 + 2 * nb + s - 1)) = 1.0;
        }
    }
}

// The level and slope changes of each break, and the fitted and
// counterfactual paths, from the estimates in `r`.
void complete(ItsResult& r, const ItsSpec& spec, std::size_t n)
{
    const auto nb = spec.breaks.size();
    r.level_change.reserve(nb);
    r.slope_change.reserve(nb);
    for (std::size_t j = 0; j < nb; ++j) {
        const auto c = static_cast<Eigen::Index>(2 + 2 * j);
        r.level_change.push_back(r.est.params[c]);
        r.slope_change.push_back(r.est.params[c + 1]);
        if (std::isnan(r.est.params[c]) || std::isnan(r.est.params[c + 1])) r.diag.ok = false;
    }
    // The design times b for every period (aliased terms count as 0); the
    // counterfactual leaves out the break terms. Row by row, without forming
    // the n x k design again.
    const auto b = [&p = r.est.params](Eigen::Index c) { return usable(p[c]); };
    const auto rows = static_cast<Eigen::Index>(n);
    r.fitted.resize(rows);
    r.counterfactual.resize(rows);
    const int period = spec.season_period;
    for (Eigen::Index t = 0; t < rows; ++t) {
        const auto tt = static_cast<std::size_t>(t);
        double base = b(0) + b(1) * static_cast<double>(t);
        if (period > 0) {
            const auto s = tt % static_cast<std::size_t>(period);
            if (s > 0) base += b(static_cast<Eigen::Index>(2 + 2 * nb + s - 1));
        }
        double effect = 0;
        for (std::size_t j = 0; j < nb && spec.breaks[j] <= tt; ++j) {
            const auto c = static_cast<Eigen::Index>(2 + 2 * j);
            effect += b(c) + b(c + 1) * static_cast<double>(tt - spec.breaks[j]);
        }
        r.counterfactual[t] = base;
        r.fitted[t] = base + effect;
    }
    if (r.diag.n == 0 || r.diag.rank == 0) {
        r.fitted.setConstant(nan);
        r.counterfactual.setConstant(nan);
    }
}

}  // namespace

Eigen::MatrixXd its_design(std::size_t n, const ItsSpec& spec, std::vector<std::string>& names)
{
    names = its_names(spec);
    std::vector<std::size_t> rows(n);
    for (std::size_t t = 0; t < n; ++t) rows[t] = t;
    Eigen::MatrixXd x(static_cast<Eigen::Index>(n), its_columns(spec));
    fill_design(rows, spec, x);
    return x;
}

ItsResult fit_its(const Eigen::VectorXd& y_in, const ItsSpec& spec)
{
    const auto n = static_cast<std::size_t>(y_in.size());
    check_spec(n, spec);
    // The observed periods, then their values checked (in one pass with the
    // checks, the throws kept the loop's counters in memory); without a
    // branch, as a missing period here and there is not predictable.
    std::vector<std::size_t> pos(n);
    std::size_t observed_count = 0;
    for (std::size_t i = 0; i < n; ++i) {
        pos[observed_count] = i;
        observed_count += std::isnan(y_in[static_cast<Eigen::Index>(i)]) ? 0U : 1U;
    }
    pos.resize(observed_count);
    for (const std::size_t i : pos) {
        const double v = y_in[static_cast<Eigen::Index>(i)];
        if (std::isinf(v)) throw Error(ErrorCode::bad_input, "fit_its: y is infinite in row " + std::to_string(i));
        if (spec.log_outcome && !(v > 0))
            throw Error(ErrorCode::bad_input, "fit_its: a log outcome needs y > 0; row " + std::to_string(i) +
                                                  " is " + std::to_string(v));
    }
    if (spec.errors == ItsErrors::ar1_reml || spec.errors == ItsErrors::ar1_ml) {
        // fit_ar1_regression handles the missing periods (and says so) itself.
        ItsResult r;
        r.errors = spec.errors;
        std::vector<std::string> names;
        const Eigen::MatrixXd x = its_design(n, spec, names);
        Ar1RegressionSpec as;
        as.method = spec.errors == ItsErrors::ar1_ml ? Ar1Method::ml : Ar1Method::reml;
        as.alpha = spec.alpha;
        as.integrate_phi = spec.integrate_phi;
        auto fit = fit_ar1_regression(spec.log_outcome ? Eigen::VectorXd(y_in.array().log()) : y_in, x,
                                      std::move(names), as);
        r.cov_type = spec.errors == ItsErrors::ar1_ml ? "AR1-ML" : "AR1-REML";
        r.phi = fit.phi;
        r.log_outcome = spec.log_outcome;
        r.breaks = spec.breaks;
        r.est = std::move(fit.est);
        r.diag = std::move(fit.diag);
        complete(r, spec, n);
        return r;
    }
    std::vector<std::string> names = its_names(spec);
    const auto m = static_cast<Eigen::Index>(pos.size());
    const Eigen::Index k = its_columns(spec);
    // The observed rows' design and outcome, on the stack for short series
    // (see fit_complete's scratch).
    boost::container::small_vector<double, 512> observed(static_cast<std::size_t>(m * (k + 1)),
                                                         boost::container::default_init);
    Eigen::Map<Eigen::MatrixXd> xo(observed.data(), m, k);
    Eigen::Map<Eigen::VectorXd> yo(observed.data() + m * k, m);
    fill_design(pos, spec, xo);
    for (Eigen::Index i = 0; i < m; ++i) {
        const double v = y_in[static_cast<Eigen::Index>(pos[static_cast<std::size_t>(i)])];
        yo[i] = spec.log_outcome ? std::log(v) : v;
    }
    const std::size_t missing = n - pos.size();

    CovSpec cov;
    if (spec.errors == ItsErrors::newey_west) {
        cov.type = CovType::newey_west;
        cov.hac_lags = spec.hac_lags;
        cov.hac_small_sample = spec.hac_small_sample;
    }
    // The AR(1) iterations refit with the same names and positions; the
    // other error types need them only once.
    OlsResult fit = spec.errors == ItsErrors::ar1
                        ? detail::fit_complete(xo, yo, names, cov, spec.alpha, pos, missing, false)
                        : detail::fit_complete(xo, yo, std::move(names), cov, spec.alpha, std::move(pos), missing, false);

    ItsResult r;
    r.errors = spec.errors;
    r.cov_type = spec.errors == ItsErrors::ar1 ? "AR1" : cov_type_name(cov.type);
    r.hac_lags = fit.hac_lags;
    r.hac_small_sample = fit.hac_small_sample;
    r.phi = nan;
    r.log_outcome = spec.log_outcome;
    r.breaks = spec.breaks;

    if (spec.errors == ItsErrors::ar1 && fit.diag.ok) {
        auto& warnings = fit.diag.warnings;
        double phi = estimate_phi(yo - xo * usable(fit.est.params), pos);
        if (std::isnan(phi)) {
            fit.diag.ok = false;
            warnings.push_back("AR(1) errors need adjacent observed periods to estimate phi: none found");
        } else if (std::abs(phi) >= 1) {
            fit.diag.ok = false;
            warnings.push_back("AR(1) errors: the residuals' lag-1 coefficient is " + std::to_string(phi) +
                               ", not stationary; OLS estimates are reported");
            r.phi = phi;
        } else {
            Eigen::MatrixXd xs;
            Eigen::VectorXd ys;
            int it = 0;
            bool converged = false;
            bool stationary = true;
            while (true) {
                ++it;
                prais_winsten(phi, xo, yo, pos, xs, ys);
                const auto step = detail::fit_complete(xs, ys, names, {}, spec.alpha, pos, missing, false);
                const double next = estimate_phi(yo - xo * usable(step.est.params), pos);
                if (!(std::abs(next) < 1)) {
                    stationary = false;
                    break;
                }
                const bool settled = std::abs(next - phi) < spec.tolerance;
                phi = next;
                if (settled) {
                    converged = true;
                    break;
                }
                if (it >= spec.max_iterations) break;
            }
            const double log_jac = prais_winsten(phi, xo, yo, pos, xs, ys);
            auto gls = detail::fit_complete(xs, ys, names, {}, spec.alpha, pos, missing, false);
            // Keep the warnings about missing rows etc.; describe the GLS fit.
            gls.diag.warnings.insert(gls.diag.warnings.begin(), warnings.begin(), warnings.end());
            gls.diag.iterations = it;
            gls.diag.converged = converged;
            if (!stationary)
                gls.diag.warnings.push_back("AR(1) iteration stopped: phi reached the unit circle; the last "
                                            "stationary phi is used");
            else if (!converged)
                gls.diag.warnings.push_back("AR(1) iteration did not settle in " + std::to_string(it) +
                                            " iterations (tolerance " + std::to_string(spec.tolerance) + ")");
            // Exact Gaussian log-likelihood of y given phi: the transformed
            // regression's plus the log Jacobian of the transform.
            gls.diag.loglik += log_jac;
            // R² on the original scale: 1 - SSR(y - Xb) / TSS.
            const Eigen::VectorXd e = yo - xo * usable(gls.est.params);
            const double tss = (yo.array() - yo.mean()).matrix().squaredNorm();
            gls.diag.r2 = tss > 0 ? 1 - e.squaredNorm() / tss : nan;
            gls.diag.adj_r2 = gls.diag.df_resid > 0 && tss > 0
                                  ? 1 - (1 - gls.diag.r2) * (static_cast<double>(m) - 1) / gls.diag.df_resid
                                  : nan;
            r.phi = phi;
            fit = std::move(gls);
        }
    }

    r.est = std::move(fit.est);
    r.diag = std::move(fit.diag);
    if (missing > 0)
        r.diag.warnings.insert(r.diag.warnings.begin(), std::to_string(missing) + " missing period(s) were dropped");
    complete(r, spec, n);
    return r;
}

}  // namespace taeval::models
