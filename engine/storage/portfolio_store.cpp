#include "engine/storage/portfolio_store.hpp"

#include <fmt/format.h>

#include <functional>
#include <array>

#include "engine/storage/connection.hpp"
#include "models/error.hpp"

namespace taeval::engine::storage {

namespace {

std::string text_or_empty(const SQLite::Column& c) { return c.isNull() ? std::string() : c.getString(); }

void bind_text_or_null(SQLite::Statement& s, int index, const std::string& v)
{
    if (v.empty())
        s.bind(index);
    else
        s.bind(index, v);
}

std::string number_text(double v) { return fmt::format("{}", v); }

// Binds text through a buffer that is reused row after row and that SQLite
// reads in place (bindNoCopy, SQLITE_STATIC) until the statement is stepped.
// The hot path of an import binds millions of short cells; SQLiteCpp's
// bind(std::string) would have SQLite allocate a copy of each.
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

// A cached statement in use: reset on entry (an earlier use may have thrown
// mid-step) and on exit (no read is left open).
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

}  // namespace

struct PortfolioStore::Statements {
    explicit Statements(SQLite::Database& db)
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
                            "IFNULL(state_id,0)=? AND kind=? AND date=?"),
          insert_target(db, "INSERT INTO targets(indicator_id, state_id, kind, date, value, batch_id, line) "
                            "VALUES (?,?,?,?,?,?,?)"),
          update_target(db, "UPDATE targets SET value=?, batch_id=?, line=? WHERE indicator_id=? "
                            "AND IFNULL(state_id,0)=? AND kind=? AND date=?")
    {
    }
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

PortfolioStore::PortfolioStore(Database& db)
    : m_db(db), m_stmt(std::make_unique<Statements>(db.connection().db))
{
}

PortfolioStore::~PortfolioStore() = default;

namespace {

// The shared rule for a key that is already stored: same content is
// unchanged; stored earlier in this very batch is a duplicate; otherwise a
// conflict, or replaced when asked (update() rewrites the row).
PutResult resolve(SQLite::Statement& batch_file, const std::string& stored, const std::string& incoming,
                  Provenance existing, Provenance at, bool replace, const std::function<void()>& update)
{
    PutResult r;
    r.existing = existing;
    r.existing_value = stored;
    if (existing.batch == at.batch) {
        r.outcome = PutOutcome::duplicate;
    } else if (stored == incoming) {
        r.outcome = PutOutcome::unchanged;
    } else if (replace) {
        update();
        r.outcome = PutOutcome::replaced;
    } else {
        r.outcome = PutOutcome::conflict;
    }
    if (r.outcome == PutOutcome::conflict || r.outcome == PutOutcome::duplicate) {
        Reuse s(batch_file);
        s->bind(1, existing.batch);
        if (s->executeStep()) r.existing_file = s->getColumn(0).getString();
    }
    return r;
}

}  // namespace

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

PutResult PortfolioStore::put(const State& r, Provenance at, bool replace)
{
    auto& db = m_db.connection().db;
    SQLite::Statement sel(db, "SELECT name, region, batch_id, line FROM states WHERE iso3=?");
    sel.bind(1, r.iso3);
    if (!sel.executeStep()) {
        SQLite::Statement ins(db, "INSERT INTO states(iso3, name, region, batch_id, line) VALUES (?,?,?,?,?)");
        ins.bind(1, r.iso3);
        ins.bind(2, r.name);
        ins.bind(3, r.region);
        ins.bind(4, at.batch);
        ins.bind(5, at.line);
        ins.exec();
        return {};
    }
    const std::string stored = sel.getColumn(0).getString() + ", " + sel.getColumn(1).getString();
    const Provenance existing{sel.getColumn(2).getInt64(), sel.getColumn(3).getInt64()};
    return resolve(m_stmt->batch_file, stored, r.name + ", " + r.region, existing, at, replace, [&] {
        SQLite::Statement up(db, "UPDATE states SET name=?, region=?, batch_id=?, line=? WHERE iso3=?");
        up.bind(1, r.name);
        up.bind(2, r.region);
        up.bind(3, at.batch);
        up.bind(4, at.line);
        up.bind(5, r.iso3);
        up.exec();
    });
}

PutResult PortfolioStore::put(const Provider& r, Provenance at, bool replace)
{
    auto& db = m_db.connection().db;
    SQLite::Statement sel(db, "SELECT name, kind, batch_id, line FROM providers WHERE code=?");
    sel.bind(1, r.code);
    auto write = [&](const char* sql) {
        SQLite::Statement s(db, sql);
        s.bind(1, r.name);
        s.bind(2, r.kind);
        s.bind(3, at.batch);
        s.bind(4, at.line);
        s.bind(5, r.code);
        s.exec();
    };
    if (!sel.executeStep()) {
        write("INSERT INTO providers(name, kind, batch_id, line, code) VALUES (?,?,?,?,?)");
        return {};
    }
    const std::string stored = sel.getColumn(0).getString() + ", " + sel.getColumn(1).getString();
    const Provenance existing{sel.getColumn(2).getInt64(), sel.getColumn(3).getInt64()};
    return resolve(m_stmt->batch_file, stored, r.name + ", " + r.kind, existing, at, replace,
                   [&] { write("UPDATE providers SET name=?, kind=?, batch_id=?, line=? WHERE code=?"); });
}

namespace {
std::string join(const std::vector<std::string>& v, const char* sep)
{
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
    return out;
}
}  // namespace

PutResult PortfolioStore::put(const Project& r, Provenance at, bool replace)
{
    auto& db = m_db.connection().db;
    auto content = [](const Project& p) {
        return p.title + ", " + p.provider + ", " + p.area + ", " + p.start + ", " + p.end + ", [" +
               join(p.recipients, ";") + "]";
    };
    auto write = [&](const char* sql) {
        SQLite::Statement s(db, sql);
        s.bind(1, r.title);
        s.bind(2, r.provider);
        s.bind(3, r.area);
        s.bind(4, r.start);
        s.bind(5, r.end);
        s.bind(6, at.batch);
        s.bind(7, at.line);
        s.bind(8, r.code);
        s.exec();
        SQLite::Statement del(db, "DELETE FROM project_recipients WHERE project=?");
        del.bind(1, r.code);
        del.exec();
        SQLite::Statement ins(db, "INSERT OR IGNORE INTO project_recipients(project, state_id) "
                                  "SELECT ?, id FROM states WHERE iso3=?");
        for (const auto& iso3 : r.recipients) {
            ins.bind(1, r.code);
            ins.bind(2, iso3);
            ins.exec();
            ins.reset();
        }
    };
    SQLite::Statement sel(db, "SELECT batch_id, line FROM projects WHERE code=?");
    sel.bind(1, r.code);
    if (!sel.executeStep()) {
        write("INSERT INTO projects(title, provider, area, start, end, batch_id, line, code) VALUES (?,?,?,?,?,?,?,?)");
        return {};
    }
    const Provenance existing{sel.getColumn(0).getInt64(), sel.getColumn(1).getInt64()};
    const Project stored_project = read_projects(r.code).at(0);
    return resolve(m_stmt->batch_file, content(stored_project), content(r), existing, at, replace, [&] {
        write("UPDATE projects SET title=?, provider=?, area=?, start=?, end=?, batch_id=?, line=? WHERE code=?");
    });
}

PutResult PortfolioStore::put(const Intervention& r, Provenance at, bool replace)
{
    auto& db = m_db.connection().db;
    auto content = [](const Intervention& i) {
        return fmt::format("{}, {}, {}, {}, {}, {}, {}, {}", i.project, i.kind, i.title, i.state, i.start, i.end,
                           i.cost ? number_text(*i.cost) : "", i.participants ? std::to_string(*i.participants) : "");
    };
    auto write = [&](const char* sql) {
        SQLite::Statement s(db, sql);
        s.bind(1, r.project);
        s.bind(2, r.kind);
        s.bind(3, r.title);
        if (r.state.empty())
            s.bind(4);
        else
            s.bind(4, *state_id(r.state));
        s.bind(5, r.start);
        bind_text_or_null(s, 6, r.end);
        if (r.cost)
            s.bind(7, *r.cost);
        else
            s.bind(7);
        if (r.participants)
            s.bind(8, *r.participants);
        else
            s.bind(8);
        s.bind(9, at.batch);
        s.bind(10, at.line);
        s.bind(11, r.code);
        s.exec();
    };
    SQLite::Statement sel(db, "SELECT batch_id, line FROM interventions WHERE code=?");
    sel.bind(1, r.code);
    if (!sel.executeStep()) {
        write("INSERT INTO interventions(project, kind, title, state_id, start, end, cost, participants, batch_id, "
              "line, code) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
        return {};
    }
    const Provenance existing{sel.getColumn(0).getInt64(), sel.getColumn(1).getInt64()};
    const Intervention stored = read_interventions(r.code).at(0);
    return resolve(m_stmt->batch_file, content(stored), content(r), existing, at, replace, [&] {
        write("UPDATE interventions SET project=?, kind=?, title=?, state_id=?, start=?, end=?, cost=?, "
              "participants=?, batch_id=?, line=? WHERE code=?");
    });
}

namespace {
std::string indicator_content(const indicators::Indicator& i)
{
    return fmt::format("{}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}", i.name, indicators::to_string(i.level),
                       indicators::to_string(i.measure), indicators::to_string(i.direction), i.unit,
                       indicators::to_string(i.frequency), i.area, i.instrument, i.article, i.numerator,
                       i.denominator, i.project, indicators::to_string(i.aggregation), i.cumulative ? 1 : 0);
}
}  // namespace

PutResult PortfolioStore::put(const indicators::Indicator& r, Provenance at, bool replace)
{
    auto& db = m_db.connection().db;
    auto write = [&](const char* sql) {
        SQLite::Statement s(db, sql);
        s.bind(1, r.name);
        s.bind(2, std::string(indicators::to_string(r.level)));
        s.bind(3, std::string(indicators::to_string(r.measure)));
        s.bind(4, std::string(indicators::to_string(r.direction)));
        s.bind(5, r.unit);
        s.bind(6, std::string(indicators::to_string(r.frequency)));
        s.bind(7, r.area);
        bind_text_or_null(s, 8, r.instrument);
        bind_text_or_null(s, 9, r.article);
        bind_text_or_null(s, 10, r.numerator);
        bind_text_or_null(s, 11, r.denominator);
        bind_text_or_null(s, 12, r.project);
        s.bind(13, std::string(indicators::to_string(r.aggregation)));
        s.bind(14, r.cumulative ? 1 : 0);
        s.bind(15, at.batch);
        s.bind(16, at.line);
        s.bind(17, r.code);
        s.exec();
    };
    SQLite::Statement sel(db, "SELECT batch_id, line FROM indicators WHERE code=?");
    sel.bind(1, r.code);
    if (!sel.executeStep()) {
        write("INSERT INTO indicators(name, level, measure, direction, unit, frequency, area, instrument, article, "
              "numerator, denominator, project, aggregation, cumulative, batch_id, line, code) "
              "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        return {};
    }
    const Provenance existing{sel.getColumn(0).getInt64(), sel.getColumn(1).getInt64()};
    const indicators::Indicator stored = read_indicators(r.code).at(0);
    return resolve(m_stmt->batch_file, indicator_content(stored), indicator_content(r), existing, at, replace, [&] {
        write("UPDATE indicators SET name=?, level=?, measure=?, direction=?, unit=?, frequency=?, area=?, "
              "instrument=?, article=?, numerator=?, denominator=?, project=?, aggregation=?, cumulative=?, "
              "batch_id=?, line=? WHERE code=?");
    });
}

PutResult PortfolioStore::put(const Target& r, Provenance at, bool replace)
{
    const auto ind = indicator_key(r.indicator);
    const std::int64_t state = r.state.empty() ? 0 : state_id(r.state).value_or(0);
    Reuse sel(m_stmt->select_target);
    sel->bind(1, ind->id);
    sel->bind(2, state);
    sel->bind(3, r.kind);
    sel->bind(4, r.date);
    if (!sel->executeStep()) {
        Reuse ins(m_stmt->insert_target);
        ins->bind(1, ind->id);
        if (state == 0)
            ins->bind(2);
        else
            ins->bind(2, state);
        ins->bind(3, r.kind);
        ins->bind(4, r.date);
        ins->bind(5, r.value);
        ins->bind(6, at.batch);
        ins->bind(7, at.line);
        ins->exec();
        return {};
    }
    const double stored_value = sel->getColumn(0).getDouble();
    const Provenance existing{sel->getColumn(1).getInt64(), sel->getColumn(2).getInt64()};
    return resolve(m_stmt->batch_file, number_text(stored_value), number_text(r.value), existing, at, replace, [&] {
        Reuse up(m_stmt->update_target);
        up->bind(1, r.value);
        up->bind(2, at.batch);
        up->bind(3, at.line);
        up->bind(4, ind->id);
        up->bind(5, state);
        up->bind(6, r.kind);
        up->bind(7, r.date);
        up->exec();
    });
}

PutResult PortfolioStore::put_observation(std::int64_t indicator_id, std::int64_t state_id, std::string_view period,
                                          std::string_view breakdown, double value, std::string_view source,
                                          Provenance at, bool replace)
{
    {
        Reuse ins(m_stmt->insert_observation);
        ins->bind(1, indicator_id);
        ins->bind(2, state_id);
        bind_view(*ins, 3, period, m_stmt->text[0]);
        bind_view(*ins, 4, breakdown, m_stmt->text[1]);
        ins->bind(5, value);
        bind_view_or_null(*ins, 6, source, m_stmt->text[2]);
        ins->bind(7, at.batch);
        ins->bind(8, at.line);
        if (ins->exec() == 1) return {};
    }

    std::string stored;
    Provenance existing;
    {
        Reuse sel(m_stmt->select_observation);
        sel->bind(1, indicator_id);
        sel->bind(2, state_id);
        bind_view(*sel, 3, period, m_stmt->text[0]);
        bind_view(*sel, 4, breakdown, m_stmt->text[1]);
        if (!sel->executeStep()) throw Error(ErrorCode::internal, "an observation neither inserted nor stored");
        stored = number_text(sel->getColumn(0).getDouble()) + ", " + sel->getColumn(1).getString();
        existing = {sel->getColumn(2).getInt64(), sel->getColumn(3).getInt64()};
    }
    return resolve(m_stmt->batch_file, stored, number_text(value) + ", " + std::string(source), existing, at, replace,
                   [&] {
                       Reuse up(m_stmt->update_observation);
                       up->bind(1, value);
                       bind_view_or_null(*up, 2, source, m_stmt->text[2]);
                       up->bind(3, at.batch);
                       up->bind(4, at.line);
                       up->bind(5, indicator_id);
                       up->bind(6, state_id);
                       bind_view(*up, 7, period, m_stmt->text[0]);
                       bind_view(*up, 8, breakdown, m_stmt->text[1]);
                       up->exec();
                   });
}

std::optional<double> PortfolioStore::observation_value(std::int64_t indicator_id, std::int64_t state_id,
                                                        std::string_view period, std::string_view breakdown)
{
    Reuse sel(m_stmt->select_observation);
    sel->bind(1, indicator_id);
    sel->bind(2, state_id);
    bind_view(*sel, 3, period, m_stmt->text[0]);
    bind_view(*sel, 4, breakdown, m_stmt->text[1]);
    if (!sel->executeStep()) return std::nullopt;
    return sel->getColumn(0).getDouble();
}

PutResult PortfolioStore::put(const Link& r, Provenance at, bool replace)
{
    auto& db = m_db.connection().db;
    const std::int64_t ind = r.to_indicator.empty() ? 0 : indicator_key(r.to_indicator)->id;
    const std::int64_t st = r.to_state.empty() ? 0 : state_id(r.to_state).value_or(0);
    SQLite::Statement sel(db, "SELECT weight, IFNULL(rationale,''), batch_id, line, id FROM links WHERE "
                              "from_intervention=? AND IFNULL(to_intervention,'')=? AND IFNULL(to_indicator_id,0)=? "
                              "AND IFNULL(to_state_id,0)=?");
    sel.bind(1, r.from);
    sel.bind(2, r.to_intervention);
    sel.bind(3, ind);
    sel.bind(4, st);
    if (!sel.executeStep()) {
        SQLite::Statement ins(db, "INSERT INTO links(from_intervention, to_intervention, to_indicator_id, "
                                  "to_state_id, weight, rationale, batch_id, line) VALUES (?,?,?,?,?,?,?,?)");
        ins.bind(1, r.from);
        bind_text_or_null(ins, 2, r.to_intervention);
        if (ind == 0) ins.bind(3); else ins.bind(3, ind);
        if (st == 0) ins.bind(4); else ins.bind(4, st);
        ins.bind(5, r.weight);
        bind_text_or_null(ins, 6, r.rationale);
        ins.bind(7, at.batch);
        ins.bind(8, at.line);
        ins.exec();
        return {};
    }
    const std::string stored = number_text(sel.getColumn(0).getDouble()) + ", " + sel.getColumn(1).getString();
    const Provenance existing{sel.getColumn(2).getInt64(), sel.getColumn(3).getInt64()};
    const std::int64_t id = sel.getColumn(4).getInt64();
    return resolve(m_stmt->batch_file, stored, number_text(r.weight) + ", " + r.rationale, existing, at, replace, [&] {
        SQLite::Statement up(db, "UPDATE links SET weight=?, rationale=?, batch_id=?, line=? WHERE id=?");
        up.bind(1, r.weight);
        bind_text_or_null(up, 2, r.rationale);
        up.bind(3, at.batch);
        up.bind(4, at.line);
        up.bind(5, id);
        up.exec();
    });
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
bool PortfolioStore::has_intervention(std::string_view code) { return exists(m_stmt->has_intervention, code, m_stmt->text[0]); }

std::vector<State> PortfolioStore::states()
{
    SQLite::Statement s(m_db.connection().db, "SELECT iso3, name, region FROM states ORDER BY iso3");
    std::vector<State> out;
    while (s.executeStep())
        out.push_back({s.getColumn(0).getString(), s.getColumn(1).getString(), s.getColumn(2).getString()});
    return out;
}

std::vector<Provider> PortfolioStore::providers()
{
    SQLite::Statement s(m_db.connection().db, "SELECT code, name, kind FROM providers ORDER BY code");
    std::vector<Provider> out;
    while (s.executeStep())
        out.push_back({s.getColumn(0).getString(), s.getColumn(1).getString(), s.getColumn(2).getString()});
    return out;
}

std::vector<Project> PortfolioStore::projects() { return read_projects(""); }

std::vector<Project> PortfolioStore::read_projects(const std::string& code)
{
    auto& db = m_db.connection().db;
    SQLite::Statement s(db, "SELECT code, title, provider, area, start, end FROM projects "
                            "WHERE ? = '' OR code = ? ORDER BY code");
    s.bind(1, code);
    s.bind(2, code);
    SQLite::Statement rec(db, "SELECT s.iso3 FROM project_recipients r JOIN states s ON s.id = r.state_id "
                              "WHERE r.project=? ORDER BY s.iso3");
    std::vector<Project> out;
    while (s.executeStep()) {
        Project p{s.getColumn(0).getString(), s.getColumn(1).getString(), s.getColumn(2).getString(),
                  s.getColumn(3).getString(), s.getColumn(4).getString(), s.getColumn(5).getString(), {}};
        rec.bind(1, p.code);
        while (rec.executeStep()) p.recipients.push_back(rec.getColumn(0).getString());
        rec.reset();
        out.push_back(std::move(p));
    }
    return out;
}

std::vector<Intervention> PortfolioStore::interventions() { return read_interventions(""); }

std::vector<Intervention> PortfolioStore::read_interventions(const std::string& code)
{
    SQLite::Statement s(m_db.connection().db,
                        "SELECT i.code, i.project, i.kind, i.title, IFNULL(s.iso3,''), i.start, IFNULL(i.end,''), "
                        "i.cost, i.participants FROM interventions i LEFT JOIN states s ON s.id = i.state_id "
                        "WHERE ? = '' OR i.code = ? ORDER BY i.start, i.code");
    s.bind(1, code);
    s.bind(2, code);
    std::vector<Intervention> out;
    while (s.executeStep()) {
        Intervention i;
        i.code = s.getColumn(0).getString();
        i.project = s.getColumn(1).getString();
        i.kind = s.getColumn(2).getString();
        i.title = s.getColumn(3).getString();
        i.state = s.getColumn(4).getString();
        i.start = s.getColumn(5).getString();
        i.end = s.getColumn(6).getString();
        if (!s.getColumn(7).isNull()) i.cost = s.getColumn(7).getDouble();
        if (!s.getColumn(8).isNull()) i.participants = s.getColumn(8).getInt64();
        out.push_back(std::move(i));
    }
    return out;
}

std::vector<indicators::Indicator> PortfolioStore::indicators() { return read_indicators(""); }

std::vector<indicators::Indicator> PortfolioStore::read_indicators(const std::string& code)
{
    SQLite::Statement s(m_db.connection().db,
                        "SELECT code, name, level, measure, direction, unit, frequency, area, instrument, article, "
                        "numerator, denominator, project, aggregation, cumulative FROM indicators "
                        "WHERE ? = '' OR code = ? ORDER BY code");
    s.bind(1, code);
    s.bind(2, code);
    std::vector<indicators::Indicator> out;
    while (s.executeStep()) {
        indicators::Indicator i;
        i.code = s.getColumn(0).getString();
        i.name = s.getColumn(1).getString();
        i.level = indicators::parse_level(s.getColumn(2).getString()).value_or(indicators::Level::outcome);
        i.measure = indicators::parse_measure(s.getColumn(3).getString()).value_or(indicators::Measure::count);
        i.direction = indicators::parse_direction(s.getColumn(4).getString()).value_or(indicators::Direction::up);
        i.unit = s.getColumn(5).getString();
        i.frequency = indicators::parse_frequency(s.getColumn(6).getString()).value_or(indicators::Frequency::year);
        i.area = s.getColumn(7).getString();
        i.instrument = text_or_empty(s.getColumn(8));
        i.article = text_or_empty(s.getColumn(9));
        i.numerator = text_or_empty(s.getColumn(10));
        i.denominator = text_or_empty(s.getColumn(11));
        i.project = text_or_empty(s.getColumn(12));
        i.aggregation =
            indicators::parse_aggregation(s.getColumn(13).getString()).value_or(indicators::Aggregation::sum);
        i.cumulative = s.getColumn(14).getInt() != 0;
        out.push_back(std::move(i));
    }
    return out;
}

std::vector<Target> PortfolioStore::targets()
{
    SQLite::Statement s(m_db.connection().db,
                        "SELECT i.code, IFNULL(s.iso3,''), t.kind, t.date, t.value FROM targets t "
                        "JOIN indicators i ON i.id = t.indicator_id LEFT JOIN states s ON s.id = t.state_id "
                        "ORDER BY i.code, s.iso3, t.date, t.kind");
    std::vector<Target> out;
    while (s.executeStep())
        out.push_back({s.getColumn(0).getString(), s.getColumn(1).getString(), s.getColumn(2).getString(),
                       s.getColumn(3).getString(), s.getColumn(4).getDouble()});
    return out;
}

std::vector<Link> PortfolioStore::links()
{
    SQLite::Statement s(m_db.connection().db,
                        "SELECT l.from_intervention, IFNULL(l.to_intervention,''), IFNULL(i.code,''), "
                        "IFNULL(s.iso3,''), l.weight, IFNULL(l.rationale,'') FROM links l "
                        "LEFT JOIN indicators i ON i.id = l.to_indicator_id "
                        "LEFT JOIN states s ON s.id = l.to_state_id ORDER BY l.id");
    std::vector<Link> out;
    while (s.executeStep())
        out.push_back({s.getColumn(0).getString(), s.getColumn(1).getString(), s.getColumn(2).getString(),
                       s.getColumn(3).getString(), s.getColumn(4).getDouble(), s.getColumn(5).getString()});
    return out;
}

std::vector<Observation> PortfolioStore::observations()
{
    SQLite::Statement s(m_db.connection().db,
                        "SELECT i.code, s.iso3, o.period, o.value, IFNULL(o.source,''), o.breakdown FROM observations o "
                        "JOIN indicators i ON i.id = o.indicator_id JOIN states s ON s.id = o.state_id "
                        "ORDER BY i.code, s.iso3, o.breakdown, o.period");
    std::vector<Observation> out;
    while (s.executeStep())
        out.push_back({s.getColumn(0).getString(), s.getColumn(1).getString(), s.getColumn(2).getString(),
                       s.getColumn(3).getDouble(), s.getColumn(4).getString(), s.getColumn(5).getString()});
    return out;
}

TableCounts PortfolioStore::counts()
{
    auto& db = m_db.connection().db;
    auto count = [&](const char* table) {
        return db.execAndGet(std::string("SELECT COUNT(*) FROM ") + table).getInt64();
    };
    return {count("states"),     count("providers"),    count("projects"),
            count("interventions"), count("indicators"), count("targets"),
            count("observations"), count("links"),      count("import_batches")};
}

}  // namespace taeval::engine::storage
