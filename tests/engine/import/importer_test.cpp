#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <fstream>

#include "engine/import/importer.hpp"
#include "engine/storage/database.hpp"
#include "engine/storage/portfolio_store.hpp"
#include "models/error.hpp"
#include "support/database_dump.hpp"

using namespace taeval;
namespace fs = std::filesystem;

namespace {

const fs::path data_dir = TAEVAL_TEST_DATA;
const fs::path good_bundle = data_dir / "bundle_ok";

// A fresh database path in a fresh folder.
fs::path fresh_db(const std::string& name)
{
    const auto dir = fs::temp_directory_path() / "taeval_import_test" / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir / "t.db";
}

// Imports the files of an error fixture.
engine::ImportReport import_fixture_into(engine::storage::Database& db, const std::string& fixture)
{
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(data_dir / "errors" / fixture)) files.push_back(entry.path());
    return engine::import_bundle(db, files);
}

// Imports the fixture over the good bundle and returns the error; checks
// that the database did not change.
Error import_fixture_fails(const std::string& fixture)
{
    const auto path = fresh_db(fixture);
    engine::storage::Database db(path);
    engine::import_bundle(db, {good_bundle});
    const auto before = taeval::test::dump_rows(db.path());
    try {
        import_fixture_into(db, fixture);
    } catch (const Error& e) {
        CHECK(taeval::test::dump_rows(db.path()) == before);
        return e;
    }
    FAIL("import of " << fixture << " should have failed");
    return Error(ErrorCode::internal, "unreachable");
}

}  // namespace

TEST_CASE("a good bundle imports every file and row", "[engine][import]")
{
    engine::storage::Database db(fresh_db("good"));
    const auto report = engine::import_bundle(db, {good_bundle});
    REQUIRE(report.files.size() == 8);
    CHECK(report.files[0].file == "states.csv");
    CHECK(report.files[6].file == "observations.csv");
    CHECK(report.files[6].inserted == 8);
    engine::storage::PortfolioStore store(db);
    const auto counts = store.counts();
    CHECK(counts.states == 4);
    CHECK(counts.interventions == 3);
    CHECK(counts.links == 4);
    CHECK(counts.batches == 8);
    // Quoted fields with commas and newlines survive.
    const auto interventions = store.interventions();
    CHECK(interventions[1].title == "Regional workshop on MLA\n(origin, transit, destination)");
    CHECK(interventions[1].cost == Approx(45000.5));
    CHECK_FALSE(interventions[2].participants.has_value());
    const auto indicators = store.indicators();
    CHECK(indicators[1].code == "MLA_DAYS");
    CHECK(indicators[1].aggregation == indicators::Aggregation::median);  // default for days
    CHECK(store.projects()[0].recipients == std::vector<std::string>{"KEN", "NGA"});
    CHECK(store.states()[0].name == "Côte d'Ivoire");
}

TEST_CASE("importing the same bundle twice is a no-op", "[engine][import]")
{
    engine::storage::Database db(fresh_db("twice"));
    engine::import_bundle(db, {good_bundle});
    const auto before = taeval::test::dump_rows(db.path());
    const auto report = engine::import_bundle(db, {good_bundle});
    for (const auto& f : report.files) CHECK(f.skipped_unchanged);
    CHECK(taeval::test::dump_rows(db.path()) == before);
}

TEST_CASE("every stored row traces back to its batch", "[engine][import]")
{
    engine::storage::Database db(fresh_db("trace"));
    const auto report = engine::import_bundle(db, {good_bundle});
    engine::storage::PortfolioStore store(db);
    const auto batches = store.batches();
    REQUIRE(batches.size() == 8);
    CHECK(batches[6].file == "observations.csv");
    CHECK(batches[6].rows == 8);
    CHECK(batches[6].sha256 == engine::sha256_file(good_bundle / "observations.csv"));
    CHECK(batches[6].sha256.size() == 64);
}

