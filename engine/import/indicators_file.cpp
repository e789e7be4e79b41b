// indicators.csv (with the references between indicators) and targets.csv.
#include "engine/import/bundle_importer.hpp"

#include "indicators/indicator.hpp"

namespace taeval::engine::import_detail {

std::optional<PutResult> BundleImporter::put_indicator(Row& row, Provenance at)
{
    const bool replace = m_options.replace;
    ind::Indicator d;
    d.code = row.code("code");
    d.name = row.required("name");
    const auto level = row.choice<ind::Level>("level", ind::parse_level, ind::level_names());
    const auto measure = row.choice<ind::Measure>("measure", ind::parse_measure, ind::measure_names());
    const auto direction =
        row.choice<ind::Direction>("direction", ind::parse_direction, ind::direction_names());
    d.unit = row.required("unit");
    const auto frequency = row.choice<ind::Frequency>("frequency", ind::parse_frequency, "year, quarter, month");
    d.area = row.required("area");
    check_area(row, d.area);
    d.instrument = row.get("instrument");
    if (!d.instrument.empty() && !ind::is_instrument(d.instrument))
        row.fail("instrument", d.instrument, "one of: UNTOC, TIP, SOM, FIREARMS, UNCAC");
    d.article = row.get("article");
    d.numerator = row.get("numerator");
    d.denominator = row.get("denominator");
    if (d.numerator.empty() != d.denominator.empty())
        row.fail(d.numerator.empty() ? "numerator" : "denominator", "",
                 "both numerator and denominator, or neither");
    d.project = row.get("project");
    if (!d.project.empty() && !m_store.has_project(d.project))
        row.fail("project", d.project, "a project code from projects.csv, or empty");
    const auto aggregation = row.choice<ind::Aggregation>("aggregation", ind::parse_aggregation,
                                                          ind::aggregation_names(), true);
    const std::string cumulative = row.get("cumulative");
    if (cumulative == "true" || cumulative == "1" || cumulative == "yes")
        d.cumulative = true;
    else if (!(cumulative.empty() || cumulative == "false" || cumulative == "0" || cumulative == "no"))
        row.fail("cumulative", cumulative, "true or false");
    if (!row.ok()) return std::nullopt;
    d.level = *level;
    d.measure = *measure;
    d.direction = *direction;
    d.frequency = *frequency;
    d.aggregation = aggregation.value_or(ind::default_aggregation(d.measure));
    if (!d.numerator.empty())
        m_pending_refs.push_back({row.line(), d.code, d.numerator, d.denominator});
    return m_store.put(d, at, replace);
}

void BundleImporter::check_indicator_references()
{
    for (const auto& r : m_pending_refs) {
        for (const auto& [column, code] : {std::pair{"numerator", r.numerator}, {"denominator", r.denominator}}) {
            const auto key = m_store.indicator_key(code);
            if (!key)
                m_problems.add({"indicators.csv", r.line, 0, column, code,
                                "an indicator code (the " + std::string(column) + " of " + r.code + ")"});
            else if (code == r.code)
                m_problems.add({"indicators.csv", r.line, 0, column, code, "another indicator than itself"});
        }
    }
    m_pending_refs.clear();
    m_indicators.clear();
    m_last_indicator = m_indicators.end();
}

std::optional<PutResult> BundleImporter::put_target(Row& row, Provenance at)
{
    const bool replace = m_options.replace;
    Target t;
    t.indicator = row.required("indicator");
    t.state = row.get("state");
    t.rollup = row.get("rollup");
    t.kind = row.required("kind");
    const auto date = row.date("date");
    const auto value = row.number("value");
    const auto key = lookup_indicator(row, t.indicator);
    if (!t.state.empty() && !state_id(t.state)) row.fail("state", t.state, "an ISO3 code from states.csv, or empty");
    if (!t.rollup.empty() && key) check_rollup(row, t);
    if (!t.kind.empty() && t.kind != "baseline" && t.kind != "target")
        row.fail("kind", t.kind, "one of: baseline, target");
    if (key && value) {
        if (auto why = ind::check_value(key->measure, *value)) row.fail("value", row.get("value"), *why);
    }
    if (!row.ok()) return std::nullopt;
    t.date = date->to_string();
    t.value = *value;
    return m_store.put(t, at, replace);
}

// The rollup column: a roll-up `taeval score --rollup` makes for this
// indicator, and no state (a row is a state's, all states', or a roll-up's).
void BundleImporter::check_rollup(Row& row, const Target& t)
{
    const std::string_view v = t.rollup;
    if (!t.state.empty()) {
        row.fail("rollup", v, "empty when a state is given (a row is for one state or for one roll-up)");
        return;
    }
    if (v == "all") return;
    if (v.starts_with("region:")) {
        if (!m_regions) {
            m_regions.emplace();
            for (const auto& s : m_store.states()) m_regions->insert(s.region);
        }
        if (!m_regions->count(std::string(v.substr(7)))) {
            std::string regions;
            for (const auto& r : *m_regions) regions += (regions.empty() ? "" : ", ") + r;
            row.fail("rollup", v, "region:NAME with a region of states.csv (" + regions + ")");
        }
        return;
    }
    if (v.starts_with("area:")) {
        if (!m_indicator_areas) {
            m_indicator_areas.emplace();
            for (const auto& i : m_store.indicators()) m_indicator_areas->emplace(i.code, i.area);
        }
        const auto it = m_indicator_areas->find(t.indicator);
        const std::string area = it == m_indicator_areas->end() ? "" : it->second;
        if (v.substr(5) != area)
            row.fail("rollup", v,
                     "area:" + area + ", the priority area of " + t.indicator +
                         " (an area roll-up spans the states assisted in its indicator's area)");
        return;
    }
    row.fail("rollup", v, "region:NAME, area:CODE or all; empty for a state's row");
}

}  // namespace taeval::engine::import_detail
