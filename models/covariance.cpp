#include "models/covariance.hpp"

#include <cmath>
#include <string>
#include <unordered_map>

#include "models/check.hpp"
#include "models/error.hpp"

namespace taeval::models {

std::size_t newey_west_auto_lags(std::size_t n)
{
    return static_cast<std::size_t>(std::floor(4.0 * std::pow(static_cast<double>(n) / 100.0, 2.0 / 9.0)));
}

std::string cov_type_name(CovType type)
{
    switch (type) {
    case CovType::classical: return "nonrobust";
    case CovType::hc0: return "HC0";
    case CovType::hc1: return "HC1";
    case CovType::newey_west: return "HAC";
    case CovType::cluster: return "cluster";
    }
    return "unknown";
}

Eigen::MatrixXd hc_meat(const Eigen::MatrixXd& x, const Eigen::VectorXd& e)
{
    check_size("hc_meat", "residuals", static_cast<std::size_t>(e.size()), static_cast<std::size_t>(x.rows()));
    const Eigen::MatrixXd s = x.array().colwise() * e.array();
    return s.transpose() * s;
}

namespace detail {

void check_increasing_positions(const char* function, const std::vector<std::size_t>& positions)
{
    for (std::size_t i = 1; i < positions.size(); ++i)
        if (positions[i] <= positions[i - 1])
            throw Error(ErrorCode::bad_input, std::string(function) + ": positions must be strictly increasing (row " +
                                                  std::to_string(i) + ")");
}

void hac_meat_of_grid(const Eigen::Ref<const Eigen::MatrixXd>& grid, std::size_t lags,
                      Eigen::Ref<Eigen::MatrixXd> sums, Eigen::Ref<Eigen::MatrixXd> meat)
{
    // The Bartlett weights are a triangle, the convolution of two boxcars of
    // L + 1 ones scaled by 1 / (L + 1). So with H_tau = sum_{l=0..L} s_{tau-l},
    // the sums of the scores over each window of L + 1 periods,
    //   sum_{t,s} (1 - |t-s|/(L+1))_+ s_t s_s' = H'H / (L + 1):
    // L + 1 shifted additions per column and k(k+1)/2 dot products, instead
    // of 2L weighted ones, and positive semi-definite by construction. The
    // zero rows around the periods let every addition write all of H at the
    // same offsets (shifting the destination instead made each pass read
    // back the previous pass's stores at a different alignment, which
    // stalled on store forwarding).
    const auto l_max = static_cast<Eigen::Index>(lags);
    const Eigen::Index windows = grid.rows() - l_max;  // periods + L
    const Eigen::Index k = grid.cols();
    // Column by column as plain vectors (Eigen vectorizes these; expressions
    // on blocks of a Ref fall back to scalar kernels).
    using Vec = Eigen::Map<const Eigen::VectorXd>;
    for (Eigen::Index c = 0; c < k; ++c) {
        const Vec s(grid.col(c).data(), grid.rows());
        Eigen::Map<Eigen::VectorXd> h(sums.col(c).data(), windows);
        h = s.segment(l_max, windows);
        for (Eigen::Index l = 1; l <= l_max; ++l) h += s.segment(l_max - l, windows);
    }
    const double scale = 1.0 / (static_cast<double>(lags) + 1.0);
    for (Eigen::Index j = 0; j < k; ++j)
        for (Eigen::Index i = 0; i <= j; ++i)
            meat(i, j) = meat(j, i) =
                scale * Vec(sums.col(i).data(), windows).dot(Vec(sums.col(j).data(), windows));
}

}  // namespace detail

Eigen::MatrixXd hac_meat(const Eigen::MatrixXd& x, const Eigen::VectorXd& e, const std::vector<std::size_t>& positions,
                         std::size_t lags)
{
    const auto n = static_cast<std::size_t>(x.rows());
    check_size("hac_meat", "residuals", static_cast<std::size_t>(e.size()), n);
    check_size("hac_meat", "positions", positions.size(), n);
    detail::check_increasing_positions("hac_meat", positions);
    const std::size_t span = n == 0 ? 0 : positions.back() - positions.front() + 1;
    // The periods between L zero rows on each side.
    Eigen::MatrixXd grid = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(span + 2 * lags), x.cols());
    for (std::size_t i = 0; i < n; ++i) {
        const auto ri = static_cast<Eigen::Index>(i);
        grid.row(static_cast<Eigen::Index>(lags + positions[i] - positions.front())) = e[ri] * x.row(ri);
    }
    Eigen::MatrixXd sums(static_cast<Eigen::Index>(span + lags), x.cols());
    Eigen::MatrixXd meat(x.cols(), x.cols());
    detail::hac_meat_of_grid(grid, lags, sums, meat);
    return meat;
}

Eigen::MatrixXd cluster_meat(const Eigen::MatrixXd& x, const Eigen::VectorXd& e, const std::vector<std::int64_t>& groups,
                             std::size_t& n_groups)
{
    const auto n = static_cast<std::size_t>(x.rows());
    check_size("cluster_meat", "residuals", static_cast<std::size_t>(e.size()), n);
    check_size("cluster_meat", "groups", groups.size(), n);
    std::unordered_map<std::int64_t, Eigen::Index> slot;
    for (const auto g : groups) slot.emplace(g, static_cast<Eigen::Index>(slot.size()));
    n_groups = slot.size();
    Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(n_groups), x.cols());
    for (std::size_t i = 0; i < n; ++i) {
        const auto ri = static_cast<Eigen::Index>(i);
        sums.row(slot[groups[i]]) += e[ri] * x.row(ri);
    }
    return sums.transpose() * sums;
}

}  // namespace taeval::models
