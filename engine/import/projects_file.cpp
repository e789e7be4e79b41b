// projects.csv and interventions.csv.
#include "engine/import/bundle_importer.hpp"

#include <boost/algorithm/string/classification.hpp>
#include <boost/algorithm/string/split.hpp>

namespace taeval::engine::import_detail {

std::optional<PutResult> BundleImporter::put_project(Row& row, Provenance at)
{
    const bool replace = m_options.replace;
    Project p;
    p.code = row.code("code");
    p.title = row.required("title");
    p.provider = row.required("provider");
    p.area = row.required("area");
    const auto start = row.date("start");
    const auto end = row.date("end");
    if (!p.provider.empty() && !m_store.has_provider(p.provider))
        row.fail("provider", p.provider, "a provider code from providers.csv");
    check_area(row, p.area);
    if (start && end && *end < *start) row.fail("end", row.get("end"), "a date on or after start");
    std::vector<std::string> recipients;
    boost::algorithm::split(recipients, row.get("recipients"), boost::algorithm::is_any_of(";"));
    for (auto& iso3 : recipients) {
        boost::algorithm::trim_if(iso3, is_blank);
        if (iso3.empty()) continue;
        if (!m_store.state_id(iso3)) row.fail("recipients", iso3, "ISO3 codes from states.csv separated by ';'");
        p.recipients.push_back(std::move(iso3));
    }
    if (!row.ok()) return std::nullopt;
    p.start = start->to_string();
    p.end = end->to_string();
    return m_store.put(p, at, replace);
}

std::optional<PutResult> BundleImporter::put_intervention(Row& row, Provenance at)
{
    const bool replace = m_options.replace;
    Intervention i;
    i.code = row.code("code");
    i.project = row.required("project");
    i.kind = row.code("kind");
    i.title = row.required("title");
    i.state = row.get("state");
    const auto start = row.date("start");
    const auto end = row.date("end", true);
    i.cost = row.number("cost", true);
    i.participants = row.integer("participants");
    if (!i.project.empty() && !m_store.has_project(i.project))
        row.fail("project", i.project, "a project code from projects.csv");
    if (!i.state.empty() && !m_store.state_id(i.state))
        row.fail("state", i.state, "an ISO3 code from states.csv, or empty for a regional activity");
    if (start && end && *end < *start) row.fail("end", row.get("end"), "a date on or after start");
    if (i.cost && *i.cost < 0) row.fail("cost", row.get("cost"), "a cost of 0 or more (USD)");
    if (!row.ok()) return std::nullopt;
    i.start = start->to_string();
    if (end) i.end = end->to_string();
    return m_store.put(i, at, replace);
}

}  // namespace taeval::engine::import_detail
