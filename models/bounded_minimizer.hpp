#pragma once
// Bounded quasi-Newton minimisation for the maximum-likelihood fits of
// models/, on LBFGS++ (L-BFGS-B). The library's headers are included here
// only, with its warnings silenced; the caller gets the best point seen even
// when a line search gives up, and a flag saying how the search ended.
#include <functional>
#include <string>

#include <Eigen/Core>

namespace taeval::models {

/// Objective: value at x, gradient written to grad (same size as x).
using Objective = std::function<double(const Eigen::VectorXd& x, Eigen::VectorXd& grad)>;

/// How a minimisation ended.
struct MinimizeResult {
    Eigen::VectorXd x;        ///< best point evaluated
    double value = 0;         ///< objective at x
    double grad_norm = 0;     ///< projected gradient norm at x (0 on active bounds)
    int iterations = 0;       ///< quasi-Newton iterations (evaluations when a line search gave up)
    bool converged = false;   ///< gradient test met (or a line search stalled at a stationary point)
    std::string message;      ///< why the search stopped when not converged
};

/// Settings of the search.
struct MinimizeOptions {
    double grad_tol = 1e-8;   ///< absolute tolerance on the projected gradient norm
    double stall_tol = 1e-5;  ///< a stalled line search still counts as converged below this gradient norm
    int max_iterations = 200;
};

/// Minimises f over the box [lb, ub] from x0 (projected into the box).
[[nodiscard]] MinimizeResult minimize_bounded(const Objective& f, const Eigen::VectorXd& x0, const Eigen::VectorXd& lb,
                                              const Eigen::VectorXd& ub, const MinimizeOptions& options = {});

}  // namespace taeval::models
