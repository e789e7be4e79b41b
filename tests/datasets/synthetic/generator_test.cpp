#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "datasets/synthetic/generator.hpp"
#include "engine/import/importer.hpp"
#include "engine/storage/database.hpp"
#include "engine/io/csv_reader.hpp"
#include "indicators/period.hpp"
#include "models/error.hpp"

using namespace taeval;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> bundle_files{"states.csv",       "providers.csv",  "projects.csv",
                                            "interventions.csv", "indicators.csv", "targets.csv",
                                            "observations.csv",  "links.csv",      "truth.json"};

std::string slurp(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A fresh folder per test case: CTest may run the cases in parallel.
fs::path fresh_dir(const std::string& name)
{
    const auto dir = fs::temp_directory_path() / ("taeval_generator_" + name);
    fs::remove_all(dir);
    return dir;
}

std::vector<std::string> column(const engine::CsvTable& t, const std::string& name)
{
    return t.columns[t.require_column(name)];
}

double to_double(const std::string& s)
{
    std::size_t used = 0;
    const double v = std::stod(s, &used);
    REQUIRE(used == s.size());
    return v;
}

}  // namespace

TEST_CASE("Generator gives byte-identical files for a seed, equal to the committed demo portfolio",
          "[synthetic][generator]")
{
    const auto a = fresh_dir("same_a");
    const auto b = fresh_dir("same_b");
    const auto ra = synthetic::generate_portfolio(synthetic::GeneratorOptions{}, a);
    const auto rb = synthetic::generate_portfolio(synthetic::GeneratorOptions{}, b);
    REQUIRE(ra.files.size() == bundle_files.size());
    CHECK(ra.observations == rb.observations);
    const fs::path committed = fs::path(TAEVAL_SOURCE_DIR) / "datasets" / "demo";
    for (const auto& name : bundle_files) {
        INFO(name);
        const std::string first = slurp(a / name);
        CHECK(first == slurp(b / name));
        CHECK(first == slurp(committed / name));
    }
    fs::remove_all(a);
    fs::remove_all(b);
}

TEST_CASE("Generator output changes with the seed", "[synthetic][generator]")
{
    const auto a = fresh_dir("seed_a");
    const auto b = fresh_dir("seed_b");
    synthetic::GeneratorOptions other;
    other.seed = 7;
    (void)synthetic::generate_portfolio(synthetic::GeneratorOptions{}, a);
    (void)synthetic::generate_portfolio(other, b);
    CHECK(slurp(a / "observations.csv") != slurp(b / "observations.csv"));
    CHECK(slurp(a / "interventions.csv") != slurp(b / "interventions.csv"));
    CHECK(slurp(a / "truth.json") != slurp(b / "truth.json"));
    fs::remove_all(a);
    fs::remove_all(b);
}

