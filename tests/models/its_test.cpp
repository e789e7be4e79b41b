#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "models/ar1_regression.hpp"
#include "models/error.hpp"
#include "models/its.hpp"
#include "models/regression_reference.hpp"

using namespace taeval;

namespace {

void check_block(const models::ItsResult& fit, const nlohmann::json& ref, double tol)
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
        CHECK(test::rel_diff(fit.est.p[k], p[i]) < std::max(tol, 1e-6));
    }
}

std::vector<std::size_t> breaks_of(const nlohmann::json& j)
{
    std::vector<std::size_t> b;
    for (const auto& v : j) b.push_back(static_cast<std::size_t>(v.get<double>()));
    return b;
}

}  // namespace

TEST_CASE("ITS on the Nile matches R (OLS, Newey-West, AR(1) Prais-Winsten)", "[models][its]")
{
    const auto ref = test::read_json(test::reference_path("its_nile", "expected.json"));
    const auto y = test::to_vector(test::read_numeric_csv(test::reference_path("its_nile", "data.csv")).at("flow"));
    const auto& single = ref["single"];
    models::ItsSpec spec;
    spec.breaks = breaks_of(ref["breaks"]);
    SECTION("OLS, with counterfactual and fit statistics")
    {
        spec.errors = models::ItsErrors::ols;
        const auto fit = models::fit_its(y, spec);
        CHECK(fit.est.names == single["names"].get<std::vector<std::string>>());
        check_block(fit, single["ols"], 1e-8);
        CHECK(test::rel_diff(fit.diag.r2, single["ols"]["r2"].get<double>()) < 1e-8);
        CHECK(test::rel_diff(fit.diag.resid_sd, single["ols"]["resid_sd"].get<double>()) < 1e-8);
        CHECK(test::rel_diff(fit.diag.loglik, single["ols"]["loglik"].get<double>()) < 1e-8);
        const auto cf = single["counterfactual"].get<std::vector<double>>();
        REQUIRE(fit.counterfactual.size() == static_cast<Eigen::Index>(cf.size()));
        for (std::size_t i = 0; i < cf.size(); ++i)
            CHECK(test::rel_diff(fit.counterfactual[static_cast<Eigen::Index>(i)], cf[i]) < 1e-8);
        REQUIRE(fit.level_change.size() == 1);
        CHECK(fit.level_change[0] == fit.est.params[2]);
        CHECK(fit.slope_change[0] == fit.est.params[3]);
        CHECK(fit.cov_type == "nonrobust");
        CHECK(std::isnan(fit.phi));
    }
    SECTION("Newey-West, automatic lag, with and without n/(n-k)")
    {
        const auto fit = models::fit_its(y, spec);
        CHECK(fit.hac_lags == single["nw_lag"].get<std::size_t>());
        CHECK(fit.cov_type == "HAC");
        check_block(fit, single["nw"], 1e-8);
        spec.hac_small_sample = true;
        check_block(models::fit_its(y, spec), single["nw_adjust"], 1e-8);
    }
    SECTION("AR(1) by iterated Prais-Winsten")
    {
        spec.errors = models::ItsErrors::ar1;
        const auto fit = models::fit_its(y, spec);
        CHECK(fit.diag.converged);
        CHECK(fit.diag.iterations >= 1);
        CHECK(test::rel_diff(fit.phi, single["ar1"]["phi"].get<double>()) < 1e-5);
        check_block(fit, single["ar1"], 1e-5);
    }
}

