#pragma once
// The taeval database: one SQLite file in WAL mode with foreign keys on, its
// schema under versioned migrations (PRAGMA user_version).
#include <filesystem>
#include <memory>

namespace taeval::engine::storage {

/// An open database. Opening a file of an older schema migrates it; a newer
/// one is refused. Throws taeval::Error: conflict for a newer schema,
/// bad_input when the file is not a database or cannot be opened.
class Database {
public:
    /// Opens `path`, creating it when `create` is true (otherwise a missing
    /// file is an error that says to run `taeval init`).
    explicit Database(const std::filesystem::path& path, bool create = true);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    /// The schema version this build writes.
    [[nodiscard]] static int current_version() noexcept;
    /// The schema version of the open file.
    [[nodiscard]] int version() const;
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return m_path; }

    /// Who checks the references (foreign keys) written in a transaction.
    enum class References {
        by_database,  ///< SQLite checks every foreign key as each row is written
        by_caller,    ///< the caller has checked every reference it writes (the importer, against the
                      ///< rows it validated); SQLite's checks are off until the transaction ends
    };

    /// A transaction that rolls back unless committed. With
    /// References::by_caller, foreign keys are off from before BEGIN (SQLite
    /// ignores the pragma inside a transaction) and on again once it ends,
    /// committed or rolled back.
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
    void migrate();

    std::filesystem::path m_path;
    std::unique_ptr<Connection> m_connection;
};

}  // namespace taeval::engine::storage
