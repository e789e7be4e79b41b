#include "engine/import/importer.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>

#include "engine/graph/cycles.hpp"
#include "engine/io/clock.hpp"
#include "engine/io/csv_reader.hpp"
#include "engine/storage/portfolio_store.hpp"
#include "indicators/indicator.hpp"
#include "indicators/period.hpp"
#include "models/error.hpp"

namespace taeval::engine {

namespace ind = taeval::indicators;
using storage::PortfolioStore;
using storage::PutOutcome;
using storage::PutResult;

const std::vector<std::string>& bundle_files()
{
    static const std::vector<std::string> files{"states.csv",     "providers.csv", "projects.csv",
                                                "interventions.csv", "indicators.csv", "targets.csv",
                                                "observations.csv",  "links.csv"};
    return files;
}

std::string to_string(const ImportProblem& p)
{
    std::string where = p.file;
    if (p.line > 0) where += ":" + std::to_string(p.line);
    if (p.column > 0) where += ":" + std::to_string(p.column) + " (" + p.column_name + ")";
    if (p.line > 0 && p.column == 0 && !p.column_name.empty()) where += " (" + p.column_name + ")";
    std::string text = where + ": ";
    if (!p.value.empty()) text += "'" + p.value + "': ";
    return text + p.expected;
}

std::string sha256_file(const std::filesystem::path& path)
{
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) throw Error(ErrorCode::bad_input, path.string() + ": cannot open");
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(f, std::fclose);
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
        throw Error(ErrorCode::internal, "SHA-256 unavailable");
    std::vector<unsigned char> buf(1 << 20);
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) EVP_DigestUpdate(ctx.get(), buf.data(), n);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx.get(), digest, &len);
    std::string hex;
    for (unsigned int i = 0; i < len; ++i) hex += fmt::format("{:02x}", digest[i]);
    return hex;
}

namespace {

constexpr std::size_t max_shown = 50;

// Every problem counts; the first max_shown are kept for the message.
class Problems {
public:
    void add(ImportProblem p)
    {
        ++m_count;
        if (!p.conflict) m_all_conflicts = false;
        if (m_shown.size() < max_shown) m_shown.push_back(std::move(p));
    }
    [[nodiscard]] std::size_t count() const noexcept { return m_count; }
    [[nodiscard]] bool empty() const noexcept { return m_count == 0; }

    [[noreturn]] void raise() const
    {
        std::string msg = fmt::format("import failed: {} problem{} found; nothing was imported", m_count,
                                      m_count == 1 ? "" : "s");
        for (const auto& p : m_shown) msg += "\n  " + to_string(p);
        if (m_count > m_shown.size()) msg += fmt::format("\n  ... and {} more", m_count - m_shown.size());
        throw Error(m_all_conflicts ? ErrorCode::conflict : ErrorCode::bad_input, msg);
    }

private:
    std::vector<ImportProblem> m_shown;
    std::size_t m_count = 0;
    bool m_all_conflicts = true;
};

std::string_view trim_view(std::string_view s)
{
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t");
    return s.substr(first, last - first + 1);
}

std::string trim(std::string_view s) { return std::string(trim_view(s)); }

// Heterogeneous look-up: the cells of a row are looked up as views, without
// building a string per look-up.
struct ViewHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};
template <typename T>
using ByCode = std::unordered_map<std::string, T, ViewHash, std::equal_to<>>;


struct ColumnSpec {
    std::vector<std::string> required;
    std::vector<std::string> optional;
};

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
        {"targets.csv", {{"indicator", "kind", "date", "value"}, {"state"}}},
        {"observations.csv", {{"indicator", "state", "period", "value"}, {"source", "breakdown"}}},
        {"links.csv", {{"from", "to"}, {"weight", "rationale"}}},
    };
    return specs;
}

// One data row being validated: typed access to its cells, every failure
// recorded as a problem naming line, column and value. Columns are looked up
// by name once per file (column()); the typed accessors take the Column, so
// the millions of rows of an observations file cost no name look-ups and no
// copies of their cells.
class Row {
public:
    /// A column of the file: its name and 0-based index, or npos when absent.
    struct Column {
        std::string_view name;
        std::size_t index = std::string_view::npos;
    };

    Row(const std::string& file, const std::map<std::string, std::size_t, std::less<>>& cols, Problems& problems)
        : m_file(file), m_cols(cols), m_problems(problems)
    {
    }

