#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "models/did.hpp"
#include "models/error.hpp"
#include "models/regression_reference.hpp"

using namespace taeval;

namespace {

struct Panel {
    Eigen::VectorXd y;
    Eigen::VectorXd y_unbalanced;
    std::vector<std::int64_t> unit;
    std::vector<std::int64_t> time;
    Eigen::VectorXd treated;
};

Panel produc()
{
    const auto cols = test::read_numeric_csv(test::reference_path("did_produc", "data.csv"));
    Panel p;
    p.y = test::to_vector(cols.at("gsp")).array().log();
    p.y_unbalanced = test::to_vector(cols.at("gsp_unbalanced")).array().log();  // log(NaN) = NaN
    for (const double u : cols.at("unit")) p.unit.push_back(static_cast<std::int64_t>(u));
    for (const double t : cols.at("year")) p.time.push_back(static_cast<std::int64_t>(t));
    p.treated = test::to_vector(cols.at("treated"));
    return p;
}

}  // namespace

TEST_CASE("two-way fixed-effects DiD with unit-clustered CR1 errors matches R on Produc", "[models][did]")
{
    const auto ref = test::read_json(test::reference_path("did_produc", "expected.json"));
    const auto p = produc();
    SECTION("balanced")
    {
        const auto fit = models::fit_did(p.y, p.unit, p.time, p.treated, {});
        REQUIRE(fit.est.names == std::vector<std::string>{"att"});
        CHECK(test::rel_diff(fit.att, ref["att"]["coef"].get<double>()) < 1e-8);
        CHECK(test::rel_diff(fit.att_se, ref["att"]["se"].get<double>()) < 1e-8);
        CHECK(test::rel_diff(fit.est.p[0], ref["att"]["p"].get<double>()) < 1e-6);
        CHECK(fit.n_clusters == ref["n_clusters"].get<std::size_t>());
        CHECK(fit.n_units == 48);
        CHECK(fit.n_periods == 17);
        CHECK(fit.n_params == 1 + 1 + 47 + 16);
        CHECK_THAT(fit.small_sample, Catch::Contains("CR1") && Catch::Contains("G-1"));
        CHECK(fit.diag.ok);
    }
    SECTION("unbalanced: missing y dropped")
    {
        const auto fit = models::fit_did(p.y_unbalanced, p.unit, p.time, p.treated, {});
        CHECK(fit.diag.n == ref["att_unbalanced"]["n"].get<std::size_t>());
        CHECK(fit.diag.n_missing == 20);
        CHECK(test::rel_diff(fit.att, ref["att_unbalanced"]["coef"].get<double>()) < 1e-8);
        CHECK(test::rel_diff(fit.att_se, ref["att_unbalanced"]["se"].get<double>()) < 1e-8);
    }
    SECTION("event study, reference period -1")
    {
        models::DidSpec spec;
        spec.event_study = true;
        const auto fit = models::fit_did(p.y, p.unit, p.time, p.treated, spec);
        const auto& es = ref["event_study"];
        REQUIRE(fit.est.names == es["names"].get<std::vector<std::string>>());
        for (std::size_t i = 0; i < fit.est.size(); ++i) {
            const auto k = static_cast<Eigen::Index>(i);
            INFO(fit.est.names[i]);
            CHECK(test::rel_diff(fit.est.params[k], es["coef"][i].get<double>()) < 1e-8);
            CHECK(test::rel_diff(fit.est.se[k], es["se"][i].get<double>()) < 1e-8);
            CHECK(test::rel_diff(fit.est.p[k], es["p"][i].get<double>()) < 1e-6);
        }
        CHECK(fit.event_times.front() == -9);
        CHECK(std::isnan(fit.att));
    }
}

TEST_CASE("DiD recovers a planted effect and rejects malformed panels", "[models][did]")
{
    // 6 units x 8 periods, units 0-2 treated from period 4, effect 2.5,
    // unit and time effects, small deterministic noise.
    Eigen::VectorXd y(48);
    Eigen::VectorXd d(48);
    std::vector<std::int64_t> unit;
    std::vector<std::int64_t> time;
    for (int u = 0; u < 6; ++u)
        for (int t = 0; t < 8; ++t) {
            const auto i = static_cast<Eigen::Index>(u * 8 + t);
            d[i] = (u < 3 && t >= 4) ? 1.0 : 0.0;
            y[i] = 10.0 + u * 1.5 + t * 0.3 + 2.5 * d[i] + 0.01 * std::sin(7.0 * u + 3.0 * t);
            unit.push_back(u);
            time.push_back(t);
        }
    const auto fit = models::fit_did(y, unit, time, d, {});
    CHECK(fit.att == Approx(2.5).margin(0.02));
    CHECK(fit.est.ci_low[0] < 2.5);
    CHECK(fit.est.ci_high[0] > 2.5);

    SECTION("treated not 0/1")
    {
        Eigen::VectorXd bad = d;
        bad[3] = 0.5;
        CHECK_THROWS_AS(models::fit_did(y, unit, time, bad, {}), Error);
    }
    SECTION("a repeated (unit, time)")
    {
        auto dup = time;
        dup[1] = 0;
        CHECK_THROWS_WITH(models::fit_did(y, unit, dup, d, {}), Catch::Contains("more than one row"));
    }
    SECTION("treatment switching off in an event study")
    {
        Eigen::VectorXd off = d;
        off[6] = 0.0;  // unit 0, period 6
        models::DidSpec spec;
        spec.event_study = true;
        CHECK_THROWS_WITH(models::fit_did(y, unit, time, off, spec), Catch::Contains("stays on"));
    }
    SECTION("no unit ever treated: att aliased, reported")
    {
        const auto none = models::fit_did(y, unit, time, Eigen::VectorXd::Zero(48), {});
        CHECK_FALSE(none.diag.ok);
        CHECK(std::isnan(none.att));
    }
    SECTION("all missing")
    {
        const auto empty = models::fit_did(Eigen::VectorXd::Constant(48, std::nan("")), unit, time, d, {});
        CHECK_FALSE(empty.diag.ok);
        CHECK(empty.diag.n_missing == 48);
    }
    SECTION("sizes")
    {
        CHECK_THROWS_AS(models::fit_did(y, {1, 2}, time, d, {}), Error);
    }
}
