#include "engine/storage/portfolio_store.hpp"

#include <fmt/format.h>

#include "engine/storage/connection.hpp"
#include "engine/storage/store_internal.hpp"
#include "models/error.hpp"

namespace taeval::engine::storage {

namespace detail {

std::string text_or_empty(const SQLite::Column& c) { return c.isNull() ? std::string() : c.getString(); }

void bind_text_or_null(SQLite::Statement& s, int index, const std::string& v)
{
    if (v.empty())
        s.bind(index);
    else
        s.bind(index, v);
}

void bind_optional(SQLite::Statement& s, int index, const std::optional<double>& v)
{
    if (v)
        s.bind(index, *v);
    else
        s.bind(index);
}

void bind_optional(SQLite::Statement& s, int index, const std::optional<std::int64_t>& v)
{
    if (v)
        s.bind(index, *v);
    else
        s.bind(index);
}

void bind_view(SQLite::Statement& s, int index, std::string_view v, std::string& buffer)
{
    buffer.assign(v);
    s.bindNoCopy(index, buffer);
}

void bind_view_or_null(SQLite::Statement& s, int index, std::string_view v, std::string& buffer)
{
    if (v.empty())
        s.bind(index);
    else
        bind_view(s, index, v, buffer);
}

namespace {
std::string quoted(const std::string& v) { return v.empty() ? "(empty)" : "'" + v + "'"; }
std::string number(double v) { return fmt::format("{}", v); }
}  // namespace

void Differences::add(std::string_view name, const std::string& stored, const std::string& incoming)
{
    if (!m_text.empty()) m_text += "; ";
    m_text += fmt::format("{}: {} stored, {} here", name, stored, incoming);
}

Differences& Differences::field(std::string_view name, const std::string& stored, const std::string& incoming)
{
    if (stored != incoming) add(name, quoted(stored), quoted(incoming));
    return *this;
}

Differences& Differences::field(std::string_view name, double stored, double incoming)
{
    if (stored != incoming) add(name, number(stored), number(incoming));
    return *this;
}

Differences& Differences::field(std::string_view name, const std::optional<double>& stored,
                                const std::optional<double>& incoming)
{
    if (stored != incoming)
        add(name, stored ? number(*stored) : "(empty)", incoming ? number(*incoming) : "(empty)");
    return *this;
}

Differences& Differences::field(std::string_view name, const std::optional<std::int64_t>& stored,
                                const std::optional<std::int64_t>& incoming)
{
    if (stored != incoming)
        add(name, stored ? std::to_string(*stored) : "(empty)", incoming ? std::to_string(*incoming) : "(empty)");
    return *this;
}

Differences& Differences::field(std::string_view name, const std::vector<std::string>& stored,
                                const std::vector<std::string>& incoming)
{
    if (stored != incoming) add(name, quoted(fmt::format("{}", fmt::join(stored, ";"))),
                                quoted(fmt::format("{}", fmt::join(incoming, ";"))));
    return *this;
}

Differences& Differences::field(std::string_view name, bool stored, bool incoming)
{
    if (stored != incoming) add(name, stored ? "true" : "false", incoming ? "true" : "false");
    return *this;
}

std::optional<Provenance> stored_at(SQLite::Database& db, std::string_view table, const std::string& code)
{
    SQLite::Statement sel(db, "SELECT batch_id, line FROM " + std::string(table) + " WHERE code=?");
    sel.bind(1, code);
    if (!sel.executeStep()) return std::nullopt;
    return Provenance{sel.getColumn(0).getInt64(), sel.getColumn(1).getInt64()};
}

PutResult resolve(SQLite::Statement& batch_file, const Differences& differences, Provenance existing, Provenance at,
                  bool replace, const std::function<void()>& update)
{
    PutResult r;
    r.existing = existing;
    if (existing.batch == at.batch) {
        r.outcome = PutOutcome::duplicate;
    } else if (differences.none()) {
        r.outcome = PutOutcome::unchanged;
    } else if (replace) {
        update();
        r.outcome = PutOutcome::replaced;
        r.differences = differences.text();
    } else {
        r.outcome = PutOutcome::conflict;
        r.differences = differences.text();
    }
    if (r.outcome == PutOutcome::conflict || r.outcome == PutOutcome::duplicate) {
        Reuse s(batch_file);
        s->bind(1, existing.batch);
        if (s->executeStep()) r.existing_file = s->getColumn(0).getString();
    }
    return r;
}

}  // namespace detail

using detail::bind_view;
using detail::Reuse;

PortfolioStore::Statements::Statements(SQLite::Database& db)
    : insert_observation(db, "INSERT INTO observations(indicator_id, state_id, period, breakdown, value, source, "
                             "batch_id, line) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING"),
      select_observation(db, "SELECT value, IFNULL(source,''), batch_id, line FROM observations "
                             "WHERE indicator_id=? AND state_id=? AND period=? AND breakdown=?"),
      update_observation(db, "UPDATE observations SET value=?, source=?, batch_id=?, line=? "
                             "WHERE indicator_id=? AND state_id=? AND period=? AND breakdown=?"),
      batch_file(db, "SELECT file FROM import_batches WHERE id=?"),
      state_id(db, "SELECT id FROM states WHERE iso3=?"),
      indicator_key(db, "SELECT id, frequency, measure FROM indicators WHERE code=?"),
      has_provider(db, "SELECT 1 FROM providers WHERE code=?"),
      has_project(db, "SELECT 1 FROM projects WHERE code=?"),
      has_intervention(db, "SELECT 1 FROM interventions WHERE code=?"),
      select_target(db, "SELECT value, batch_id, line FROM targets WHERE indicator_id=? AND "
                        "IFNULL(state_id,0)=? AND rollup=? AND kind=? AND date=?"),
      insert_target(db, "INSERT INTO targets(indicator_id, state_id, rollup, kind, date, value, batch_id, line) "
                        "VALUES (?,?,?,?,?,?,?,?)"),
      update_target(db, "UPDATE targets SET value=?, batch_id=?, line=? WHERE indicator_id=? "
                        "AND IFNULL(state_id,0)=? AND rollup=? AND kind=? AND date=?")
{
}

PortfolioStore::PortfolioStore(Database& db) : m_db(db), m_stmt(std::make_unique<Statements>(db.connection().db)) {}

PortfolioStore::~PortfolioStore() = default;

std::optional<ImportBatch> PortfolioStore::find_batch(const std::string& file, const std::string& sha256)
{
    SQLite::Statement s(m_db.connection().db,
                        "SELECT id, file, path, sha256, rows, imported_at FROM import_batches "
                        "WHERE file=? AND sha256=? ORDER BY id DESC LIMIT 1");
    s.bind(1, file);
    s.bind(2, sha256);
    if (!s.executeStep()) return std::nullopt;
    return ImportBatch{s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getString(),
                       s.getColumn(3).getString(), s.getColumn(4).getInt64(), s.getColumn(5).getString()};
}

std::int64_t PortfolioStore::add_batch(const ImportBatch& b)
{
    auto& db = m_db.connection().db;
    SQLite::Statement s(db, "INSERT INTO import_batches(file, path, sha256, rows, imported_at) VALUES (?,?,?,?,?)");
    s.bind(1, b.file);
    s.bind(2, b.path);
    s.bind(3, b.sha256);
    s.bind(4, b.rows);
    s.bind(5, b.imported_at);
    s.exec();
    return db.getLastInsertRowid();
}

void PortfolioStore::set_batch_rows(std::int64_t batch, std::int64_t rows)
{
    SQLite::Statement s(m_db.connection().db, "UPDATE import_batches SET rows=? WHERE id=?");
    s.bind(1, rows);
    s.bind(2, batch);
    s.exec();
}

std::vector<ImportBatch> PortfolioStore::batches()
{
    SQLite::Statement s(m_db.connection().db,
                        "SELECT id, file, path, sha256, rows, imported_at FROM import_batches ORDER BY id");
    std::vector<ImportBatch> out;
    while (s.executeStep())
        out.push_back({s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getString(),
                       s.getColumn(3).getString(), s.getColumn(4).getInt64(), s.getColumn(5).getString()});
    return out;
}

std::optional<std::int64_t> PortfolioStore::state_id(std::string_view iso3)
{
    Reuse s(m_stmt->state_id);
    bind_view(*s, 1, iso3, m_stmt->text[0]);
    if (!s->executeStep()) return std::nullopt;
    return s->getColumn(0).getInt64();
}

std::optional<IndicatorKey> PortfolioStore::indicator_key(std::string_view code)
{
    Reuse s(m_stmt->indicator_key);
    bind_view(*s, 1, code, m_stmt->text[0]);
    if (!s->executeStep()) return std::nullopt;
    IndicatorKey k;
    k.id = s->getColumn(0).getInt64();
    k.frequency = indicators::parse_frequency(s->getColumn(1).getString()).value_or(indicators::Frequency::year);
    k.measure = indicators::parse_measure(s->getColumn(2).getString()).value_or(indicators::Measure::count);
    return k;
}

namespace {
bool exists(SQLite::Statement& statement, std::string_view key, std::string& buffer)
{
    Reuse s(statement);
    bind_view(*s, 1, key, buffer);
    return s->executeStep();
}
}  // namespace

bool PortfolioStore::has_provider(std::string_view code) { return exists(m_stmt->has_provider, code, m_stmt->text[0]); }
bool PortfolioStore::has_project(std::string_view code) { return exists(m_stmt->has_project, code, m_stmt->text[0]); }
bool PortfolioStore::has_intervention(std::string_view code)
{
    return exists(m_stmt->has_intervention, code, m_stmt->text[0]);
}

TableCounts PortfolioStore::counts()
{
    auto& db = m_db.connection().db;
    auto count = [&](const char* table) {
        return db.execAndGet(std::string("SELECT COUNT(*) FROM ") + table).getInt64();
    };
    return {count("states"),       count("providers"),  count("projects"),
            count("interventions"), count("indicators"), count("targets"),
            count("observations"),  count("links"),      count("import_batches")};
}

}  // namespace taeval::engine::storage
