#pragma once
// A level, or a linear trend, with AR(1) noise, for forecasting:
//   y_t = beta_0 + beta_1 t + u_t,   u_t = phi u_{t-1} + e_t,   e_t ~ N(0, sigma2),
// u stationary, the coefficients diffuse (a flat prior). NaN in y marks a
// missing period: the AR(1) bridges it (phi^g over g periods). Each report
// gets its one-step predictive density given the earlier ones, by recursive
// least squares on the whitened reports, so that the log-likelihood is that
// of the reports after the first k given those first k: comparable, report
// by report, with other models' one-step densities (indicators/scoring).
#include <cstddef>
#include <optional>

#include <Eigen/Core>

#include "models/state_space.hpp"

namespace taeval::models {

struct LevelAr1Result {
    bool trend = false;  ///< beta_1 estimated (else 0)
    double phi = 0;      ///< by maximum of the profile likelihood on [-0.9, 0.97]
    double sigma2 = 0;   ///< innovation variance, concentrated out
    double loglik = 0;   ///< sum of the one-step log densities
    /// Per period: the report minus its one-step prediction, and that
    /// prediction's variance; NaN where the period is missing or among the
    /// first k reports (which identify the coefficients).
    Eigen::VectorXd innovation, innovation_var;
    Eigen::Vector2d beta = Eigen::Vector2d::Zero();  ///< GLS at phi (t centred at n / 2)
    Eigen::Matrix2d beta_cov = Eigen::Matrix2d::Zero();
    std::size_t n_densities = 0;  ///< reports with a one-step density
    double y_last = 0;            ///< the last report, and its period index
    Eigen::Index last = -1;
    bool ok = false;  ///< false with fewer than k + 2 reports or no variation
};

/// Fits the model (`trend`: with beta_1), phi estimated, or held at
/// `fixed_phi`. Throws taeval::Error(bad_input) when y holds an infinity or
/// fixed_phi is not in (-1, 1).
[[nodiscard]] LevelAr1Result fit_level_ar1(const Eigen::VectorXd& y, bool trend,
                                           std::optional<double> fixed_phi = std::nullopt);

/// The report h periods after the last one: mean and variance (the noise
/// carried forward, phi^h of the last residual, and the coefficients'
/// uncertainty). NaN when the fit is not ok.
[[nodiscard]] GaussianPrediction forecast(const LevelAr1Result& fit, std::size_t h);

}  // namespace taeval::models