    [[nodiscard]] Column column(std::string_view name) const
    {
        const auto it = m_cols.find(name);
        return {name, it == m_cols.end() ? std::string_view::npos : it->second};
    }

    void reset(const CsvRecord& record)
    {
        m_record = &record;
        m_ok = true;
    }
    [[nodiscard]] bool ok() const noexcept { return m_ok; }
    [[nodiscard]] std::size_t line() const noexcept { return m_record->line; }

    /// The trimmed cell, or "" when the column is absent; valid until the next reset().
    [[nodiscard]] std::string_view view(Column c) const
    {
        if (c.index == std::string_view::npos) return {};
        return trim_view(m_record->fields[c.index]);
    }
    [[nodiscard]] std::string get(std::string_view name) const { return std::string(view(column(name))); }

    void fail(Column c, std::string_view value, std::string expected, bool conflict = false)
    {
        m_problems.add({m_file, line(), c.index == std::string_view::npos ? 0 : c.index + 1, std::string(c.name),
                        std::string(value), std::move(expected), conflict});
        m_ok = false;
    }
    void fail(std::string_view name, std::string_view value, std::string expected, bool conflict = false)
    {
        fail(column(name), value, std::move(expected), conflict);
    }

    std::string_view required(Column c)
    {
        const std::string_view v = view(c);
        if (v.empty()) fail(c, v, "a value (the column is required)");
        return v;
    }
    std::string required(std::string_view name) { return std::string(required(column(name))); }

    std::string code(std::string_view name)
    {
        std::string v = required(name);
        if (!v.empty() && v.find_first_of(" \t@;,") != std::string::npos)
            fail(name, v, "a code without spaces, '@', ';' or ','");
        return v;
    }

    std::optional<ind::Date> date(std::string_view name, bool optional = false)
    {
        const Column c = column(name);
        const std::string_view v = optional ? view(c) : required(c);
        if (v.empty()) return std::nullopt;
        auto d = ind::Date::parse(v);
        if (!d) fail(c, v, "an ISO date YYYY-MM-DD that exists");
        return d;
    }

    std::optional<double> number(Column c, bool optional = false)
    {
        const std::string_view v = optional ? view(c) : required(c);
        if (v.empty()) return std::nullopt;
        double x = 0;
        const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
        if (ec != std::errc() || ptr != v.data() + v.size() || !std::isfinite(x)) {
            fail(c, v, "a finite number");
            return std::nullopt;
        }
        return x;
    }
    std::optional<double> number(std::string_view name, bool optional = false)
    {
        return number(column(name), optional);
    }

    std::optional<std::int64_t> integer(std::string_view name)
    {
        const Column c = column(name);
        const std::string_view v = view(c);
        if (v.empty()) return std::nullopt;
        std::int64_t x = 0;
        const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
        if (ec != std::errc() || ptr != v.data() + v.size() || x < 0) {
            fail(c, v, "a whole number of 0 or more");
            return std::nullopt;
        }
        return x;
    }

    template <typename E>
    std::optional<E> choice(std::string_view name, std::optional<E> (*parse)(std::string_view) noexcept,
                            std::string_view names, bool optional = false)
    {
        const Column c = column(name);
        const std::string_view v = optional ? view(c) : required(c);
        if (v.empty()) return std::nullopt;
        auto e = parse(v);
        if (!e) fail(c, v, "one of: " + std::string(names));
        return e;
    }

private:
    const std::string& m_file;
    const std::map<std::string, std::size_t, std::less<>>& m_cols;
    Problems& m_problems;
    const CsvRecord* m_record = nullptr;
    bool m_ok = true;
};

class BundleImporter {
public:
    BundleImporter(storage::Database& db, const ImportOptions& options)
        : m_store(db), m_options(options)
    {
    }

    FileReport import_file(const std::string& name, const std::filesystem::path& path)
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

    void check_links_acyclic()
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

