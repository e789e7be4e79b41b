#pragma once
// The augmented (de Jong) diffuse Kalman filter behind models/structural:
// one pass over the series, with the GLS problem for the diffuse vector in
// square-root form. Shared by structural.cpp (estimation, smoother,
// forecasts) and structural_filter.cpp; not part of the models' interface.
#include <cmath>
#include <cstddef>
#include <numbers>
#include <vector>

#include <Eigen/Core>

#include "models/structural.hpp"

namespace taeval::models::structural_detail {

inline const double log_2pi = std::log(2 * std::numbers::pi);

/// Where each component sits in the state vector.
struct Layout {
    Eigen::Index m = 1;        ///< state dimension
    Eigen::Index k = 0;        ///< regressors
    Eigen::Index q = 1;        ///< diffuse elements: m initial states + k coefficients
    Eigen::Index slope = -1;   ///< index of the slope, or -1
    Eigen::Index season = -1;  ///< index of gamma_t, or -1
};

[[nodiscard]] Layout make_layout(const StructuralSpec& spec, Eigen::Index k);

/// System matrices; variances in the units of the caller (ratios to
/// sigma2_epsilon during estimation, with h = 1).
struct System {
    Eigen::MatrixXd T;
    Eigen::RowVectorXd Z;
    Eigen::VectorXd qdiag;
    double h = 1;
};

[[nodiscard]] System make_system(const Layout& l, const StateSpaceVariances& v);

/// x = T x (m x c, or a state vector) and P = T P T' + diag(qdiag), by the
/// transition's structure (O(m) per column instead of O(m^2)), in place;
/// `scratch` is resized as needed and reused across calls.
void transition(const Layout& l, Eigen::MatrixXd& x, Eigen::MatrixXd& scratch);
void transition(const Layout& l, Eigen::VectorXd& x, Eigen::VectorXd& scratch);
void propagate(const Layout& l, const Eigen::VectorXd& qdiag, Eigen::MatrixXd& p, Eigen::MatrixXd& scratch);

/// What the likelihood needs from a pass. The GLS problem for the diffuse
/// vector is kept in square-root form: R is the triangular factor of the
/// stacked rows [W_t, v0_t] / sqrt(F_t), updated by Givens rotations. Normal
/// equations (sum W'W/F, then s'S^-1 s subtracted from sum v0^2/F) lose
/// most digits to cancellation when a regressor or the slope is nearly
/// collinear with the level; the factor keeps the residual sum of squares
/// as R(q,q)^2 without any subtraction.
struct Sums {
    Eigen::MatrixXd R;     ///< (q+1) x (q+1) upper triangular
    double sum_log_f = 0;  ///< sum log F
    std::size_t n_obs = 0;
    Eigen::VectorXd row;   ///< workspace
};

/// GLS for the diffuse vector from the factor.
struct Gls {
    bool ok = false;
    double log_det = 0;  ///< log |S|, S = R11' R11
    Eigen::VectorXd delta;
    Eigen::MatrixXd s_inv;
    double rss = 0;      ///< sum v0^2/F - s'S^-1 s
};

[[nodiscard]] Gls solve_gls(const Sums& sums, bool want_inverse);

/// Per-period quantities kept for the smoother and the outputs.
struct Store {
    std::vector<Eigen::VectorXd> a0, k;
    std::vector<Eigen::MatrixXd> A, P;
    std::vector<Eigen::RowVectorXd> w;
    std::vector<double> v0, f;
    std::vector<char> observed;
};

/// One pass of the augmented filter. With `store`, also the running GLS
/// (filtered level and one-step innovations as the exact diffuse filter
/// defines them) into `r`.
void pass(const System& sys, const Layout& l, const Eigen::VectorXd& y, const Eigen::MatrixXd& x, Sums& sums,
          Store* store, StructuralResult* r, StructuralEndState* end);

/// Diffuse log-likelihood from the sums at the pass's own variances.
[[nodiscard]] double loglik_from(const Sums& sums, const Gls& g);

}  // namespace taeval::models::structural_detail
