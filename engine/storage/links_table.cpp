// The links table: declared Links to and from SQL.
#include <SQLiteCpp/VariadicBind.h>

#include "engine/storage/connection.hpp"
#include "engine/storage/store_internal.hpp"

namespace taeval::engine::storage {

using detail::bind_text_or_null;
using detail::Differences;
using detail::resolve;

PutResult PortfolioStore::put(const Link& r, Provenance at, bool replace)
{
    auto& db = m_db.connection().db;
    const std::int64_t indicator = r.to_indicator.empty() ? 0 : indicator_key(r.to_indicator)->id;
    const std::int64_t state = r.to_state.empty() ? 0 : state_id(r.to_state).value_or(0);
    SQLite::Statement sel(db, "SELECT weight, IFNULL(rationale,''), batch_id, line, id FROM links WHERE "
                              "from_intervention=? AND IFNULL(to_intervention,'')=? AND IFNULL(to_indicator_id,0)=? "
                              "AND IFNULL(to_state_id,0)=?");
    SQLite::bind(sel, r.from, r.to_intervention, indicator, state);
    if (!sel.executeStep()) {
        SQLite::Statement ins(db, "INSERT INTO links(from_intervention, to_intervention, to_indicator_id, "
                                  "to_state_id, weight, rationale, batch_id, line) VALUES (?,?,?,?,?,?,?,?)");
        ins.bind(1, r.from);
        bind_text_or_null(ins, 2, r.to_intervention);
        if (indicator == 0)
            ins.bind(3);
        else
            ins.bind(3, indicator);
        if (state == 0)
            ins.bind(4);
        else
            ins.bind(4, state);
        ins.bind(5, r.weight);
        bind_text_or_null(ins, 6, r.rationale);
        ins.bind(7, at.batch);
        ins.bind(8, at.line);
        ins.exec();
        return {};
    }
    Differences d;
    d.field("weight", sel.getColumn(0).getDouble(), r.weight).field("rationale", sel.getColumn(1).getString(), r.rationale);
    const Provenance existing{sel.getColumn(2).getInt64(), sel.getColumn(3).getInt64()};
    const std::int64_t id = sel.getColumn(4).getInt64();
    return resolve(m_stmt->batch_file, d, existing, at, replace, [&] {
        SQLite::Statement up(db, "UPDATE links SET weight=?, rationale=?, batch_id=?, line=? WHERE id=?");
        up.bind(1, r.weight);
        bind_text_or_null(up, 2, r.rationale);
        up.bind(3, at.batch);
        up.bind(4, at.line);
        up.bind(5, id);
        up.exec();
    });
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

}  // namespace taeval::engine::storage
