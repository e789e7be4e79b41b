#pragma once
// Column-pivoted Householder QR in place, for the small least-squares fits of
// this folder. It is the algorithm of Eigen::ColPivHouseholderQR (LAPACK's
// xGEQPF pivoting with the stable norm downdate of LAWN 176, the same
// reflectors and the same rank rule), written for tall, narrow designs:
// Eigen's generic kernels spend most of their time on overhead there, and the
// decomposition works on caller-provided storage so that a fit allocates
// nothing for it.
#include <cstddef>

#include <Eigen/Core>

namespace taeval::models::detail {

/// The factors of A P = Q R, overwriting A (n x k, column-major): R on and
/// above the diagonal, the essential parts of the Householder vectors below
/// it. `tau` (min(n, k) entries) receives the reflectors' coefficients and
/// `perm` (k entries) the column permutation: column i of A P is column
/// perm[i] of A. `work` needs 2 k entries. Returns the numerical rank: the
/// number of leading pivots |R_ii| > eps * min(n, k) * max_i |R_ii| (Eigen's
/// default threshold), stopping at the first negligible column norm.
[[nodiscard]] Eigen::Index pivoted_qr_in_place(Eigen::Ref<Eigen::MatrixXd> a, double* tau, Eigen::Index* perm,
                                               double* work);

/// Applies Q' of the first `count` reflectors of pivoted_qr_in_place to v in
/// place (v has n entries).
void apply_qt(const Eigen::Ref<const Eigen::MatrixXd>& qr, const double* tau, Eigen::Index count,
              Eigen::Ref<Eigen::VectorXd> v);

}  // namespace taeval::models::detail