TEST_CASE("ITS with two breaks and missing periods matches R", "[models][its]")
{
    const auto ref = test::read_json(test::reference_path("its_nile", "expected.json"));
    const auto y = test::to_vector(test::read_numeric_csv(test::reference_path("its_nile", "data.csv")).at("flow_gaps"));
    const auto& gaps = ref["gaps"];
    models::ItsSpec spec;
    spec.breaks = breaks_of(ref["breaks_gaps"]);
    spec.hac_lags = gaps["nw_lag"].get<std::size_t>();
    SECTION("OLS")
    {
        spec.errors = models::ItsErrors::ols;
        const auto fit = models::fit_its(y, spec);
        CHECK(fit.diag.n_missing == 3);
        CHECK(fit.est.names == gaps["names"].get<std::vector<std::string>>());
        check_block(fit, gaps["ols"], 1e-8);
        // Fitted values and the counterfactual cover the missing periods too.
        CHECK(std::isfinite(fit.fitted[10]));
        CHECK(test::rel_diff(fit.counterfactual[10], gaps["counterfactual"][10].get<double>()) < 1e-8);
    }
    SECTION("Newey-West, lags counted in periods")
    {
        check_block(models::fit_its(y, spec), gaps["nw"], 1e-8);
        spec.hac_small_sample = true;
        check_block(models::fit_its(y, spec), gaps["nw_adjust"], 1e-8);
    }
    SECTION("AR(1) with the gap-aware transform")
    {
        spec.errors = models::ItsErrors::ar1;
        const auto fit = models::fit_its(y, spec);
        CHECK(test::rel_diff(fit.phi, gaps["ar1"]["phi"].get<double>()) < 1e-5);
        check_block(fit, gaps["ar1"], 1e-5);
    }
}

TEST_CASE("ITS with log outcome and monthly seasons matches R on UK driver deaths", "[models][its]")
{
    const auto ref = test::read_json(test::reference_path("its_ukdriverdeaths", "expected.json"));
    const auto y = test::to_vector(test::read_numeric_csv(test::reference_path("its_ukdriverdeaths", "data.csv")).at("deaths"));
    const auto& r = ref["fit"];
    models::ItsSpec spec;
    spec.breaks = breaks_of(ref["breaks"]);
    spec.season_period = 12;
    spec.log_outcome = true;
    spec.hac_lags = r["nw_lag"].get<std::size_t>();
    spec.errors = models::ItsErrors::ols;
    const auto ols = models::fit_its(y, spec);
    CHECK(ols.est.names == r["names"].get<std::vector<std::string>>());
    check_block(ols, r["ols"], 1e-8);
    spec.errors = models::ItsErrors::newey_west;
    check_block(models::fit_its(y, spec), r["nw"], 1e-8);
    spec.errors = models::ItsErrors::ar1;
    const auto ar1 = models::fit_its(y, spec);
    CHECK(test::rel_diff(ar1.phi, r["ar1"]["phi"].get<double>()) < 1e-5);
    check_block(ar1, r["ar1"], 1e-5);
}

TEST_CASE("ITS rejects invalid breaks and options", "[models][its]")
{
    const Eigen::VectorXd y = Eigen::VectorXd::LinSpaced(10, 1, 10);
    models::ItsSpec spec;
    spec.breaks = {0};
    CHECK_THROWS_AS(models::fit_its(y, spec), Error);
    try {
        (void)models::fit_its(y, spec);
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::bad_input);
        CHECK_THAT(e.what(), Catch::Contains("row 0"));
    }
    spec.breaks = {10};
    CHECK_THROWS_WITH(models::fit_its(y, spec), Catch::Contains("past the end"));
    spec.breaks = {5, 3};
    CHECK_THROWS_WITH(models::fit_its(y, spec), Catch::Contains("increasing"));
    spec.breaks = {5};
    spec.season_period = 7;
    CHECK_THROWS_AS(models::fit_its(y, spec), Error);
    spec.season_period = 0;
    spec.log_outcome = true;
    Eigen::VectorXd neg = y;
    neg[2] = -1;
    CHECK_THROWS_WITH(models::fit_its(neg, spec), Catch::Contains("y > 0"));
}