TEST_CASE("Generated demo portfolio has the bundle's structure and valid values", "[synthetic][generator]")
{
    const auto dir = fresh_dir("structure");
    const auto r = synthetic::generate_portfolio(synthetic::GeneratorOptions{}, dir);

    const auto states = engine::read_csv_table(dir / "states.csv");
    const auto providers = engine::read_csv_table(dir / "providers.csv");
    const auto projects = engine::read_csv_table(dir / "projects.csv");
    const auto interventions = engine::read_csv_table(dir / "interventions.csv");
    const auto indicators = engine::read_csv_table(dir / "indicators.csv");
    const auto targets = engine::read_csv_table(dir / "targets.csv");
    const auto observations = engine::read_csv_table(dir / "observations.csv");
    const auto links = engine::read_csv_table(dir / "links.csv");

    using H = std::vector<std::string>;
    CHECK(states.header == H{"iso3", "name", "region"});
    CHECK(providers.header == H{"code", "name", "kind"});
    CHECK(projects.header == H{"code", "title", "provider", "area", "start", "end", "recipients"});
    CHECK(interventions.header ==
          H{"code", "project", "kind", "title", "state", "start", "end", "cost", "participants"});
    CHECK(indicators.header == H{"code", "name", "level", "measure", "direction", "unit", "frequency", "area",
                                 "instrument", "article", "numerator", "denominator", "project"});
    CHECK(targets.header == H{"indicator", "state", "kind", "date", "value", "rollup"});
    CHECK(observations.header == H{"indicator", "state", "period", "value", "source"});
    CHECK(links.header == H{"from", "to", "weight", "rationale"});

    CHECK(states.rows() == 30);
    CHECK(providers.rows() == 5);
    CHECK(projects.rows() == 12);
    CHECK(interventions.rows() == 80);
    CHECK(indicators.rows() == 12);
    CHECK(r.observations == observations.rows());
    CHECK(observations.rows() > 10000);

    const auto iso3 = column(states, "iso3");
    const std::set<std::string> state_set(iso3.begin(), iso3.end());
    CHECK(state_set.size() == iso3.size());
    const auto regions = column(states, "region");
    CHECK(std::set<std::string>(regions.begin(), regions.end()).size() >= 5);

    const auto provider_kinds = column(providers, "kind");
    CHECK(std::set<std::string>(provider_kinds.begin(), provider_kinds.end()) ==
          std::set<std::string>{"donor", "agency", "ngo", "government"});

    const auto kinds = column(interventions, "kind");
    CHECK(std::set<std::string>(kinds.begin(), kinds.end()).size() >= 6);
    const auto iv_codes = column(interventions, "code");
    const auto iv_states = column(interventions, "state");
    const auto iv_starts = column(interventions, "start");
    std::map<std::string, std::string> iv_start;
    for (std::size_t i = 0; i < iv_codes.size(); ++i) {
        CHECK(state_set.count(iv_states[i]) == 1);
        REQUIRE(indicators::Date::parse(iv_starts[i]).has_value());
        iv_start[iv_codes[i]] = iv_starts[i];
    }

    // Indicators: the frequencies, measures and directions the contract names.
    std::map<std::string, indicators::Frequency> frequency;
    std::map<std::string, std::string> measure;
    const auto codes = column(indicators, "code");
    const auto freqs = column(indicators, "frequency");
    const auto measures = column(indicators, "measure");
    const auto directions = column(indicators, "direction");
    for (std::size_t i = 0; i < codes.size(); ++i) {
        const auto f = indicators::parse_frequency(freqs[i]);
        REQUIRE(f.has_value());
        frequency[codes[i]] = *f;
        measure[codes[i]] = measures[i];
    }
    CHECK(std::set<std::string>(freqs.begin(), freqs.end()) == std::set<std::string>{"month", "quarter", "year"});
    CHECK(std::set<std::string>(directions.begin(), directions.end()) == std::set<std::string>{"up", "down"});
    for (const char* m : {"count", "percent", "days"}) CHECK(measure.end() != std::find_if(measure.begin(), measure.end(), [&](const auto& kv) { return kv.second == m; }));
    const auto numerators = column(indicators, "numerator");
    const auto denominators = column(indicators, "denominator");
    for (std::size_t i = 0; i < codes.size(); ++i) {
        if (numerators[i].empty()) continue;
        CHECK(measures[i] == "percent");
        CHECK(frequency.count(numerators[i]) == 1);
        CHECK(frequency.count(denominators[i]) == 1);
    }

    // Observations: every period parses, at the indicator's frequency; values valid.
    const auto obs_ind = column(observations, "indicator");
    const auto obs_state = column(observations, "state");
    const auto obs_period = column(observations, "period");
    const auto obs_value = column(observations, "value");
    std::map<std::string, double> by_key;  // indicator|state|period -> value
    std::size_t bad_period = 0;
    std::size_t bad_value = 0;
    for (std::size_t i = 0; i < obs_ind.size(); ++i) {
        REQUIRE(frequency.count(obs_ind[i]) == 1);
        REQUIRE(state_set.count(obs_state[i]) == 1);
        const auto period = indicators::Period::parse(obs_period[i]);
        if (!period || period->frequency() != frequency[obs_ind[i]]) ++bad_period;
        const double v = to_double(obs_value[i]);
        const auto& m = measure[obs_ind[i]];
        if ((m == "percent" || m == "score") && (v < 0 || v > 100)) ++bad_value;
        if (m == "count" && (v < 0 || v != std::floor(v))) ++bad_value;
        if (m == "days" && v <= 0) ++bad_value;
        const auto key = obs_ind[i] + "|" + obs_state[i] + "|" + obs_period[i];
        CHECK(by_key.count(key) == 0);
        by_key[key] = v;
    }
    CHECK(bad_period == 0);
    CHECK(bad_value == 0);
    // Some periods are missing, but not most.
    const double expected = 30.0 * (4 * 96 + 6 * 32 + 2 * 8);
    CHECK(static_cast<double>(observations.rows()) < 0.97 * expected);
    CHECK(static_cast<double>(observations.rows()) > 0.85 * expected);

    // A composite share equals numerator / denominator.
    std::size_t checked = 0;
    for (std::size_t i = 0; i < codes.size(); ++i) {
        if (numerators[i].empty()) continue;
        for (const auto& [key, v] : by_key) {
            if (key.rfind(codes[i] + "|", 0) != 0) continue;
            const auto rest = key.substr(codes[i].size());
            const auto num = by_key.find(numerators[i] + rest);
            const auto den = by_key.find(denominators[i] + rest);
            REQUIRE(num != by_key.end());
            REQUIRE(den != by_key.end());
            CHECK(v == Approx(100 * num->second / den->second).margin(0.006));
            ++checked;
        }
    }
    CHECK(checked > 100);

    // Links: from an existing intervention to an existing series or a later intervention.
    const auto from = column(links, "from");
    const auto to = column(links, "to");
    std::set<std::string> fed_states;
    std::size_t series_links = 0;
    for (std::size_t i = 0; i < from.size(); ++i) {
        REQUIRE(iv_start.count(from[i]) == 1);
        const auto at = to[i].find('@');
        if (at == std::string::npos) {
            REQUIRE(iv_start.count(to[i]) == 1);
            CHECK(iv_start[from[i]] < iv_start[to[i]]);  // forward in time: acyclic
            continue;
        }
        ++series_links;
        CHECK(frequency.count(to[i].substr(0, at)) == 1);
        CHECK(state_set.count(to[i].substr(at + 1)) == 1);
        fed_states.insert(to[i].substr(at + 1));
    }
    CHECK(series_links >= 80);
    CHECK(series_links < from.size());  // some prerequisite links
    CHECK(fed_states.size() < state_set.size());  // controls exist

    // Targets: a baseline and one or two targets per series, and a baseline
    // and a target for each region's roll-up of each count.
    const auto target_kind = column(targets, "kind");
    const auto target_rollup = column(targets, "rollup");
    const auto target_state = column(targets, "state");
    std::size_t baselines = 0, state_rows = 0, rollup_rows = 0;
    std::set<std::string> rollups;
    for (std::size_t i = 0; i < targets.rows(); ++i) {
        if (target_rollup[i].empty()) {
            ++state_rows;
            if (target_kind[i] == "baseline") ++baselines;
            CHECK_FALSE(target_state[i].empty());
        } else {
            ++rollup_rows;
            rollups.insert(target_rollup[i]);
            CHECK(target_state[i].empty());
        }
    }
    CHECK(baselines == 12 * 30);
    CHECK(state_rows >= 2 * baselines);
    CHECK(state_rows <= 3 * baselines);
    CHECK(rollups == std::set<std::string>{"region:Africa", "region:Americas", "region:Asia-Pacific",
                                           "region:Eastern Europe", "region:Western Europe and others"});
    CHECK(rollup_rows % 10 == 0);  // two rows per region and count
    CHECK(rollup_rows >= 20);

    // truth.json: every link planted; the null kinds at exactly zero.
    std::ifstream in(dir / "truth.json");
    const auto truth = nlohmann::json::parse(in);
    const auto nulls = synthetic::null_intervention_kinds();
    REQUIRE(!nulls.empty());
    CHECK(truth["null_kinds"].get<std::vector<std::string>>() == nulls);
    REQUIRE(truth["links"].size() == series_links);
    std::size_t null_links = 0;
    std::size_t doubled = 0;
    std::size_t short_links = 0;
    std::size_t strong = 0;
    for (const auto& l : truth["links"]) {
        const auto kind = l["kind"].get<std::string>();
        const bool is_null = std::find(nulls.begin(), nulls.end(), kind) != nulls.end();
        if (is_null) {
            ++null_links;
            CHECK(l["level_change"].get<double>() == 0.0);
            CHECK(l["slope_change"].get<double>() == 0.0);
        } else {
            CHECK(l["level_change"].get<double>() != 0.0);
        }
        CHECK(l["noise_sd"].get<double>() > 0);
        CHECK(l["phi"].get<double>() >= 0.3);
        CHECK(l["phi"].get<double>() <= 0.6);
        CHECK(indicators::Period::parse(l["start_period"].get<std::string>()).has_value());
        if (!l["other_interventions_on_series"].empty()) ++doubled;
        if (l["short"].get<bool>()) ++short_links;
        if (std::abs(l["average_post_effect_in_sd"].get<double>()) > 3) ++strong;
    }
    CHECK(null_links >= 10);
    CHECK(doubled >= 6);
    CHECK(short_links >= 3);
    CHECK(short_links < series_links / 3);
    CHECK(strong >= 30);
    CHECK(truth["series"].size() == 12 * 30);
    fs::remove_all(dir);
}

