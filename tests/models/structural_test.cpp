#include <catch2/catch.hpp>

#include <cmath>

#include <Eigen/Dense>

#include "models/error.hpp"
#include "models/local_level.hpp"
#include "models/structural.hpp"
#include "reference_files.hpp"

using namespace taeval;

TEST_CASE("augmented structural filter equals the exact-diffuse local level on the Nile", "[models][structural]")
{
    Eigen::VectorXd y = test::csv_column("kalman_nile/data.csv", "flow");
    for (Eigen::Index t : {0, 3, 30, 31, 32, 99}) y[t] = std::nan("");
    models::StructuralSpec spec;
    spec.fixed = models::StateSpaceVariances{15099.0, 1469.1};
    const auto s = models::fit_structural(y, Eigen::MatrixXd(), spec);
    models::LocalLevelSpec ls;
    ls.sigma2_epsilon = 15099.0;
    ls.sigma2_level = 1469.1;
    const auto l = models::fit_local_level(y, ls);
    REQUIRE(s.diag.ok);
    CHECK(s.loglik == Approx(l.loglik).epsilon(1e-10));
    for (Eigen::Index t = 0; t < y.size(); ++t) {
        INFO("t = " << t);
        CHECK(s.level_smoothed[t] == Approx(l.smoothed[t]).epsilon(1e-9));
        CHECK(s.level_smoothed_var[t] == Approx(l.smoothed_var[t]).epsilon(1e-8));
        if (t >= 2) {
            CHECK(s.level_filtered[t] == Approx(l.filtered[t]).epsilon(1e-9));
            CHECK(s.level_filtered_var[t] == Approx(l.filtered_var[t]).epsilon(1e-8));
        }
        if (std::isfinite(l.innovation[t])) {
            CHECK(s.innovation[t] == Approx(l.innovation[t]).epsilon(1e-8).margin(1e-8));
            CHECK(s.innovation_var[t] == Approx(l.innovation_var[t]).epsilon(1e-9));
        }
    }
    const auto fs = models::forecast(s, 4);
    const auto fl = models::forecast(l, 4);
    for (Eigen::Index h = 0; h < 4; ++h) {
        CHECK(fs.level_mean[h] == Approx(fl.level_mean[h]).epsilon(1e-9));
        CHECK(fs.level_var[h] == Approx(fl.level_var[h]).epsilon(1e-9));
        CHECK(fs.obs_var[h] == Approx(fl.obs_var[h]).epsilon(1e-9));
    }
    const auto ml_s = models::fit_structural(y, Eigen::MatrixXd(), {});
    const auto ml_l = models::fit_local_level(y);
    CHECK(ml_s.sigma2.epsilon == Approx(ml_l.sigma2_epsilon).epsilon(1e-4));
    CHECK(ml_s.sigma2.level == Approx(ml_l.sigma2_level).epsilon(1e-4));
    CHECK(ml_s.loglik == Approx(ml_l.loglik).epsilon(1e-9));
}

namespace {

struct SmCase {
    std::string name;
    nlohmann::json e;
    Eigen::VectorXd y;
    Eigen::MatrixXd x;
    models::StructuralSpec spec;

    explicit SmCase(const std::string& case_name) : name(case_name)
    {
        e = test::reference_json("structural_sm/expected.json")["cases"][name];
        const Eigen::VectorXd col = test::csv_column("structural_sm/data.csv", name);
        y = col.head(e["n"].get<Eigen::Index>());
        const auto& model = e["model"];
        if (model["level"] == "lltrend") spec.trend = models::TrendKind::linear_trend;
        if (model.contains("seasonal")) spec.season_period = model["seasonal"].get<int>();
        if (e["fixed"].contains("beta")) x = test::csv_column("structural_sm/data.csv", "inc").head(y.size());
    }
    [[nodiscard]] models::StateSpaceVariances variances(const nlohmann::json& p) const
    {
        models::StateSpaceVariances v;
        v.epsilon = p["sigma2.irregular"].get<double>();
        v.level = p["sigma2.level"].get<double>();
        if (p.contains("sigma2.trend")) v.slope = p["sigma2.trend"].get<double>();
        if (p.contains("sigma2.seasonal")) v.seasonal = p["sigma2.seasonal"].get<double>();
        return v;
    }
};

void check_series(const Eigen::VectorXd& got, const nlohmann::json& expected, double tol, double margin)
{
    REQUIRE(static_cast<std::size_t>(got.size()) == expected.size());
    for (Eigen::Index t = 0; t < got.size(); ++t) {
        INFO("t = " << t);
        CHECK(got[t] == Approx(expected[static_cast<std::size_t>(t)].get<double>()).epsilon(tol).margin(margin));
    }
}

}  // namespace

