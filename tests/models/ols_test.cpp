#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "models/error.hpp"
#include "models/ols.hpp"
#include "models/regression_reference.hpp"

using namespace taeval;

namespace {

struct NistCase {
    const char* name;
    int degree;        // > 0: polynomial in column x of this degree; 0: columns x1..x6
    double rel_tol;
};

// Builds the design of a NIST case (without the intercept column).
void nist_design(const NistCase& c, const std::map<std::string, std::vector<double>>& cols, Eigen::VectorXd& y,
                 Eigen::MatrixXd& x, std::vector<std::string>& names)
{
    y = test::to_vector(cols.at("y"));
    if (c.degree == 0) {
        x.resize(y.size(), 6);
        for (int j = 1; j <= 6; ++j) {
            const auto name = "x" + std::to_string(j);
            x.col(j - 1) = test::to_vector(cols.at(name));
            names.push_back(name);
        }
    } else {
        const Eigen::VectorXd t = test::to_vector(cols.at("x"));
        x.resize(y.size(), c.degree);
        for (int j = 1; j <= c.degree; ++j) {
            x.col(j - 1) = t.array().pow(j);
            names.push_back("x^" + std::to_string(j));
        }
    }
}

}  // namespace

TEST_CASE("OLS matches NIST StRD certified values on all six linear cases", "[models][ols]")
{
    const NistCase cases[] = {{"nist_norris", 1, 1e-9},  {"nist_pontius", 2, 1e-6}, {"nist_longley", 0, 1e-6},
                              {"nist_wampler1", 5, 1e-6}, {"nist_wampler4", 5, 1e-6}, {"nist_filip", 10, 1e-6}};
    for (const auto& c : cases) {
        SECTION(c.name)
        {
            const auto cols = test::read_numeric_csv(test::reference_path(c.name, "data.csv"));
            const auto expected = test::read_json(test::reference_path(c.name, "expected.json"))["certified"];
            Eigen::VectorXd y;
            Eigen::MatrixXd x;
            std::vector<std::string> names;
            nist_design(c, cols, y, x, names);
            const auto fit = models::fit_ols(y, x, names, {});
            REQUIRE(fit.diag.rank == static_cast<std::size_t>(x.cols() + 1));
            REQUIRE(fit.diag.ok);
            const auto coef = expected["coef"].get<std::vector<double>>();
            const auto se = expected["se"].get<std::vector<double>>();
            REQUIRE(fit.est.size() == coef.size());
            for (std::size_t i = 0; i < coef.size(); ++i) {
                const auto k = static_cast<Eigen::Index>(i);
                INFO(c.name << " parameter " << i);
                CHECK(test::rel_diff(fit.est.params[k], coef[i]) < c.rel_tol);
                if (se[i] == 0) {
                    CHECK(std::abs(fit.est.se[k]) < 1e-6);  // Wampler1: exact fit
                } else {
                    CHECK(test::rel_diff(fit.est.se[k], se[i]) < c.rel_tol);
                }
            }
            const double sd = expected["resid_sd"].get<double>();
            if (sd == 0)
                CHECK(fit.diag.resid_sd < 1e-6);
            else
                CHECK(test::rel_diff(fit.diag.resid_sd, sd) < c.rel_tol);
            const double r2 = expected["r2"].get<double>();
            if (std::string(c.name) == "nist_pontius")
                CHECK(test::rel_diff(1 - fit.diag.r2, 1 - r2) < c.rel_tol);  // R² is 0.9999999: compare 1 - R²
            else
                CHECK(test::rel_diff(fit.diag.r2, r2) < c.rel_tol);
            CHECK(fit.diag.df_resid == Approx(expected["anova"]["df_residual"].get<double>()));
            if (expected["anova"]["F"].is_number())
                CHECK(test::rel_diff(fit.f_stat, expected["anova"]["F"].get<double>()) < c.rel_tol);
            else
                CHECK(fit.f_stat > 1e15);  // Wampler1: "Infinity" (exact fit) up to rounding
        }
    }
}

TEST_CASE("OLS drops rows with missing y and counts them", "[models][ols]")
{
    const auto cols = test::read_numeric_csv(test::reference_path("nist_norris", "data.csv"));
    Eigen::VectorXd y = test::to_vector(cols.at("y"));
    const Eigen::MatrixXd x = test::to_vector(cols.at("x"));
    const auto full = models::fit_ols(y, x, {"x"}, {});
    // Replace two observations with NaN; the fit must equal the fit on the
    // remaining rows.
    Eigen::VectorXd y_gap = y;
    y_gap[3] = std::nan("");
    y_gap[10] = std::nan("");
    const auto gap = models::fit_ols(y_gap, x, {"x"}, {});
    CHECK(gap.diag.n == full.diag.n - 2);
    CHECK(gap.diag.n_missing == 2);
    CHECK(gap.rows.size() == gap.diag.n);
    Eigen::VectorXd y_sub(y.size() - 2);
    Eigen::MatrixXd x_sub(y.size() - 2, 1);
    for (Eigen::Index i = 0, j = 0; i < y.size(); ++i)
        if (i != 3 && i != 10) {
            y_sub[j] = y[i];
            x_sub(j++, 0) = x(i, 0);
        }
    const auto sub = models::fit_ols(y_sub, x_sub, {"x"}, {});
    CHECK(gap.est.params[1] == Approx(sub.est.params[1]).epsilon(1e-12));
    CHECK(gap.est.se[1] == Approx(sub.est.se[1]).epsilon(1e-12));
    CHECK(gap.est.params[1] != Approx(full.est.params[1]).epsilon(1e-12));
}

