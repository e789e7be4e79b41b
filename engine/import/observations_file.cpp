// observations.csv: the hot path of an import, and the breakdowns of a count.
#include "engine/import/bundle_importer.hpp"

#include <boost/algorithm/string/classification.hpp>
#include <boost/algorithm/string/join.hpp>
#include <boost/algorithm/string/split.hpp>

#include <algorithm>
#include <cmath>

namespace taeval::engine::import_detail {

// The hot path: millions of rows. Cells are validated as views of the
// record and bound without copies; indicators and states come from the
// caches, which is also what makes the foreign keys of the import's
// transaction safe to leave to the importer (see import_bundle).
std::optional<PutResult> BundleImporter::put_observation(Row& row, Provenance at)
{
    const auto& c = m_obs;
    const std::string_view indicator = row.required(c.indicator);
    const std::string_view state = row.required(c.state);
    const std::string_view period_text = row.required(c.period);
    const auto value = row.number(c.value);
    const auto key = lookup_indicator(row, c.indicator, indicator);
    const auto sid = state.empty() ? std::nullopt : state_id(state);
    if (!state.empty() && !sid) row.fail(c.state, state, "an ISO3 code from states.csv");
    if (key && !period_text.empty()) {
        const auto period = ind::Period::parse(period_text);
        if (!period || period->frequency() != key->frequency) {
            static const char* forms[] = {"a month period like 2024-03", "a quarter period like 2024-Q1",
                                          "a year period like 2024"};
            row.fail(c.period, period_text,
                     fmt::format("{} ({} is measured by {})", forms[static_cast<int>(key->frequency)],
                                 indicator, ind::to_string(key->frequency)));
        } else if (!ind::within_years(period->year())) {
            row.fail(c.period, period_text,
                     fmt::format("a period from {} to {}", ind::earliest_year, ind::latest_year));
        }
    }
    if (key && value) {
        if (auto why = ind::check_value(key->measure, *value)) row.fail(c.value, row.view(c.value), *why);
    }
    const std::string breakdown = canonical_breakdown(row, c.breakdown);
    if (!row.ok()) return std::nullopt;
    if (!breakdown.empty() && key->measure == ind::Measure::count) {
        auto& [sum, first_line] =
            m_breakdown_sums[{key->id, *sid, std::string(period_text), breakdown_keys(breakdown)}];
        if (first_line == 0) first_line = row.line();
        sum += *value;
    }
    return m_store.put_observation(key->id, *sid, period_text, breakdown, *value, row.view(c.source), at,
                                   m_options.replace);
}

// `sex=female; age_group=18-24` -> `age_group=18-24;sex=female`.
std::string BundleImporter::canonical_breakdown(Row& row, Row::Column column)
{
    const std::string_view text = row.view(column);
    if (text.empty()) return {};
    std::vector<std::string_view> items;
    boost::algorithm::split(items, text, boost::algorithm::is_any_of(";"));
    std::map<std::string, std::string> pairs;
    for (const std::string_view item : items) {
        const auto eq = item.find('=');
        const std::string k = eq == std::string::npos ? "" : trim(item.substr(0, eq));
        const std::string v = eq == std::string::npos ? "" : trim(item.substr(eq + 1));
        if (k.empty() || v.empty() || k.find_first_of("=, ") != std::string::npos) {
            row.fail(column, text, "dimension=category pairs separated by ';' (sex=female;age_group=18-24)");
            return {};
        }
        if (!pairs.emplace(k, v).second) {
            row.fail(column, text, "each dimension once (" + k + " is repeated)");
            return {};
        }
    }
    std::string out;
    for (const auto& [k, v] : pairs) out += (out.empty() ? "" : ";") + k + "=" + v;
    return out;
}

std::string BundleImporter::breakdown_keys(const std::string& canonical)
{
    std::vector<std::string> keys;
    boost::algorithm::split(keys, canonical, boost::algorithm::is_any_of(";"));
    for (auto& k : keys) k = k.substr(0, k.find('='));
    return boost::algorithm::join(keys, ",");
}

// Breakdowns of a count by one set of dimensions (sex; or sex and
// age_group) cannot add up to more than the total.
void BundleImporter::check_breakdowns(const std::string& file)
{
    for (const auto& [key, sum_line] : m_breakdown_sums) {
        const auto& [indicator, state, period, dims] = key;
        const auto total = m_store.observation_value(indicator, state, period, "");
        if (total && sum_line.first > *total + 1e-9 * std::max(1.0, std::abs(*total))) {
            m_problems.add({file, sum_line.second, 0, "breakdown", dims,
                            fmt::format("breakdowns by {} for period {} add up to {}, more than the total {}", dims,
                                        period, sum_line.first, *total)});
        }
    }
    m_breakdown_sums.clear();
}

}  // namespace taeval::engine::import_detail
