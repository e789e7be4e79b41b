#include <catch2/catch.hpp>

#include <cmath>

#include "models/error.hpp"
#include "models/level_ar1.hpp"
#include "models/reference_files.hpp"

using namespace taeval;

TEST_CASE("level and trend with AR(1) noise match R's arima at a fixed phi, gaps included", "[models][level_ar1]")
{
    // datasets/reference/level_ar1: 40 periods, 4 missing; at a fixed phi
    // the coefficients are GLS, so arima's ML estimates and forecasts are
    // ours; its sigma2 is RSS / n, ours RSS / (n - k) (the reports after
    // the first k are the ones with a one-step density).
    const auto y = test::csv_column("level_ar1/data.csv", "y");
    const auto ref = test::reference_json("level_ar1/expected.json");
    const double phi = ref["phi"].get<double>();
    const auto n = ref["n_observed"].get<double>();
    for (const bool trend : {true, false}) {
        const auto& r = ref[trend ? "trend" : "level"];
        const auto fit = models::fit_level_ar1(y, trend, phi);
        REQUIRE(fit.ok);
        INFO((trend ? "trend" : "level"));
        const double k = trend ? 2 : 1;
        CHECK(fit.n_densities == static_cast<std::size_t>(n - k));
        CHECK(fit.sigma2 * (n - k) / n == Approx(r["sigma2_ml"].get<double>()).epsilon(1e-6));
        if (trend) CHECK(fit.beta[1] == Approx(r["slope"].get<double>()).epsilon(1e-7));
        // To R's optimiser (it stops at about 1e-8 relative).
        const auto& f = r["forecast"];
        for (std::size_t h = 1; h <= f.size(); ++h)
            CHECK(models::forecast(fit, h).mean == Approx(f[h - 1].get<double>()).epsilon(1e-7));
    }
}

TEST_CASE("level with AR(1) noise: phi found, noise reverts, bad input refused", "[models][level_ar1]")
{
    const auto y = test::csv_column("level_ar1/data.csv", "y");
    const auto fit = models::fit_level_ar1(y, true);
    REQUIRE(fit.ok);
    CHECK(fit.phi > 0.1);  // planted 0.5 over 36 reports
    CHECK(fit.phi < 0.9);
    // Far ahead the noise has reverted: the trend line, and the variance of
    // the noise plus the coefficients' uncertainty.
    const auto far = models::forecast(fit, 200);
    CHECK(far.var > fit.sigma2 / (1 - fit.phi * fit.phi));
    // Each one-step density is finite where the model has one.
    CHECK(std::isnan(fit.innovation[0]));
    CHECK(std::isfinite(fit.innovation[y.size() - 1]));

    Eigen::VectorXd bad = y;
    bad[5] = INFINITY;
    CHECK_THROWS_AS(models::fit_level_ar1(bad, false), Error);
    CHECK_THROWS_AS(models::fit_level_ar1(y, false, 1.0), Error);
    Eigen::VectorXd flat = Eigen::VectorXd::Constant(10, 3.0);
    CHECK_FALSE(models::fit_level_ar1(flat, false).ok);
    CHECK(std::isnan(models::forecast(models::fit_level_ar1(flat, false), 1).mean));
}
