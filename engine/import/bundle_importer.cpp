// The core of a bundle import: each file read record by record, its header
// checked, every outcome counted, the caches of codes.
#include "engine/import/bundle_importer.hpp"

#include <algorithm>

#include <boost/algorithm/string/join.hpp>

#include "engine/graph/cycles.hpp"
#include "engine/io/clock.hpp"

namespace taeval::engine::import_detail {

using storage::PutOutcome;

const std::map<std::string, ColumnSpec>& column_specs()
{
    static const std::map<std::string, ColumnSpec> specs{
        {"states.csv", {{"iso3", "name", "region"}, {}}},
        {"providers.csv", {{"code", "name", "kind"}, {}}},
        {"projects.csv", {{"code", "title", "provider", "area", "start", "end"}, {"recipients"}}},
        {"interventions.csv",
         {{"code", "project", "kind", "title", "start"}, {"state", "end", "cost", "participants"}}},
        {"indicators.csv",
         {{"code", "name", "level", "measure", "direction", "unit", "frequency", "area"},
          {"instrument", "article", "numerator", "denominator", "project", "aggregation", "cumulative"}}},
        {"targets.csv", {{"indicator", "kind", "date", "value"}, {"state", "rollup"}}},
        {"observations.csv", {{"indicator", "state", "period", "value"}, {"source", "breakdown"}}},
        {"links.csv", {{"from", "to"}, {"weight", "rationale"}}},
    };
    return specs;
}

FileReport BundleImporter::import_file(const std::string& name, const std::filesystem::path& path)
{
    FileReport report;
    report.file = name;
    report.path = path.string();
    report.sha256 = sha256_file(path);
    if (auto previous = m_store.find_batch(name, report.sha256)) {
        report.skipped_unchanged = true;
        report.batch = previous->id;
        report.rows = previous->rows;
        return report;
    }
    report.batch = m_store.add_batch({0, name, path.string(), report.sha256, 0, now_utc()});

    CsvReader reader(path);
    std::map<std::string, std::size_t, std::less<>> cols;
    if (!check_header(name, reader, cols)) return report;
    Row row(name, cols, m_problems);
    m_current = name;
    const bool observations = name == "observations.csv";
    if (observations) m_obs = ObservationColumns(row);
    CsvRecord record;
    const auto size = std::filesystem::file_size(path);
    while (reader.next(record)) {
        ++report.rows;
        if (const auto& bad = record.bad_byte) {
            const auto& header = reader.header();
            m_problems.add({name, record.line, bad->field + 1,
                            bad->field < header.size() ? header[bad->field] : std::string(),
                            printable(record.fields[bad->field]), describe(*bad)});
            continue;
        }
        if (record.fields.size() != reader.header().size()) {
            m_problems.add({name, record.line, 0, "", "",
                            fmt::format("{} fields; the header has {}", record.fields.size(),
                                        reader.header().size())});
            continue;
        }
        row.reset(record);
        const Provenance at{report.batch, static_cast<std::int64_t>(record.line)};
        std::optional<PutResult> result = observations ? put_observation(row, at) : put_row(name, row, at);
        if (result) count(report, *result, row);
        if (m_options.progress && (report.rows & 0xFFFF) == 0) m_options.progress(name, reader.bytes_read(), size);
    }
    if (m_options.progress) m_options.progress(name, size, size);
    if (name == "indicators.csv") check_indicator_references();
    if (name == "observations.csv") check_breakdowns(name);
    m_store.set_batch_rows(report.batch, report.rows);
    return report;
}

void BundleImporter::check_links_acyclic()
{
    std::vector<std::pair<std::string, std::string>> edges;
    for (const auto& l : m_store.links())
        if (!l.to_intervention.empty()) edges.emplace_back(l.from, l.to_intervention);
    if (auto cycle = find_cycle(edges)) {
        std::string path;
        for (const auto& v : *cycle) path += v + " → ";
        path += cycle->front();
        m_problems.add({"links.csv", 0, 0, "", "",
                        "the declared intervention links form a cycle: " + path +
                            " (a prerequisite cannot depend on what it feeds)"});
    }
}

bool BundleImporter::check_header(const std::string& name, const CsvReader& reader,
                  std::map<std::string, std::size_t, std::less<>>& cols)
{
    const auto& spec = column_specs().at(name);
    const auto& header = reader.header();
    bool ok = true;
    for (std::size_t i = 0; i < header.size(); ++i) {
        const auto& h = header[i];
        const bool known = std::find(spec.required.begin(), spec.required.end(), h) != spec.required.end() ||
                           std::find(spec.optional.begin(), spec.optional.end(), h) != spec.optional.end();
        if (!known) {
            std::string all = boost::algorithm::join(spec.required, ", ");
            for (const auto& c : spec.optional) all += ", [" + c + "]";
            m_problems.add({name, 1, i + 1, h, h, "an unknown column; the columns are: " + all});
            ok = false;
        } else if (!cols.emplace(h, i).second) {
            m_problems.add({name, 1, i + 1, h, h, "a column named once only"});
            ok = false;
        }
    }
    for (const auto& c : spec.required) {
        if (!cols.count(c)) {
            m_problems.add({name, 1, 0, c, "", "a column '" + c + "' (required)"});
            ok = false;
        }
    }
    return ok;
}

void BundleImporter::count(FileReport& report, const PutResult& r, Row& row)
{
    switch (r.outcome) {
    case PutOutcome::inserted: ++report.inserted; break;
    case PutOutcome::unchanged: ++report.unchanged; break;
    case PutOutcome::replaced: ++report.replaced; break;
    case PutOutcome::duplicate:
        m_problems.add({row_file(), row.line(), 0, "", "",
                        fmt::format("a duplicate key: the same key is on line {}", r.existing.line)});
        break;
    case PutOutcome::conflict:
        m_problems.add({row_file(), row.line(), 0, "", "",
                        fmt::format("already stored with other content ({}) from {} line {} (import {}); use "
                                    "--replace to overwrite",
                                    r.differences, r.existing_file, r.existing.line, r.existing.batch),
                        true});
        break;
    }
}

std::optional<PutResult> BundleImporter::put_row(const std::string& name, Row& row, Provenance at)
{
    if (name == "states.csv") return put_state(row, at);
    if (name == "providers.csv") return put_provider(row, at);
    if (name == "projects.csv") return put_project(row, at);
    if (name == "interventions.csv") return put_intervention(row, at);
    if (name == "indicators.csv") return put_indicator(row, at);
    if (name == "targets.csv") return put_target(row, at);
    if (name == "links.csv") return put_link(row, at);
    throw Error(ErrorCode::internal, "no importer for " + name);
}

void BundleImporter::check_area(Row& row, const std::string& area)
{
    if (!area.empty() && !ind::is_priority_area(area))
        row.fail("area", area, "a priority area: " + std::string(ind::priority_area_names()));
}

// Caches: observation files name the same few indicators and states
// millions of times, and in runs: the last hit is checked first.
std::optional<storage::IndicatorKey> BundleImporter::lookup_indicator(Row& row, Row::Column column, std::string_view code)
{
    if (code.empty()) return std::nullopt;
    if (m_last_indicator == m_indicators.end() || m_last_indicator->first != code) {
        m_last_indicator = m_indicators.find(code);
        if (m_last_indicator == m_indicators.end())
            m_last_indicator = m_indicators.emplace(std::string(code), m_store.indicator_key(code)).first;
    }
    if (!m_last_indicator->second) row.fail(column, code, "an indicator code from indicators.csv");
    return m_last_indicator->second;
}

std::optional<storage::IndicatorKey> BundleImporter::lookup_indicator(Row& row, const std::string& code)
{
    return lookup_indicator(row, row.column("indicator"), code);
}

std::optional<std::int64_t> BundleImporter::state_id(std::string_view iso3)
{
    if (m_last_state == m_states.end() || m_last_state->first != iso3) {
        m_last_state = m_states.find(iso3);
        if (m_last_state == m_states.end())
            m_last_state = m_states.emplace(std::string(iso3), m_store.state_id(iso3)).first;
    }
    return m_last_state->second;
}

}  // namespace taeval::engine::import_detail
