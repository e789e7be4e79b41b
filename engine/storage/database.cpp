#include "engine/storage/database.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <string>
#include <system_error>
#include <thread>

#include <fmt/format.h>

#include "engine/storage/connection.hpp"
#include "engine/storage/schema.hpp"

namespace taeval::engine::storage {

namespace {

// PRAGMA application_id of a taeval database: "TAEV" in ASCII. Files of
// other programs are refused rather than written into.
constexpr int taeval_application_id = 0x54414556;

bool is_busy(const SQLite::Exception& e)
{
    return e.getErrorCode() == SQLITE_BUSY || e.getErrorCode() == SQLITE_LOCKED;
}

Error busy_error(const std::string& path)
{
    return Error(ErrorCode::busy, path + ": the database is busy: another process is writing to it; "
                                         "retry when it has finished (exit status 4)");
}

// Waits for another writer's lock, telling the user once, up to the deadline.
// SQLite calls it each time a lock it needs is held; returning 0 gives up
// with SQLITE_BUSY.
int wait_for_lock(void* data, int count)
{
    auto& c = *static_cast<Database::Connection*>(data);
    const auto now = std::chrono::steady_clock::now();
    if (count == 0) {
        c.waiting_since = now;
        if (c.on_wait && c.wait.count() > 0)
            c.on_wait(fmt::format("{}: locked by another writer; waiting up to {:.1f} s", c.path,
                                  static_cast<double>(c.wait.count()) / 1000.0));
    }
    if (now - c.waiting_since >= c.wait) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(count < 10 ? 2 : 20));
    return 1;
}

// A path as an SQLite URI (file:...), for opening a read-only file immutable.
std::string uri_of(const std::filesystem::path& path)
{
    std::string uri = "file:";
    for (const char ch : std::filesystem::absolute(path).string()) {
        if (ch == '%' || ch == '?' || ch == '#')
            uri += fmt::format("%{:02X}", static_cast<unsigned char>(ch));
        else
            uri += ch;
    }
    return uri + "?immutable=1";
}

}  // namespace

int Database::current_version() noexcept { return static_cast<int>(migrations().size()); }

Database::Database(const std::filesystem::path& path, bool create)
    : Database(path, OpenOptions{create ? Access::create : Access::write, std::chrono::milliseconds{5000}, {}})
{
}

Database::Database(const std::filesystem::path& path, const OpenOptions& options) : m_path(path)
{
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    const bool exists = std::filesystem::exists(status);
    if (!exists && options.access != Access::create) {
        throw Error(ErrorCode::not_found,
                    path.string() + ": no such database; create it with `taeval init` or `taeval import`");
    }
    if (exists && !std::filesystem::is_regular_file(status))
        throw Error(ErrorCode::bad_input, path.string() + ": not a taeval database: not a regular file");
    // SQLite would open a file it cannot write read-only without a word, and
    // a WAL database also needs its folder writable (for the -wal and -shm
    // files): refuse a write up front, with the reason.
    if (exists && options.access != Access::read) {
        const auto folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
        if (::access(path.c_str(), W_OK) != 0 || ::access(folder.c_str(), W_OK) != 0) throw refuse_write();
    }
    if (exists && options.access == Access::read && std::filesystem::file_size(path, ec) == 0) {
        throw Error(ErrorCode::bad_input, path.string() + ": not a taeval database: the file is empty; "
                                                          "create one with `taeval init`");
    }
    try {
        open(options);
        check_is_taeval(options.access);
        if (options.access == Access::read) {
            const int have = version();
            if (have < current_version())
                throw Error(ErrorCode::bad_input,
                            fmt::format("{}: schema version {} is older than this taeval's ({}); run `taeval init` "
                                        "to migrate it (read commands never write)",
                                        path.string(), have, current_version()));
            if (have > current_version())
                throw Error(ErrorCode::conflict,
                            fmt::format("{}: the database has schema version {}, newer than this taeval (version "
                                        "{}) understands; use a newer taeval",
                                        path.string(), have, current_version()));
            return;
        }
        if (m_read_only) throw refuse_write();
        auto& db = m_connection->db;
        db.exec("PRAGMA foreign_keys = ON");
        // WAL lets readers work while an import runs; NORMAL sync is durable
        // across application crashes in WAL mode and much faster for imports.
        db.exec("PRAGMA journal_mode = WAL");
        db.exec("PRAGMA synchronous = NORMAL");
        db.exec("PRAGMA cache_size = -65536");
        migrate();
    } catch (const SQLite::Exception& e) {
        if (is_busy(e)) throw busy_error(path.string());
        throw Error(ErrorCode::bad_input, path.string() + ": cannot open as a taeval database: " + e.what());
    }
}

