#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

#include "engine/evaluation/explain.hpp"
#include "engine/evaluation/link_estimator.hpp"
#include "engine/evaluation/pipeline.hpp"
#include "engine/import/importer.hpp"
#include "engine/storage/database.hpp"
#include "models/error.hpp"
#include "models/its.hpp"
#include "support/explain_bundle.hpp"

using namespace taeval;
namespace fs = std::filesystem;

namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

// Trend, AR(1) noise (phi 0.4), planted level changes at `breaks`, an
// optional seasonal pattern of period 4, and a few missing periods.
Eigen::VectorXd simulate(unsigned seed, std::size_t n, const std::vector<std::size_t>& breaks, bool seasonal)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> z;
    constexpr double season[4] = {0, 5, -3, 2};
    Eigen::VectorXd y(static_cast<Eigen::Index>(n));
    double e = z(rng);
    for (std::size_t t = 0; t < n; ++t) {
        if (t > 0) e = 0.4 * e + z(rng);
        double m = 30 + 0.1 * static_cast<double>(t) + (seasonal ? season[t % 4] : 0.0);
        for (std::size_t j = 0; j < breaks.size(); ++j)
            if (t >= breaks[j]) m += 4.0 * static_cast<double>(j + 1);
        y[static_cast<Eigen::Index>(t)] = t % 7 == 3 ? k_nan : m + e;
    }
    return y;
}

void check_close(double a, double b)
{
    CHECK(a == Approx(b).epsilon(1e-9));
}

// A fresh database with the explain bundle imported.
struct Fixture {
    fs::path dir;
    engine::storage::Database db;
    Fixture()
        : dir(fs::temp_directory_path() / ("taeval_explain_test_" + std::to_string(::getpid()))),
          db((fs::remove_all(dir), fs::create_directories(dir), dir / "t.db"))
    {
        test::write_explain_bundle(dir / "bundle");
        (void)engine::import_bundle(db, {dir / "bundle"});
    }
    ~Fixture() { fs::remove_all(dir); }
    void evaluate()
    {
        engine::EvaluateOptions o;
        o.threads = 1;
        o.suggest = false;  // the links are the declared ones, whatever the data suggest
        (void)engine::evaluate_portfolio(db, o);
    }
};

}  // namespace

TEST_CASE("describe_link_model gives the design whose fit is estimate_link_effects' estimate, for every estimator",
          "[engine][evaluation][explain]")
{
    // Two breaks and a third too late to be estimated; then a seasonal series
    // whose seasons stay, and the same without a seasonal pattern.
    const std::vector<std::size_t> breaks{14, 30, 47};
    const Eigen::VectorXd y = simulate(3, 48, breaks, true);
    const Eigen::VectorXd flat = simulate(3, 48, breaks, false);
    for (const auto kind : {engine::EstimatorKind::ar1_reml, engine::EstimatorKind::ar1_prais_winsten,
                            engine::EstimatorKind::ols_newey_west}) {
        CAPTURE(engine::to_string(kind));
        engine::EstimatorOptions opt;
        opt.kind = kind;
        opt.alpha = 0.1;
        opt.counterfactual = false;
        for (const auto* series : {&y, &flat}) {
            engine::SeriesForEstimation s;
            s.y = *series;
            s.breaks = breaks;
            s.season_period = 4;
            const auto m = engine::describe_link_model(s, opt);
            REQUIRE(m.fitted);
            CHECK(m.breaks == std::vector<std::size_t>{14, 30});
            CHECK(m.kind == kind);
            CHECK(m.alpha == 0.1);
            CHECK(m.season_period == (series == &y ? 4 : 0));

            const auto fit = models::fit_its(*series, engine::its_spec(m));
            const auto effects = engine::estimate_link_effects(s, opt);
            for (std::size_t j = 0; j < 2; ++j) {
                const auto c = static_cast<Eigen::Index>(2 + 2 * j);
                check_close(fit.est.params[c], effects[j].level_change.estimate);
                check_close(fit.est.se[c], effects[j].level_change.se);
                check_close(fit.est.ci_low[c], effects[j].level_change.ci_low);
                check_close(fit.est.ci_high[c], effects[j].level_change.ci_high);
            }
            CHECK(std::isnan(effects[2].level_change.estimate));
        }
    }
}