TEST_CASE("a type error names file, line, column and value", "[engine][import][errors]")
{
    const auto e = import_fixture_fails("bad_types");
    CHECK(e.code() == ErrorCode::bad_input);
    CHECK_THAT(e.what(), Catch::Contains("observations.csv:2:4 (value): 'twelve': a finite number"));
}

TEST_CASE("impossible dates and an end before the start are rejected", "[engine][import][errors]")
{
    const auto e = import_fixture_fails("bad_dates");
    CHECK_THAT(e.what(), Catch::Contains("2 problems"));
    CHECK_THAT(e.what(), Catch::Contains("interventions.csv:2:6 (start): '2021-02-30'"));
    CHECK_THAT(e.what(), Catch::Contains("interventions.csv:3:7 (end): '2021-02-01': a date on or after start"));
}

TEST_CASE("a period must match the indicator's frequency", "[engine][import][errors]")
{
    const auto e = import_fixture_fails("bad_period");
    CHECK_THAT(e.what(), Catch::Contains("3 problems"));
    CHECK_THAT(e.what(), Catch::Contains("observations.csv:2:3 (period): '2021-03': a quarter period like 2024-Q1"));
    CHECK_THAT(e.what(), Catch::Contains("observations.csv:3:3 (period): '2021-Q3': a month period"));
    CHECK_THAT(e.what(), Catch::Contains("observations.csv:4:3 (period): '2021-Q5'"));
}

TEST_CASE("enumerations list the accepted values", "[engine][import][errors]")
{
    const auto e = import_fixture_fails("bad_enum");
    CHECK_THAT(e.what(), Catch::Contains("5 problems"));
    CHECK_THAT(e.what(), Catch::Contains("indicators.csv:2:3 (level): 'outcomes': one of: output, outcome, impact"));
    CHECK_THAT(e.what(), Catch::Contains("'sideways': one of: up, down"));
    CHECK_THAT(e.what(), Catch::Contains("'weekly': one of: year, quarter, month"));
    CHECK_THAT(e.what(), Catch::Contains("(area): 'victim': a priority area"));
}

TEST_CASE("unknown indicators and states are rejected", "[engine][import][errors]")
{
    const auto e = import_fixture_fails("unknown_refs");
    CHECK_THAT(e.what(), Catch::Contains("observations.csv:2:1 (indicator): 'NO_SUCH'"));
    CHECK_THAT(e.what(), Catch::Contains("observations.csv:3:2 (state): 'ATL': an ISO3 code from states.csv"));
}

// Foreign keys are off while an import writes (the importer checks every
// reference itself): each kind of reference must still be refused.
TEST_CASE("unknown references in every file are rejected by the importer", "[engine][import][errors]")
{
    const auto e = import_fixture_fails("unknown_refs_all");
    CHECK_THAT(e.what(), Catch::Contains("10 problems"));
    CHECK_THAT(e.what(), Catch::Contains("projects.csv:2:3 (provider): 'NOPE': a provider code from providers.csv"));
    CHECK_THAT(e.what(), Catch::Contains("projects.csv:2:7 (recipients): 'ATL': ISO3 codes from states.csv"));
    CHECK_THAT(e.what(), Catch::Contains("interventions.csv:2:2 (project): 'P99': a project code"));
    CHECK_THAT(e.what(), Catch::Contains("interventions.csv:2:5 (state): 'ATL': an ISO3 code"));
    CHECK_THAT(e.what(), Catch::Contains("indicators.csv:2:13 (project): 'P99': a project code"));
    CHECK_THAT(e.what(), Catch::Contains("targets.csv:2:1 (indicator): 'NO_SUCH': an indicator code"));
    CHECK_THAT(e.what(), Catch::Contains("targets.csv:3:2 (state): 'ATL': an ISO3 code"));
    CHECK_THAT(e.what(), Catch::Contains("links.csv:2:1 (from): 'I99': an intervention code"));
    CHECK_THAT(e.what(), Catch::Contains("links.csv:3:2 (to): 'I98': an intervention code"));
    CHECK_THAT(e.what(), Catch::Contains("links.csv:4:2 (to): 'MLA_HANDLED@ATL': INDICATOR@ISO3"));
}

