#pragma once
// The taeval database: one SQLite file in WAL mode with foreign keys on, its
// schema under versioned migrations (PRAGMA user_version), marked as taeval's
// by PRAGMA application_id.
#include <chrono>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "models/error.hpp"

namespace taeval::engine::storage {

/// What a command does with the database file.
enum class Access {
    read,    ///< read only: the file must be a taeval database of this schema; nothing is ever written,
             ///< so a read-only file, or one on a read-only disk, can be read
    write,   ///< read and write an existing database, migrating an older schema
    create,  ///< as write, creating the file (or filling a zero-byte one) when there is none
};

/// How to open a database.
struct OpenOptions {
    Access access = Access::write;
    /// How long a write waits for another writer's lock before it gives up
    /// with ErrorCode::busy.
    std::chrono::milliseconds wait{5000};
    /// Told once, with a sentence for a person, when a write starts waiting
    /// for another writer's lock.
    std::function<void(const std::string&)> on_wait;
};

/// An open database. Throws taeval::Error: not_found for a missing file
/// (unless created), bad_input for a file that is not a taeval database, a
/// read on an older schema (run `taeval init`) or a write to a read-only
/// file, conflict for a newer schema, busy when another writer holds the lock
/// for longer than the wait.
class Database {
public:
    Database(const std::filesystem::path& path, const OpenOptions& options);
    /// Opens for writing, creating the file when `create` is true.
    explicit Database(const std::filesystem::path& path, bool create = true);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    /// The schema version this build writes.
    [[nodiscard]] static int current_version() noexcept;
    /// The schema version of the open file.
    [[nodiscard]] int version() const;
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return m_path; }
    [[nodiscard]] bool read_only() const noexcept { return m_read_only; }

    /// Who checks the references (foreign keys) written in a transaction.
    enum class References {
        by_database,  ///< SQLite checks every foreign key as each row is written
        by_caller,    ///< the caller has checked every reference it writes (the importer, against the
                      ///< rows it validated); SQLite's checks are off until the transaction ends
    };

    /// A write transaction that rolls back unless committed. It takes the
    /// write lock at once (BEGIN IMMEDIATE), waiting as OpenOptions says.
    /// With References::by_caller, foreign keys are off from before BEGIN
    /// (SQLite ignores the pragma inside a transaction) and on again once it
    /// ends, committed or rolled back. Throws bad_input on a read-only
    /// database, busy when the lock cannot be had.
    class Transaction {
    public:
        explicit Transaction(Database& db, References references = References::by_database);
        ~Transaction();
        Transaction(const Transaction&) = delete;
        Transaction& operator=(const Transaction&) = delete;
        void commit();

    private:
        void restore_foreign_keys() noexcept;

        Database& m_db;
        References m_references;
        bool m_done = false;
    };

    /// The connection, defined in engine/storage/connection.hpp, which only
    /// engine/storage's sources include: no SQLite type leaves storage.
    struct Connection;
    [[nodiscard]] Connection& connection() noexcept { return *m_connection; }

private:
    void open(const OpenOptions& options);
    void check_is_taeval(Access access);
    void migrate();
    [[nodiscard]] Error refuse_write() const;

    std::filesystem::path m_path;
    std::unique_ptr<Connection> m_connection;
    bool m_read_only = false;
};

/// A storage failure that escaped as a foreign exception (SQLite's), as the
/// taeval::Error a person should see: busy for a lock held too long,
/// bad_input for a read-only or damaged file; nothing for other exceptions.
[[nodiscard]] std::optional<Error> storage_error(const std::exception& e, const std::filesystem::path& database);

}  // namespace taeval::engine::storage
