#include <catch2/catch.hpp>

#include <cmath>

#include <boost/math/distributions/chi_squared.hpp>

#include "models/error.hpp"
#include "models/meta.hpp"
#include "reference_files.hpp"

using namespace taeval;

namespace {

struct Bcg {
    Eigen::VectorXd yi = test::csv_column("meta_bcg/yi_vi.csv", "yi");
    Eigen::VectorXd vi = test::csv_column("meta_bcg/yi_vi.csv", "vi");
    nlohmann::json fits = test::reference_json("meta_bcg/expected.json")["fits"];
};

void check_fit(const models::MetaResult& r, const nlohmann::json& e, double tol)
{
    CHECK(r.estimate == Approx(e["estimate"].get<double>()).epsilon(tol));
    CHECK(r.se == Approx(e["se"].get<double>()).epsilon(tol));
    CHECK(r.stat == Approx(e["zval_or_tval"].get<double>()).epsilon(tol));
    CHECK(r.p == Approx(e["pval"].get<double>()).epsilon(tol));
    CHECK(r.ci_low == Approx(e["ci.lb"].get<double>()).epsilon(tol));
    CHECK(r.ci_high == Approx(e["ci.ub"].get<double>()).epsilon(tol));
    if (e["tau2"].get<double>() > 0) CHECK(r.tau2 == Approx(e["tau2"].get<double>()).epsilon(tol));
    else CHECK(r.tau2 == 0.0);
    CHECK(r.i2 == Approx(e["I2"].get<double>()).epsilon(tol));
    CHECK(r.h2 == Approx(e["H2"].get<double>()).epsilon(tol));
    CHECK(r.q == Approx(e["Q"].get<double>()).epsilon(1e-8));
    CHECK(r.q_df == e["QEdf"].get<double>());
    CHECK(r.q_p == Approx(e["QEp"].get<double>()).epsilon(1e-8));
    CHECK(r.weights.sum() == Approx(100.0).epsilon(1e-12));
    CHECK(r.diag.converged);
    CHECK(r.diag.ok);
}

}  // namespace

TEST_CASE("meta-analysis matches metafor on BCG: fixed effect and DerSimonian-Laird", "[models][meta]")
{
    const Bcg bcg;
    models::MetaSpec spec;
    spec.method = models::Tau2Method::fixed_effect;
    check_fit(models::fit_meta(bcg.yi, bcg.vi, spec), bcg.fits["FE"], 1e-8);
    spec.method = models::Tau2Method::dersimonian_laird;
    const auto dl = models::fit_meta(bcg.yi, bcg.vi, spec);
    check_fit(dl, bcg.fits["DL"], 1e-8);
    // Study weights: 1 / (v_i + tau^2), normalised to percent.
    const double w0 = 1.0 / (bcg.vi[0] + dl.tau2);
    const double sw = (1.0 / (bcg.vi.array() + dl.tau2)).sum();
    CHECK(dl.weights[0] == Approx(100 * w0 / sw).epsilon(1e-12));
}

TEST_CASE("meta-analysis matches metafor on BCG: REML, Paule-Mandel, Hartung-Knapp (tight)", "[models][meta]")
{
    const Bcg bcg;
    models::MetaSpec spec;
    spec.method = models::Tau2Method::reml;
    check_fit(models::fit_meta(bcg.yi, bcg.vi, spec), bcg.fits["REML_tight"], 1e-6);
    spec.method = models::Tau2Method::paule_mandel;
    check_fit(models::fit_meta(bcg.yi, bcg.vi, spec), bcg.fits["PM_tight"], 1e-6);
    spec.method = models::Tau2Method::reml;
    spec.hartung_knapp = true;
    const auto hk = models::fit_meta(bcg.yi, bcg.vi, spec);
    check_fit(hk, bcg.fits["REML_knha_tight"], 1e-6);
    CHECK(hk.df == 12.0);
}

TEST_CASE("REML tau^2 is the root of the restricted score to a tight tolerance", "[models][meta]")
{
    const Bcg bcg;
    const auto r = models::fit_meta(bcg.yi, bcg.vi, {});
    const double crosscheck = test::reference_json("meta_bcg/expected.json")["independent_crosscheck_base_R"]
                                  ["tau2_REML_score_root"].get<double>();
    CHECK(r.tau2 == Approx(crosscheck).epsilon(1e-10));
}

