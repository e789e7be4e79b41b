// links.csv.
#include "engine/import/bundle_importer.hpp"

namespace taeval::engine::import_detail {

std::optional<PutResult> BundleImporter::put_link(Row& row, Provenance at)
{
    const bool replace = m_options.replace;
    Link l;
    l.from = row.required("from");
    const std::string to = row.required("to");
    l.weight = row.number("weight", true).value_or(1.0);
    l.rationale = row.get("rationale");
    if (!l.from.empty() && !m_store.has_intervention(l.from))
        row.fail("from", l.from, "an intervention code from interventions.csv");
    if (!to.empty()) {
        const auto at_sign = to.find('@');
        if (at_sign == std::string::npos) {
            l.to_intervention = to;
            if (!m_store.has_intervention(to))
                row.fail("to", to, "an intervention code, or INDICATOR@ISO3 for an improvement");
            else if (to == l.from)
                row.fail("to", to, "another intervention (a link from an intervention to itself)");
        } else {
            l.to_indicator = to.substr(0, at_sign);
            l.to_state = to.substr(at_sign + 1);
            if (!m_store.indicator_key(l.to_indicator) || !state_id(l.to_state))
                row.fail("to", to, "INDICATOR@ISO3 with an indicator from indicators.csv and a state from "
                                   "states.csv");
        }
    }
    if (l.weight < 0) row.fail("weight", row.get("weight"), "a weight of 0 or more");
    if (!row.ok()) return std::nullopt;
    return m_store.put(l, at, replace);
}

}  // namespace taeval::engine::import_detail
