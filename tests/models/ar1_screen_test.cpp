#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "models/ar1_regression.hpp"
#include "models/ar1_screen.hpp"
#include "models/ar1_gaps_case.hpp"
#include "models/error.hpp"
#include "models/regression_reference.hpp"

using namespace taeval;

namespace {

using Case = test::Ar1GapsCase;

Case load() { return test::load_ar1_gaps_case(); }

// A step and a ramp from row b.
Eigen::MatrixXd break_columns(Eigen::Index n, Eigen::Index b)
{
    Eigen::MatrixXd x1 = Eigen::MatrixXd::Zero(n, 2);
    for (Eigen::Index t = b; t < n; ++t) {
        x1(t, 0) = 1;
        x1(t, 1) = static_cast<double>(t - b);
    }
    return x1;
}

models::Ar1RegressionResult direct(const Case& c, const std::vector<Eigen::Index>& keep, const Eigen::MatrixXd& x1,
                                   bool integrate_phi = false)
{
    Eigen::MatrixXd x(c.x.rows(), static_cast<Eigen::Index>(keep.size()) + x1.cols());
    x << c.x(Eigen::all, keep), x1;
    models::Ar1RegressionSpec spec;
    spec.search = models::Ar1Search::cross_products;
    spec.integrate_phi = integrate_phi;
    return models::fit_ar1_regression(c.y, x, std::vector<std::string>(static_cast<std::size_t>(x.cols()), "b"),
                                      spec);
}

}  // namespace

TEST_CASE("AR(1) screening fits equal fit_ar1_regression on the same columns", "[models][ar1_screen]")
{
    const Case c = load();
    const bool integrate_phi = GENERATE(false, true);
    models::Ar1RegressionSpec spec;
    spec.integrate_phi = integrate_phi;
    const models::Ar1Screen screen(c.y, c.x, spec);
    const auto n = c.y.size();
    const std::vector<Eigen::Index> all{0, 1, 2, 3}, trend{0, 1}, some{0, 1, 3};
    for (const auto& keep : {all, trend, some}) {
        for (const Eigen::Index b : {Eigen::Index{8}, n / 3, 2 * n / 3, n - 6}) {
            INFO("kept " << keep.size() << " base columns, candidate break at " << b << ", phi integrated "
                         << integrate_phi);
            const Eigen::MatrixXd x1 = break_columns(n, b);
            const auto s = screen.fit(keep, x1);
            const auto d = direct(c, keep, x1, integrate_phi);
            REQUIRE(s.ok);
            REQUIRE(d.diag.ok);
            CHECK(std::abs(s.phi - d.phi) < 1e-6);
            CHECK(s.df == d.df_inference);
            // Both searches stop within about 1e-6 of the same phi; the
            // estimates move with it by far less than their standard errors.
            for (Eigen::Index i = 0; i < d.est.params.size(); ++i) {
                CHECK(std::abs(s.est.params[i] - d.est.params[i]) <= 1e-6 * d.est.se[i]);
                for (Eigen::Index j = 0; j < d.est.params.size(); ++j)
                    CHECK(std::abs(s.est.cov(i, j) - d.est.cov(i, j)) <=
                          1e-6 * std::sqrt(d.est.cov(i, i) * d.est.cov(j, j)));
            }
        }
    }
}

TEST_CASE("AR(1) screening falls back to the QR where the cross-products cannot be trusted", "[models][ar1_screen]")
{
    const Case c = load();
    const models::Ar1Screen screen(c.y, c.x, {});
    // x1 repeats a base column: rank deficient, as fit_ar1_regression
    // reports it (its rank decision, its estimates).
    const std::vector<Eigen::Index> keep{0, 1, 2, 3};
    const Eigen::MatrixXd x1 = c.x.col(2);
    const auto s = screen.fit(keep, x1);
    const auto d = direct(c, keep, x1);
    CHECK(s.ok == d.diag.ok);
    CHECK(s.phi == d.phi);
    CHECK(s.est.params.size() == 5);
    // Too few observations for the columns: not ok, as the direct fit.
    Eigen::VectorXd short_y = c.y;
    short_y.tail(short_y.size() - 6).setConstant(std::nan(""));
    const models::Ar1Screen few(short_y, c.x, {});
    CHECK_FALSE(few.fit(keep, break_columns(c.y.size(), 3)).ok);
}

TEST_CASE("AR(1) screening rejects bad arguments", "[models][ar1_screen]")
{
    const Case c = load();
    models::Ar1RegressionSpec fixed;
    fixed.fixed_phi = 0.3;
    CHECK_THROWS_AS(models::Ar1Screen(c.y, c.x, fixed), Error);
    CHECK_THROWS_AS(models::Ar1Screen(c.y.head(10), c.x, {}), Error);
    const models::Ar1Screen screen(c.y, c.x, {});
    CHECK_THROWS_AS(screen.fit({0, 1}, Eigen::MatrixXd::Zero(3, 2)), Error);
}
