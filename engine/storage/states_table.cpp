// The states and providers tables: State and Provider to and from SQL.
#include <SQLiteCpp/VariadicBind.h>

#include "engine/storage/connection.hpp"
#include "engine/storage/store_internal.hpp"

namespace taeval::engine::storage {

using detail::Differences;
using detail::resolve;

namespace {

Differences differences(const State& stored, const State& incoming)
{
    Differences d;
    d.field("name", stored.name, incoming.name).field("region", stored.region, incoming.region);
    return d;
}

Differences differences(const Provider& stored, const Provider& incoming)
{
    Differences d;
    d.field("name", stored.name, incoming.name).field("kind", stored.kind, incoming.kind);
    return d;
}

}  // namespace

PutResult PortfolioStore::put(const State& r, Provenance at, bool replace)
{
    auto& db = m_db.connection().db;
    SQLite::Statement sel(db, "SELECT name, region, batch_id, line FROM states WHERE iso3=?");
    sel.bind(1, r.iso3);
    if (!sel.executeStep()) {
        SQLite::Statement ins(db, "INSERT INTO states(iso3, name, region, batch_id, line) VALUES (?,?,?,?,?)");
        SQLite::bind(ins, r.iso3, r.name, r.region, at.batch, at.line);
        ins.exec();
        return {};
    }
    const State stored{r.iso3, sel.getColumn(0).getString(), sel.getColumn(1).getString()};
    const Provenance existing{sel.getColumn(2).getInt64(), sel.getColumn(3).getInt64()};
    return resolve(m_stmt->batch_file, differences(stored, r), existing, at, replace, [&] {
        SQLite::Statement up(db, "UPDATE states SET name=?, region=?, batch_id=?, line=? WHERE iso3=?");
        SQLite::bind(up, r.name, r.region, at.batch, at.line, r.iso3);
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
        SQLite::bind(s, r.name, r.kind, at.batch, at.line, r.code);
        s.exec();
    };
    if (!sel.executeStep()) {
        write("INSERT INTO providers(name, kind, batch_id, line, code) VALUES (?,?,?,?,?)");
        return {};
    }
    const Provider stored{r.code, sel.getColumn(0).getString(), sel.getColumn(1).getString()};
    const Provenance existing{sel.getColumn(2).getInt64(), sel.getColumn(3).getInt64()};
    return resolve(m_stmt->batch_file, differences(stored, r), existing, at, replace,
                   [&] { write("UPDATE providers SET name=?, kind=?, batch_id=?, line=? WHERE code=?"); });
}

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

}  // namespace taeval::engine::storage
