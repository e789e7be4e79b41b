#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "models/ar1_regression.hpp"
#include "models/ar1_gaps_case.hpp"
#include "models/error.hpp"
#include "models/regression_reference.hpp"

using namespace taeval;

namespace {

struct Case : test::Ar1GapsCase {
    std::vector<std::string> names{"intercept", "t", "step", "ramp"};
};

Case load() { return {test::load_ar1_gaps_case()}; }

void check_fit(const models::Ar1RegressionResult& fit, const nlohmann::json& ref, double tol)
{
    const auto coef = ref["coef"].get<std::vector<double>>();
    const auto se = ref["se"].get<std::vector<double>>();
    REQUIRE(fit.diag.ok);
    for (std::size_t i = 0; i < coef.size(); ++i) {
        const auto k = static_cast<Eigen::Index>(i);
        INFO("parameter " << fit.est.names[i]);
        CHECK(test::rel_diff(fit.est.params[k], coef[i]) < tol);
        CHECK(test::rel_diff(fit.est.se[k], se[i]) < tol);
    }
    CHECK(test::rel_diff(fit.phi, ref["phi"].get<double>()) < tol);
    // nlme's sigma is the marginal SD: sigma2 / (1 - phi^2) = sigma^2.
    const double marginal = fit.sigma2 / (1 - fit.phi * fit.phi);
    CHECK(test::rel_diff(std::sqrt(marginal), ref["sigma"].get<double>()) < tol);
    CHECK(test::rel_diff(fit.diag.loglik, ref["loglik"].get<double>()) < tol);
}

}  // namespace

TEST_CASE("AR(1) regression by REML with gaps matches nlme::gls corCAR1", "[models][ar1_regression]")
{
    const auto ref = test::read_json(test::reference_path("ar1_regression_gaps", "expected.json"));
    const Case c = load();
    const auto fit = models::fit_ar1_regression(c.y, c.x, c.names);
    CHECK(fit.method == models::Ar1Method::reml);
    CHECK(fit.diag.n_missing == 7);
    CHECK(fit.df_inference == Approx(53 - 4));
    check_fit(fit, ref["reml"], 1e-5);
}

TEST_CASE("AR(1) regression with phi's uncertainty integrated matches the R computation", "[models][ar1_regression]")
{
    // datasets/reference/ar1_regression_gaps, "reml_integrated_phi": the
    // same grid, weights and rule by dense GLS in R (checked there against
    // nlme at fixed phi). 1e-5 relative: the coefficients are centred on
    // b(phi_hat), and the two phi_hat agree to about 1e-6.
    const auto ref = test::read_json(test::reference_path("ar1_regression_gaps", "expected.json"));
    const Case c = load();
    models::Ar1RegressionSpec spec;
    spec.integrate_phi = true;
    const auto fit = models::fit_ar1_regression(c.y, c.x, c.names, spec);
    const auto plug_in = models::fit_ar1_regression(c.y, c.x, c.names);
    REQUIRE(fit.diag.ok);
    const auto se = ref["reml_integrated_phi"]["se"].get<std::vector<double>>();
    for (std::size_t i = 0; i < se.size(); ++i) {
        const auto k = static_cast<Eigen::Index>(i);
        INFO("parameter " << c.names[i]);
        CHECK(fit.est.params[k] == plug_in.est.params[k]);  // the estimates stay those at phi_hat
        CHECK(test::rel_diff(fit.est.se[k], se[i]) < 1e-5);
        CHECK(fit.est.se[k] > plug_in.est.se[k]);  // on this series it widens every interval
        CHECK(fit.est.ci_high[k] - fit.est.ci_low[k] > plug_in.est.ci_high[k] - plug_in.est.ci_low[k]);
    }
    // A fixed phi has no uncertainty to integrate.
    spec.fixed_phi = 0.5;
    models::Ar1RegressionSpec fixed;
    fixed.fixed_phi = 0.5;
    CHECK(models::fit_ar1_regression(c.y, c.x, c.names, spec).est.se ==
          models::fit_ar1_regression(c.y, c.x, c.names, fixed).est.se);
}

TEST_CASE("AR(1) regression by ML with gaps matches nlme::gls and R's arima", "[models][ar1_regression]")
{
    const auto ref = test::read_json(test::reference_path("ar1_regression_gaps", "expected.json"));
    const Case c = load();
    models::Ar1RegressionSpec spec;
    spec.method = models::Ar1Method::ml;
    const auto fit = models::fit_ar1_regression(c.y, c.x, c.names, spec);
    check_fit(fit, ref["ml"], 1e-5);
    CHECK(fit.df_inference == Approx(53 - 4));
    // arima: the same model by the Kalman filter on the grid with NA.
    const auto& a = ref["arima_ml"];
    const auto coef = a["coef"].get<std::vector<double>>();
    for (std::size_t i = 0; i < coef.size(); ++i)
        CHECK(test::rel_diff(fit.est.params[static_cast<Eigen::Index>(i)], coef[i]) < 1e-5);
    CHECK(test::rel_diff(fit.phi, a["phi"].get<double>()) < 1e-5);
    CHECK(test::rel_diff(fit.sigma2, a["sigma2"].get<double>()) < 1e-5);
    CHECK(test::rel_diff(fit.diag.loglik, a["loglik"].get<double>()) < 1e-8);
}

