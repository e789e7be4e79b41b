#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <fstream>

#include "engine/storage/database.hpp"
#include "engine/storage/portfolio_store.hpp"
#include "engine/storage/schema.hpp"
#include "models/error.hpp"

using namespace taeval;
namespace fs = std::filesystem;

namespace {
fs::path fresh(const std::string& name)
{
    const auto dir = fs::temp_directory_path() / "taeval_db_test";
    fs::create_directories(dir);
    const auto p = dir / name;
    fs::remove(p);
    fs::remove(p.string() + "-wal");
    fs::remove(p.string() + "-shm");
    return p;
}
}  // namespace

TEST_CASE("a new database gets the current schema, WAL and foreign keys", "[engine][storage]")
{
    const auto path = fresh("new.db");
    engine::storage::Database db(path);
    CHECK(db.version() == engine::storage::Database::current_version());
    SQLite::Database raw(path.string());
    CHECK(raw.execAndGet("PRAGMA journal_mode").getString() == "wal");
    CHECK(raw.tableExists("observations"));
    CHECK(raw.tableExists("import_batches"));
}

TEST_CASE("an older database is migrated on open", "[engine][storage]")
{
    const auto path = fresh("old.db");
    {
        SQLite::Database raw(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        raw.exec("PRAGMA user_version = 0");
    }
    engine::storage::Database db(path);
    CHECK(db.version() == engine::storage::Database::current_version());
}

TEST_CASE("a newer database is refused with a clear message", "[engine][storage]")
{
    const auto path = fresh("newer.db");
    {
        SQLite::Database raw(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        // What a newer taeval writes: its application id, a later schema.
        raw.exec("PRAGMA application_id = 1413563734");
        raw.exec("PRAGMA user_version = 99");
    }
    try {
        engine::storage::Database db(path);
        FAIL("expected refusal");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::conflict);
        CHECK_THAT(e.what(), Catch::Contains("schema version 99") && Catch::Contains("newer"));
    }
}

TEST_CASE("a file that is not a database is reported", "[engine][storage]")
{
    const auto path = fresh("text.db");
    std::ofstream(path) << "this is not sqlite, just text that is long enough to fill a header......"
                        << std::string(200, 'x');
    CHECK_THROWS_AS(engine::storage::Database(path), Error);
    CHECK_THROWS_WITH(engine::storage::Database(fresh("missing.db"), false), Catch::Contains("taeval init"));
}

TEST_CASE("a transaction that is not committed rolls back", "[engine][storage]")
{
    engine::storage::Database db(fresh("tx.db"));
    engine::storage::PortfolioStore store(db);
    {
        engine::storage::Database::Transaction tx(db);
        (void)store.add_batch({0, "states.csv", "x/states.csv", "abc", 1, "2026-01-01T00:00:00Z"});
        CHECK(store.counts().batches == 1);
    }
    CHECK(store.counts().batches == 0);
    {
        engine::storage::Database::Transaction tx(db);
        (void)store.add_batch({0, "states.csv", "x/states.csv", "abc", 1, "2026-01-01T00:00:00Z"});
        tx.commit();
    }
    CHECK(store.counts().batches == 1);
}

TEST_CASE("a transaction whose caller checks references has foreign keys off only while it is open",
          "[engine][storage]")
{
    using References = engine::storage::Database::References;
    engine::storage::Database db(fresh("fk.db"));
    engine::storage::PortfolioStore store(db);
    // Indicator 999 and state 999 do not exist.
    auto orphan = [&](const char* period) { return store.put_observation(999, 999, period, "", 1.0, "", {1, 2}, false); };
    {
        engine::storage::Database::Transaction tx(db);
        CHECK_THROWS(orphan("2021-01"));
    }
    {
        engine::storage::Database::Transaction tx(db, References::by_caller);
        CHECK_NOTHROW(orphan("2021-02"));
    }
    CHECK(store.counts().observations == 0);
    CHECK_THROWS(orphan("2021-03"));  // on again after a rollback
    {
        engine::storage::Database::Transaction tx(db, References::by_caller);
        CHECK_NOTHROW(orphan("2021-04"));
        tx.commit();
    }
    CHECK(store.counts().observations == 1);
    CHECK_THROWS(orphan("2021-05"));  // and after a commit
}

TEST_CASE("a version 1 database is migrated to the current schema, keeping its data", "[engine][storage]")
{
    const auto path = fresh("v1.db");
    {
        SQLite::Database raw(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        raw.exec(std::string(engine::storage::migrations()[0]));
        raw.exec("INSERT INTO import_batches(file, path, sha256, rows, imported_at) VALUES ('states.csv', 's', 'x', 1, 't')");
        raw.exec("INSERT INTO states(iso3, name, region, batch_id, line) VALUES ('KEN', 'Kenya', 'Africa', 1, 2)");
        raw.exec("PRAGMA user_version = 1");
    }
    engine::storage::Database db(path);
    CHECK(db.version() == engine::storage::Database::current_version());
    CHECK(engine::storage::Database::current_version() >= 2);
    engine::storage::PortfolioStore store(db);
    CHECK(store.states().size() == 1);
    SQLite::Database raw(path.string());
    CHECK(raw.tableExists("runs"));
    CHECK(raw.tableExists("effects"));
}

TEST_CASE("a version 3 database gains the roll-up of targets, its targets kept as state targets", "[engine][storage]")
{
    const auto path = fresh("v3.db");
    {
        SQLite::Database raw(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        for (std::size_t i = 0; i < 3; ++i) raw.exec(std::string(engine::storage::migrations()[i]));
        raw.exec("INSERT INTO import_batches(file, path, sha256, rows, imported_at) VALUES ('t', 't', 'x', 1, 't')");
        raw.exec("INSERT INTO indicators(code, name, level, measure, direction, unit, frequency, area, aggregation, "
                 "batch_id, line) VALUES ('I', 'I', 'outcome', 'count', 'up', 'n', 'year', 'victims', 'sum', 1, 2)");
        raw.exec("INSERT INTO targets(indicator_id, state_id, kind, date, value, batch_id, line) "
                 "VALUES (1, NULL, 'target', '2025-12-31', 7, 1, 2)");
        raw.exec("PRAGMA user_version = 3");
    }
    engine::storage::Database db(path);
    CHECK(db.version() == engine::storage::Database::current_version());
    engine::storage::PortfolioStore store(db);
    const auto targets = store.targets();
    REQUIRE(targets.size() == 1);
    CHECK(targets[0].rollup.empty());
    CHECK(targets[0].value == 7);
    // The roll-up is part of the key: the same date for the whole group is another row.
    SQLite::Database raw(path.string(), SQLite::OPEN_READWRITE);
    CHECK_NOTHROW(raw.exec("INSERT INTO targets(indicator_id, state_id, rollup, kind, date, value, batch_id, line) "
                           "VALUES (1, NULL, 'all', 'target', '2025-12-31', 70, 1, 3)"));
    CHECK_THROWS(raw.exec("INSERT INTO targets(indicator_id, state_id, rollup, kind, date, value, batch_id, line) "
                          "VALUES (1, NULL, 'all', 'target', '2025-12-31', 71, 1, 4)"));
}
