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

Eigen::MatrixXd hac_meat(const Eigen::MatrixXd& x, const Eigen::VectorXd& e, const std::vector<std::size_t>& positions,
                         std::size_t lags)
{
    const auto n = static_cast<std::size_t>(x.rows());
    check_size("hac_meat", "residuals", static_cast<std::size_t>(e.size()), n);
    check_size("hac_meat", "positions", positions.size(), n);
    for (std::size_t i = 1; i < n; ++i)
        if (positions[i] <= positions[i - 1])
            throw Error(ErrorCode::bad_input, "hac_meat: positions must be strictly increasing (row " +
                                                  std::to_string(i) + ")");
    // Scores on the full period grid, zero in the periods without a row; then
    // each lag's autocovariance is one product of shifted blocks.
    const std::size_t span = n == 0 ? 0 : positions.back() - positions.front() + 1;
    const auto rows = static_cast<Eigen::Index>(span);
    Eigen::MatrixXd s = Eigen::MatrixXd::Zero(rows, x.cols());
    for (std::size_t i = 0; i < n; ++i) {
        const auto ri = static_cast<Eigen::Index>(i);
        s.row(static_cast<Eigen::Index>(positions[i] - positions.front())) = e[ri] * x.row(ri);
    }
    Eigen::MatrixXd meat = s.transpose() * s;
    const double width = static_cast<double>(lags) + 1.0;
    for (std::size_t l = 1; l <= lags && l < span; ++l) {
        const auto m = rows - static_cast<Eigen::Index>(l);
        const Eigen::MatrixXd gamma = s.bottomRows(m).transpose() * s.topRows(m);
        meat += (1.0 - static_cast<double>(l) / width) * (gamma + gamma.transpose());
    }
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
