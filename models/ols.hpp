#pragma once
// Ordinary least squares by column-pivoted Householder QR (never the normal
// equations), with the covariance estimators of models/covariance.hpp.
#include <cstddef>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "models/covariance.hpp"
#include "models/estimates.hpp"

namespace taeval::models {

/// What to fit: y = X b + e.
struct OlsSpec {
    /// Prepend a column of ones named "intercept".
    bool add_intercept = true;
    CovSpec cov;
    /// Intervals are (1 - alpha); must lie in (0, 1).
    double alpha = 0.05;
};

/// A fitted OLS model. Parameters aliased by a rank-deficient design are NaN
/// (estimate, se, interval, p; their covariance rows and columns too) and
/// named in a warning; `aliased` marks them.
struct OlsResult {
    Estimates est;
    Diagnostics diag;
    CovType cov_type = CovType::classical;
    std::size_t hac_lags = 0;      ///< Newey-West lag used (0 otherwise)
    bool hac_small_sample = false; ///< Newey-West n/(n-k) factor applied
    std::size_t n_clusters = 0;    ///< cluster: number of groups G
    /// Degrees of freedom of the t reference distribution: n - rank, or G - 1
    /// for cluster-robust errors (Stata's convention).
    double df_inference = 0;
    double df_model = 0;           ///< estimated parameters less the constant
    double f_stat = 0;             ///< Wald F that all non-constant params are 0 (with the chosen covariance)
    double f_p = 0;                ///< its p-value on F(df_model, df_inference)
    double ssr = 0;                ///< sum of squared residuals
    double tss = 0;                ///< total sum of squares (centred when the design has a constant)
    double sigma2 = 0;             ///< SSR / (n - rank)
    bool has_constant = false;     ///< a constant column was found in the design
    std::vector<bool> aliased;     ///< per parameter: dropped as collinear
    std::vector<std::size_t> rows; ///< input rows used (in order)
    Eigen::VectorXd fitted;        ///< fitted values of the rows used
    Eigen::VectorXd resid;         ///< residuals of the rows used
};

/// Fits y on x (n x k, column names in `names`). A row with NaN in y or in any
/// column of x is dropped and counted in diag.n_missing. Throws
/// taeval::Error(bad_input) for mismatched sizes, infinite values, a bad
/// alpha, or cluster ids of the wrong length. Newey-West treats the input row
/// index as time: a dropped row leaves a gap that contributes nothing.
[[nodiscard]] OlsResult fit_ols(const Eigen::VectorXd& y, const Eigen::MatrixXd& x, std::vector<std::string> names,
                                const OlsSpec& spec);

namespace detail {
/// The core shared by the models of this folder: OLS on complete rows (no
/// NaN). `positions` are the rows' time indices (for Newey-West and for
/// OlsResult::rows), `cov.clusters` one id per row given here, `n_missing`
/// is copied into the diagnostics; `overall_f` false skips the overall F
/// test (f_stat, f_p stay NaN). No argument checks beyond sizes.
[[nodiscard]] OlsResult fit_complete(const Eigen::Ref<const Eigen::MatrixXd>& x,
                                     const Eigen::Ref<const Eigen::VectorXd>& y, std::vector<std::string> names,
                                     const CovSpec& cov, double alpha, std::vector<std::size_t> positions,
                                     std::size_t n_missing, bool overall_f = true);

/// Fills est.se, stat, p, ci from est.params and est.cov with a t reference
/// distribution on `df` degrees of freedom (normal when df is infinite).
void fill_inference(Estimates& est, double df);
}  // namespace detail

}  // namespace taeval::models
