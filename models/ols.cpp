#include "models/ols.hpp"

#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <utility>

#include <Eigen/Cholesky>
#include <Eigen/QR>
#include <boost/algorithm/string/join.hpp>
#include <boost/container/small_vector.hpp>
#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/distributions/normal.hpp>

#include "models/check.hpp"
#include "models/error.hpp"
#include "models/student_t.hpp"

namespace taeval::models {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Boost.Math promotes double to long double internally by default; in double
// the distributions are 4-5 times faster and still accurate to ~1e-15, far
// inside what a p-value needs (many short series are fitted in a row).
using Policy = DoublePolicy;
using Normal = boost::math::normal_distribution<double, Policy>;
using FisherF = boost::math::fisher_f_distribution<double, Policy>;

// A column whose entries are all the same non-zero value.
bool is_constant_column(const Eigen::Ref<const Eigen::MatrixXd>& x, Eigen::Index j)
{
    if (x.rows() == 0) return false;
    const double v = x(0, j);
    return v != 0.0 && (x.col(j).array() == v).all();
}

// The column order of a pivoted QR (Eigen's permutation indices).
constexpr int small_k = 8;
using Permutation = boost::container::small_vector<Eigen::Index, small_k>;

// Factors xs in place by Eigen's column-pivoting Householder QR (its default
// rank threshold), applies Q' of the first `rank` reflectors to qty and
// returns the rank. With the column count bounded at compile time (MaxCols)
// the QR's six k-sized work vectors live on the stack: their allocations
// were about a fifth of the factorisation of a 48 x 4 design.
template <int MaxCols>
Eigen::Index factor(Eigen::Map<Eigen::MatrixXd>& xs, Eigen::Map<Eigen::VectorXd>& qty, Permutation& perm)
{
    using Bounded = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor, Eigen::Dynamic, MaxCols>;
    const Eigen::ColPivHouseholderQR<Eigen::Ref<Bounded>> qr(xs);
    const Eigen::Index rank = qr.rank();
    const auto& indices = qr.colsPermutation().indices();
    perm.assign(indices.data(), indices.data() + indices.size());
    // Reflector by reflector on the vector's tail: as a vector, Eigen applies
    // each with a dot product and an axpy (through householderQ() the vector
    // is a dynamic block and goes through the general product kernels, a
    // fifth of the factorisation's time).
    const Eigen::Index n = xs.rows();
    for (Eigen::Index j = 0; j < rank; ++j) {
        double workspace = 0;
        qty.tail(n - j).applyHouseholderOnTheLeft(qr.householderQ().essentialVector(j), qr.hCoeffs()[j], &workspace);
    }
    return rank;
}

}  // namespace

