// The observations table, the largest by far: its writes are the hot path of
// an import (ids resolved by the caller, text bound without copies).
#include "engine/storage/connection.hpp"
#include "engine/storage/store_internal.hpp"
#include "models/error.hpp"

namespace taeval::engine::storage {

using detail::bind_view;
using detail::bind_view_or_null;
using detail::Differences;
using detail::resolve;
using detail::Reuse;

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

    Differences d;
    Provenance existing;
    {
        Reuse sel(m_stmt->select_observation);
        sel->bind(1, indicator_id);
        sel->bind(2, state_id);
        bind_view(*sel, 3, period, m_stmt->text[0]);
        bind_view(*sel, 4, breakdown, m_stmt->text[1]);
        if (!sel->executeStep()) throw Error(ErrorCode::internal, "an observation neither inserted nor stored");
        d.field("value", sel->getColumn(0).getDouble(), value)
            .field("source", sel->getColumn(1).getString(), std::string(source));
        existing = {sel->getColumn(2).getInt64(), sel->getColumn(3).getInt64()};
    }
    return resolve(m_stmt->batch_file, d, existing, at, replace, [&] {
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

}  // namespace taeval::engine::storage
