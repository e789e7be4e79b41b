// Bad input that must be refused whole: a conflict hidden by commas, text that
// is not UTF-8, NUL bytes, periods and dates outside 1950-2100, a file named twice, symbolic link loops, dangling
// links, FIFOs. Each is refused with bad_input (or conflict), a message naming
// the place, and the database unchanged.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/import/importer.hpp"
#include "engine/storage/database.hpp"
#include "engine/storage/portfolio_store.hpp"
#include "models/error.hpp"
#include "support/database_dump.hpp"

using namespace taeval;
namespace fs = std::filesystem;

namespace {

const fs::path good_bundle = fs::path(TAEVAL_TEST_DATA) / "bundle_ok";

fs::path fresh_dir(const std::string& name)
{
    const auto dir = fs::temp_directory_path() / "taeval_bad_input_test" / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

void write_file(const fs::path& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

// Imports `inputs` into a database that holds the good bundle; expects it to
// fail with `code`, leaves the database as it was, and returns the message.
std::string refused(const fs::path& dir, const std::vector<fs::path>& inputs, ErrorCode code)
{
    const auto db_path = dir / "t.db";
    {
        engine::storage::Database db(db_path);
        (void)engine::import_bundle(db, {good_bundle});
    }
    const auto before = taeval::test::dump_rows(db_path);
    std::string message;
    {
        engine::storage::Database db(db_path);
        try {
            (void)engine::import_bundle(db, inputs);
            FAIL("the import was accepted");
        } catch (const Error& e) {
            CHECK(e.code() == code);
            message = e.what();
        }
    }
    CHECK(taeval::test::dump_rows(db_path) == before);
    return message;
}

}  // namespace

TEST_CASE("A re-import whose fields differ only in where the commas fall is a conflict", "[import][bad_input]")
{
    const auto dir = fresh_dir("commas");
    fs::create_directories(dir / "first");
    fs::create_directories(dir / "second");
    write_file(dir / "first" / "states.csv", "iso3,name,region\nAAA,\"X, Y\",Z\n");
    write_file(dir / "second" / "states.csv", "iso3,name,region\nAAA,X,\"Y, Z\"\n");
    const auto db_path = dir / "t.db";
    {
        engine::storage::Database db(db_path);
        (void)engine::import_bundle(db, {dir / "first"});
    }
    const auto before = taeval::test::dump_rows(db_path);
    engine::storage::Database db(db_path);
    try {
        (void)engine::import_bundle(db, {dir / "second"});
        FAIL("the conflicting row was accepted");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::conflict);
        const std::string message = e.what();
        CHECK_THAT(message, Catch::Contains("states.csv:2"));
        CHECK_THAT(message, Catch::Contains("name: 'X, Y' stored, 'X' here"));
        CHECK_THAT(message, Catch::Contains("region: 'Z' stored, 'Y, Z' here"));
        CHECK_THAT(message, Catch::Contains("--replace"));
    }
    CHECK(taeval::test::dump_rows(db_path) == before);

    SECTION("and --replace takes the new values")
    {
        engine::ImportOptions replace;
        replace.replace = true;
        const auto report = engine::import_bundle(db, {dir / "second"}, replace);
        CHECK(report.files.at(0).replaced == 1);
        const auto states = engine::storage::PortfolioStore(db).states();
        REQUIRE(states.size() == 1);
        CHECK(states[0].name == "X");
        CHECK(states[0].region == "Y, Z");
    }
}

TEST_CASE("An observation already stored with another value is a conflict, not a new row", "[import][bad_input]")
{
    const auto dir = fresh_dir("stored_key");
    // A file of its own (no duplicate inside it) that repeats a stored key.
    write_file(dir / "observations.csv",
               "indicator,state,period,value,source\nMLA_HANDLED,KEN,2019-Q4,99,questionnaire\n");
    const auto message = refused(dir, {dir / "observations.csv"}, ErrorCode::conflict);
    CHECK_THAT(message, Catch::Contains("observations.csv:2"));
    CHECK_THAT(message, Catch::Contains("value: 10 stored, 99 here"));
}

TEST_CASE("Periods and dates outside 1950-2100 are refused with their place", "[import][bad_input]")
{
    const auto dir = fresh_dir("years");
    // 9999 for "unknown" and a mistyped year: each would stretch the
    // series' grid (and the default as-of date) to it.
    write_file(dir / "observations.csv", "indicator,state,period,value,source\n"
                                         "MLA_HANDLED,KEN,9999-Q4,12,questionnaire\n"
                                         "MLA_HANDLED,KEN,1949-Q1,12,questionnaire\n"
                                         "MLA_HANDLED,KEN,2100-Q4,12,questionnaire\n");
    write_file(dir / "targets.csv", "indicator,state,kind,date,value\nMLA_HANDLED,KEN,target,2202-12-31,40\n");
    const auto message = refused(dir, {dir / "observations.csv", dir / "targets.csv"}, ErrorCode::bad_input);
    CHECK_THAT(message, Catch::Contains("observations.csv:2:3 (period)"));
    CHECK_THAT(message, Catch::Contains("'9999-Q4'"));
    CHECK_THAT(message, Catch::Contains("a period from 1950 to 2100"));
    CHECK_THAT(message, Catch::Contains("observations.csv:3:3 (period)"));
    CHECK_THAT(message, Catch::Contains("targets.csv:2:4 (date)"));
    CHECK_THAT(message, Catch::Contains("a date from 1950-01-01 to 2100-12-31"));
    // 2100-Q4 is within the range: three problems, not four.
    CHECK_THAT(message, Catch::Contains("3 problems found"));
}

TEST_CASE("Text that is not UTF-8 is refused with its byte offset and a hint", "[import][bad_input]")
{
    const auto dir = fresh_dir("latin1");
    // "Côte d'Ivoire" as a spreadsheet saves it in Windows-1252: 0xF4.
    write_file(dir / "states.csv", "iso3,name,region\nCIV,C\xF4te d'Ivoire,Africa\nGHA,Ghana,Africa\n");
    const auto message = refused(dir, {dir / "states.csv"}, ErrorCode::bad_input);
    CHECK_THAT(message, Catch::Contains("states.csv:2:2 (name)"));
    CHECK_THAT(message, Catch::Contains("'C\\xF4te d'Ivoire'"));
    CHECK_THAT(message, Catch::Contains("byte 0xF4 at byte offset 22 of the file is not UTF-8"));
    CHECK_THAT(message, Catch::Contains("Latin-1 or Windows-1252"));
    CHECK_THAT(message, Catch::Contains("save it as CSV UTF-8"));
    CHECK_THAT(message, Catch::Contains("1 problem found"));
}

TEST_CASE("A NUL byte is refused, in any column, after a byte-order mark too", "[import][bad_input]")
{
    const auto dir = fresh_dir("nul");
    write_file(dir / "states.csv", std::string("\xEF\xBB\xBFiso3,name,region\nAAA,Alpha,Re") +
                                       std::string(1, '\0') + "gion\n");
    const auto message = refused(dir, {dir / "states.csv"}, ErrorCode::bad_input);
    CHECK_THAT(message, Catch::Contains("states.csv:2:3 (region)"));
    CHECK_THAT(message, Catch::Contains("a NUL byte at byte offset 32"));
}

TEST_CASE("A header that is not UTF-8 is refused naming the file", "[import][bad_input]")
{
    const auto dir = fresh_dir("bad_header");
    write_file(dir / "states.csv", "iso3,n\xE4me,region\nAAA,Alpha,Africa\n");
    const auto message = refused(dir, {dir / "states.csv"}, ErrorCode::bad_input);
    CHECK_THAT(message, Catch::Contains("states.csv:1:2: the header is not text"));
}

TEST_CASE("A bundle file named twice is refused, not silently dropped", "[import][bad_input]")
{
    const auto dir = fresh_dir("twice");
    fs::create_directories(dir / "a");
    fs::create_directories(dir / "b");
    write_file(dir / "a" / "states.csv", "iso3,name,region\nAAA,Alpha,Africa\n");
    write_file(dir / "b" / "states.csv", "iso3,name,region\nBBB,Beta,Africa\n");
    const auto message = refused(dir, {dir / "a" / "states.csv", dir / "b" / "states.csv"}, ErrorCode::bad_input);
    CHECK_THAT(message, Catch::Contains("states.csv is named twice"));
    CHECK_THAT(message, Catch::Contains((dir / "a" / "states.csv").string()));

    SECTION("also when a folder and a file in it are both named")
    {
        const auto again = refused(dir, {dir / "a", dir / "a" / "states.csv"}, ErrorCode::bad_input);
        CHECK_THAT(again, Catch::Contains("named twice"));
    }
}

TEST_CASE("Symbolic link loops, dangling links and FIFOs are refused without hanging", "[import][bad_input]")
{
    const auto dir = fresh_dir("special");
    fs::create_directories(dir / "bundle");
    SECTION("a symbolic link loop")
    {
        fs::create_symlink(dir / "bundle" / "loop_b", dir / "bundle" / "states.csv");
        fs::create_symlink(dir / "bundle" / "states.csv", dir / "bundle" / "loop_b");
        const auto message = refused(dir, {dir / "bundle" / "states.csv"}, ErrorCode::bad_input);
        CHECK_THAT(message, Catch::Contains("states.csv: a symbolic link loop"));
    }
    SECTION("a dangling symbolic link in a folder is reported, not skipped")
    {
        fs::create_symlink(dir / "nowhere.csv", dir / "bundle" / "providers.csv");
        write_file(dir / "bundle" / "states.csv", "iso3,name,region\nAAA,Alpha,Africa\n");
        const auto message = refused(dir, {dir / "bundle"}, ErrorCode::bad_input);
        CHECK_THAT(message, Catch::Contains("providers.csv: a symbolic link to a missing file"));
        CHECK_THAT(message, Catch::Contains("nowhere.csv"));
    }
    SECTION("a FIFO")
    {
        REQUIRE(::mkfifo((dir / "bundle" / "states.csv").c_str(), 0600) == 0);
        const auto message = refused(dir, {dir / "bundle"}, ErrorCode::bad_input);
        CHECK_THAT(message, Catch::Contains("not a regular file but a FIFO"));
    }
    SECTION("every problem at once")
    {
        REQUIRE(::mkfifo((dir / "bundle" / "states.csv").c_str(), 0600) == 0);
        fs::create_symlink(dir / "nowhere.csv", dir / "bundle" / "providers.csv");
        const auto message = refused(dir, {dir / "bundle"}, ErrorCode::bad_input);
        CHECK_THAT(message, Catch::Contains("2 problems with the files named"));
    }
}

TEST_CASE("Re-importing a file whose keys are stored with the same values changes nothing", "[import]")
{
    const auto dir = fresh_dir("same_values");
    const auto db_path = dir / "t.db";
    engine::storage::Database db(db_path);
    (void)engine::import_bundle(db, {good_bundle});
    // A row of the good bundle's states.csv, in another file.
    write_file(dir / "states.csv", "iso3,name,region\nKEN,Kenya,Africa\n");
    const auto report = engine::import_bundle(db, {dir / "states.csv"});
    CHECK(report.files.at(0).unchanged == 1);
    CHECK(report.files.at(0).inserted == 0);
}

TEST_CASE("Bad roll-ups in targets.csv are refused with their place and what was expected", "[import][bad_input]")
{
    const auto dir = fresh_dir("rollups");
    // Regions of bundle_ok: Africa, Americas. MLA_HANDLED's area is
    // international_cooperation.
    write_file(dir / "targets.csv", "indicator,state,kind,date,value,rollup\n"
                                    "MLA_HANDLED,,target,2023-12-31,100,region:Africa\n"
                                    "MLA_HANDLED,,target,2023-12-31,100,region:Atlantis\n"
                                    "MLA_HANDLED,,target,2024-12-31,100,area:firearms\n"
                                    "MLA_HANDLED,,target,2024-12-31,100,continent:Africa\n"
                                    "MLA_HANDLED,KEN,target,2025-12-31,100,all\n"
                                    "MLA_HANDLED,,target,2025-12-31,100,ALL\n");
    const auto message = refused(dir, {dir / "targets.csv"}, ErrorCode::bad_input);
    CHECK_THAT(message, Catch::Contains("5 problems found"));
    CHECK_THAT(message, Catch::Contains("targets.csv:3:6 (rollup): 'region:Atlantis': region:NAME with a region of "
                                        "states.csv (Africa, Americas)"));
    CHECK_THAT(message, Catch::Contains("targets.csv:4:6 (rollup): 'area:firearms': area:international_cooperation, "
                                        "the priority area of MLA_HANDLED"));
    CHECK_THAT(message, Catch::Contains("targets.csv:5:6 (rollup): 'continent:Africa': region:NAME, area:CODE or all"));
    CHECK_THAT(message, Catch::Contains("targets.csv:6:6 (rollup): 'all': empty when a state is given"));
    CHECK_THAT(message, Catch::Contains("targets.csv:7:6 (rollup): 'ALL'"));
}

TEST_CASE("A roll-up's target is its own row beside the all-states target of the same date", "[import]")
{
    const auto dir = fresh_dir("rollup_rows");
    engine::storage::Database db(dir / "t.db");
    (void)engine::import_bundle(db, {good_bundle});
    // MLA_DAYS has an all-states target due 2023-12-31 (90).
    write_file(dir / "targets.csv", "indicator,state,kind,date,value,rollup\n"
                                    "MLA_DAYS,,target,2023-12-31,120,region:Africa\n"
                                    "MLA_DAYS,,target,2023-12-31,100,area:international_cooperation\n"
                                    "MLA_DAYS,,target,2023-12-31,110,all\n"
                                    "MLA_DAYS,,target,2023-12-31,90,\n");
    (void)engine::import_bundle(db, {dir / "targets.csv"});
    engine::storage::PortfolioStore store(db);
    std::vector<std::pair<std::string, double>> days;
    for (const auto& t : store.targets())
        if (t.indicator == "MLA_DAYS" && t.kind == "target") days.emplace_back(t.rollup, t.value);
    std::sort(days.begin(), days.end());
    CHECK(days == std::vector<std::pair<std::string, double>>{
                      {"", 90}, {"all", 110}, {"area:international_cooperation", 100}, {"region:Africa", 120}});
    // Another value for a stored roll-up's key is a conflict like any other.
    fs::create_directories(dir / "again");
    write_file(dir / "again" / "targets.csv",
               "indicator,kind,date,value,rollup\nMLA_DAYS,target,2023-12-31,125,region:Africa\n");
    CHECK_THROWS_WITH(engine::import_bundle(db, {dir / "again" / "targets.csv"}),
                      Catch::Contains("value: 120 stored, 125 here"));
}
