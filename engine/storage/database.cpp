#include "engine/storage/database.hpp"

#include <string>

#include "engine/storage/connection.hpp"
#include "engine/storage/schema.hpp"
#include "models/error.hpp"

namespace taeval::engine::storage {

int Database::current_version() noexcept { return static_cast<int>(migrations().size()); }

Database::Database(const std::filesystem::path& path, bool create) : m_path(path)
{
    if (!create && !std::filesystem::exists(path)) {
        throw Error(ErrorCode::not_found,
                    path.string() + ": no such database; create it with `taeval init` or `taeval import`");
    }
    try {
        const int flags = SQLite::OPEN_READWRITE | (create ? SQLite::OPEN_CREATE : 0);
        m_connection = std::make_unique<Connection>(path, flags);
        auto& db = m_connection->db;
        db.setBusyTimeout(5000);
        db.exec("PRAGMA foreign_keys = ON");
        // WAL lets readers work while an import runs; NORMAL sync is durable
        // across application crashes in WAL mode and much faster for imports.
        db.exec("PRAGMA journal_mode = WAL");
        db.exec("PRAGMA synchronous = NORMAL");
        db.exec("PRAGMA cache_size = -65536");
        migrate();
    } catch (const SQLite::Exception& e) {
        throw Error(ErrorCode::bad_input, path.string() + ": cannot open as a taeval database: " + e.what());
    }
}

Database::~Database() = default;

int Database::version() const { return m_connection->db.execAndGet("PRAGMA user_version").getInt(); }

void Database::migrate()
{
    const int have = version();
    const int want = current_version();
    if (have > want) {
        throw Error(ErrorCode::conflict, m_path.string() + ": the database has schema version " +
                                             std::to_string(have) + ", newer than this taeval (version " +
                                             std::to_string(want) + ") understands; use a newer taeval");
    }
    if (have == want) return;
    auto& db = m_connection->db;
    SQLite::Transaction tx(db);
    const auto steps = migrations();
    for (int v = have; v < want; ++v) db.exec(std::string(steps[static_cast<std::size_t>(v)]));
    db.exec("PRAGMA user_version = " + std::to_string(want));
    tx.commit();
}

Database::Transaction::Transaction(Database& db, References references) : m_db(db), m_references(references)
{
    auto& c = m_db.connection().db;
    if (m_references == References::by_caller) c.exec("PRAGMA foreign_keys = OFF");
    try {
        c.exec("BEGIN IMMEDIATE");
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
    m_db.connection().db.exec("COMMIT");
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

}  // namespace taeval::engine::storage
