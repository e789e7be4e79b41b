#pragma once
// Many regressions with AR(1) errors that share a base design: y on some
// columns of x0 and a few columns of their own (x1), for screening many
// candidate terms (one more break in an interrupted time series, say)
// against one model. Each fit is fit_ar1_regression's with
// Ar1Search::cross_products (the same profile likelihood, grid and Brent
// refinement), with two savings: the cross-products of y and x0 are formed
// once, and each fit adds only those of its own columns (O(m k q) instead of
// O(m k^2)); and the GLS estimates at the chosen phi come from the same
// cross-products (Cholesky) instead of a QR of the whitened design. Where
// the cross-products cannot be trusted (a nearly rank-deficient design, an
// exact fit), a fit is fit_ar1_regression itself.
#include <memory>
#include <vector>

#include <Eigen/Core>

#include "models/ar1_regression.hpp"
#include "models/estimates.hpp"

namespace taeval::models {

/// One screening fit.
struct Ar1ScreenFit {
    bool ok = false;  ///< as fit_ar1_regression's diag.ok
    double phi = 0;
    /// params and cov (names, se, t, p and intervals are left empty: the
    /// caller tests what it needs with t_test or wald_test); order: the
    /// kept columns of x0, then x1.
    Estimates est;
    double df = 0;  ///< of the t reference, n - k
};

class Ar1Screen {
public:
    /// y (n, NaN = missing) and the base design x0 (n x k0, finite).
    /// spec.search is ignored (cross-products); spec.fixed_phi is not
    /// supported (throws bad_input).
    Ar1Screen(const Eigen::VectorXd& y, const Eigen::MatrixXd& x0, const Ar1RegressionSpec& spec);
    ~Ar1Screen();

    /// The fit of y on the columns `keep` of x0 (ascending, no repeats) and
    /// the columns of x1 (n x q, finite).
    [[nodiscard]] Ar1ScreenFit fit(const std::vector<Eigen::Index>& keep, const Eigen::MatrixXd& x1) const;

private:
    struct Base;
    std::unique_ptr<const Base> base_;
};

}  // namespace taeval::models