TEST_CASE("a stored effect is explained by the run's design and reproduced from today's data",
          "[engine][evaluation][explain]")
{
    Fixture f;
    f.evaluate();

    const auto i2 = engine::explain_link(f.db, std::nullopt, "I2", "CONV", "KEN");
    CHECK(i2.run == 1);
    CHECK(i2.series.size() == 24);
    CHECK(i2.series.n_observed() == 23);
    CHECK(i2.model.breaks == std::vector<std::size_t>{8, 15});  // I4's break (2023) has too few periods
    CHECK(i2.break_index == 15);
    CHECK(i2.term == 2);
    CHECK(i2.model.season_period == 0);
    CHECK(i2.model.kind == engine::EstimatorKind::ar1_reml);
    CHECK(i2.model.alpha == 0.05);
    CHECK(i2.names[4] == "level_change_2");
    CHECK(i2.design.rows() == 24);
    CHECK(i2.reproduces);
    CHECK(engine::explain_link(f.db, 1, "I1", "CONV", "KEN").term == 1);

    const auto i3 = engine::explain_link(f.db, std::nullopt, "I3", "REQ", "KEN");
    CHECK(i3.model.season_period == 4);
    CHECK(i3.model.breaks == std::vector<std::size_t>{24});
    CHECK(i3.reproduces);

    // New data since the run: the explanation says the stored numbers no
    // longer follow from today's series.
    fs::create_directories(f.dir / "more");
    std::ofstream(f.dir / "more" / "observations.csv") << "indicator,state,period,value,source\nCONV,KEN,2004,90,\n";
    (void)engine::import_bundle(f.db, {f.dir / "more"});
    CHECK_FALSE(engine::explain_link(f.db, std::nullopt, "I2", "CONV", "KEN").reproduces);
}

TEST_CASE("explaining an effect fails clearly without a run, a link or an estimate", "[engine][evaluation][explain]")
{
    Fixture f;
    const auto fails = [&](std::optional<std::int64_t> run, const char* intervention, const char* indicator,
                           const char* state, ErrorCode code, const std::string& words) {
        try {
            (void)engine::explain_link(f.db, run, intervention, indicator, state);
            FAIL("no error for " << intervention << " " << indicator << "@" << state);
        } catch (const Error& e) {
            CHECK(e.code() == code);
            CHECK_THAT(e.what(), Catch::Contains(words));
        }
    };
    fails(std::nullopt, "I1", "CONV", "KEN", ErrorCode::not_found, "no evaluation yet");
    f.evaluate();
    fails(7, "I1", "CONV", "KEN", ErrorCode::not_found, "no evaluation run 7");
    fails(std::nullopt, "I9", "CONV", "KEN", ErrorCode::not_found, "no intervention 'I9'");
    fails(std::nullopt, "I1", "NOPE", "KEN", ErrorCode::not_found, "no indicator 'NOPE'");
    fails(std::nullopt, "I1", "CONV", "XXX", ErrorCode::not_found, "no state 'XXX'");
    fails(std::nullopt, "I1", "CONV", "MEX", ErrorCode::not_found, "no reported value of CONV@MEX");
    fails(std::nullopt, "I3", "CONV", "KEN", ErrorCode::not_found, "run 1 has no effect of I3 -> CONV@KEN");
    fails(std::nullopt, "I4", "CONV", "KEN", ErrorCode::bad_input,
          "run 1 has no estimate of I4 -> CONV@KEN (grade insufficient_data");
}