TEST_CASE("after an import foreign keys are on again and what it stored passes SQLite's check",
          "[engine][import]")
{
    const auto path = fresh_db("foreign_keys");
    engine::storage::Database db(path);
    engine::import_bundle(db, {good_bundle});
    CHECK_THROWS_AS(import_fixture_into(db, "unknown_refs"), Error);
    SQLite::Database raw(path.string());
    SQLite::Statement check(raw, "PRAGMA foreign_key_check");
    CHECK_FALSE(check.executeStep());
    // The import's connection enforces foreign keys again, after a commit
    // and after a rollback alike.
    engine::storage::PortfolioStore store(db);
    CHECK_THROWS(store.put_observation(999, 999, "2021-Q1", "", 1.0, "", {1, 2}, false));
}

TEST_CASE("duplicate keys within a file name both lines", "[engine][import][errors]")
{
    CHECK_THAT(import_fixture_fails("dup_states").what(),
               Catch::Contains("states.csv:3: a duplicate key: the same key is on line 2"));
    CHECK_THAT(import_fixture_fails("dup_obs").what(),
               Catch::Contains("observations.csv:4: a duplicate key: the same key is on line 2"));
}

TEST_CASE("non-finite numbers are rejected", "[engine][import][errors]")
{
    const auto e = import_fixture_fails("nonfinite");
    CHECK_THAT(e.what(), Catch::Contains("3 problems"));
    CHECK_THAT(e.what(), Catch::Contains("'inf': a finite number") && Catch::Contains("'nan': a finite number") &&
                             Catch::Contains("'1e999': a finite number"));
}

TEST_CASE("a percent outside 0..100 is rejected", "[engine][import][errors]")
{
    const auto e = import_fixture_fails("percent_range");
    CHECK_THAT(e.what(), Catch::Contains("2 problems"));
    CHECK_THAT(e.what(), Catch::Contains(":2:4 (value): '100.5': a percent within 0..100"));
    CHECK_THAT(e.what(), Catch::Contains(":3:4 (value): '-1': a percent within 0..100"));
}

TEST_CASE("malformed CSV, wrong field counts and bad headers are rejected", "[engine][import][errors]")
{
    CHECK_THAT(import_fixture_fails("malformed").what(), Catch::Contains("observations.csv:2") &&
                                                             Catch::Contains("never closed"));
    const auto fields = import_fixture_fails("field_count");
    CHECK_THAT(fields.what(), Catch::Contains("observations.csv:2: 4 fields; the header has 5"));
    CHECK_THAT(fields.what(), Catch::Contains("observations.csv:3: 6 fields; the header has 5"));
    const auto header = import_fixture_fails("bad_header");
    CHECK_THAT(header.what(), Catch::Contains("observations.csv:1:3 (periodd): 'periodd': an unknown column"));
    CHECK_THAT(header.what(), Catch::Contains("a column 'period' (required)"));
}

TEST_CASE("every problem is counted, the first 50 shown", "[engine][import][errors]")
{
    const auto e = import_fixture_fails("many_problems");
    CHECK_THAT(e.what(), Catch::Contains("60 problems") && Catch::Contains("... and 10 more"));
    CHECK_THAT(e.what(), Catch::Contains("'bad49'"));
    CHECK_THAT(e.what(), !Catch::Contains("'bad50'"));
}

TEST_CASE("a changed file with stored keys conflicts unless replaced", "[engine][import][errors]")
{
    const auto e = import_fixture_fails("conflict");
    CHECK(e.code() == ErrorCode::conflict);
    CHECK_THAT(e.what(), Catch::Contains("observations.csv:3: already stored with other content (value: 11 stored, 99 "
                                         "here; source: (empty) stored, 'revised' here) from observations.csv line 3") &&
                             Catch::Contains("--replace"));

    engine::storage::Database db(fresh_db("replace"));
    engine::import_bundle(db, {good_bundle});
    engine::ImportOptions options;
    options.replace = true;
    const auto report = engine::import_bundle(db, {data_dir / "errors" / "conflict" / "observations.csv"}, options);
    CHECK(report.files[0].unchanged == 1);
    CHECK(report.files[0].replaced == 1);
    CHECK(report.files[0].inserted == 1);
    engine::storage::PortfolioStore store(db);
    bool found = false;
    for (const auto& o : store.observations())
        if (o.indicator == "MLA_HANDLED" && o.period == "2020-Q1") {
            CHECK(o.value == 99);
            CHECK(o.source == "revised");
            found = true;
        }
    CHECK(found);
}

