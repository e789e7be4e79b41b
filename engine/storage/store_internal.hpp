#pragma once
// Internal to engine/storage: what the table files of PortfolioStore share.
// Each table's file maps its record to and from SQL; the rule for a key that
// is already stored (resolve) and the typed comparison behind it
// (Differences) are here, once.
#include <SQLiteCpp/SQLiteCpp.h>

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/storage/portfolio_store.hpp"

namespace taeval::engine::storage {

/// The statements a whole import reuses, prepared once.
struct PortfolioStore::Statements {
    explicit Statements(SQLite::Database& db);
    SQLite::Statement insert_observation;
    SQLite::Statement select_observation;
    SQLite::Statement update_observation;
    SQLite::Statement batch_file;
    // Look-ups and targets run once per row of files of tens of thousands of
    // rows: prepared once, not per call.
    SQLite::Statement state_id;
    SQLite::Statement indicator_key;
    SQLite::Statement has_provider;
    SQLite::Statement has_project;
    SQLite::Statement has_intervention;
    SQLite::Statement select_target;
    SQLite::Statement insert_target;
    SQLite::Statement update_target;
    // The text bound by bind_view: one buffer per parameter of a statement.
    std::array<std::string, 4> text;
};

namespace detail {

/// A cached statement in use: reset on entry (an earlier use may have thrown
/// mid-step) and on exit (no read is left open).
class Reuse {
public:
    explicit Reuse(SQLite::Statement& s) noexcept : m_s(s) { (void)m_s.tryReset(); }
    ~Reuse() { (void)m_s.tryReset(); }
    Reuse(const Reuse&) = delete;
    Reuse& operator=(const Reuse&) = delete;
    SQLite::Statement& operator*() const noexcept { return m_s; }
    SQLite::Statement* operator->() const noexcept { return &m_s; }

private:
    SQLite::Statement& m_s;
};

[[nodiscard]] std::string text_or_empty(const SQLite::Column& c);
/// Binds NULL for an empty string (optional text columns).
void bind_text_or_null(SQLite::Statement& s, int index, const std::string& v);
/// Binds NULL for an absent value.
void bind_optional(SQLite::Statement& s, int index, const std::optional<double>& v);
void bind_optional(SQLite::Statement& s, int index, const std::optional<std::int64_t>& v);
/// Binds text through a buffer that is reused row after row and that SQLite
/// reads in place (bindNoCopy, SQLITE_STATIC) until the statement is stepped.
/// The hot path of an import binds millions of short cells; SQLiteCpp's
/// bind(std::string) would have SQLite allocate a copy of each.
void bind_view(SQLite::Statement& s, int index, std::string_view v, std::string& buffer);
void bind_view_or_null(SQLite::Statement& s, int index, std::string_view v, std::string& buffer);

/// Where the row of `table` keyed by `code` came from, or nothing when no
/// such row is stored (tables keyed by a `code` column).
[[nodiscard]] std::optional<Provenance> stored_at(SQLite::Database& db, std::string_view table,
                                                  const std::string& code);

/// The fields in which a stored record and an incoming one differ, compared
/// as their types (text, numbers, optional values, lists), never as joined
/// strings: `AAA,"X, Y",Z` and `AAA,X,"Y, Z"` differ.
class Differences {
public:
    Differences& field(std::string_view name, const std::string& stored, const std::string& incoming);
    Differences& field(std::string_view name, double stored, double incoming);
    Differences& field(std::string_view name, const std::optional<double>& stored,
                       const std::optional<double>& incoming);
    Differences& field(std::string_view name, const std::optional<std::int64_t>& stored,
                       const std::optional<std::int64_t>& incoming);
    Differences& field(std::string_view name, const std::vector<std::string>& stored,
                       const std::vector<std::string>& incoming);
    Differences& field(std::string_view name, bool stored, bool incoming);
    [[nodiscard]] bool none() const noexcept { return m_text.empty(); }
    /// `name: 'stored' stored, 'incoming' here; ...`
    [[nodiscard]] const std::string& text() const noexcept { return m_text; }

private:
    void add(std::string_view name, const std::string& stored, const std::string& incoming);
    std::string m_text;
};

/// The rule for a key that is already stored: stored earlier in this very
/// batch is a duplicate; no differences is unchanged; otherwise a conflict,
/// or replaced when asked (update() rewrites the row).
[[nodiscard]] PutResult resolve(SQLite::Statement& batch_file, const Differences& differences, Provenance existing,
                                Provenance at, bool replace, const std::function<void()>& update);

}  // namespace detail
}  // namespace taeval::engine::storage
