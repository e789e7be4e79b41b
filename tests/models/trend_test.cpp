#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "models/error.hpp"
#include "models/regression_reference.hpp"
#include "models/trend.hpp"

using namespace taeval;

namespace {
constexpr double tol = 1e-8;

void check_trend(const models::TrendResult& fit, const nlohmann::json& ref)
{
    const auto coef = ref["coef"].get<std::vector<double>>();
    const auto se = ref["se"].get<std::vector<double>>();
    REQUIRE(fit.est.names == std::vector<std::string>{"intercept", "slope"});
    for (Eigen::Index i = 0; i < 2; ++i) {
        CHECK(test::rel_diff(fit.est.params[i], coef[static_cast<std::size_t>(i)]) < tol);
        CHECK(test::rel_diff(fit.est.se[i], se[static_cast<std::size_t>(i)]) < tol);
    }
    CHECK(fit.slope == fit.est.params[1]);
    REQUIRE(fit.prediction);
    const auto& pr = ref["prediction"];
    CHECK(fit.prediction->t == pr["t"].get<double>());
    CHECK(test::rel_diff(fit.prediction->estimate, pr["estimate"].get<double>()) < tol);
    CHECK(test::rel_diff(fit.prediction->pi_low, pr["pi_low"].get<double>()) < tol);
    CHECK(test::rel_diff(fit.prediction->pi_high, pr["pi_high"].get<double>()) < tol);
}
}  // namespace

TEST_CASE("linear trend and prediction interval match R predict.lm on LakeHuron", "[models][trend]")
{
    const auto ref = test::read_json(test::reference_path("trend_lakehuron", "expected.json"));
    const auto y = test::to_vector(test::read_numeric_csv(test::reference_path("trend_lakehuron", "data.csv")).at("level"));
    models::TrendSpec spec;
    spec.predict_at = 100.0;
    SECTION("classical") { check_trend(models::fit_trend(y, spec), ref["classical"]); }
    SECTION("Newey-West")
    {
        spec.cov.type = models::CovType::newey_west;
        const auto fit = models::fit_trend(y, spec);
        CHECK(fit.hac_lags == ref["nw_lag"].get<std::size_t>());
        check_trend(fit, ref["newey_west"]);
    }
    SECTION("explicit periods shift only the intercept")
    {
        const Eigen::VectorXd years = Eigen::VectorXd::LinSpaced(y.size(), 1875, 1875 + static_cast<double>(y.size() - 1));
        spec.predict_at = 1975.0;
        const auto fit = models::fit_trend(y, years, spec);
        const auto base = models::fit_trend(y, models::TrendSpec{{}, 0.05, 100.0});
        CHECK(fit.slope == Approx(base.slope).epsilon(1e-10));
        CHECK(fit.slope_se == Approx(base.slope_se).epsilon(1e-8));
        CHECK(fit.prediction->estimate == Approx(base.prediction->estimate).epsilon(1e-10));
        CHECK(fit.prediction->pi_high == Approx(base.prediction->pi_high).epsilon(1e-8));
    }
}

TEST_CASE("trend on degenerate input reports in the diagnostics", "[models][trend]")
{
    models::TrendSpec spec;
    spec.predict_at = 5.0;
    SECTION("a single point")
    {
        Eigen::VectorXd y(1);
        y << 4.0;
        const auto fit = models::fit_trend(y, spec);
        CHECK_FALSE(fit.diag.ok);
        CHECK(std::isnan(fit.slope));
        CHECK(std::isnan(fit.prediction->pi_low));
    }
    SECTION("all missing")
    {
        const Eigen::VectorXd y = Eigen::VectorXd::Constant(6, std::nan(""));
        const auto fit = models::fit_trend(y, spec);
        CHECK_FALSE(fit.diag.ok);
        CHECK(fit.diag.n_missing == 6);
        CHECK(std::isnan(fit.prediction->estimate));
    }
    SECTION("constant y: zero slope, an interval of zero width")
    {
        const Eigen::VectorXd y = Eigen::VectorXd::Constant(6, 2.5);
        const auto fit = models::fit_trend(y, spec);
        CHECK(std::abs(fit.slope) < 1e-12);
        CHECK(fit.prediction->estimate == Approx(2.5));
        CHECK(fit.prediction->pi_high - fit.prediction->pi_low < 1e-10);
        CHECK_FALSE(fit.diag.warnings.empty());
    }
    SECTION("bad arguments")
    {
        const Eigen::VectorXd y = Eigen::VectorXd::LinSpaced(5, 0, 4);
        spec.predict_at = std::nan("");
        CHECK_THROWS_AS(models::fit_trend(y, spec), Error);
        spec.predict_at.reset();
        CHECK_THROWS_AS(models::fit_trend(y, Eigen::VectorXd::Zero(3), spec), Error);
    }
}