    [[nodiscard]] const Problems& problems() const noexcept { return m_problems; }

private:
    bool check_header(const std::string& name, const CsvReader& reader,
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
                std::string all;
                for (const auto& c : spec.required) all += (all.empty() ? "" : ", ") + c;
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

    void count(FileReport& report, const PutResult& r, Row& row)
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
                                        r.existing_value, r.existing_file, r.existing.line, r.existing.batch),
                            true});
            break;
        }
    }

    std::string row_file() const { return m_current; }

    std::optional<PutResult> put_row(const std::string& name, Row& row, Provenance at)
    {
        const bool replace = m_options.replace;
        if (name == "states.csv") {
            State s{row.required("iso3"), row.required("name"), row.required("region")};
            if (!s.iso3.empty() && !(s.iso3.size() == 3 && std::all_of(s.iso3.begin(), s.iso3.end(), [](char c) {
                                         return c >= 'A' && c <= 'Z';
                                     })))
                row.fail("iso3", s.iso3, "an ISO 3166-1 alpha-3 code: three capital letters");
            if (!row.ok()) return std::nullopt;
            return m_store.put(s, at, replace);
        }
        if (name == "providers.csv") {
            Provider p{row.code("code"), row.required("name"), row.required("kind")};
            static const std::set<std::string> kinds{"donor", "agency", "ngo", "government"};
            if (!p.kind.empty() && !kinds.count(p.kind)) row.fail("kind", p.kind, "one of: donor, agency, ngo, government");
            if (!row.ok()) return std::nullopt;
            return m_store.put(p, at, replace);
        }
        if (name == "projects.csv") {
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
            const std::string recipients = row.get("recipients");
            std::size_t pos = 0;
            while (pos <= recipients.size() && !recipients.empty()) {
                const auto next = recipients.find(';', pos);
                const std::string iso3 = trim(recipients.substr(pos, next == std::string::npos ? next : next - pos));
                if (!iso3.empty()) {
                    if (!m_store.state_id(iso3))
                        row.fail("recipients", iso3, "ISO3 codes from states.csv separated by ';'");
                    p.recipients.push_back(iso3);
                }
                if (next == std::string::npos) break;
                pos = next + 1;
            }
            if (!row.ok()) return std::nullopt;
            p.start = start->to_string();
            p.end = end->to_string();
            return m_store.put(p, at, replace);
        }
        if (name == "interventions.csv") {
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
        if (name == "indicators.csv") {
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
        if (name == "targets.csv") {
            Target t;
            t.indicator = row.required("indicator");
            t.state = row.get("state");
            t.kind = row.required("kind");
            const auto date = row.date("date");
            const auto value = row.number("value");
            const auto key = lookup_indicator(row, t.indicator);
            if (!t.state.empty() && !state_id(t.state)) row.fail("state", t.state, "an ISO3 code from states.csv, or empty");
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
        if (name == "links.csv") {
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
        throw Error(ErrorCode::internal, "no importer for " + name);
    }

    // The columns of observations.csv, looked up once per file.
    struct ObservationColumns {
        ObservationColumns() = default;
        explicit ObservationColumns(const Row& row)
            : indicator(row.column("indicator")), state(row.column("state")), period(row.column("period")),
              value(row.column("value")), source(row.column("source")), breakdown(row.column("breakdown"))
        {
        }
        Row::Column indicator, state, period, value, source, breakdown;
    };

    // The hot path: millions of rows. Cells are validated as views of the
    // record and bound without copies; indicators and states come from the
    // caches, which is also what makes the foreign keys of the import's
    // transaction safe to leave to the importer (see import_bundle).
    std::optional<PutResult> put_observation(Row& row, Provenance at)
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

    void check_area(Row& row, const std::string& area)
    {
        if (!area.empty() && !ind::is_priority_area(area))
            row.fail("area", area, "a priority area: " + std::string(ind::priority_area_names()));
    }

    // Caches: observation files name the same few indicators and states
    // millions of times, and in runs: the last hit is checked first.
    std::optional<storage::IndicatorKey> lookup_indicator(Row& row, Row::Column column, std::string_view code)
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
    std::optional<storage::IndicatorKey> lookup_indicator(Row& row, const std::string& code)
    {
        return lookup_indicator(row, row.column("indicator"), code);
    }

    std::optional<std::int64_t> state_id(std::string_view iso3)
    {
        if (m_last_state == m_states.end() || m_last_state->first != iso3) {
            m_last_state = m_states.find(iso3);
            if (m_last_state == m_states.end())
                m_last_state = m_states.emplace(std::string(iso3), m_store.state_id(iso3)).first;
        }
        return m_last_state->second;
    }

    void check_indicator_references()
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

    // `sex=female; age_group=18-24` -> `age_group=18-24;sex=female`.
    std::string canonical_breakdown(Row& row, Row::Column column)
    {
        const std::string_view view = row.view(column);
        if (view.empty()) return {};
        const std::string text(view);
        std::map<std::string, std::string> pairs;
        std::size_t pos = 0;
        while (pos <= text.size()) {
            const auto next = text.find(';', pos);
            const std::string item = trim(text.substr(pos, next == std::string::npos ? next : next - pos));
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
            if (next == std::string::npos) break;
            pos = next + 1;
        }
        std::string out;
        for (const auto& [k, v] : pairs) out += (out.empty() ? "" : ";") + k + "=" + v;
        return out;
    }

    static std::string breakdown_keys(const std::string& canonical)
    {
        std::string keys;
        std::size_t pos = 0;
        while (pos < canonical.size()) {
            const auto eq = canonical.find('=', pos);
            const auto next = canonical.find(';', eq);
            keys += (keys.empty() ? "" : ",") + canonical.substr(pos, eq - pos);
            if (next == std::string::npos) break;
            pos = next + 1;
        }
        return keys;
    }

    // Breakdowns of a count by one set of dimensions (sex; or sex and
    // age_group) cannot add up to more than the total.
    void check_breakdowns(const std::string& file)
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

    struct PendingRef {
        std::size_t line;
        std::string code, numerator, denominator;
    };

    PortfolioStore m_store;
    const ImportOptions& m_options;
    Problems m_problems;
    std::string m_current;
    std::vector<PendingRef> m_pending_refs;
    ObservationColumns m_obs;
    // The last hit of each cache: reassigned on every miss (so it never
    // outlives a rehash) and reset when the cache is cleared.
    ByCode<std::optional<storage::IndicatorKey>> m_indicators;
    ByCode<std::optional<storage::IndicatorKey>>::iterator m_last_indicator = m_indicators.end();
    ByCode<std::optional<std::int64_t>> m_states;
    ByCode<std::optional<std::int64_t>>::iterator m_last_state = m_states.end();
    // (indicator, state, period, dimension keys) -> (sum of breakdowns, first line)
    std::map<std::tuple<std::int64_t, std::int64_t, std::string, std::string>, std::pair<double, std::size_t>>
        m_breakdown_sums;
};

}  // namespace

ImportReport import_bundle(storage::Database& db, const std::vector<std::filesystem::path>& inputs,
                           const ImportOptions& options)
{
    const auto& known = bundle_files();
    std::map<std::size_t, std::filesystem::path> files;  // by import order
    std::string known_list;
    for (const auto& k : known) known_list += (known_list.empty() ? "" : ", ") + k;
    if (inputs.empty()) throw Error(ErrorCode::usage, "import: name a bundle folder or files");
    for (const auto& input : inputs) {
        if (std::filesystem::is_directory(input)) {
            std::size_t found = 0;
            for (std::size_t i = 0; i < known.size(); ++i) {
                const auto p = input / known[i];
                if (std::filesystem::exists(p)) {
                    files[i] = p;
                    ++found;
                }
            }
            if (found == 0)
                throw Error(ErrorCode::usage, input.string() + ": no bundle files here; expected some of: " + known_list);
            continue;
        }
        if (!std::filesystem::exists(input)) throw Error(ErrorCode::usage, input.string() + ": no such file or folder");
        const auto it = std::find(known.begin(), known.end(), input.filename().string());
        if (it == known.end())
            throw Error(ErrorCode::usage, input.string() + ": not a bundle file name; expected one of: " + known_list);
        files[static_cast<std::size_t>(it - known.begin())] = input;
    }

    // Foreign keys are the importer's to check in this transaction: every
    // reference a row writes (an indicator, a state, a provider, project or
    // intervention code) is looked up by the importer before the row is
    // written, and a row with an unknown reference is reported and not
    // written; the batch ids are the ones it just inserted. SQLite's own
    // check would repeat, for every observation, three parent-key look-ups
    // (indicator, state, batch) that the importer has already answered from
    // its caches. Any problem rolls everything back; the unknown-reference
    // tests hold the importer to this.
    storage::Database::Transaction tx(db, storage::Database::References::by_caller);
    BundleImporter importer(db, options);
    ImportReport report;
    bool links_changed = false;
    for (const auto& [index, path] : files) {
        report.files.push_back(importer.import_file(known[index], path));
        links_changed |= known[index] == "links.csv" && !report.files.back().skipped_unchanged;
    }
    if (links_changed) importer.check_links_acyclic();
    if (!importer.problems().empty()) importer.problems().raise();
    tx.commit();
    return report;
}

}  // namespace taeval::engine
