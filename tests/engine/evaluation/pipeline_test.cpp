#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <map>
#include <string>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "datasets/synthetic/generator.hpp"
#include "engine/evaluation/pipeline.hpp"
#include "engine/import/importer.hpp"
#include "engine/storage/database.hpp"
#include "engine/storage/run_store.hpp"
#include "models/error.hpp"

using namespace taeval;
namespace fs = std::filesystem;

namespace {

// A small generated portfolio imported into a fresh database.
struct Fixture {
    fs::path dir;
    engine::storage::Database db;
    explicit Fixture(const std::string& name)
        : dir(fs::temp_directory_path() / ("taeval_pipeline_test_" + name + "_" + std::to_string(::getpid()))),
          db((fs::remove_all(dir), fs::create_directories(dir), dir / "t.db"))
    {
        synthetic::GeneratorOptions o;
        o.seed = 5;
        o.states = 6;
        o.projects = 4;
        o.interventions = 16;
        (void)synthetic::generate_portfolio(o, dir / "bundle");
        (void)engine::import_bundle(db, {dir / "bundle"});
    }
    ~Fixture() { fs::remove_all(dir); }
};

std::map<std::string, const engine::LinkEffect*> by_key(const std::vector<engine::LinkEffect>& effects)
{
    std::map<std::string, const engine::LinkEffect*> m;
    for (const auto& e : effects)
        m[e.intervention + ">" + e.indicator + "@" + e.state + (e.declared ? "" : " suggested")] = &e;
    return m;
}

bool same(double a, double b)
{
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

}  // namespace

TEST_CASE("evaluate stores a run that reproduces, with its spec, q-values and grades", "[engine][evaluation][pipeline]")
{
    Fixture f("run");
    engine::EvaluateOptions opt;
    opt.threads = 2;
    const auto first = engine::evaluate_portfolio(f.db, opt);
    REQUIRE(first.series > 0);
    REQUIRE_FALSE(first.effects.empty());

    // Stored with its specification, FDR procedure included.
    engine::storage::RunStore store(f.db);
    const auto run = store.latest_run();
    REQUIRE(run);
    CHECK(run->id == first.run);
    const auto spec = nlohmann::json::parse(run->spec);
    CHECK(spec["fdr"] == "bky");
    CHECK(spec["estimator"] == "ar1_reml");
    engine::storage::EffectFilter all;
    CHECK(store.effects(all).size() == first.effects.size());

    // Every estimated effect has q-values in [0, 1], and suggested links are
    // kept only where the data show a change (their detection test).
    for (const auto& e : first.effects) {
        if (std::isnan(e.level_change.p)) continue;
        CHECK(e.level_change.q >= 0);
        CHECK(e.level_change.q <= 1);
        REQUIRE(e.detection);
        CHECK(e.detection->q >= 0);
        CHECK(e.detection->q <= 1);
        if (!e.declared) CHECK(e.detection->q < opt.alpha);
    }

    // The same data give the same numbers, whatever the thread count.
    opt.threads = 1;
    const auto second = engine::evaluate_portfolio(f.db, opt);
    CHECK(second.run != first.run);
    const auto a = by_key(first.effects), b = by_key(second.effects);
    REQUIRE(a.size() == b.size());
    for (const auto& [key, e] : a) {
        INFO(key);
        REQUIRE(b.count(key) == 1);
        const auto& g = *b.at(key);
        CHECK(same(e->level_change.estimate, g.level_change.estimate));
        CHECK(same(e->level_change.se, g.level_change.se));
        CHECK(same(e->level_change.q, g.level_change.q));
        CHECK(same(e->slope_change.q, g.slope_change.q));
        CHECK(same(e->detection ? e->detection->q : 0.0, g.detection ? g.detection->q : 0.0));
        CHECK(e->grade == g.grade);
    }
}

TEST_CASE("evaluate with Benjamini-Hochberg flags no more links than the adaptive procedure",
          "[engine][evaluation][pipeline]")
{
    Fixture f("fdr");
    engine::EvaluateOptions opt;
    opt.suggest = false;
    opt.fdr = models::FdrMethod::bh;
    const auto bh = engine::evaluate_portfolio(f.db, opt);
    opt.fdr = models::FdrMethod::bky;
    const auto bky = engine::evaluate_portfolio(f.db, opt);
    REQUIRE(bh.effects.size() == bky.effects.size());
    std::size_t flagged_bh = 0, flagged_bky = 0;
    const auto m = by_key(bky.effects);
    for (const auto& e : bh.effects) {
        const auto& other = *m.at(e.intervention + ">" + e.indicator + "@" + e.state);
        CHECK(same(e.level_change.p, other.level_change.p));  // the models do not depend on the FDR
        if (e.detection && e.detection->q < opt.alpha) ++flagged_bh;
        if (other.detection && other.detection->q < opt.alpha) ++flagged_bky;
    }
    CHECK(flagged_bky >= flagged_bh);
    CHECK(nlohmann::json::parse(engine::storage::RunStore(f.db).latest_run()->spec)["fdr"] == "bky");
}

TEST_CASE("evaluate refuses an unknown project and a bad alpha", "[engine][evaluation][pipeline]")
{
    Fixture f("bad");
    engine::EvaluateOptions opt;
    opt.project = "NO_SUCH_PROJECT";
    try {
        (void)engine::evaluate_portfolio(f.db, opt);
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::not_found);
        CHECK_THAT(e.what(), Catch::Contains("NO_SUCH_PROJECT"));
    }
    opt.project.clear();
    opt.alpha = 1.5;
    CHECK_THROWS_AS(engine::evaluate_portfolio(f.db, opt), Error);
    CHECK_FALSE(engine::storage::RunStore(f.db).latest_run());  // nothing stored
}