TEST_CASE("a cycle among declared links is named", "[engine][import][errors]")
{
    const auto e = import_fixture_fails("cycle");
    CHECK_THAT(e.what(), Catch::Contains("form a cycle: I01 → I02 → I01"));
}

TEST_CASE("unknown file names and empty folders are usage errors", "[engine][import][errors]")
{
    engine::storage::Database db(fresh_db("usage"));
    try {
        engine::import_bundle(db, {data_dir / "csv"});
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::usage);
        CHECK_THAT(e.what(), Catch::Contains("no bundle files here"));
    }
    const auto odd = fs::temp_directory_path() / "taeval_import_test" / "budget.csv";
    std::ofstream(odd) << "a\n1\n";
    CHECK_THROWS_WITH(engine::import_bundle(db, {odd}), Catch::Contains("not a bundle file name"));
    CHECK(engine::storage::PortfolioStore(db).counts().batches == 0);
}

TEST_CASE("a failed import into an empty database leaves it empty", "[engine][import][errors]")
{
    engine::storage::Database db(fresh_db("empty_after"));
    const auto dir = fs::temp_directory_path() / "taeval_import_test" / "bad_bundle";
    fs::remove_all(dir);
    fs::copy(good_bundle, dir);
    fs::copy_file(data_dir / "errors" / "bad_types" / "observations.csv", dir / "observations.csv",
                  fs::copy_options::overwrite_existing);
    CHECK_THROWS_AS(engine::import_bundle(db, {dir}), Error);
    const auto counts = engine::storage::PortfolioStore(db).counts();
    CHECK(counts.states == 0);
    CHECK(counts.observations == 0);
    CHECK(counts.batches == 0);
}

TEST_CASE("breakdowns that add up to more than the total are rejected", "[engine][import][errors]")
{
    const auto e = import_fixture_fails("breakdown_excess");
    CHECK_THAT(e.what(), Catch::Contains("3 problems"));
    CHECK_THAT(e.what(), Catch::Contains("observations.csv:3 (breakdown): 'sex': breakdowns by sex for period "
                                         "2021-Q1 add up to 14, more than the total 12"));
    CHECK_THAT(e.what(), Catch::Contains("observations.csv:9:6 (breakdown): 'sex=female;sex=male': each dimension "
                                         "once"));
    CHECK_THAT(e.what(), Catch::Contains("observations.csv:10:6 (breakdown): 'female'"));
}

TEST_CASE("totals and breakdowns are kept apart, breakdowns in canonical form", "[engine][import]")
{
    engine::storage::Database db(fresh_db("breakdown"));
    engine::import_bundle(db, {good_bundle});
    const auto file = fs::temp_directory_path() / "taeval_import_test" / "observations.csv";
    std::ofstream(file) << "indicator,state,period,value,breakdown\n"
                           "MLA_HANDLED,KEN,2021-Q1,12,\n"
                           "MLA_HANDLED,KEN,2021-Q1,5, sex=female ; age_group=adult\n"
                           "MLA_HANDLED,KEN,2021-Q1,7,age_group=adult;sex=male\n";
    const auto report = engine::import_bundle(db, {file});
    CHECK(report.files[0].inserted == 3);
    std::vector<std::string> breakdowns;
    for (const auto& o : engine::storage::PortfolioStore(db).observations())
        if (o.period == "2021-Q1") breakdowns.push_back(o.breakdown);
    CHECK(breakdowns == std::vector<std::string>{"", "age_group=adult;sex=female", "age_group=adult;sex=male"});
}