TEST_CASE("AR(1) regression: the profile likelihood peaks at the fitted phi", "[models][ar1_regression]")
{
    const Case c = load();
    const auto fit = models::fit_ar1_regression(c.y, c.x, c.names);
    const double at = models::ar1_profile_loglik(c.y, c.x, fit.phi, models::Ar1Method::reml);
    CHECK(at == Approx(fit.diag.loglik).epsilon(1e-12));
    CHECK(models::ar1_profile_loglik(c.y, c.x, fit.phi - 0.05, models::Ar1Method::reml) < at);
    CHECK(models::ar1_profile_loglik(c.y, c.x, fit.phi + 0.05, models::Ar1Method::reml) < at);
    models::Ar1RegressionSpec fixed;
    fixed.fixed_phi = fit.phi;
    const auto again = models::fit_ar1_regression(c.y, c.x, c.names, fixed);
    for (Eigen::Index i = 0; i < 4; ++i) CHECK(again.est.params[i] == Approx(fit.est.params[i]).epsilon(1e-12));
}

TEST_CASE("AR(1) regression: the exact search's loglik is the profile at phi, bit for bit", "[models][ar1_regression]")
{
    const Case c = load();
    for (const auto method : {models::Ar1Method::reml, models::Ar1Method::ml}) {
        models::Ar1RegressionSpec spec;
        spec.method = method;
        const auto fit = models::fit_ar1_regression(c.y, c.x, c.names, spec);
        CHECK(fit.diag.loglik == models::ar1_profile_loglik(c.y, c.x, fit.phi, method));
    }
}

TEST_CASE("AR(1) regression: the search by cross-products matches nlme and the exact search", "[models][ar1_regression]")
{
    const auto ref = test::read_json(test::reference_path("ar1_regression_gaps", "expected.json"));
    const Case c = load();
    models::Ar1RegressionSpec spec;
    spec.search = models::Ar1Search::cross_products;
    const auto fast = models::fit_ar1_regression(c.y, c.x, c.names, spec);
    check_fit(fast, ref["reml"], 1e-5);
    const auto exact = models::fit_ar1_regression(c.y, c.x, c.names);
    CHECK(std::abs(fast.phi - exact.phi) < 1e-6);
    for (Eigen::Index i = 0; i < 4; ++i) {
        CHECK(test::rel_diff(fast.est.params[i], exact.est.params[i]) < 1e-6);
        CHECK(test::rel_diff(fast.est.p[i], exact.est.p[i]) < 1e-5);
    }
    // Where the cross-products cannot be trusted (a column that repeats
    // another: rank deficient) the QR decides, as in the exact search.
    Eigen::MatrixXd x2(c.x.rows(), 5);
    x2 << c.x, c.x.col(2);
    const auto rd_fast =
        models::fit_ar1_regression(c.y, x2, {"intercept", "t", "step", "ramp", "step2"}, spec);
    const auto rd_exact = models::fit_ar1_regression(c.y, x2, {"intercept", "t", "step", "ramp", "step2"});
    CHECK(rd_fast.phi == rd_exact.phi);
    CHECK(rd_fast.diag.rank == rd_exact.diag.rank);
}

TEST_CASE("AR(1) regression reports too little data instead of throwing", "[models][ar1_regression]")
{
    Eigen::VectorXd y(5);
    y << 1, std::nan(""), 2, std::nan(""), 3;
    Eigen::MatrixXd x(5, 2);
    x.col(0).setOnes();
    x.col(1) << 0, 1, 2, 3, 4;
    const auto fit = models::fit_ar1_regression(y, x, {"intercept", "t"});
    CHECK_FALSE(fit.diag.ok);
    CHECK(std::isnan(fit.est.params[0]));
    CHECK_FALSE(fit.diag.warnings.empty());
}

TEST_CASE("AR(1) regression rejects bad arguments", "[models][ar1_regression]")
{
    const Case c = load();
    models::Ar1RegressionSpec spec;
    CHECK_THROWS_AS(models::fit_ar1_regression(c.y.head(10), c.x, c.names), Error);
    CHECK_THROWS_AS(models::fit_ar1_regression(c.y, c.x, {"a"}), Error);
    spec.alpha = 1.5;
    CHECK_THROWS_AS(models::fit_ar1_regression(c.y, c.x, c.names, spec), Error);
    spec = {};
    spec.fixed_phi = 1.0;
    CHECK_THROWS_AS(models::fit_ar1_regression(c.y, c.x, c.names, spec), Error);
    spec = {};
    spec.phi_bound = 1.0;
    CHECK_THROWS_AS(models::fit_ar1_regression(c.y, c.x, c.names, spec), Error);
    Eigen::VectorXd y = c.y;
    y[0] = std::numeric_limits<double>::infinity();
    CHECK_THROWS_AS(models::fit_ar1_regression(y, c.x, c.names), Error);
}
