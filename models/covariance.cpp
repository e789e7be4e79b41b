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
                      Eigen::Ref<Eigen::MatrixXd> filtered, Eigen::Ref<Eigen::MatrixXd> meat)
{
    // The meat is S'U, where U is S filtered along time by the kernel
    // (U_t = sum_{|l| <= L} w_l S_{t-l}): one pass of shifted column updates
    // and k(k+1)/2 dot products, instead of two dot products per pair and lag.
    const Eigen::Index span = grid.rows();
    const Eigen::Index k = grid.cols();
    const double width = static_cast<double>(lags) + 1.0;
    // Column by column as plain vectors (Eigen vectorizes these; expressions
    // on blocks of a Ref fall back to scalar kernels).
    using Vec = Eigen::Map<const Eigen::VectorXd>;
    for (Eigen::Index c = 0; c < k; ++c) {
        const Vec s(grid.col(c).data(), span);
        Eigen::Map<Eigen::VectorXd> u(filtered.col(c).data(), span);
        u = s;
        for (std::size_t l = 1; l <= lags && l < static_cast<std::size_t>(span); ++l) {
            const Eigen::Index m = span - static_cast<Eigen::Index>(l);
            const double w = 1.0 - static_cast<double>(l) / width;
            u.tail(m) += w * s.head(m);
            u.head(m) += w * s.tail(m);
        }
    }
    for (Eigen::Index j = 0; j < k; ++j)
        for (Eigen::Index i = 0; i <= j; ++i)
            meat(i, j) = meat(j, i) = Vec(grid.col(i).data(), span).dot(Vec(filtered.col(j).data(), span));
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
    Eigen::MatrixXd grid = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(span), x.cols());
    for (std::size_t i = 0; i < n; ++i) {
        const auto ri = static_cast<Eigen::Index>(i);
        grid.row(static_cast<Eigen::Index>(positions[i] - positions.front())) = e[ri] * x.row(ri);
    }
    Eigen::MatrixXd filtered(grid.rows(), grid.cols());
    Eigen::MatrixXd meat(x.cols(), x.cols());
    detail::hac_meat_of_grid(grid, lags, filtered, meat);
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