void Database::open(const OpenOptions& options)
{
    const bool read = options.access == Access::read;
    const int flags = read ? SQLite::OPEN_READONLY
                           : SQLite::OPEN_READWRITE | (options.access == Access::create ? SQLite::OPEN_CREATE : 0);
    m_connection = std::make_unique<Connection>(m_path.string(), flags);
    m_connection->wait = options.wait;
    m_connection->on_wait = options.on_wait;
    m_connection->path = m_path.string();
    sqlite3_busy_handler(m_connection->db.getHandle(), wait_for_lock, m_connection.get());
    if (!read) {
        m_read_only = sqlite3_db_readonly(m_connection->db.getHandle(), "main") == 1;
        return;
    }
    m_read_only = true;
    // A WAL database needs its -shm file to be read; where it is absent and
    // cannot be created, or cannot be written (a read-only folder or file),
    // the file is read as immutable: no writer is expected there, and a read
    // command must not fail for want of write access.
    try {
        (void)m_connection->db.execAndGet("PRAGMA user_version");
    } catch (const SQLite::Exception& e) {
        // SQLITE_CANTOPEN, or SQLITE_READONLY_CANTINIT and its kin when the
        // -shm file exists but cannot be written.
        if (e.getErrorCode() != SQLITE_CANTOPEN && e.getErrorCode() != SQLITE_READONLY) throw;
        m_connection = std::make_unique<Connection>(uri_of(m_path), SQLite::OPEN_READONLY | SQLite::OPEN_URI);
        m_connection->path = m_path.string();
    }
}

void Database::check_is_taeval(Access access)
{
    auto& db = m_connection->db;
    // One statement, one snapshot: another process may be creating this
    // database right now (migrate() commits the tables, the version and the
    // id together), and three separate reads could see the id from before
    // its commit and the tables from after it.
    SQLite::Statement header(db, "SELECT (SELECT application_id FROM pragma_application_id), "
                                 "(SELECT user_version FROM pragma_user_version), "
                                 "(SELECT COUNT(*) FROM sqlite_master WHERE type = 'table')");
    header.executeStep();
    const int app = header.getColumn(0).getInt();
    if (app == taeval_application_id) return;
    const int have = header.getColumn(1).getInt();
    const auto tables = header.getColumn(2).getInt64();
    if (app == 0 && have == 0 && tables == 0) {
        if (access != Access::read) return;  // a new database: migrate() creates the schema
        throw Error(ErrorCode::bad_input, m_path.string() + ": not a taeval database: it holds no tables; "
                                                            "create one with `taeval init`");
    }
    // Databases written before the application id was set: taeval's tables
    // at a schema version taeval wrote.
    const bool legacy =
        app == 0 && have >= 1 &&
        db.execAndGet("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND "
                      "name IN ('import_batches', 'states', 'observations')")
                .getInt() == 3;
    if (legacy) return;
    throw Error(ErrorCode::bad_input,
                fmt::format("{}: not a taeval database (application id {}, schema version {}, {} tables); taeval "
                            "does not write into other programs' files: name another --db",
                            m_path.string(), app, have, tables));
}

