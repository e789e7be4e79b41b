#pragma once
// The parts every fitted model's result shares: named estimates with their
// uncertainty, and diagnostics. Results are values: fitted once, then read.
#include <cstddef>
#include <string>
#include <vector>

#include <Eigen/Core>

namespace taeval::models {

/// Named parameter estimates with standard errors, (1 - alpha) intervals,
/// test statistics (t or z) and two-sided p-values. All vectors have one
/// entry per name; a parameter that could not be estimated (aliased in a
/// rank-deficient design) has NaN everywhere and a warning in Diagnostics.
struct Estimates {
    std::vector<std::string> names;
    Eigen::VectorXd params;
    Eigen::VectorXd se;
    Eigen::VectorXd ci_low;
    Eigen::VectorXd ci_high;
    Eigen::VectorXd stat;  ///< t (or z when the reference distribution is normal)
    Eigen::VectorXd p;
    Eigen::MatrixXd cov;   ///< covariance of params
    double alpha = 0.05;

    [[nodiscard]] std::size_t size() const noexcept { return names.size(); }
    /// Index of a named parameter; throws taeval::Error(not_found) if absent.
    [[nodiscard]] std::size_t index(const std::string& name) const;
};

/// How a fit went. Numerical trouble is reported here, not thrown.
struct Diagnostics {
    std::size_t n = 0;          ///< observations used
    std::size_t n_missing = 0;  ///< observations dropped as missing (NaN)
    std::size_t rank = 0;       ///< numerical rank of the design
    double df_resid = 0;        ///< residual degrees of freedom
    double r2 = 0;
    double adj_r2 = 0;
    double resid_sd = 0;
    double loglik = 0;
    bool converged = true;      ///< false when an iterative fit stopped early
    int iterations = 0;
    std::vector<std::string> warnings;
    /// True when the fit produced usable estimates (not degenerate).
    bool ok = true;
};

}  // namespace taeval::models
