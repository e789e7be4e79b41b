#pragma once
// Two-way fixed-effects difference-in-differences on a panel, with errors
// clustered by unit, and its event-study form.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "models/estimates.hpp"

namespace taeval::models {

/// What to fit.
struct DidSpec {
    /// false: y = unit + time + att * D. true: y = unit + time + sum_r b_r 1{t - A_i = r}
    /// over event times r != -1 of treated units (A_i the unit's first
    /// treated period), parameters named "event_<r>" ("event_-3", "event_0").
    bool event_study = false;
    double alpha = 0.05;  ///< intervals are (1 - alpha), in (0, 1)
};

/// A fitted DiD. `est` holds only the treatment terms ("att", or the event
/// times); the unit and time effects are absorbed (fitted as dummies).
struct DidResult {
    Estimates est;
    Diagnostics diag;    ///< of the whole two-way regression
    double att = 0;      ///< the "att" estimate (NaN for an event study)
    double att_se = 0;
    std::size_t n_units = 0;
    std::size_t n_periods = 0;
    std::size_t n_treated_units = 0;
    std::size_t n_clusters = 0;  ///< G, the units with observations
    std::size_t n_params = 0;    ///< K: estimated parameters including every dummy
    std::vector<std::int64_t> event_times;  ///< event study: the r of each parameter
    /// The small-sample convention of the clustered errors, for a person.
    std::string small_sample;
};

/// Fits the two-way fixed-effects model by OLS on unit and time dummies with
/// CR1 errors clustered by unit: V = G/(G-1) (N-1)/(N-K) (X'X)^-1 (sum_g
/// X_g'e_g e_g'X_g) (X'X)^-1 with K counting all dummies (Stata's `regress
/// ... i.unit i.time, vce(cluster unit)`, R's sandwich::vcovCL type HC1),
/// t with G-1 degrees of freedom. One row per (unit, time); `treated` is the
/// 0/1 treated-after indicator; NaN in y drops the row. Time is in integer
/// periods; event time = time - the unit's first treated time. Throws
/// taeval::Error(bad_input) for mismatched sizes, a treated value other than
/// 0 or 1, a repeated (unit, time), or (event study) a treatment that
/// switches off again.
[[nodiscard]] DidResult fit_did(const Eigen::VectorXd& y, const std::vector<std::int64_t>& unit,
                                const std::vector<std::int64_t>& time, const Eigen::VectorXd& treated,
                                const DidSpec& spec);

}  // namespace taeval::models
