#pragma once
// Fixed- and random-effects meta-analysis of k effect estimates y_i with known
// sampling variances v_i (the conventions of R's metafor 3.8).
#include <cstddef>

#include <Eigen/Core>

#include "models/estimates.hpp"

namespace taeval::models {

/// How the between-study variance tau^2 is estimated.
enum class Tau2Method {
    fixed_effect,       ///< tau^2 = 0 (common effect)
    dersimonian_laird,  ///< method of moments (DerSimonian & Laird 1986), closed form
    reml,               ///< restricted ML by Fisher scoring (to MetaSpec::tol)
    paule_mandel,       ///< root of the generalised Q = k - 1 (Paule & Mandel 1982)
};

/// What to fit.
struct MetaSpec {
    Tau2Method method = Tau2Method::reml;
    /// Hartung-Knapp(-Sidik-Jonkman) standard error with a t(k-1) reference
    /// distribution (metafor's test = "knha": no truncation of the scale at 1).
    bool hartung_knapp = false;
    double alpha = 0.05;      ///< 1 - alpha intervals (estimate, tau^2, prediction)
    double tol = 1e-13;       ///< convergence tolerance on tau^2 (REML step, PM root)
    int max_iterations = 1000;
};

/// The pooled estimate and heterogeneity statistics.
struct MetaResult {
    Tau2Method method = Tau2Method::reml;
    bool hartung_knapp = false;
    std::size_t k = 0;          ///< number of studies
    double estimate = 0;        ///< pooled effect (inverse-variance weighted mean)
    double se = 0;
    double ci_low = 0;
    double ci_high = 0;
    double stat = 0;            ///< z, or t with df = k - 1 under Hartung-Knapp
    double df = 0;              ///< degrees of freedom of the t reference; infinity for z
    double p = 0;               ///< two-sided
    double tau2 = 0;            ///< between-study variance (0 for fixed effect)
    double tau2_ci_low = 0;     ///< Q-profile interval (Viechtbauer 2007); NaN for fixed effect
    double tau2_ci_high = 0;
    double i2 = 0;              ///< percent: 100 tau^2 / (tau^2 + s^2), s^2 the typical within variance
    double h2 = 0;              ///< (tau^2 + s^2) / s^2
    double q = 0;               ///< Cochran's Q with fixed-effect weights
    double q_df = 0;            ///< k - 1
    double q_p = 0;             ///< upper chi-square(k - 1) tail of Q
    double pi_low = 0;          ///< (1 - alpha) prediction interval for a new study's true effect
    double pi_high = 0;
    Eigen::VectorXd weights;    ///< each study's weight in percent (sums to 100)
    Estimates est;              ///< one parameter, "estimate", for the shared output
    Diagnostics diag;           ///< n = k, iterations and convergence of REML/PM
};

/// Pools effects `yi` with sampling variances `vi` (same length, k >= 2 for
/// random effects; k = 1 gives a fit with diag.ok = false). Throws
/// taeval::Error(bad_input) when the lengths differ, a value is not finite, a
/// variance is not positive, or alpha is not in (0, 1).
[[nodiscard]] MetaResult fit_meta(const Eigen::VectorXd& yi, const Eigen::VectorXd& vi, const MetaSpec& spec = {});

/// Name of a method as used on the command line: "fe", "dl", "reml", "pm".
[[nodiscard]] const char* to_string(Tau2Method method) noexcept;

}  // namespace taeval::models
