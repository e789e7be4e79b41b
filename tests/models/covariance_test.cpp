#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "models/covariance.hpp"
#include "models/error.hpp"
#include "models/ols.hpp"
#include "models/regression_reference.hpp"

using namespace taeval;

namespace {

constexpr double tol = 1e-8;  // relative, against R's sandwich

// Compares coefficients, SEs, p-values and the full covariance with a
// reference block {coef, se, p, cov}.
void check_against(const models::OlsResult& fit, const nlohmann::json& ref)
{
    const auto coef = ref["coef"].get<std::vector<double>>();
    const auto se = ref["se"].get<std::vector<double>>();
    const auto p = ref["p"].get<std::vector<double>>();
    REQUIRE(fit.est.size() == coef.size());
    for (std::size_t i = 0; i < coef.size(); ++i) {
        const auto k = static_cast<Eigen::Index>(i);
        INFO("parameter " << fit.est.names[i]);
        CHECK(test::rel_diff(fit.est.params[k], coef[i]) < tol);
        CHECK(test::rel_diff(fit.est.se[k], se[i]) < tol);
        CHECK(test::rel_diff(fit.est.p[k], p[i]) < 1e-6);  // tail probabilities: 1e-6 relative
        for (std::size_t j = 0; j < coef.size(); ++j)
            CHECK(test::rel_diff(fit.est.cov(k, static_cast<Eigen::Index>(j)), ref["cov"][i][j].get<double>()) < tol);
    }
}

models::OlsResult fit_airquality(const std::string& case_name, const models::CovSpec& cov)
{
    const auto cols = test::read_numeric_csv(test::reference_path(case_name, "data.csv"));
    const std::vector<std::string> names = {"Solar.R", "Wind", "Temp"};
    Eigen::MatrixXd x(static_cast<Eigen::Index>(cols.at("Wind").size()), 3);
    for (Eigen::Index j = 0; j < 3; ++j) x.col(j) = test::to_vector(cols.at(names[static_cast<std::size_t>(j)]));
    models::OlsSpec spec;
    spec.cov = cov;
    return models::fit_ols(test::to_vector(cols.at("Ozone")), x, names, spec);
}

}  // namespace

TEST_CASE("HC0, HC1 and Newey-West errors match R sandwich on airquality", "[models][covariance]")
{
    const auto ref = test::read_json(test::reference_path("robust_airquality", "expected.json"));
    models::CovSpec cov;
    SECTION("classical, with R², log-likelihood and F")
    {
        const auto fit = fit_airquality("robust_airquality", cov);
        check_against(fit, ref["classical"]);
        CHECK(test::rel_diff(fit.diag.r2, ref["r2"].get<double>()) < tol);
        CHECK(test::rel_diff(fit.diag.adj_r2, ref["adj_r2"].get<double>()) < tol);
        CHECK(test::rel_diff(fit.diag.resid_sd, ref["resid_sd"].get<double>()) < tol);
        CHECK(test::rel_diff(fit.diag.loglik, ref["loglik"].get<double>()) < tol);
        CHECK(test::rel_diff(fit.f_stat, ref["f"].get<double>()) < tol);
        CHECK(fit.est.names.front() == "intercept");
    }
    SECTION("HC0")
    {
        cov.type = models::CovType::hc0;
        check_against(fit_airquality("robust_airquality", cov), ref["hc0"]);
    }
    SECTION("HC1")
    {
        cov.type = models::CovType::hc1;
        check_against(fit_airquality("robust_airquality", cov), ref["hc1"]);
    }
    SECTION("Newey-West, lag 2, without and with the n/(n-k) factor")
    {
        cov.type = models::CovType::newey_west;
        cov.hac_lags = 2;
        check_against(fit_airquality("robust_airquality", cov), ref["nw_lag2"]);
        cov.hac_small_sample = true;
        const auto adj = fit_airquality("robust_airquality", cov);
        CHECK(adj.hac_small_sample);
        check_against(adj, ref["nw_lag2_adjust"]);
    }
    SECTION("Newey-West with the automatic lag")
    {
        cov.type = models::CovType::newey_west;
        const auto fit = fit_airquality("robust_airquality", cov);
        CHECK(fit.hac_lags == ref["nw_auto_lag"].get<std::size_t>());
        check_against(fit, ref["nw_auto"]);
    }
}

TEST_CASE("Newey-West with missing rows counts lags in periods", "[models][covariance]")
{
    const auto ref = test::read_json(test::reference_path("robust_airquality_gaps", "expected.json"));
    models::CovSpec cov;
    cov.type = models::CovType::newey_west;
    cov.hac_lags = 2;
    const auto fit = fit_airquality("robust_airquality_gaps", cov);
    CHECK(fit.diag.n_missing == 42);
    check_against(fit, ref["nw_lag2"]);
}

