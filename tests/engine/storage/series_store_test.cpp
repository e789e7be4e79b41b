#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/import/importer.hpp"
#include "engine/storage/database.hpp"
#include "engine/storage/portfolio_store.hpp"
#include "engine/storage/series_store.hpp"

using namespace taeval;
namespace fs = std::filesystem;

TEST_CASE("The series loader streams every total, by indicator, state and period, and only totals",
          "[engine][storage][series]")
{
    const auto dir = fs::temp_directory_path() / "taeval_series_store_test";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path bundle = fs::path(TAEVAL_TEST_DATA) / "bundle_ok";
    engine::storage::Database db(dir / "t.db");
    (void)engine::import_bundle(db, {bundle});
    // A breakdown of a stored total: not part of any series.
    {
        std::ofstream obs(dir / "observations.csv");
        obs << "indicator,state,period,value,source,breakdown\nMLA_HANDLED,KEN,2019-Q4,4,,sex=female\n";
    }
    (void)engine::import_bundle(db, {dir / "observations.csv"});

    // What the loader gives, flattened, against the full listing's totals.
    std::vector<std::string> streamed;
    std::vector<std::string> indicators_seen;
    engine::storage::for_each_indicator_series(
        db, [&](const std::string& code, std::vector<engine::storage::StateReports>& series) {
            indicators_seen.push_back(code);
            for (const auto& s : series) {
                REQUIRE_FALSE(s.points.empty());
                for (std::size_t i = 1; i < s.points.size(); ++i) CHECK(s.points[i - 1].period < s.points[i].period);
                for (const auto& p : s.points)
                    streamed.push_back(code + "@" + s.state + " " + p.period.to_string() + " " + std::to_string(p.value));
            }
        });
    std::vector<std::string> listed;
    for (const auto& o : engine::storage::PortfolioStore(db).observations())
        if (o.breakdown.empty())
            listed.push_back(o.indicator + "@" + o.state + " " + o.period + " " + std::to_string(o.value));
    CHECK_FALSE(streamed.empty());
    CHECK(streamed == listed);
    CHECK(std::is_sorted(indicators_seen.begin(), indicators_seen.end()));
    CHECK(std::adjacent_find(indicators_seen.begin(), indicators_seen.end()) == indicators_seen.end());
}
