#pragma once
// Linear hypotheses about a fitted model's coefficients, in the shape of
// statsmodels' results.t_test and results.wald_test: restrictions R b = q,
// R one row per restriction over the coefficients b, with their covariance
// V from the fit.
//
// A coefficient that no restriction weighs (its column of R is all zeros)
// does not enter the computation, so a coefficient left NaN by a
// rank-deficient fit does not spoil a test that does not involve it.
#include <cstddef>
#include <optional>

#include <Eigen/Core>

#include "models/estimates.hpp"

namespace taeval::models {

/// One entry per restriction r_i b = q_i (statsmodels' ContrastResults of a
/// t test).
struct ContrastResult {
    Eigen::VectorXd effect;   ///< r_i b
    Eigen::VectorXd se;       ///< sqrt(r_i V r_i')
    Eigen::VectorXd stat;     ///< (r_i b - q_i) / se: t, or z when df is infinite
    Eigen::VectorXd p;        ///< two-sided p-value of stat
    Eigen::VectorXd ci_low;   ///< (1 - alpha) interval of r_i b
    Eigen::VectorXd ci_high;
    double df = 0;            ///< degrees of freedom of the t reference (infinite: normal)
    double alpha = 0.05;
};

/// The joint test of all restrictions (statsmodels' ContrastResults of a
/// Wald test): F = W / J on F(J, df_denom), or the chi-squared W on J
/// degrees of freedom, with W = (R b - q)' (R V R')^-1 (R b - q).
struct WaldTestResult {
    double statistic = 0;           ///< F or chi-squared
    double df_num = 0;              ///< J, the number of restrictions
    std::optional<double> df_denom; ///< the F test's denominator df; none for chi-squared
    double p = 0;                   ///< upper-tail p-value of statistic
};

/// t (or z) tests of each restriction r_i b = q_i, with the (1 - est.alpha)
/// interval of r_i b; df is the fit's df_inference (infinity for a normal
/// reference). Numerical trouble is reported as NaN, not thrown: a
/// non-finite r_i b gives NaN everywhere in that entry; a variance that is
/// NaN or negative gives NaN from se on; df that is NaN or not positive
/// gives NaN stat, p and interval; se = 0 gives p = 1 when r_i b = q_i and
/// 0 otherwise (stat NaN). Throws taeval::Error(bad_input) when R has no row,
/// has a column count other than the number of coefficients or a non-finite
/// entry, or q has a length other than R's rows or a non-finite entry.
[[nodiscard]] ContrastResult t_test(const Estimates& est, const Eigen::MatrixXd& r, const Eigen::VectorXd& q,
                                    double df);

/// The Wald test that all restrictions hold together: F on (J, df_denom)
/// when use_f (df_denom the fit's df_inference; infinity gives the
/// chi-squared test's p with F's statistic), else chi-squared on J. When
/// R V R' is not positive definite, R b is not finite or df_denom is not
/// positive, statistic and p are NaN. Throws taeval::Error(bad_input) for R
/// and q as t_test does.
[[nodiscard]] WaldTestResult wald_test(const Estimates& est, const Eigen::MatrixXd& r, const Eigen::VectorXd& q,
                                       double df_denom, bool use_f = true);

/// The two-sided (1 - alpha) critical value of t(df), the normal's when df
/// is infinite; NaN when df is NaN or not positive. Throws
/// taeval::Error(bad_input) for alpha outside (0, 1).
[[nodiscard]] double t_critical_value(double alpha, double df);

}  // namespace taeval::models