TEST_CASE("structural models match statsmodels UnobservedComponents (exact diffuse) at fixed variances",
          "[models][structural]")
{
    for (const char* name : {"gdp_trend", "co2_trend_season12", "co2_level_season4", "cons_level_exog"}) {
        const SmCase c(name);
        INFO(name);
        models::StructuralSpec spec = c.spec;
        spec.fixed = c.variances(c.e["fixed"]["params"]);
        const auto r = models::fit_structural(c.y, c.x, spec);
        REQUIRE(r.diag.ok);
        const auto& f = c.e["fixed"];
        // With a regressor at a large offset (log income ~ 750) the level and
        // the coefficient are nearly collinear early on, and statsmodels'
        // exact diffuse filter keeps only ~8 digits of beta there; a direct
        // GLS below shows ours keeps 10. The tolerances for that case are
        // wider accordingly.
        const bool exog = f.contains("beta");
        CHECK(r.loglik == Approx(f["llf"].get<double>()).epsilon(1e-9));
        check_series(r.level_smoothed, f["smoothed_level"], exog ? 1e-7 : 1e-9, 1e-9);
        check_series(r.level_smoothed_var, f["smoothed_level_var"], exog ? 1e-5 : 1e-7, 1e-10);
        if (f.contains("smoothed_slope")) {
            check_series(r.slope_smoothed, f["smoothed_slope"], 1e-7, 1e-9);
            check_series(r.slope_smoothed_var, f["smoothed_slope_var"], 1e-7, 1e-12);
        }
        if (f.contains("smoothed_seasonal")) {
            check_series(r.seasonal_smoothed, f["smoothed_seasonal"], 1e-7, 1e-9);
            check_series(r.seasonal_smoothed_var, f["smoothed_seasonal_var"], 1e-7, 1e-10);
        }
        if (f.contains("forecast_mean")) {
            const auto fc = models::forecast(r, 8);
            check_series(fc.obs_mean, f["forecast_mean"], 1e-9, 1e-9);
            check_series(fc.obs_var, f["forecast_obs_var"], 1e-8, 1e-12);
        }
        if (exog) {
            CHECK(r.est.params[2] == Approx(f["beta"].get<double>()).epsilon(1e-7));
            CHECK(r.est.se[2] == Approx(std::sqrt(f["beta_var"].get<double>())).epsilon(1e-7));
            // Direct GLS of y on (1, x) with the covariance of the random walk plus noise.
            const Eigen::Index n = c.y.size();
            Eigen::MatrixXd sigma(n, n);
            for (Eigen::Index i = 0; i < n; ++i)
                for (Eigen::Index j = 0; j < n; ++j)
                    sigma(i, j) = spec.fixed->level * static_cast<double>(std::min(i, j)) + (i == j ? spec.fixed->epsilon : 0.0);
            Eigen::MatrixXd design(n, 2);
            design.col(0).setOnes();
            design.col(1) = c.x.col(0).array() - c.x.col(0).mean();
            const Eigen::LLT<Eigen::MatrixXd> llt(sigma);
            const Eigen::MatrixXd si = llt.solve(design);
            const Eigen::Vector2d b = (design.transpose() * si).ldlt().solve(si.transpose() * c.y);
            CHECK(r.est.params[2] == Approx(b[1]).epsilon(1e-9));
        }
        // Standardised one-step residuals once the diffuse period is over.
        const auto& sr = f["std_resid"];
        int compared = 0;
        for (Eigen::Index t = c.e["nobs_diffuse"].get<Eigen::Index>() + 2; t < r.std_resid.size(); ++t) {
            const auto& v = sr[static_cast<std::size_t>(t)];
            if (v.is_null() || std::isnan(r.std_resid[t])) continue;
            INFO("t = " << t);
            CHECK(r.std_resid[t] == Approx(v.get<double>()).epsilon(exog ? 1e-4 : 1e-7).margin(exog ? 1e-6 : 1e-9));
            ++compared;
        }
        CHECK(compared > 50);
    }
}