TEST_CASE("cluster-robust CR1 errors match R sandwich::vcovCL on mtcars", "[models][covariance]")
{
    const auto ref = test::read_json(test::reference_path("robust_mtcars", "expected.json"));
    const auto cols = test::read_numeric_csv(test::reference_path("robust_mtcars", "data.csv"));
    Eigen::MatrixXd x(static_cast<Eigen::Index>(cols.at("wt").size()), 2);
    x.col(0) = test::to_vector(cols.at("wt"));
    x.col(1) = test::to_vector(cols.at("hp"));
    models::OlsSpec spec;
    spec.cov.type = models::CovType::cluster;
    for (const double c : cols.at("carb")) spec.cov.clusters.push_back(static_cast<std::int64_t>(c));
    const auto fit = models::fit_ols(test::to_vector(cols.at("mpg")), x, {"wt", "hp"}, spec);
    CHECK(fit.n_clusters == ref["n_clusters"].get<std::size_t>());
    CHECK(fit.df_inference == Approx(static_cast<double>(fit.n_clusters - 1)));
    check_against(fit, ref["cr1"]);
    spec.cov.type = models::CovType::hc1;
    check_against(models::fit_ols(test::to_vector(cols.at("mpg")), x, {"wt", "hp"}, spec), ref["hc1"]);
}

TEST_CASE("Newey-West meat is the Bartlett-weighted double sum with gaps and any lag", "[models][covariance]")
{
    // The definition, pair by pair: sum over rows i, j of
    // (1 - |p_i - p_j| / (L + 1))_+ e_i e_j x_i x_j'.
    const auto by_definition = [](const Eigen::MatrixXd& x, const Eigen::VectorXd& e,
                                  const std::vector<std::size_t>& pos, std::size_t lags) {
        Eigen::MatrixXd m = Eigen::MatrixXd::Zero(x.cols(), x.cols());
        for (Eigen::Index i = 0; i < x.rows(); ++i)
            for (Eigen::Index j = 0; j < x.rows(); ++j) {
                const double gap = std::abs(static_cast<double>(pos[static_cast<std::size_t>(i)]) -
                                            static_cast<double>(pos[static_cast<std::size_t>(j)]));
                const double w = 1 - gap / (static_cast<double>(lags) + 1);
                if (w > 0) m += w * e[i] * e[j] * x.row(i).transpose() * x.row(j);
            }
        return m;
    };
    Eigen::MatrixXd x(7, 3);
    x << 1, 0, 2.5, 1, 1, -1, 1, 2, 0.5, 1, 4, 3, 1, 5, -2, 1, 6, 1, 1, 9, 0.25;
    Eigen::VectorXd e(7);
    e << 0.3, -1.2, 0.5, 2.0, -0.6, 0.1, -0.9;
    const std::vector<std::size_t> pos = {0, 1, 2, 4, 5, 6, 9};  // periods 3, 7 and 8 missing
    // Lags inside the series, as long as it, and longer (the triangle's
    // weights still depend on L when every pair is within reach).
    for (const std::size_t lags : std::vector<std::size_t>{0, 1, 2, 3, 9, 10, 25}) {
        INFO("lag " << lags);
        const Eigen::MatrixXd want = by_definition(x, e, pos, lags);
        CHECK((models::hac_meat(x, e, pos, lags) - want).norm() < 1e-13 * want.norm());
    }
}

TEST_CASE("covariance helpers reject bad arguments", "[models][covariance]")
{
    CHECK(models::newey_west_auto_lags(100) == 4);
    CHECK(models::newey_west_auto_lags(48) == 3);
    const Eigen::MatrixXd x = Eigen::MatrixXd::Ones(3, 1);
    const Eigen::VectorXd e = Eigen::VectorXd::Ones(3);
    CHECK_THROWS_AS(models::hac_meat(x, e, {0, 2, 1}, 1), Error);
    CHECK_THROWS_AS(models::hac_meat(x, Eigen::VectorXd::Ones(2), {0, 1, 2}, 1), Error);
    std::size_t g = 0;
    CHECK_THROWS_AS(models::cluster_meat(x, e, {1, 2}, g), Error);
    // Lag 0 is HC0's meat.
    Eigen::MatrixXd xr(4, 2);
    xr << 1, 0.5, 1, -1, 1, 2, 1, 3;
    Eigen::VectorXd er(4);
    er << 0.3, -0.2, 0.5, -0.6;
    CHECK((models::hac_meat(xr, er, {0, 1, 2, 3}, 0) - models::hc_meat(xr, er)).norm() < 1e-15);
}
