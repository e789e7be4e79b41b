#include "models/pivoted_qr.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace taeval::models::detail {

Eigen::Index pivoted_qr_in_place(Eigen::Ref<Eigen::MatrixXd> a, double* tau, Eigen::Index* perm, double* work)
{
    constexpr double eps = std::numeric_limits<double>::epsilon();
    const Eigen::Index n = a.rows();
    const Eigen::Index k = a.cols();
    const Eigen::Index size = std::min(n, k);
    // Column norms: `updated` is downdated after each step, `direct` is the
    // last one computed from the column itself (LAWN 176).
    double* const updated = work;
    double* const direct = work + k;
    double biggest = 0;
    for (Eigen::Index j = 0; j < k; ++j) {
        perm[j] = j;
        direct[j] = updated[j] = a.col(j).norm();
        biggest = std::max(biggest, updated[j]);
    }
    const double threshold_helper = (biggest * eps) * (biggest * eps) / static_cast<double>(n);
    const double downdate_threshold = std::sqrt(eps);
    Eigen::Index nonzero = size;
    double max_pivot = 0;

    for (Eigen::Index s = 0; s < size; ++s) {
        // The remaining column of largest norm (the first of equals).
        Eigen::Index best = s;
        for (Eigen::Index j = s + 1; j < k; ++j)
            if (updated[j] > updated[best]) best = j;
        if (nonzero == size && updated[best] * updated[best] < threshold_helper * static_cast<double>(n - s))
            nonzero = s;
        if (best != s) {
            a.col(s).swap(a.col(best));
            std::swap(updated[s], updated[best]);
            std::swap(direct[s], direct[best]);
            std::swap(perm[s], perm[best]);
        }

        // The reflector H = I - tau v v', v = (1, essential), that maps the
        // column's tail to (beta, 0, ..., 0); as Eigen's makeHouseholder.
        const Eigen::Index m = n - s;  // rows of the trailing block
        double* const v = a.col(s).data() + s;
        const double tail_sq = m > 1 ? a.col(s).tail(m - 1).squaredNorm() : 0.0;
        const double c0 = v[0];
        double beta = c0;
        tau[s] = 0;
        if (tail_sq <= std::numeric_limits<double>::min()) {
            for (Eigen::Index i = 1; i < m; ++i) v[i] = 0;
        } else {
            beta = std::sqrt(c0 * c0 + tail_sq);
            if (c0 >= 0) beta = -beta;
            // By the reciprocal, unlike Eigen: a division per element costs
            // as much as the rest of the step on a short column.
            Eigen::Map<Eigen::VectorXd>(v + 1, m - 1) *= 1.0 / (c0 - beta);
            tau[s] = (beta - c0) / beta;
        }
        v[0] = beta;
        max_pivot = std::max(max_pivot, std::abs(beta));

        // Apply H to the trailing columns: w = v' a_j, a_j -= tau w v.
        const Eigen::Map<const Eigen::VectorXd> essential(v + 1, m - 1);
        for (Eigen::Index j = s + 1; j < k; ++j) {
            double* const c = a.col(j).data() + s;
            if (m == 1) {
                c[0] *= 1 - tau[s];
                continue;
            }
            if (tau[s] == 0) continue;
            Eigen::Map<Eigen::VectorXd> below(c + 1, m - 1);
            const double w = c[0] + essential.dot(below);
            c[0] -= tau[s] * w;
            below -= (tau[s] * w) * essential;
        }

        // Downdate the norms of the trailing columns, recomputing a norm
        // whose downdate has lost too much precision.
        for (Eigen::Index j = s + 1; j < k; ++j) {
            if (updated[j] == 0) continue;
            double t = std::abs(a(s, j)) / updated[j];
            t = std::max(0.0, (1 + t) * (1 - t));
            const double ratio = updated[j] / direct[j];
            if (t * ratio * ratio <= downdate_threshold) {
                direct[j] = updated[j] = a.col(j).tail(m - 1).norm();
            } else {
                updated[j] *= std::sqrt(t);
            }
        }
    }

    const double premultiplied = max_pivot * eps * static_cast<double>(size);
    Eigen::Index rank = 0;
    for (Eigen::Index i = 0; i < nonzero; ++i) rank += std::abs(a(i, i)) > premultiplied ? 1 : 0;
    return rank;
}

void apply_qt(const Eigen::Ref<const Eigen::MatrixXd>& qr, const double* tau, Eigen::Index count,
              Eigen::Ref<Eigen::VectorXd> v)
{
    const Eigen::Index n = qr.rows();
    for (Eigen::Index s = 0; s < count; ++s) {
        const double* const h = qr.col(s).data();
        if (s == n - 1) {
            v[s] *= 1 - tau[s];
            continue;
        }
        if (tau[s] == 0) continue;
        const Eigen::Map<const Eigen::VectorXd> essential(h + s + 1, n - s - 1);
        auto below = v.segment(s + 1, n - s - 1);
        const double w = v[s] + essential.dot(below);
        v[s] -= tau[s] * w;
        below -= (tau[s] * w) * essential;
    }
}

}  // namespace taeval::models::detail