TEST_CASE("tau^2 Q-profile interval and prediction interval match metafor's confint and predict",
          "[models][meta]")
{
    const Bcg bcg;
    const auto ref = test::reference_json("meta_bcg/tau2_ci.json");
    const std::pair<models::Tau2Method, const char*> cases[] = {
        {models::Tau2Method::dersimonian_laird, "DL"},
        {models::Tau2Method::reml, "REML"},
        {models::Tau2Method::paule_mandel, "PM"}};
    for (const auto& [method, key] : cases) {
        models::MetaSpec spec;
        spec.method = method;
        const auto r = models::fit_meta(bcg.yi, bcg.vi, spec);
        INFO(key);
        CHECK(r.tau2_ci_low == Approx(ref[key]["tau2_ci_low"].get<double>()).epsilon(1e-6));
        CHECK(r.tau2_ci_high == Approx(ref[key]["tau2_ci_high"].get<double>()).epsilon(1e-6));
        CHECK(r.pi_low == Approx(ref[key]["pi_low"].get<double>()).epsilon(1e-6));
        CHECK(r.pi_high == Approx(ref[key]["pi_high"].get<double>()).epsilon(1e-6));
        // The bounds are where the generalised Q crosses the chi-square quantiles.
        auto gen_q = [&](double t2) {
            const Eigen::ArrayXd w = 1.0 / (bcg.vi.array() + t2);
            const double mu = (w * bcg.yi.array()).sum() / w.sum();
            return (w * (bcg.yi.array() - mu).square()).sum();
        };
        const boost::math::chi_squared chi(12);
        CHECK(gen_q(r.tau2_ci_low) == Approx(boost::math::quantile(boost::math::complement(chi, 0.025))).epsilon(1e-9));
        CHECK(gen_q(r.tau2_ci_high) == Approx(boost::math::quantile(chi, 0.025)).epsilon(1e-9));
    }
    models::MetaSpec spec;
    spec.hartung_knapp = true;
    const auto hk = models::fit_meta(bcg.yi, bcg.vi, spec);
    CHECK(hk.pi_low == Approx(ref["REML_knha"]["pi_low"].get<double>()).epsilon(1e-6));
    CHECK(hk.pi_high == Approx(ref["REML_knha"]["pi_high"].get<double>()).epsilon(1e-6));
}

TEST_CASE("homogeneous effects give tau^2 = 0 for every estimator and a zero lower tau^2 bound", "[models][meta]")
{
    Eigen::VectorXd y(4), v(4);
    y << 0.10, 0.11, 0.09, 0.10;
    v << 0.04, 0.05, 0.03, 0.04;
    for (auto m : {models::Tau2Method::dersimonian_laird, models::Tau2Method::reml, models::Tau2Method::paule_mandel}) {
        models::MetaSpec spec;
        spec.method = m;
        const auto r = models::fit_meta(y, v, spec);
        CHECK(r.tau2 == 0.0);
        CHECK(r.tau2_ci_low == 0.0);
        CHECK(r.i2 == 0.0);
        CHECK(r.h2 == Approx(1.0));
        CHECK(r.diag.converged);
    }
}

TEST_CASE("meta-analysis reports degenerate input in diagnostics and rejects bad input", "[models][meta]")
{
    Eigen::VectorXd one(1), v1(1);
    one << 0.3;
    v1 << 0.04;
    const auto r = models::fit_meta(one, v1, {});
    CHECK_FALSE(r.diag.ok);
    CHECK(r.estimate == Approx(0.3));
    CHECK(r.se == Approx(0.2));
    CHECK(std::isnan(r.q_p));

    Eigen::VectorXd y(3), v(3);
    y << 0.1, 0.2, 0.3;
    v << 0.1, -0.1, 0.1;
    CHECK_THROWS_AS(models::fit_meta(y, v, {}), Error);
    v << 0.1, 0.1, 0.1;
    y[1] = std::nan("");
    CHECK_THROWS_AS(models::fit_meta(y, v, {}), Error);
    y[1] = 0.2;
    CHECK_THROWS_AS(models::fit_meta(y, Eigen::VectorXd::Ones(2), {}), Error);
    CHECK_THROWS_AS(models::fit_meta(Eigen::VectorXd(), Eigen::VectorXd(), {}), Error);
    models::MetaSpec bad;
    bad.alpha = 1.5;
    CHECK_THROWS_AS(models::fit_meta(y, v, bad), Error);
}
