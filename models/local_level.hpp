#pragma once
// The local level model (random walk plus noise) with the exact diffuse
// initialisation of Durbin & Koopman (2012, ch. 2 and 5), in scalar code:
//   y_t = mu_t + eps_t,        eps_t ~ N(0, sigma2_epsilon)
//   mu_{t+1} = mu_t + eta_t,   eta_t ~ N(0, sigma2_level),   mu_1 diffuse.
// NaN in y marks a missing observation: the filter predicts through it.
#include <cstddef>
#include <optional>

#include <Eigen/Core>

#include "models/estimates.hpp"
#include "models/state_space.hpp"

namespace taeval::models {

/// What to fit. With both variances given nothing is estimated (the filter
/// and smoother run at those values).
struct LocalLevelSpec {
    std::optional<double> sigma2_epsilon;  ///< fix the observation variance (> 0)
    std::optional<double> sigma2_level;    ///< fix the level variance (>= 0)
    double alpha = 0.05;                   ///< 1 - alpha intervals of the variances
    int max_iterations = 200;              ///< of the optimiser
    bool standard_errors = true;           ///< observed-information errors of the variances
};

/// A fitted local level model. Vectors have one entry per period t of y.
/// Before the first observation the level is diffuse: predicted and
/// filtered means are NaN and their variances +infinity.
struct LocalLevelResult {
    double sigma2_epsilon = 0;
    double sigma2_level = 0;
    /// Diffuse log-likelihood (D&K 2012 eq. 7.2): -(n/2) log 2pi minus half
    /// the sum over observed t after the first of log F_t + v_t^2 / F_t.
    double loglik = 0;
    Eigen::VectorXd predicted;       ///< a_t = E[mu_t | y_1..y_{t-1}]
    Eigen::VectorXd predicted_var;   ///< P_t
    Eigen::VectorXd filtered;        ///< E[mu_t | y_1..y_t]
    Eigen::VectorXd filtered_var;
    Eigen::VectorXd smoothed;        ///< E[mu_t | y_1..y_n]
    Eigen::VectorXd smoothed_var;
    Eigen::VectorXd innovation;      ///< v_t = y_t - a_t; NaN when missing or diffuse (first observation)
    Eigen::VectorXd innovation_var;  ///< F_t = P_t + sigma2_epsilon; NaN likewise
    Eigen::VectorXd std_resid;       ///< v_t / sqrt(F_t)
    /// "sigma2_epsilon", "sigma2_level": standard errors and intervals from
    /// the observed information on the log scale (intervals exponentiated);
    /// stat and p are NaN (a variance of zero lies on the boundary).
    Estimates est;
    /// n observed, n_missing, loglik, converged, iterations; ok is false for
    /// a series with fewer than 3 observations or no variation.
    Diagnostics diag;
};

/// Fits the local level model to y by maximum likelihood (the level-to-noise
/// ratio on the log scale by L-BFGS-B, the observation variance
/// concentrated out), or runs the filter at fixed variances. Throws
/// taeval::Error(bad_input) when y holds an infinity, a fixed variance is
/// invalid, or alpha is not in (0, 1); degenerate series give diag.ok = false.
[[nodiscard]] LocalLevelResult fit_local_level(const Eigen::VectorXd& y, const LocalLevelSpec& spec = {});

/// The predictive distribution 1..h steps past the end of the sample.
[[nodiscard]] StateSpaceForecast forecast(const LocalLevelResult& fit, std::size_t h);

}  // namespace taeval::models
