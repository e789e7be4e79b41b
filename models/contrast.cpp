#include "models/contrast.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Cholesky>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include "models/check.hpp"
#include "models/error.hpp"
#include "models/student_t.hpp"

namespace taeval::models {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

void check_restrictions(std::string_view fn, const Estimates& est, const Eigen::MatrixXd& r, const Eigen::VectorXd& q)
{
    if (r.rows() == 0) throw Error(ErrorCode::bad_input, std::string(fn) + ": R has no restriction (no row)");
    check_size(fn, "columns of R", static_cast<std::size_t>(r.cols()), static_cast<std::size_t>(est.params.size()));
    check_size(fn, "q", static_cast<std::size_t>(q.size()), static_cast<std::size_t>(r.rows()));
    if (!r.allFinite()) throw Error(ErrorCode::bad_input, std::string(fn) + ": R has a non-finite entry");
    check_finite(fn, "q", q);
    if (static_cast<std::size_t>(est.cov.rows()) != static_cast<std::size_t>(est.params.size()) ||
        est.cov.cols() != est.cov.rows())
        throw Error(ErrorCode::bad_input, std::string(fn) + ": the covariance is not k x k for k coefficients");
}

// The columns each row of R weighs, ascending: zero weights are skipped, so
// an unrelated NaN coefficient does not enter (and the sums have the same
// terms, in the same order, as the dense products over the nonzero ones).
std::vector<std::vector<Eigen::Index>> nonzero_columns(const Eigen::MatrixXd& r)
{
    std::vector<std::vector<Eigen::Index>> nz(static_cast<std::size_t>(r.rows()));
    for (Eigen::Index i = 0; i < r.rows(); ++i)
        for (Eigen::Index j = 0; j < r.cols(); ++j)
            if (r(i, j) != 0) nz[static_cast<std::size_t>(i)].push_back(j);
    return nz;
}

// r_i b.
double row_times(const Eigen::MatrixXd& r, Eigen::Index i, const std::vector<Eigen::Index>& nz, const Eigen::VectorXd& b)
{
    double s = 0;
    for (const auto j : nz) s += r(i, j) * b[j];
    return s;
}

// r_i V r_k'.
double quadratic(const Eigen::MatrixXd& r, Eigen::Index i, const std::vector<Eigen::Index>& nzi, Eigen::Index k,
                 const std::vector<Eigen::Index>& nzk, const Eigen::MatrixXd& v)
{
    double s = 0;
    for (const auto a : nzi) {
        double t = 0;
        for (const auto c : nzk) t += v(a, c) * r(k, c);
        s += r(i, a) * t;
    }
    return s;
}

}  // namespace

double t_critical_value(double alpha, double df)
{
    check_open_interval("t_critical_value", "alpha", alpha, 0.0, 1.0);
    if (!(df > 0)) return nan;
    if (std::isinf(df)) return boost::math::quantile(boost::math::complement(boost::math::normal(), alpha / 2));
    return boost::math::quantile(boost::math::complement(boost::math::students_t(df), alpha / 2));
}

ContrastResult t_test(const Estimates& est, const Eigen::MatrixXd& r, const Eigen::VectorXd& q, double df)
{
    check_restrictions("t_test", est, r, q);
    const Eigen::Index m = r.rows();
    ContrastResult out;
    out.df = df;
    out.alpha = est.alpha;
    for (auto* v : {&out.effect, &out.se, &out.stat, &out.p, &out.ci_low, &out.ci_high}) v->setConstant(m, nan);
    const auto nz = nonzero_columns(r);
    const double crit = t_critical_value(est.alpha, df);
    for (Eigen::Index i = 0; i < m; ++i) {
        const auto& cols = nz[static_cast<std::size_t>(i)];
        const double e = row_times(r, i, cols, est.params);
        if (!std::isfinite(e)) continue;
        out.effect[i] = e;
        const double v = quadratic(r, i, cols, i, cols, est.cov);
        if (!(v >= 0)) continue;
        const double se = std::sqrt(v);
        out.se[i] = se;
        if (!(df > 0)) continue;
        out.ci_low[i] = e - crit * se;
        out.ci_high[i] = e + crit * se;
        const double d = e - q[i];
        if (se > 0) {
            out.stat[i] = d / se;
            out.p[i] = student_t_two_sided_p(out.stat[i], df);
        } else {
            out.p[i] = d == 0 ? 1.0 : 0.0;
        }
    }
    return out;
}

WaldTestResult wald_test(const Estimates& est, const Eigen::MatrixXd& r, const Eigen::VectorXd& q, double df_denom,
                         bool use_f)
{
    check_restrictions("wald_test", est, r, q);
    const Eigen::Index m = r.rows();
    WaldTestResult out;
    out.df_num = static_cast<double>(m);
    if (use_f) out.df_denom = df_denom;
    out.statistic = out.p = nan;
    const auto nz = nonzero_columns(r);
    Eigen::VectorXd d(m);
    Eigen::MatrixXd v(m, m);
    for (Eigen::Index i = 0; i < m; ++i) {
        d[i] = row_times(r, i, nz[static_cast<std::size_t>(i)], est.params) - q[i];
        for (Eigen::Index k = 0; k < m; ++k)
            v(i, k) = quadratic(r, i, nz[static_cast<std::size_t>(i)], k, nz[static_cast<std::size_t>(k)], est.cov);
    }
    if (!d.allFinite() || !v.allFinite() || (use_f && !(df_denom > 0))) return out;
    const Eigen::LDLT<Eigen::MatrixXd> ldlt(v);
    // Positive definite: every pivot positive (isPositive() admits zeros).
    if (ldlt.info() != Eigen::Success || !ldlt.isPositive() || !(ldlt.vectorD().minCoeff() > 0)) return out;
    const double w = d.dot(ldlt.solve(d));
    if (!std::isfinite(w) || w < 0) return out;
    if (use_f) {
        out.statistic = w / out.df_num;
        out.p = std::isinf(df_denom)
                    ? boost::math::cdf(boost::math::complement(boost::math::chi_squared(out.df_num), w))
                    : boost::math::cdf(boost::math::complement(boost::math::fisher_f(out.df_num, df_denom),
                                                               out.statistic));
    } else {
        out.statistic = w;
        out.p = boost::math::cdf(boost::math::complement(boost::math::chi_squared(out.df_num), w));
    }
    return out;
}

}  // namespace taeval::models