TEST_CASE("Generator scales by its options", "[synthetic][generator]")
{
    const auto dir = fresh_dir("scale");
    synthetic::GeneratorOptions opt;
    opt.states = 60;  // more than the built-in list: synthetic codes
    opt.indicators = 15;
    opt.years = 3;
    opt.projects = 4;
    opt.interventions = 10;
    opt.frequency = indicators::Frequency::month;
    const auto r = synthetic::generate_portfolio(opt, dir);
    CHECK(r.states == 60);
    CHECK(r.indicators == 15);
    CHECK(r.projects == 4);
    CHECK(r.interventions == 10);
    CHECK(r.observations > static_cast<std::size_t>(0.8 * 60 * 15 * 36));
    CHECK(r.observations < static_cast<std::size_t>(60 * 15 * 36));
    const auto states = engine::read_csv_table(dir / "states.csv");
    const auto iso3 = column(states, "iso3");
    CHECK(std::set<std::string>(iso3.begin(), iso3.end()).size() == 60);
    CHECK(iso3.back().size() == 3);
    fs::remove_all(dir);
}

TEST_CASE("Generator rejects options out of range", "[synthetic][generator]")
{
    const auto dir = fresh_dir("bad");
    synthetic::GeneratorOptions opt;
    opt.states = 0;
    try {
        (void)synthetic::generate_portfolio(opt, dir);
        FAIL("no error for 0 states");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::usage);
        CHECK(std::string(e.what()).find("--states") != std::string::npos);
    }
    CHECK(!fs::exists(dir));
    opt = {};
    opt.years = 1;
    CHECK_THROWS_AS(synthetic::generate_portfolio(opt, dir), Error);
    opt = {};
    opt.indicators = 0;
    CHECK_THROWS_AS(synthetic::generate_portfolio(opt, dir), Error);
}

TEST_CASE("Every generated portfolio passes import validation, up to the largest state count",
          "[synthetic][generator]")
{
    const auto dir = fresh_dir("import");
    synthetic::GeneratorOptions opt;
    opt.states = 1000;  // synthetic codes past XZZ continue as QMA, QMB, ...
    opt.indicators = 1;
    opt.years = 2;
    opt.projects = 2;
    opt.interventions = 4;
    opt.frequency = indicators::Frequency::year;
    (void)synthetic::generate_portfolio(opt, dir);
    const auto iso3 = column(engine::read_csv_table(dir / "states.csv"), "iso3");
    CHECK(std::set<std::string>(iso3.begin(), iso3.end()).size() == 1000);
    for (const auto& code : iso3) {
        INFO(code);
        CHECK((code.size() == 3 && std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; })));
    }
    engine::storage::Database db(dir / "t.db");
    const auto report = engine::import_bundle(db, {dir});
    CHECK(report.files.size() == 8);
    fs::remove_all(dir);
}