TEST_CASE("ITS on degenerate series reports in the diagnostics", "[models][its]")
{
    models::ItsSpec spec;
    spec.breaks = {5};
    SECTION("all missing")
    {
        const Eigen::VectorXd y = Eigen::VectorXd::Constant(10, std::nan(""));
        const auto fit = models::fit_its(y, spec);
        CHECK_FALSE(fit.diag.ok);
        CHECK(fit.diag.n_missing == 10);
        CHECK(std::isnan(fit.level_change[0]));
        CHECK(std::isnan(fit.counterfactual[0]));
    }
    SECTION("constant y: zero effects, R² undefined, a warning")
    {
        const Eigen::VectorXd y = Eigen::VectorXd::Constant(10, 3.0);
        const auto fit = models::fit_its(y, spec);
        CHECK(std::abs(fit.level_change[0]) < 1e-12);
        CHECK(std::abs(fit.slope_change[0]) < 1e-12);
        CHECK(std::isnan(fit.diag.r2));
        CHECK_FALSE(fit.diag.warnings.empty());
    }
    SECTION("no observed period before the break: the level change is aliased")
    {
        Eigen::VectorXd y = Eigen::VectorXd::LinSpaced(10, 1, 10);
        for (Eigen::Index i = 0; i < 5; ++i) y[i] = std::nan("");
        const auto fit = models::fit_its(y, spec);
        CHECK_FALSE(fit.diag.ok);
        CHECK(fit.diag.rank < 4);
        CHECK_THAT(fit.diag.warnings.back(), Catch::Contains("rank deficient"));
    }
    SECTION("too few points for the parameters")
    {
        Eigen::VectorXd y(3);
        y << 1.0, 2.0, 4.0;
        spec.breaks = {2};
        const auto fit = models::fit_its(y, spec);
        CHECK_FALSE(fit.diag.ok);
    }
    SECTION("AR(1) without adjacent observations")
    {
        Eigen::VectorXd y = Eigen::VectorXd::Constant(12, std::nan(""));
        for (Eigen::Index i = 0; i < 12; i += 2) y[i] = static_cast<double>(i * i % 7);
        spec.breaks = {6};
        spec.errors = models::ItsErrors::ar1;
        const auto fit = models::fit_its(y, spec);
        CHECK_FALSE(fit.diag.ok);
        CHECK_THAT(fit.diag.warnings.back(), Catch::Contains("adjacent"));
    }
}

TEST_CASE("ITS with AR(1) errors by REML or ML is the AR(1) regression on the ITS design", "[models][its]")
{
    // The Nile with gaps and two breaks: fit_its gives fit_ar1_regression's
    // numbers exactly, the fitted paths besides; fit_ar1_regression is
    // checked against R's nlme::gls in its own tests.
    const auto ref = test::read_json(test::reference_path("its_nile", "expected.json"));
    const auto y = test::to_vector(test::read_numeric_csv(test::reference_path("its_nile", "data.csv")).at("flow_gaps"));
    models::ItsSpec spec;
    spec.breaks = breaks_of(ref["breaks_gaps"]);
    spec.alpha = 0.1;
    const auto n = static_cast<std::size_t>(y.size());
    const bool integrate_phi = GENERATE(false, true);
    spec.integrate_phi = integrate_phi;
    for (const auto method : {models::Ar1Method::reml, models::Ar1Method::ml}) {
        INFO("phi integrated " << integrate_phi);
        spec.errors = method == models::Ar1Method::reml ? models::ItsErrors::ar1_reml : models::ItsErrors::ar1_ml;
        const auto fit = models::fit_its(y, spec);
        std::vector<std::string> names;
        models::Ar1RegressionSpec as;
        as.method = method;
        as.alpha = 0.1;
        as.integrate_phi = integrate_phi;
        const Eigen::MatrixXd x = models::its_design(n, spec, names);
        const auto direct = models::fit_ar1_regression(y, x, names, as);
        CHECK(fit.cov_type == (method == models::Ar1Method::reml ? "AR1-REML" : "AR1-ML"));
        CHECK(fit.phi == direct.phi);
        CHECK(fit.est.names == direct.est.names);
        CHECK(fit.est.params == direct.est.params);
        CHECK(fit.est.ci_low == direct.est.ci_low);
        CHECK(fit.diag.df_resid == direct.df_inference);
        CHECK(fit.level_change[1] == direct.est.params[4]);
        CHECK(fit.fitted[10] == Approx(x.row(10).dot(direct.est.params)).epsilon(1e-12));
    }
}
