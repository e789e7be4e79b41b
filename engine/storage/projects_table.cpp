// The projects (with their recipients) and interventions tables: Project and
// Intervention to and from SQL.
#include <SQLiteCpp/VariadicBind.h>

#include <algorithm>

#include "engine/storage/connection.hpp"
#include "engine/storage/store_internal.hpp"

namespace taeval::engine::storage {

using detail::bind_optional;
using detail::bind_text_or_null;
using detail::Differences;
using detail::resolve;

namespace {

Differences differences(const Project& stored, const Project& incoming)
{
    Differences d;
    d.field("title", stored.title, incoming.title)
        .field("provider", stored.provider, incoming.provider)
        .field("area", stored.area, incoming.area)
        .field("start", stored.start, incoming.start)
        .field("end", stored.end, incoming.end)
        .field("recipients", stored.recipients, incoming.recipients);
    return d;
}

Differences differences(const Intervention& stored, const Intervention& incoming)
{
    Differences d;
    d.field("project", stored.project, incoming.project)
        .field("kind", stored.kind, incoming.kind)
        .field("title", stored.title, incoming.title)
        .field("state", stored.state, incoming.state)
        .field("start", stored.start, incoming.start)
        .field("end", stored.end, incoming.end)
        .field("cost", stored.cost, incoming.cost)
        .field("participants", stored.participants, incoming.participants);
    return d;
}

}  // namespace

PutResult PortfolioStore::put(const Project& r, Provenance at, bool replace)
{
    auto& db = m_db.connection().db;
    auto write = [&](const char* sql) {
        SQLite::Statement s(db, sql);
        SQLite::bind(s, r.title, r.provider, r.area, r.start, r.end, at.batch, at.line, r.code);
        s.exec();
        SQLite::Statement del(db, "DELETE FROM project_recipients WHERE project=?");
        del.bind(1, r.code);
        del.exec();
        SQLite::Statement ins(db, "INSERT OR IGNORE INTO project_recipients(project, state_id) "
                                  "SELECT ?, id FROM states WHERE iso3=?");
        for (const auto& iso3 : r.recipients) {
            SQLite::bind(ins, r.code, iso3);
            ins.exec();
            ins.reset();
        }
    };
    const auto existing = detail::stored_at(db, "projects", r.code);
    if (!existing) {
        write("INSERT INTO projects(title, provider, area, start, end, batch_id, line, code) VALUES (?,?,?,?,?,?,?,?)");
        return {};
    }
    // Recipients are stored as a set: compare them as one.
    Project incoming = r;
    auto& recipients = incoming.recipients;
    std::sort(recipients.begin(), recipients.end());
    recipients.erase(std::unique(recipients.begin(), recipients.end()), recipients.end());
    return resolve(m_stmt->batch_file, differences(read_projects(r.code).at(0), incoming), *existing, at, replace, [&] {
        write("UPDATE projects SET title=?, provider=?, area=?, start=?, end=?, batch_id=?, line=? WHERE code=?");
    });
}

PutResult PortfolioStore::put(const Intervention& r, Provenance at, bool replace)
{
    auto& db = m_db.connection().db;
    auto write = [&](const char* sql) {
        SQLite::Statement s(db, sql);
        SQLite::bind(s, r.project, r.kind, r.title);
        if (r.state.empty())
            s.bind(4);
        else
            s.bind(4, *state_id(r.state));
        s.bind(5, r.start);
        bind_text_or_null(s, 6, r.end);
        bind_optional(s, 7, r.cost);
        bind_optional(s, 8, r.participants);
        s.bind(9, at.batch);
        s.bind(10, at.line);
        s.bind(11, r.code);
        s.exec();
    };
    const auto existing = detail::stored_at(db, "interventions", r.code);
    if (!existing) {
        write("INSERT INTO interventions(project, kind, title, state_id, start, end, cost, participants, batch_id, "
              "line, code) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
        return {};
    }
    return resolve(m_stmt->batch_file, differences(read_interventions(r.code).at(0), r), *existing, at, replace, [&] {
        write("UPDATE interventions SET project=?, kind=?, title=?, state_id=?, start=?, end=?, cost=?, "
              "participants=?, batch_id=?, line=? WHERE code=?");
    });
}

std::vector<Project> PortfolioStore::projects() { return read_projects(""); }

std::vector<Project> PortfolioStore::read_projects(const std::string& code)
{
    auto& db = m_db.connection().db;
    SQLite::Statement s(db, "SELECT code, title, provider, area, start, end FROM projects "
                            "WHERE ? = '' OR code = ? ORDER BY code");
    SQLite::bind(s, code, code);
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
    SQLite::bind(s, code, code);
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

}  // namespace taeval::engine::storage