namespace detail {

void fill_inference(Estimates& est, double df)
{
    const auto k = est.params.size();
    est.se = Eigen::VectorXd::Constant(k, nan);
    est.stat = Eigen::VectorXd::Constant(k, nan);
    est.p = Eigen::VectorXd::Constant(k, nan);
    est.ci_low = Eigen::VectorXd::Constant(k, nan);
    est.ci_high = Eigen::VectorXd::Constant(k, nan);
    if (!(df > 0)) return;
    const bool normal = std::isinf(df);
    // The quantile is the costliest step of a small fit and is the same for
    // every fit with this (df, alpha): remember it in a small direct-mapped
    // table by df (per thread; a cache, not state: the value returned does
    // not depend on it). A batch of series with a few missing periods here
    // and there alternates between a few df, which one entry would thrash.
    struct Entry {
        double df = nan;
        double alpha = nan;
        double q = nan;
    };
    thread_local std::array<Entry, 64> memo{};
    auto& e = memo[normal ? 0 : static_cast<std::size_t>(std::fmod(df, 64.0))];
    if (!(df == e.df && est.alpha == e.alpha)) {
        e.q = normal ? boost::math::quantile(boost::math::complement(Normal(), est.alpha / 2))
                     : boost::math::quantile(boost::math::complement(StudentT(df), est.alpha / 2));
        e.df = df;
        e.alpha = est.alpha;
    }
    const double q = e.q;
    for (Eigen::Index i = 0; i < k; ++i) {
        const double b = est.params[i];
        const double v = est.cov(i, i);
        if (!std::isfinite(b) || !std::isfinite(v) || v < 0) continue;
        const double se = std::sqrt(v);
        est.se[i] = se;
        est.ci_low[i] = b - q * se;
        est.ci_high[i] = b + q * se;
        if (se == 0) {
            // An exact fit: the statistic is infinite unless the estimate is 0.
            if (b != 0) {
                est.stat[i] = std::copysign(std::numeric_limits<double>::infinity(), b);
                est.p[i] = 0;
            }
            continue;
        }
        const double t = b / se;
        est.stat[i] = t;
        est.p[i] = student_t_two_sided_p(t, df);
    }
}

OlsResult fit_complete(const Eigen::Ref<const Eigen::MatrixXd>& x, const Eigen::Ref<const Eigen::VectorXd>& y,
                       std::vector<std::string> names, const CovSpec& cov, double alpha,
                       std::vector<std::size_t> positions, std::size_t n_missing, bool overall_f)
{
    const Eigen::Index n = x.rows();
    const Eigen::Index k = x.cols();
    check_size("fit_ols", "y", static_cast<std::size_t>(y.size()), static_cast<std::size_t>(n));
    check_size("fit_ols", "names", names.size(), static_cast<std::size_t>(k));
    check_size("fit_ols", "positions", positions.size(), static_cast<std::size_t>(n));

    OlsResult r;
    r.cov_type = cov.type;
    r.hac_small_sample = cov.type == CovType::newey_west && cov.hac_small_sample;
    r.est.names = std::move(names);
    r.est.alpha = alpha;
    r.est.params = Eigen::VectorXd::Constant(k, nan);
    r.est.cov = Eigen::MatrixXd::Constant(k, k, nan);
    r.aliased.assign(static_cast<std::size_t>(k), false);
    r.rows = std::move(positions);
    auto& d = r.diag;
    d.n = static_cast<std::size_t>(n);
    d.n_missing = n_missing;
    d.r2 = d.adj_r2 = d.resid_sd = d.loglik = nan;
    r.f_stat = r.f_p = r.sigma2 = r.ssr = r.tss = nan;
    r.df_inference = nan;

    if (n == 0 || k == 0) {
        d.ok = false;
        d.warnings.push_back(n == 0 ? "no observations: every row is missing" : "the design has no columns");
        detail::fill_inference(r.est, nan);
        return r;
    }

    for (Eigen::Index j = 0; j < k; ++j) r.has_constant = r.has_constant || is_constant_column(x, j);

    // All the scratch of the fit in one block (fits of short series are
    // dominated by small allocations otherwise): the scaled design that the
    // QR overwrites, Q'y, the scores, and the k x k pieces of the sandwich.
    // On the stack up to 8 KiB (a 48-period, 4-column Newey-West fit takes
    // 5.7 KiB): glibc serves a request of more than 1 KiB from its large
    // bins, which first consolidates the freed small chunks (malloc_consolidate
    // stood out in the profile of such fits).
    const auto nk = static_cast<std::size_t>(n * k);
    const auto kk = static_cast<std::size_t>(k * k);
    const auto ku = static_cast<std::size_t>(k);
    // Newey-West puts the scores on the grid of periods (zero where a period
    // has no row) and sums them over windows of L + 1 periods; the other
    // estimators use one row per observation.
    const bool hac = cov.type == CovType::newey_west;
    if (hac) detail::check_increasing_positions("hac_meat", r.rows);
    const std::size_t span = hac ? r.rows.back() - r.rows.front() + 1 : static_cast<std::size_t>(n);
    const std::size_t lags = hac ? cov.hac_lags.value_or(newey_west_auto_lags(d.n)) : 0;
    boost::container::small_vector<double, 1024> scratch(
        nk + (2 * span + 3 * lags) * ku + static_cast<std::size_t>(n) + 4 * kk + ku, boost::container::default_init);
    double* next = scratch.data();
    const auto take = [&next](std::size_t count) {
        double* const block = next;
        next += count;
        return block;
    };
    Eigen::Map<Eigen::MatrixXd> xs(take(nk), n, k);
    Eigen::Map<Eigen::VectorXd> qty(take(static_cast<std::size_t>(n)), n);
    double* const scores = take((span + 2 * lags) * ku);
    double* const window_sums = take((span + lags) * ku);
    Eigen::Map<Eigen::VectorXd> norms(take(ku), k);

    // Scaling the columns to unit length leaves the least-squares solution
    // unchanged up to the scale and makes the rank decision and R's
    // conditioning independent of the units of each regressor.
    // (By the reciprocal: a division per element was a sixth of a small fit.)
    for (Eigen::Index j = 0; j < k; ++j) {
        norms[j] = x.col(j).norm();
        if (norms[j] > 0)
            xs.col(j) = x.col(j) * (1.0 / norms[j]);
        else
            xs.col(j) = x.col(j);
    }
    // xs becomes Eigen's packed QR, qty = Q'y.
    qty = y;
    Permutation perm;
    const Eigen::Index rank =
        k <= small_k ? factor<small_k>(xs, qty, perm) : factor<Eigen::Dynamic>(xs, qty, perm);
    d.rank = static_cast<std::size_t>(rank);
    // The design column of the i-th pivoted column.
    const auto col = [&perm](Eigen::Index i) { return perm[static_cast<std::size_t>(i)]; };

    if (rank < k) {
        std::vector<std::string> dropped;
        for (Eigen::Index i = rank; i < k; ++i) {
            r.aliased[static_cast<std::size_t>(col(i))] = true;
            dropped.push_back(r.est.names[static_cast<std::size_t>(col(i))]);
        }
        d.warnings.push_back("the design is rank deficient (rank " + std::to_string(rank) + " of " +
                             std::to_string(k) + " columns); aliased parameters are not estimated: " + boost::algorithm::join(dropped, ", "));
    }
    if (rank == 0) {
        d.ok = false;
        detail::fill_inference(r.est, nan);
        return r;
    }

    // z = R11^-1 (Q'y)_head, by back substitution in place.
    for (Eigen::Index i = rank - 1; i >= 0; --i) {
        qty[i] /= xs(i, i);
        for (Eigen::Index l = 0; l < i; ++l) qty[l] -= qty[i] * xs(l, i);
    }
    const auto z = qty.head(rank);
    r.fitted = Eigen::VectorXd::Zero(n);
    for (Eigen::Index i = 0; i < rank; ++i) {
        const double b = z[i] / norms[col(i)];
        r.est.params[col(i)] = b;
        r.fitted += b * x.col(col(i));
    }
    r.resid = y - r.fitted;

    const double nd = static_cast<double>(n);
    const double kd = static_cast<double>(rank);
    const double df = nd - kd;
    d.df_resid = df;
    r.ssr = r.resid.squaredNorm();
    r.tss = r.has_constant ? (y.array() - y.mean()).matrix().squaredNorm() : y.squaredNorm();
    r.df_model = kd - (r.has_constant ? 1.0 : 0.0);
    d.loglik = -nd / 2 * (std::log(2 * std::numbers::pi) + std::log(r.ssr / nd) + 1);
    if (r.tss > 0) {
        d.r2 = 1 - r.ssr / r.tss;
    } else {
        d.warnings.push_back("y is constant: R-squared is undefined");
    }
    if (r.ssr == 0) d.warnings.push_back("the fit is exact (zero residuals): standard errors are zero");

    if (!(df > 0)) {
        d.ok = false;
        d.warnings.push_back("no residual degrees of freedom (" + std::to_string(n) + " observations, " +
                             std::to_string(rank) + " parameters): standard errors are not available");
        detail::fill_inference(r.est, nan);
        return r;
    }
    r.sigma2 = r.ssr / df;
    d.resid_sd = std::sqrt(r.sigma2);
    if (std::isfinite(d.r2)) d.adj_r2 = 1 - (1 - d.r2) * (nd - (r.has_constant ? 1.0 : 0.0)) / df;

    // (R'R)^-1 = R^-1 R^-T in the scaled, pivoted coordinates; R^-1 by back
    // substitution, column by column.
    Eigen::Map<Eigen::MatrixXd> rinv(take(kk), rank, rank);
    Eigen::Map<Eigen::MatrixXd> bread(take(kk), rank, rank);
    Eigen::Map<Eigen::MatrixXd> vs(take(kk), rank, rank);
    Eigen::Map<Eigen::MatrixXd> meat(take(kk), rank, rank);
    rinv.setZero();
    for (Eigen::Index c = 0; c < rank; ++c) {
        rinv(c, c) = 1.0;
        for (Eigen::Index i = c; i >= 0; --i) {
            rinv(i, c) /= xs(i, i);
            for (Eigen::Index l = 0; l < i; ++l) rinv(l, c) -= rinv(i, c) * xs(l, i);
        }
    }
    bread.noalias() = rinv * rinv.transpose();
    r.df_inference = df;
    // The scores e_t x_t of the kept, scaled columns (in pivot order).
    Eigen::Map<Eigen::MatrixXd> g(scores, n, rank);
    const auto fill_scores = [&] {
        for (Eigen::Index i = 0; i < rank; ++i) g.col(i) = r.resid.cwiseProduct(x.col(col(i))) * (1.0 / norms[col(i)]);
    };
    const auto sandwich = [&] {
        // vs = bread meat bread; R^-1 is no longer needed, its block holds
        // the intermediate product.
        Eigen::Map<Eigen::MatrixXd> tmp(rinv.data(), rank, rank);
        tmp.noalias() = bread * meat;
        vs.noalias() = tmp * bread;
    };
    switch (cov.type) {
    case CovType::classical: vs = r.sigma2 * bread; break;
    case CovType::hc0:
    case CovType::hc1: {
        fill_scores();
        meat.noalias() = g.transpose() * g;
        sandwich();
        if (cov.type == CovType::hc1) vs *= nd / df;
        break;
    }
    case CovType::newey_west: {
        r.hac_lags = lags;
        // The periods between L zero rows on each side.
        Eigen::Map<Eigen::MatrixXd> grid(scores, static_cast<Eigen::Index>(span + 2 * lags), rank);
        grid.setZero();
        for (Eigen::Index i = 0; i < rank; ++i) {
            const double inverse = 1.0 / norms[col(i)];
            const double* const xc = x.col(col(i)).data();
            double* const gc = grid.col(i).data();
            for (Eigen::Index t = 0; t < n; ++t)
                gc[lags + r.rows[static_cast<std::size_t>(t)] - r.rows.front()] = r.resid[t] * (xc[t] * inverse);
        }
        Eigen::Map<Eigen::MatrixXd> sums(window_sums, static_cast<Eigen::Index>(span + lags), rank);
        detail::hac_meat_of_grid(grid, lags, sums, meat);
        sandwich();
        if (cov.hac_small_sample) vs *= nd / df;
        break;
    }
    case CovType::cluster: {
        std::size_t groups = 0;
        Eigen::MatrixXd xk(n, rank);
        for (Eigen::Index i = 0; i < rank; ++i) xk.col(i) = x.col(col(i)) * (1.0 / norms[col(i)]);
        meat = cluster_meat(xk, r.resid, cov.clusters, groups);
        r.n_clusters = groups;
        const double gd = static_cast<double>(groups);
        if (groups < 2) {
            d.ok = false;
            d.warnings.push_back("cluster-robust errors need at least 2 clusters, got " + std::to_string(groups));
            vs.setConstant(nan);
        } else {
            sandwich();
            vs *= gd / (gd - 1) * (nd - 1) / df;
        }
        r.df_inference = gd - 1;
        break;
    }
    }
    for (Eigen::Index i = 0; i < rank; ++i)
        for (Eigen::Index j = 0; j < rank; ++j)
            r.est.cov(col(i), col(j)) = vs(i, j) / (norms[col(i)] * norms[col(j)]);
    detail::fill_inference(r.est, r.df_inference);

    // Overall F: Wald test that every estimated non-constant parameter is 0.
    if (!overall_f) return r;
    std::vector<Eigen::Index> test;
    for (Eigen::Index i = 0; i < rank; ++i)
        if (!is_constant_column(x, col(i))) test.push_back(i);
    if (!test.empty() && r.df_inference > 0) {
        const auto q = static_cast<Eigen::Index>(test.size());
        const double qd = static_cast<double>(q);
        if (cov.type == CovType::classical) {
            r.f_stat = ((r.tss - r.ssr) / qd) / r.sigma2;
        } else {
            Eigen::VectorXd b(q);
            Eigen::MatrixXd v(q, q);
            for (Eigen::Index i = 0; i < q; ++i) {
                b[i] = z[test[static_cast<std::size_t>(i)]];
                for (Eigen::Index j = 0; j < q; ++j)
                    v(i, j) = vs(test[static_cast<std::size_t>(i)], test[static_cast<std::size_t>(j)]);
            }
            Eigen::LDLT<Eigen::MatrixXd> ldlt(v);
            if (ldlt.info() == Eigen::Success && ldlt.isPositive() && (ldlt.vectorD().array() > 0).all())
                r.f_stat = b.dot(ldlt.solve(b)) / qd;
            else
                d.warnings.push_back("the robust covariance is singular: the F statistic is not computed");
        }
        if (std::isinf(r.f_stat) && r.f_stat > 0)
            r.f_p = 0;
        else if (std::isfinite(r.f_stat) && r.f_stat >= 0)
            r.f_p = boost::math::cdf(boost::math::complement(FisherF(qd, r.df_inference), r.f_stat));
    }
    return r;
}

}  // namespace detail

