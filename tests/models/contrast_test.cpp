#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "models/contrast.hpp"
#include "models/error.hpp"
#include "models/ols.hpp"
#include "models/regression_reference.hpp"

using namespace taeval;

namespace {

Eigen::MatrixXd to_matrix(const nlohmann::json& rows)
{
    const auto n = static_cast<Eigen::Index>(rows.size());
    const auto k = static_cast<Eigen::Index>(rows[0].size());
    Eigen::MatrixXd m(n, k);
    for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index j = 0; j < k; ++j) m(i, j) = rows[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
    return m;
}

// The mtcars regression of the reference case, fitted by fit_ols.
models::OlsResult mtcars_fit()
{
    const auto d = test::read_numeric_csv(test::reference_path("robust_mtcars", "data.csv"));
    const auto n = static_cast<Eigen::Index>(d.at("mpg").size());
    Eigen::MatrixXd x(n, 3);
    x.col(0) = test::to_vector(d.at("wt"));
    x.col(1) = test::to_vector(d.at("hp"));
    x.col(2) = test::to_vector(d.at("carb"));
    models::OlsSpec spec;
    return models::fit_ols(test::to_vector(d.at("mpg")), x, {"wt", "hp", "carb"}, spec);
}

// statsmodels' coefficients and covariance as an Estimates.
models::Estimates reference_estimates(const nlohmann::json& ref)
{
    models::Estimates est;
    est.names = ref["names"].get<std::vector<std::string>>();
    est.params = test::to_vector(ref["params"].get<std::vector<double>>());
    est.cov = to_matrix(ref["cov"]);
    est.alpha = ref["alpha"].get<double>();
    return est;
}

void check_t(const models::ContrastResult& t, const nlohmann::json& c, double tol)
{
    for (const char* field : {"effect", "se", "stat", "p", "ci_low", "ci_high"}) {
        INFO(field);
        const auto expected = c[field].get<std::vector<double>>();
        const Eigen::VectorXd& got = std::string(field) == "effect" ? t.effect
                                     : std::string(field) == "se"   ? t.se
                                     : std::string(field) == "stat" ? t.stat
                                     : std::string(field) == "p"    ? t.p
                                     : std::string(field) == "ci_low" ? t.ci_low
                                                                      : t.ci_high;
        REQUIRE(static_cast<std::size_t>(got.size()) == expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i)
            CHECK(test::rel_diff(got[static_cast<Eigen::Index>(i)], expected[i]) < tol);
    }
    CHECK(t.df == c["df"].get<double>());
}

}  // namespace

// Tolerances: 1e-10 relative from statsmodels' own coefficients and
// covariance (the contrast arithmetic and the t, F and chi-squared tails);
// 1e-8 relative through fit_ols (which agrees with R's lm to about 1e-12 on
// this design; the tails amplify it a little).
TEST_CASE("t tests of linear restrictions match statsmodels' t_test", "[models][contrast]")
{
    const auto ref = test::read_json(test::reference_path("contrasts_mtcars", "expected.json"));
    const auto from_sm = reference_estimates(ref);
    const auto fit = mtcars_fit();
    REQUIRE(fit.df_inference == ref["df_resid"].get<double>());
    for (const auto& [name, c] : ref["t_test"].items()) {
        INFO(name);
        const Eigen::MatrixXd r = to_matrix(c["r"]);
        const Eigen::VectorXd q = test::to_vector(c["q"].get<std::vector<double>>());
        check_t(models::t_test(from_sm, r, q, ref["df_resid"].get<double>()), c, 1e-10);
        check_t(models::t_test(fit.est, r, q, fit.df_inference), c, 1e-8);
    }
}

TEST_CASE("Wald F and chi-squared tests match statsmodels' wald_test", "[models][contrast]")
{
    const auto ref = test::read_json(test::reference_path("contrasts_mtcars", "expected.json"));
    const auto from_sm = reference_estimates(ref);
    const auto fit = mtcars_fit();
    for (const auto& [name, c] : ref["wald_test"].items()) {
        INFO(name);
        const Eigen::MatrixXd r = to_matrix(c["r"]);
        const Eigen::VectorXd q = test::to_vector(c["q"].get<std::vector<double>>());
        for (const auto* est : {&from_sm, &fit.est}) {
            const double tol = est == &from_sm ? 1e-10 : 1e-8;
            const auto f = models::wald_test(*est, r, q, ref["df_resid"].get<double>());
            CHECK(test::rel_diff(f.statistic, c["f"]["statistic"].get<double>()) < tol);
            CHECK(test::rel_diff(f.p, c["f"]["p"].get<double>()) < tol);
            CHECK(f.df_num == c["f"]["df_num"].get<double>());
            REQUIRE(f.df_denom.has_value());
            CHECK(*f.df_denom == c["f"]["df_denom"].get<double>());
            const auto chi = models::wald_test(*est, r, q, ref["df_resid"].get<double>(), false);
            CHECK(test::rel_diff(chi.statistic, c["chi2"]["statistic"].get<double>()) < tol);
            CHECK(test::rel_diff(chi.p, c["chi2"]["p"].get<double>()) < tol);
            CHECK(chi.df_num == c["chi2"]["df"].get<double>());
            CHECK_FALSE(chi.df_denom.has_value());
        }
    }
}