Error Database::refuse_write() const
{
    return Error(ErrorCode::bad_input,
                 m_path.string() + ": cannot write: the database is read-only (the file, or its folder, is not "
                                   "writable by this user); read commands (list, score, effects, graph) still work");
}

Database::~Database() = default;

int Database::version() const { return m_connection->db.execAndGet("PRAGMA user_version").getInt(); }

void Database::migrate()
{
    // Read the version again under the write lock: two processes creating
    // the same new database both get here, and the second must find the
    // first one's schema rather than create it again.
    if (version() == current_version() &&
        m_connection->db.execAndGet("PRAGMA application_id").getInt() == taeval_application_id)
        return;
    auto& db = m_connection->db;
    db.exec("BEGIN IMMEDIATE");
    try {
        const int have = version();
        const int want = current_version();
        if (have > want) {
            throw Error(ErrorCode::conflict, m_path.string() + ": the database has schema version " +
                                                 std::to_string(have) + ", newer than this taeval (version " +
                                                 std::to_string(want) + ") understands; use a newer taeval");
        }
        const auto steps = migrations();
        for (int v = have; v < want; ++v) db.exec(std::string(steps[static_cast<std::size_t>(v)]));
        db.exec("PRAGMA user_version = " + std::to_string(want));
        db.exec("PRAGMA application_id = " + std::to_string(taeval_application_id));
        db.exec("COMMIT");
    } catch (...) {
        try {
            db.exec("ROLLBACK");
        } catch (...) {  // NOLINT(bugprone-empty-catch): the first error is the one to report
        }
        throw;
    }
}

Database::Transaction::Transaction(Database& db, References references) : m_db(db), m_references(references)
{
    if (m_db.read_only()) throw m_db.refuse_write();
    auto& c = m_db.connection().db;
    if (m_references == References::by_caller) c.exec("PRAGMA foreign_keys = OFF");
    try {
        c.exec("BEGIN IMMEDIATE");
    } catch (const SQLite::Exception& e) {
        restore_foreign_keys();
        if (is_busy(e)) throw busy_error(m_db.path().string());
        throw;
    } catch (...) {
        restore_foreign_keys();
        throw;
    }
}

Database::Transaction::~Transaction()
{
    if (!m_done) {
        try {
            m_db.connection().db.exec("ROLLBACK");
        } catch (...) {  // NOLINT(bugprone-empty-catch): a destructor must not throw
        }
        restore_foreign_keys();
    }
}

void Database::Transaction::commit()
{
    try {
        m_db.connection().db.exec("COMMIT");
    } catch (const SQLite::Exception& e) {
        if (is_busy(e)) throw busy_error(m_db.path().string());
        throw;
    }
    m_done = true;
    restore_foreign_keys();
}

void Database::Transaction::restore_foreign_keys() noexcept
{
    if (m_references != References::by_caller) return;
    try {
        m_db.connection().db.exec("PRAGMA foreign_keys = ON");
    } catch (...) {  // NOLINT(bugprone-empty-catch): only reachable when the connection is unusable anyway
    }
}

std::optional<Error> storage_error(const std::exception& e, const std::filesystem::path& database)
{
    const auto* sqlite = dynamic_cast<const SQLite::Exception*>(&e);
    if (sqlite == nullptr) return std::nullopt;
    const std::string path = database.string();
    switch (sqlite->getErrorCode()) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return busy_error(path);
    case SQLITE_READONLY:
        return Error(ErrorCode::bad_input, path + ": cannot write: the database is read-only (" +
                                               std::string(sqlite->what()) + ")");
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        return Error(ErrorCode::bad_input, path + ": not a taeval database, or damaged: " + sqlite->what());
    case SQLITE_FULL: return Error(ErrorCode::internal, path + ": the disk is full: " + sqlite->what());
    default: return std::nullopt;
    }
}

}  // namespace taeval::engine::storage