OlsResult fit_ols(const Eigen::VectorXd& y, const Eigen::MatrixXd& x, std::vector<std::string> names,
                  const OlsSpec& spec)
{
    constexpr std::string_view fn = "fit_ols";
    check_open_interval(fn, "alpha", spec.alpha, 0.0, 1.0);
    check_size(fn, "rows of x", static_cast<std::size_t>(x.rows()), static_cast<std::size_t>(y.size()));
    check_size(fn, "names", names.size(), static_cast<std::size_t>(x.cols()));
    if (spec.cov.type == CovType::cluster)
        check_size(fn, "cluster ids", spec.cov.clusters.size(), static_cast<std::size_t>(y.size()));
    for (Eigen::Index i = 0; i < y.size(); ++i)
        if (std::isinf(y[i])) throw Error(ErrorCode::bad_input, "fit_ols: y is infinite in row " + std::to_string(i));
    for (Eigen::Index j = 0; j < x.cols(); ++j)
        for (Eigen::Index i = 0; i < x.rows(); ++i)
            if (std::isinf(x(i, j)))
                throw Error(ErrorCode::bad_input, "fit_ols: column '" + names[static_cast<std::size_t>(j)] +
                                                      "' is infinite in row " + std::to_string(i));

    std::vector<std::size_t> rows;
    for (Eigen::Index i = 0; i < y.size(); ++i)
        if (!std::isnan(y[i]) && !x.row(i).array().isNaN().any()) rows.push_back(static_cast<std::size_t>(i));
    const auto n = static_cast<Eigen::Index>(rows.size());
    const Eigen::Index off = spec.add_intercept ? 1 : 0;
    Eigen::MatrixXd xu(n, x.cols() + off);
    Eigen::VectorXd yu(n);
    CovSpec cov = spec.cov;
    cov.clusters.clear();
    for (Eigen::Index i = 0; i < n; ++i) {
        const auto src = static_cast<Eigen::Index>(rows[static_cast<std::size_t>(i)]);
        yu[i] = y[src];
        if (spec.add_intercept) xu(i, 0) = 1.0;
        xu.row(i).tail(x.cols()) = x.row(src);
        if (spec.cov.type == CovType::cluster) cov.clusters.push_back(spec.cov.clusters[static_cast<std::size_t>(src)]);
    }
    if (spec.add_intercept) names.insert(names.begin(), "intercept");
    const std::size_t missing = static_cast<std::size_t>(y.size()) - rows.size();
    auto result = detail::fit_complete(xu, yu, std::move(names), cov, spec.alpha, std::move(rows), missing);
    if (missing > 0)
        result.diag.warnings.insert(result.diag.warnings.begin(),
                                    std::to_string(missing) + " row(s) with a missing value were dropped");
    return result;
}

}  // namespace taeval::models