TEST_CASE("contrasts skip unweighted coefficients and report numerical trouble as NaN", "[models][contrast]")
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    models::Estimates est;
    est.names = {"a", "b", "c"};
    est.params = Eigen::Vector3d(1.0, 2.0, nan);  // c aliased
    est.cov = Eigen::Matrix3d::Zero();
    est.cov(0, 0) = 0.25;
    est.cov(1, 1) = 1.0;
    est.cov(0, 1) = est.cov(1, 0) = 0.1;
    est.cov.row(2).setConstant(nan);
    est.cov.col(2).setConstant(nan);

    Eigen::MatrixXd r(2, 3);
    r << 1, 0, 0, 1, 1, 0;
    const auto t = models::t_test(est, r, Eigen::Vector2d::Zero(), 10);
    CHECK(t.effect[0] == 1.0);
    CHECK(t.se[0] == 0.5);
    CHECK(t.stat[0] == 2.0);
    CHECK(t.effect[1] == 3.0);
    CHECK(t.se[1] == Approx(std::sqrt(0.25 + 1.0 + 0.2)).epsilon(1e-15));
    CHECK(t.p[0] == Approx(0.0734).margin(1e-4));  // 2 P(T_10 > 2)

    // The aliased coefficient spoils only the restriction that weighs it.
    Eigen::MatrixXd rc(1, 3);
    rc << 0, 0, 1;
    const auto tc = models::t_test(est, rc, Eigen::VectorXd::Zero(1), 10);
    CHECK(std::isnan(tc.effect[0]));
    CHECK(std::isnan(tc.p[0]));
    CHECK(std::isnan(models::wald_test(est, rc, Eigen::VectorXd::Zero(1), 10).p));

    // No reference distribution: estimate and se, no p or interval.
    const auto t0 = models::t_test(est, r, Eigen::Vector2d::Zero(), 0);
    CHECK(t0.se[0] == 0.5);
    CHECK(std::isnan(t0.p[0]));
    CHECK(std::isnan(t0.ci_low[0]));

    // A zero variance: p is 1 when the restriction holds exactly, else 0.
    models::Estimates exact = est;
    exact.cov.setZero();
    const auto te = models::t_test(exact, r, Eigen::Vector2d(1.0, 0.0), 10);
    CHECK(te.p[0] == 1.0);
    CHECK(te.p[1] == 0.0);

    // A singular R V R' (the same restriction twice) has no Wald test.
    Eigen::MatrixXd twice(2, 3);
    twice << 1, 0, 0, 1, 0, 0;
    const auto w = models::wald_test(est, twice, Eigen::Vector2d::Zero(), 10);
    CHECK(std::isnan(w.statistic));
    CHECK(std::isnan(w.p));

    // An infinite df: z and chi-squared.
    const auto z = models::t_test(est, r, Eigen::Vector2d::Zero(), std::numeric_limits<double>::infinity());
    CHECK(z.p[0] == Approx(0.0455).margin(1e-4));
}

TEST_CASE("contrasts reject malformed restrictions", "[models][contrast]")
{
    models::Estimates est;
    est.names = {"a", "b"};
    est.params = Eigen::Vector2d(1.0, 2.0);
    est.cov = Eigen::Matrix2d::Identity();
    const Eigen::VectorXd q1 = Eigen::VectorXd::Zero(1);
    CHECK_THROWS_AS(models::t_test(est, Eigen::MatrixXd(0, 2), Eigen::VectorXd(0), 5), Error);
    CHECK_THROWS_AS(models::t_test(est, Eigen::MatrixXd::Ones(1, 3), q1, 5), Error);
    CHECK_THROWS_AS(models::t_test(est, Eigen::MatrixXd::Ones(1, 2), Eigen::VectorXd::Zero(2), 5), Error);
    Eigen::MatrixXd bad = Eigen::MatrixXd::Ones(1, 2);
    bad(0, 1) = std::numeric_limits<double>::infinity();
    CHECK_THROWS_AS(models::wald_test(est, bad, q1, 5), Error);
    Eigen::VectorXd qnan = q1;
    qnan[0] = std::nan("");
    CHECK_THROWS_AS(models::wald_test(est, Eigen::MatrixXd::Ones(1, 2), qnan, 5), Error);
    models::Estimates bad_cov = est;
    bad_cov.cov = Eigen::Matrix3d::Identity();
    CHECK_THROWS_AS(models::t_test(bad_cov, Eigen::MatrixXd::Ones(1, 2), q1, 5), Error);
    CHECK_THROWS_AS(models::t_critical_value(1.5, 5), Error);
}
