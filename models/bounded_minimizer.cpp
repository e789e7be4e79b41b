#include "models/bounded_minimizer.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <LBFGSB.h>
#pragma GCC diagnostic pop

namespace taeval::models {

namespace {

double projected_grad_norm(const Eigen::VectorXd& x, const Eigen::VectorXd& g, const Eigen::VectorXd& lb,
                           const Eigen::VectorXd& ub)
{
    double norm = 0;
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        const double p = std::min(std::max(x[i] - g[i], lb[i]), ub[i]) - x[i];
        norm = std::max(norm, std::abs(p));
    }
    return norm;
}

}  // namespace

MinimizeResult minimize_bounded(const Objective& f, const Eigen::VectorXd& x0, const Eigen::VectorXd& lb,
                                const Eigen::VectorXd& ub, const MinimizeOptions& options)
{
    MinimizeResult best;
    best.x = x0.cwiseMax(lb).cwiseMin(ub);
    best.value = std::numeric_limits<double>::infinity();
    Eigen::VectorXd best_grad = Eigen::VectorXd::Zero(x0.size());
    // LBFGS++ may leave x at a trial point when it throws: remember the best
    // evaluation ourselves.
    int evaluations = 0;
    auto tracked = [&](const Eigen::VectorXd& x, Eigen::VectorXd& grad) {
        ++evaluations;
        const double v = f(x, grad);
        if (!std::isfinite(v)) {
            // Outside the region where the likelihood is defined: a steep wall
            // keeps the line search away.
            grad.setZero();
            return std::numeric_limits<double>::max() / 4;
        }
        if (v < best.value) {
            best.value = v;
            best.x = x;
            best_grad = grad;
        }
        return v;
    };

    LBFGSpp::LBFGSBParam<double> param;
    param.epsilon = options.grad_tol;
    param.epsilon_rel = 0;
    param.max_iterations = options.max_iterations;
    param.max_linesearch = 40;
    LBFGSpp::LBFGSBSolver<double> solver(param);
    Eigen::VectorXd x = best.x;
    double fx = 0;
    try {
        best.iterations = solver.minimize(tracked, x, fx, lb, ub);
        best.grad_norm = projected_grad_norm(best.x, best_grad, lb, ub);
        best.converged = best.grad_norm <= options.grad_tol || best.iterations < options.max_iterations;
        if (!best.converged) best.message = "the optimiser reached its iteration limit";
    } catch (const std::exception& e) {
        best.iterations = evaluations;  // the solver's count is lost with the exception
        best.grad_norm = projected_grad_norm(best.x, best_grad, lb, ub);
        best.converged = best.grad_norm <= options.stall_tol;
        if (!best.converged) best.message = std::string("the optimiser stopped: ") + e.what();
    }
    return best;
}

}  // namespace taeval::models