TEST_CASE("OLS reports a rank-deficient design in the diagnostics", "[models][ols]")
{
    Eigen::VectorXd y(6);
    y << 1, 3, 2, 5, 4, 6;
    Eigen::MatrixXd x(6, 2);
    x << 1, 2, 2, 4, 3, 6, 4, 8, 5, 10, 6, 12;  // second column = 2 * first
    const auto fit = models::fit_ols(y, x, {"a", "b"}, {});
    CHECK(fit.diag.rank == 2);
    CHECK(fit.diag.ok);
    REQUIRE(fit.aliased.size() == 3);
    CHECK(fit.aliased[0] == false);
    CHECK((fit.aliased[1] != fit.aliased[2]));
    const auto dropped = fit.aliased[1] ? 1 : 2;
    CHECK(std::isnan(fit.est.params[dropped]));
    CHECK(std::isnan(fit.est.se[dropped]));
    REQUIRE_FALSE(fit.diag.warnings.empty());
    CHECK_THAT(fit.diag.warnings.back(), Catch::Contains("rank deficient"));
    // The kept parameters equal the fit without the aliased column.
    const auto reduced = models::fit_ols(y, x.col(0), {"a"}, {});
    const double slope = dropped == 2 ? fit.est.params[1] : 2 * fit.est.params[2];
    CHECK(slope == Approx(reduced.est.params[1]).epsilon(1e-12));
    CHECK(fit.diag.df_resid == 4);
}

TEST_CASE("OLS on degenerate inputs reports instead of crashing", "[models][ols]")
{
    const double na = std::nan("");
    SECTION("all missing")
    {
        Eigen::VectorXd y = Eigen::VectorXd::Constant(5, na);
        Eigen::MatrixXd x = Eigen::VectorXd::LinSpaced(5, 0, 4);
        const auto fit = models::fit_ols(y, x, {"x"}, {});
        CHECK_FALSE(fit.diag.ok);
        CHECK(fit.diag.n == 0);
        CHECK(fit.diag.n_missing == 5);
        CHECK(std::isnan(fit.est.params[0]));
        CHECK_FALSE(fit.diag.warnings.empty());
    }
    SECTION("a single point")
    {
        Eigen::VectorXd y(1);
        y << 2.0;
        Eigen::MatrixXd x(1, 1);
        x << 1.0;
        const auto fit = models::fit_ols(y, x, {"x"}, {});
        CHECK_FALSE(fit.diag.ok);
        CHECK(fit.diag.n == 1);
        CHECK(std::isnan(fit.est.se[0]));
        CHECK_FALSE(fit.diag.warnings.empty());
    }
    SECTION("constant y")
    {
        Eigen::VectorXd y = Eigen::VectorXd::Constant(8, 3.0);
        Eigen::MatrixXd x = Eigen::VectorXd::LinSpaced(8, 0, 7);
        const auto fit = models::fit_ols(y, x, {"x"}, {});
        CHECK(fit.est.params[0] == Approx(3.0));
        CHECK(std::abs(fit.est.params[1]) < 1e-12);
        CHECK(std::isnan(fit.diag.r2));
        CHECK_THAT(fit.diag.warnings.front(), Catch::Contains("constant"));
    }
    SECTION("cluster-robust errors with one cluster")
    {
        Eigen::VectorXd y(4);
        y << 1, 2, 4, 3;
        Eigen::MatrixXd x = Eigen::VectorXd::LinSpaced(4, 0, 3);
        models::OlsSpec spec;
        spec.cov.type = models::CovType::cluster;
        spec.cov.clusters = {7, 7, 7, 7};
        const auto fit = models::fit_ols(y, x, {"x"}, spec);
        CHECK_FALSE(fit.diag.ok);
        CHECK(std::isnan(fit.est.se[1]));
    }
}

TEST_CASE("OLS rejects invalid arguments", "[models][ols]")
{
    Eigen::VectorXd y(3);
    y << 1, 2, 3;
    Eigen::MatrixXd x(3, 1);
    x << 1, 2, 4;
    CHECK_THROWS_AS(models::fit_ols(y, Eigen::MatrixXd(2, 1), {"x"}, {}), Error);
    CHECK_THROWS_AS(models::fit_ols(y, x, {"x", "z"}, {}), Error);
    models::OlsSpec bad_alpha;
    bad_alpha.alpha = 1.5;
    CHECK_THROWS_AS(models::fit_ols(y, x, {"x"}, bad_alpha), Error);
    models::OlsSpec cl;
    cl.cov.type = models::CovType::cluster;
    cl.cov.clusters = {1, 2};
    CHECK_THROWS_AS(models::fit_ols(y, x, {"x"}, cl), Error);
    y[1] = std::numeric_limits<double>::infinity();
    CHECK_THROWS_AS(models::fit_ols(y, x, {"x"}, {}), Error);
}
