#include "engine/demo/demo.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "engine/evaluation/pipeline.hpp"
#include "engine/graph/graph_input.hpp"
#include "engine/graph/impact_graph.hpp"
#include "engine/score/score.hpp"
#include "engine/storage/database.hpp"
#include "engine/storage/portfolio_store.hpp"
#include "engine/storage/series_store.hpp"
#include "indicators/period.hpp"
#include "models/error.hpp"

namespace taeval::engine {

DemoReport run_demo(const DemoOptions& options)
{
    if (options.bundle.empty()) throw Error(ErrorCode::usage, "demo: no bundle to run on");
    DemoReport report;
    std::filesystem::create_directories(options.out);
    report.bundle = options.bundle;
    report.database = options.out / "taeval.db";
    // The demo starts from nothing each time so its output is reproducible.
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(report.database.string() + suffix);

    storage::Database db(report.database);
    if (options.progress) options.progress("importing " + report.bundle.string());
    report.import = import_bundle(db, {report.bundle});

    storage::PortfolioStore store(db);
    const auto counts = store.counts();
    report.states = counts.states;
    report.providers = counts.providers;
    report.projects = counts.projects;
    report.interventions = counts.interventions;
    report.indicators = counts.indicators;
    report.observations = counts.observations;
    report.links = counts.links;
    for (const auto& i : store.interventions()) {
        auto& [n, cost] = report.kinds[i.kind];
        ++n;
        cost += i.cost.value_or(0);
    }

    // Coverage: for each series of totals, the periods from its first to its
    // last report, and how many of them were reported.
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> seen;  // indicator -> (observed, expected)
    storage::for_each_indicator_series(db, [&](const std::string& code, std::vector<storage::StateReports>& series) {
        auto& [observed, expected] = seen[code];
        for (const auto& r : series) {
            if (r.points.empty()) continue;
            observed += static_cast<std::int64_t>(r.points.size());
            expected += r.points.back().period.minus(r.points.front().period) + 1;
        }
    });
    for (const auto& [code, oe] : seen)
        report.coverage[code] = oe.second == 0 ? 0.0 : static_cast<double>(oe.first) / static_cast<double>(oe.second);

    if (options.progress) options.progress("scoring");
    for (const auto& row : score_portfolio(db, {}).rows) ++report.statuses[std::string(indicators::to_string(row.score.status))];

    if (options.progress) options.progress("evaluating");
    const auto evaluation = evaluate_portfolio(db, {});
    report.run = evaluation.run;
    report.series = evaluation.series;
    std::map<std::string, double> cost;
    for (const auto& i : store.interventions())
        if (i.cost) cost[i.code] = *i.cost;
    for (const auto& e : evaluation.effects) {
        if (!e.declared) {
            ++report.suggested;
            continue;
        }
        ++report.grades[std::string(to_string(e.grade))];
        if (e.grade == Grade::strong && e.improved) report.strongest.push_back(e);
    }
    std::sort(report.strongest.begin(), report.strongest.end(), [](const LinkEffect& a, const LinkEffect& b) {
        // Without a relative effect (NaN) last.
        const double x = std::abs(a.relative_effect.estimate), y = std::abs(b.relative_effect.estimate);
        return std::isnan(y) ? !std::isnan(x) : x > y;
    });
    if (report.strongest.size() > 5) report.strongest.resize(5);
    report.kinds_pooled = synthesise_by_kind(evaluation.effects, cost);
    const ImpactGraph graph(load_impact_graph_input(db, evaluation.run));
    for (const auto& o : overlap(graph)) report.overlaps.emplace_back(o.improvement, o.providers);

    nlohmann::json j;
    j["bundle"] = report.bundle.string();
    j["database"] = report.database.string();
    j["portfolio"] = {{"states", report.states},       {"providers", report.providers},
                      {"projects", report.projects},   {"interventions", report.interventions},
                      {"indicators", report.indicators}, {"observations", report.observations},
                      {"links", report.links}};
    for (const auto& [kind, nc] : report.kinds) j["kinds"][kind] = {{"interventions", nc.first}, {"cost", nc.second}};
    for (const auto& [code, c] : report.coverage) j["coverage"][code] = c;
    j["statuses"] = report.statuses;
    j["evaluation"] = {{"run", report.run}, {"series", report.series}, {"grades", report.grades},
                       {"suggested", report.suggested}};
    for (const auto& e : report.strongest)
        j["strongest"].push_back({{"intervention", e.intervention}, {"kind", e.kind},
                                  {"improvement", e.indicator + "@" + e.state},
                                  {"relative_effect", e.relative_effect.estimate}});
    auto finite = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); };
    for (const auto& k : report.kinds_pooled)
        j["kinds_pooled"].push_back({{"kind", k.kind}, {"links", k.links}, {"estimate", finite(k.estimate)},
                                     {"ci_low", finite(k.ci_low)}, {"ci_high", finite(k.ci_high)}, {"p", finite(k.p)},
                                     {"i2", finite(k.i2)}, {"cost_per_point", finite(k.cost_per_point)}});
    for (const auto& [improvement, providers] : report.overlaps)
        j["overlaps"].push_back({{"improvement", improvement}, {"providers", providers}});
    report.report = options.out / "report.json";
    std::ofstream(report.report) << j.dump(2) << '\n';
    return report;
}

}  // namespace taeval::engine
