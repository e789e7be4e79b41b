#pragma once
// The profile likelihood of phi behind models/ar1_regression, shared by
// ar1_regression.cpp (one fit) and ar1_screen.cpp (many fits on one base
// design); not part of the models' interface. Notation as in
// ar1_regression.hpp.
#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

#include <Eigen/Core>

#include "models/ar1_regression.hpp"

namespace taeval::models::ar1_detail {

/// The observed rows: y and every column of x finite.
struct Observed {
    Eigen::MatrixXd x;
    Eigen::VectorXd y;
    std::vector<std::size_t> pos;
    Eigen::VectorXd norms;  ///< column norms of x, fixed scaling for the rank decision
    std::size_t missing = 0;
};

[[nodiscard]] Observed observed_rows(const Eigen::VectorXd& y, const Eigen::MatrixXd& x);

/// Gap-aware Prais-Winsten transform; returns sum log s_i = -1/2 log|V| with
/// Cov(u) = sigma2 V (sigma2 the innovation variance).
double whiten(double phi, const Observed& o, Eigen::MatrixXd& xs, Eigen::VectorXd& ys);

/// Profile log-likelihood at phi: ML or REML (nlme's form), b and sigma2
/// concentrated out, from the QR of the whitened design. NaN when no
/// residual degrees of freedom are left.
[[nodiscard]] double profile(double phi, const Observed& o, Ar1Method method);

/// The rows that make up the whitened cross-products: rows one period after
/// the previous observed one (`now`, with `before` the rows before them),
/// and the rows after a gap, grouped by the gap's length.
struct RowPlan {
    std::vector<Eigen::Index> now, before;
    struct Gap {
        double length;
        std::vector<Eigen::Index> at, prev;
    };
    std::vector<Gap> gaps;  ///< by gap length, ascending
};

[[nodiscard]] RowPlan row_plan(const std::vector<std::size_t>& pos);

/// The whitened cross-products [X y]'[X y] as a function of phi:
/// c(phi) = sum_t w_t(phi) M_t over a few fixed symmetric matrices. Rows one
/// period after the previous observed one give c0 - phi c1 + phi^2 c2 with
/// fixed sums; the first row gives (1 - phi^2) z0 z0'; the rows after a gap
/// of L periods give, per L, s2_L (S0_L - a S1_L + a^2 S2_L) with a = phi^L
/// and s2_L = (1 - phi^2) / (1 - a^2). O(k^2) per term and phi plus a k x k
/// Cholesky, where profile() whitens and factors the whole design. Columns
/// of X are scaled by `norms`; y is last.
struct GramProfile {
    Eigen::Index m = 0, k = 0;
    Eigen::MatrixXd c0, c1, c2, first;  ///< (k + 1) x (k + 1)
    struct Gap {
        double length;
        double count;  ///< rows after a gap of this length
        Eigen::MatrixXd s0, s1, s2;
    };
    std::vector<Gap> gaps;  ///< by gap length, ascending
    Eigen::VectorXd norms;  ///< the column scaling of X (k)
};

/// The cross-products of z = [X / norms, y] (m x (k + 1)) over `plan`.
[[nodiscard]] GramProfile make_gram(const Eigen::MatrixXd& z, const RowPlan& plan, Eigen::VectorXd norms);

/// The cross-products at phi, into `c` ((k + 1) x (k + 1)); returns
/// sum log s_i as whiten() does.
double gram_at(double phi, const GramProfile& g, Eigen::MatrixXd& c);

/// profile() from the cross-products. NaN where they cannot be trusted (the
/// design is nearly rank deficient, or the residual sum of squares is a small
/// difference of large numbers): the caller then uses profile(). `c` is
/// scratch of (k + 1) x (k + 1).
[[nodiscard]] double profile_gram(double phi, const GramProfile& g, Ar1Method method, Eigen::MatrixXd& c);

/// The GLS fit at one phi: the profile log-likelihood, the coefficients and
/// their covariance s2 (X' V^-1 X)^-1 with s2 = SSR / (m - k) (under both
/// methods, as nlme), in the units of X.
struct GlsAtPhi {
    double loglik = 0;
    Eigen::VectorXd b;
    Eigen::MatrixXd cov;
};

/// GlsAtPhi from the cross-products; empty where profile_gram would give
/// NaN (they cannot be trusted). `c` is scratch as for profile_gram.
[[nodiscard]] std::optional<GlsAtPhi> gls_gram(double phi, const GramProfile& g, Ar1Method method,
                                               Eigen::MatrixXd& c);

/// The search for phi: an 81-point grid over [-bound, bound] for the global
/// maximum of `grid`, then Brent's method on `refine` in the cells either
/// side of the best point. Empty when no point of the grid is finite.
struct PhiSearch {
    double phi = 0;
    double loglik = 0;  ///< refine(phi)
    int iterations = 0;
    std::vector<double> grid;    ///< the grid's phi values
    std::vector<double> values;  ///< grid(phi) at each (NaN where not finite)
};

[[nodiscard]] std::optional<PhiSearch> search_phi(double bound, const std::function<double(double)>& grid,
                                                  const std::function<double(double)>& refine);

/// The coefficients' covariance with phi's uncertainty in it:
///   sum_g w_g [cov(phi_g) + (b(phi_g) - b_hat)(b(phi_g) - b_hat)'],
/// over the search's grid, w_g proportional to the profile likelihood
/// exp(loglik(phi_g)) (for REML, the posterior of phi under a flat prior:
/// Harville 1974). Points of relative weight below 1e-6 are skipped; where
/// more than 16 count, every s-th from the mode (s the least that leaves at
/// most 16), the integrand being smooth. `at` gives the fit at a grid point;
/// empty when it fails at one that counts (then so is the result).
[[nodiscard]] std::optional<Eigen::MatrixXd>
phi_integrated_cov(const PhiSearch& search, const Eigen::VectorXd& b_hat,
                   const std::function<std::optional<GlsAtPhi>(double)>& at);

}  // namespace taeval::models::ar1_detail
