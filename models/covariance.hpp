#pragma once
// Covariance estimators for least-squares coefficients: the classical one and
// the sandwich family (heteroskedasticity-consistent HC0/HC1, Newey-West HAC
// with the Bartlett kernel, cluster-robust CR1). The "meat" functions work on
// a design X (n x k) and residuals e; the caller multiplies by the bread
// (X'X)^-1 on both sides.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

namespace taeval::models {

/// Which covariance estimator to use for coefficient standard errors.
enum class CovType {
    classical,   ///< sigma^2 (X'X)^-1, sigma^2 = SSR / (n - k)
    hc0,         ///< White: (X'X)^-1 X' diag(e^2) X (X'X)^-1
    hc1,         ///< HC0 * n / (n - k)
    newey_west,  ///< Bartlett-kernel HAC; optional factor n / (n - k)
    cluster,     ///< CR1 (Stata): G/(G-1) * (N-1)/(N-K) * sandwich of cluster sums
};

/// A covariance choice with its options.
struct CovSpec {
    CovType type = CovType::classical;
    /// Newey-West lag L; empty: floor(4 (n/100)^(2/9)) with n the observations used.
    std::optional<std::size_t> hac_lags;
    /// Newey-West: multiply by n / (n - k) (sandwich's adjust = TRUE,
    /// statsmodels' use_correction = True).
    bool hac_small_sample = false;
    /// Cluster: one group id per input row (same length as y).
    std::vector<std::int64_t> clusters;
};

/// Newey-West's automatic lag floor(4 (n/100)^(2/9)) for n observations.
[[nodiscard]] std::size_t newey_west_auto_lags(std::size_t n);

/// A short stable label for a covariance type: "nonrobust", "HC0", "HC1",
/// "HAC", "cluster" (the statsmodels names).
[[nodiscard]] std::string cov_type_name(CovType type);

/// sum_i e_i^2 x_i x_i' (the HC0 meat). x is n x k, e has n entries.
[[nodiscard]] Eigen::MatrixXd hc_meat(const Eigen::MatrixXd& x, const Eigen::VectorXd& e);

/// Newey-West meat with the Bartlett kernel:
/// sum_{|t-s| <= L} (1 - |t-s|/(L+1)) e_t e_s x_t x_s', where t and s are
/// the time positions of the rows (`positions`, strictly increasing). A time
/// position with no row (a missing observation) contributes nothing, so a
/// lag counts periods, not rows. Throws taeval::Error(bad_input) when
/// `positions` is not strictly increasing or has the wrong size.
[[nodiscard]] Eigen::MatrixXd hac_meat(const Eigen::MatrixXd& x, const Eigen::VectorXd& e,
                                       const std::vector<std::size_t>& positions, std::size_t lags);

namespace detail {
/// Writes the Newey-West meat of the scores into `meat` (k x k):
/// sum_{|t-s| <= L} (1 - |t-s|/(L+1)) s_t s_s'. `grid` is (L + periods + L)
/// x k: L zero rows, then row t the score e_t x_t' of period t (or zero for a
/// period without an observation), then L zero rows. `sums` ((periods + L)
/// x k) is scratch.
void hac_meat_of_grid(const Eigen::Ref<const Eigen::MatrixXd>& grid, std::size_t lags,
                      Eigen::Ref<Eigen::MatrixXd> sums, Eigen::Ref<Eigen::MatrixXd> meat);

/// Throws taeval::Error(bad_input) naming `function` unless `positions` is
/// strictly increasing.
void check_increasing_positions(const char* function, const std::vector<std::size_t>& positions);
}  // namespace detail

/// Cluster meat sum_g (X_g' e_g)(X_g' e_g)' over the groups of `groups`
/// (one id per row); `n_groups` receives the number of distinct groups.
[[nodiscard]] Eigen::MatrixXd cluster_meat(const Eigen::MatrixXd& x, const Eigen::VectorXd& e,
                                           const std::vector<std::int64_t>& groups, std::size_t& n_groups);

}  // namespace taeval::models
