// The indicators and targets tables: Indicator and Target to and from SQL.
#include <SQLiteCpp/VariadicBind.h>

#include "engine/storage/connection.hpp"
#include "engine/storage/store_internal.hpp"

namespace taeval::engine::storage {

using detail::bind_text_or_null;
using detail::Differences;
using detail::resolve;
using detail::Reuse;
using detail::text_or_empty;
namespace ind = indicators;

namespace {

Differences differences(const ind::Indicator& stored, const ind::Indicator& incoming)
{
    auto name = [](auto e) { return std::string(ind::to_string(e)); };
    Differences d;
    d.field("name", stored.name, incoming.name)
        .field("level", name(stored.level), name(incoming.level))
        .field("measure", name(stored.measure), name(incoming.measure))
        .field("direction", name(stored.direction), name(incoming.direction))
        .field("unit", stored.unit, incoming.unit)
        .field("frequency", name(stored.frequency), name(incoming.frequency))
        .field("area", stored.area, incoming.area)
        .field("instrument", stored.instrument, incoming.instrument)
        .field("article", stored.article, incoming.article)
        .field("numerator", stored.numerator, incoming.numerator)
        .field("denominator", stored.denominator, incoming.denominator)
        .field("project", stored.project, incoming.project)
        .field("aggregation", name(stored.aggregation), name(incoming.aggregation))
        .field("cumulative", stored.cumulative, incoming.cumulative);
    return d;
}

}  // namespace

PutResult PortfolioStore::put(const ind::Indicator& r, Provenance at, bool replace)
{
    auto& db = m_db.connection().db;
    auto write = [&](const char* sql) {
        SQLite::Statement s(db, sql);
        SQLite::bind(s, r.name, std::string(ind::to_string(r.level)), std::string(ind::to_string(r.measure)),
                     std::string(ind::to_string(r.direction)), r.unit, std::string(ind::to_string(r.frequency)),
                     r.area);
        bind_text_or_null(s, 8, r.instrument);
        bind_text_or_null(s, 9, r.article);
        bind_text_or_null(s, 10, r.numerator);
        bind_text_or_null(s, 11, r.denominator);
        bind_text_or_null(s, 12, r.project);
        s.bind(13, std::string(ind::to_string(r.aggregation)));
        s.bind(14, r.cumulative ? 1 : 0);
        s.bind(15, at.batch);
        s.bind(16, at.line);
        s.bind(17, r.code);
        s.exec();
    };
    const auto existing = detail::stored_at(db, "indicators", r.code);
    if (!existing) {
        write("INSERT INTO indicators(name, level, measure, direction, unit, frequency, area, instrument, article, "
              "numerator, denominator, project, aggregation, cumulative, batch_id, line, code) "
              "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        return {};
    }
    return resolve(m_stmt->batch_file, differences(read_indicators(r.code).at(0), r), *existing, at, replace, [&] {
        write("UPDATE indicators SET name=?, level=?, measure=?, direction=?, unit=?, frequency=?, area=?, "
              "instrument=?, article=?, numerator=?, denominator=?, project=?, aggregation=?, cumulative=?, "
              "batch_id=?, line=? WHERE code=?");
    });
}

std::vector<ind::Indicator> PortfolioStore::indicators() { return read_indicators(""); }

std::vector<ind::Indicator> PortfolioStore::read_indicators(const std::string& code)
{
    SQLite::Statement s(m_db.connection().db,
                        "SELECT code, name, level, measure, direction, unit, frequency, area, instrument, article, "
                        "numerator, denominator, project, aggregation, cumulative FROM indicators "
                        "WHERE ? = '' OR code = ? ORDER BY code");
    SQLite::bind(s, code, code);
    std::vector<ind::Indicator> out;
    while (s.executeStep()) {
        ind::Indicator i;
        i.code = s.getColumn(0).getString();
        i.name = s.getColumn(1).getString();
        i.level = ind::parse_level(s.getColumn(2).getString()).value_or(ind::Level::outcome);
        i.measure = ind::parse_measure(s.getColumn(3).getString()).value_or(ind::Measure::count);
        i.direction = ind::parse_direction(s.getColumn(4).getString()).value_or(ind::Direction::up);
        i.unit = s.getColumn(5).getString();
        i.frequency = ind::parse_frequency(s.getColumn(6).getString()).value_or(ind::Frequency::year);
        i.area = s.getColumn(7).getString();
        i.instrument = text_or_empty(s.getColumn(8));
        i.article = text_or_empty(s.getColumn(9));
        i.numerator = text_or_empty(s.getColumn(10));
        i.denominator = text_or_empty(s.getColumn(11));
        i.project = text_or_empty(s.getColumn(12));
        i.aggregation = ind::parse_aggregation(s.getColumn(13).getString()).value_or(ind::Aggregation::sum);
        i.cumulative = s.getColumn(14).getInt() != 0;
        out.push_back(std::move(i));
    }
    return out;
}

PutResult PortfolioStore::put(const Target& r, Provenance at, bool replace)
{
    const auto indicator = indicator_key(r.indicator);
    const std::int64_t state = r.state.empty() ? 0 : state_id(r.state).value_or(0);
    Reuse sel(m_stmt->select_target);
    SQLite::bind(*sel, indicator->id, state, r.rollup, r.kind, r.date);
    if (!sel->executeStep()) {
        Reuse ins(m_stmt->insert_target);
        ins->bind(1, indicator->id);
        if (state == 0)
            ins->bind(2);
        else
            ins->bind(2, state);
        ins->bind(3, r.rollup);
        ins->bind(4, r.kind);
        ins->bind(5, r.date);
        ins->bind(6, r.value);
        ins->bind(7, at.batch);
        ins->bind(8, at.line);
        ins->exec();
        return {};
    }
    Differences d;
    d.field("value", sel->getColumn(0).getDouble(), r.value);
    const Provenance existing{sel->getColumn(1).getInt64(), sel->getColumn(2).getInt64()};
    return resolve(m_stmt->batch_file, d, existing, at, replace, [&] {
        Reuse up(m_stmt->update_target);
        SQLite::bind(*up, r.value, at.batch, at.line, indicator->id, state, r.rollup, r.kind, r.date);
        up->exec();
    });
}

std::vector<Target> PortfolioStore::targets()
{
    SQLite::Statement s(m_db.connection().db,
                        "SELECT i.code, IFNULL(s.iso3,''), t.rollup, t.kind, t.date, t.value FROM targets t "
                        "JOIN indicators i ON i.id = t.indicator_id LEFT JOIN states s ON s.id = t.state_id "
                        "ORDER BY i.code, s.iso3, t.rollup, t.date, t.kind");
    std::vector<Target> out;
    while (s.executeStep())
        out.push_back({s.getColumn(0).getString(), s.getColumn(1).getString(), s.getColumn(2).getString(),
                       s.getColumn(3).getString(), s.getColumn(4).getString(), s.getColumn(5).getDouble()});
    return out;
}

}  // namespace taeval::engine::storage