TEST_CASE("structural ML reaches statsmodels' optimum or better", "[models][structural]")
{
    for (const char* name : {"gdp_trend", "co2_trend_season12", "co2_level_season4", "cons_level_exog"}) {
        const SmCase c(name);
        INFO(name);
        const auto r = models::fit_structural(c.y, c.x, c.spec);
        REQUIRE(r.diag.ok);
        CHECK(r.diag.converged);
        const double sm_llf = c.e["mle"]["llf"].get<double>();
        // Several of these optima lie on the boundary (a variance of zero),
        // where the likelihood is flat in the log variance: agreement to
        // 1e-4 in the log-likelihood is what either optimiser can promise.
        CHECK(r.loglik > sm_llf - 1e-4);
        CHECK(r.loglik < sm_llf + 1e-3);
    }
    // An interior optimum: the variances themselves agree.
    const SmCase c("cons_level_exog");
    const auto r = models::fit_structural(c.y, c.x, c.spec);
    const auto v = c.variances(c.e["mle"]["params"]);
    CHECK(r.sigma2.epsilon == Approx(v.epsilon).epsilon(1e-3));
    CHECK(r.sigma2.level == Approx(v.level).epsilon(1e-3));
}

TEST_CASE("structural model reports degenerate input and rejects bad arguments", "[models][structural]")
{
    models::StructuralSpec trend;
    trend.trend = models::TrendKind::linear_trend;
    trend.season_period = 4;
    const auto all_missing = models::fit_structural(Eigen::VectorXd::Constant(12, std::nan("")), {}, trend);
    CHECK_FALSE(all_missing.diag.ok);
    CHECK(std::isnan(models::forecast(all_missing, 3).obs_mean[0]));
    const auto few = models::fit_structural(Eigen::VectorXd::LinSpaced(7, 1, 7), {}, trend);
    CHECK_FALSE(few.diag.ok);
    const auto constant = models::fit_structural(Eigen::VectorXd::Constant(30, 2.0), {}, {});
    CHECK_FALSE(constant.diag.ok);
    CHECK_FALSE(constant.diag.warnings.empty());

    Eigen::VectorXd y = Eigen::VectorXd::LinSpaced(20, 0, 19);
    CHECK_THROWS_AS(models::fit_structural(y, Eigen::MatrixXd::Ones(19, 1), {}), Error);
    Eigen::MatrixXd x = Eigen::MatrixXd::Ones(20, 1);
    x(3, 0) = std::nan("");
    CHECK_THROWS_AS(models::fit_structural(y, x, {}), Error);
    models::StructuralSpec bad;
    bad.season_period = 1;
    CHECK_THROWS_AS(models::fit_structural(y, {}, bad), Error);
    models::StructuralSpec fixed;
    fixed.fixed = models::StateSpaceVariances{0.0, 1.0};
    CHECK_THROWS_AS(models::fit_structural(y, {}, fixed), Error);
    // Regressors need their future values to forecast.
    Eigen::MatrixXd xr(20, 1);
    for (Eigen::Index t = 0; t < 20; ++t) xr(t, 0) = std::sin(static_cast<double>(t));
    Eigen::VectorXd yr = y + 2 * xr.col(0);
    yr[5] += 0.3;
    const auto fit = models::fit_structural(yr, xr, {});
    CHECK_THROWS_AS(models::forecast(fit, 3), Error);
    CHECK_NOTHROW(models::forecast(fit, 3, Eigen::MatrixXd::Zero(3, 1)));
}
