#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <optional>
#include <sstream>
#include <string>

#include "engine/graph/impact_graph.hpp"
#include "models/error.hpp"

using namespace taeval::engine;

namespace {

Intervention intervention(const std::string& code, const std::string& project, const std::string& kind,
                          std::optional<double> cost)
{
    Intervention i;
    i.code = code;
    i.project = project;
    i.kind = kind;
    i.title = kind + " " + code;
    i.state = "KEN";
    i.start = "2022-01-01";
    i.cost = cost;
    return i;
}

Link to_improvement(const std::string& from, const std::string& indicator, const std::string& state)
{
    Link l;
    l.from = from;
    l.to_indicator = indicator;
    l.to_state = state;
    return l;
}

Link to_intervention(const std::string& from, const std::string& to, double weight = 1)
{
    Link l;
    l.from = from;
    l.to_intervention = to;
    l.weight = weight;
    return l;
}

LinkEffect effect(const std::string& from, const std::string& indicator, Grade grade, double average,
                  double relative, bool improved, bool declared = true)
{
    LinkEffect e;
    e.run = 1;
    e.intervention = from;
    e.indicator = indicator;
    e.state = "KEN";
    e.average_effect.estimate = average;
    e.relative_effect.estimate = relative;
    e.grade = grade;
    e.improved = improved;
    e.declared = declared;
    return e;
}

const double nan = std::numeric_limits<double>::quiet_NaN();

// The hand-built portfolio (every number below is worked out by hand).
//
//   TOT-1 (training of trainers, project PA of provider AGY, USD 50,000)
//     └─prerequisite→ WS-1 (workshop, PA/AGY, USD 100,000)
//   MEN-1 (mentoring, project PB of provider DNR, USD 200,000)
//   DRF-1 (drafting mission, PA/AGY, no cost)
//
//   improvements: MLA@KEN (MLA requests handled, up; area cooperation)
//                 DAYS@KEN (median days to answer, down; area central_authorities)
//
//   declared  WS-1  → MLA@KEN   +3.2, relative +0.20, strong,   improved → improvement +0.20
//   declared  MEN-1 → MLA@KEN   -0.8, relative -0.05, none,     worse    → improvement -0.05
//   declared  WS-1  → DAYS@KEN  -6,   relative -0.15, weak,     improved → improvement +0.15
//   declared  DRF-1 → DAYS@KEN  insufficient_data, no estimate           → not counted
//   suggested MEN-1 → DAYS@KEN  -12,  relative -0.30, moderate, improved → never counted
//
// Credit sets (itself + prerequisites): TOT-1 {TOT-1}, WS-1 {TOT-1, WS-1},
// MEN-1 {MEN-1}, DRF-1 {DRF-1}. Each counted direct effect is split equally
// over its feeder's credit set:
//   WS-1 → MLA  +0.20: TOT-1 +0.10, WS-1 +0.10
//   MEN-1 → MLA -0.05: MEN-1 -0.05
//   WS-1 → DAYS +0.15: TOT-1 +0.075, WS-1 +0.075
ImpactGraphInput small_portfolio()
{
    ImpactGraphInput in;
    in.interventions = {intervention("WS-1", "PA", "workshop", 100000.0),
                        intervention("TOT-1", "PA", "training_of_trainers", 50000.0),
                        intervention("MEN-1", "PB", "mentoring", 200000.0),
                        intervention("DRF-1", "PA", "legislative_drafting", std::nullopt)};
    in.project_provider = {{"PA", "AGY"}, {"PB", "DNR"}};
    in.project_area = {{"PA", "cooperation"}, {"PB", "cooperation"}};
    in.indicator_area = {{"MLA", "cooperation"}, {"DAYS", "central_authorities"}};
    in.links = {to_improvement("WS-1", "MLA", "KEN"), to_improvement("MEN-1", "MLA", "KEN"),
                to_improvement("WS-1", "DAYS", "KEN"), to_improvement("DRF-1", "DAYS", "KEN"),
                to_intervention("TOT-1", "WS-1")};
    in.effects = {effect("WS-1", "MLA", Grade::strong, 3.2, 0.20, true),
                  effect("MEN-1", "MLA", Grade::weak, -0.8, -0.05, false),
                  effect("WS-1", "DAYS", Grade::weak, -6, -0.15, true),
                  effect("DRF-1", "DAYS", Grade::insufficient_data, nan, nan, false),
                  effect("MEN-1", "DAYS", Grade::moderate, -12, -0.30, true, false)};
    return in;
}

const LineageEntry& find(const LineageResult& r, const std::string& code)
{
    for (const auto& e : r.upstream)
        if (e.intervention == code) return e;
    FAIL("no lineage entry " << code);
    throw;
}

std::string dot_text(const ImpactGraph& g)
{
    std::ostringstream out;
    write_impact_graph(out, g, ExportFormat::dot);
    return out.str();
}

}  // namespace

TEST_CASE("Impact graph holds interventions, improvements and every kind of link", "[engine][graph]")
{
    const ImpactGraph g(small_portfolio());
    CHECK(g.intervention_count() == 4);
    CHECK(g.improvement_count() == 2);
    CHECK(g.edge_count() == 6);  // 4 declared, 1 prerequisite, 1 suggested
    CHECK(g.warnings().empty());
}

TEST_CASE("Lineage lists every upstream intervention with paths and hand-computed credit", "[engine][graph]")
{
    const ImpactGraph g(small_portfolio());

    // MLA@KEN: WS-1 +0.10 (direct), TOT-1 +0.10 (through WS-1), MEN-1 -0.05
    // (direct); total = +0.20 - 0.05 = +0.15 = the sum of the credits.
    const auto mla = lineage(g, "MLA@KEN");
    CHECK(mla.indicator == "MLA");
    CHECK(mla.state == "KEN");
    CHECK(mla.area == "cooperation");
    REQUIRE(mla.upstream.size() == 3);
    // Sorted by credit, then code: TOT-1 and WS-1 tie at +0.10.
    CHECK(mla.upstream[0].intervention == "TOT-1");
    CHECK(mla.upstream[1].intervention == "WS-1");
    CHECK(mla.upstream[2].intervention == "MEN-1");
    const auto& tot = find(mla, "TOT-1");
    CHECK_FALSE(tot.direct);
    CHECK_FALSE(tot.effect.has_value());
    CHECK(tot.attributed == Approx(0.10).epsilon(1e-12));
    CHECK(tot.paths == std::vector<std::vector<std::string>>{{"TOT-1", "WS-1", "MLA@KEN"}});
    CHECK(tot.provider == "AGY");
    const auto& ws = find(mla, "WS-1");
    CHECK(ws.direct);
    REQUIRE(ws.effect.has_value());
    CHECK(ws.effect->grade == Grade::strong);
    CHECK(ws.effect->average_effect == Approx(3.2));
    CHECK(ws.effect->improvement == Approx(0.20));
    CHECK(ws.attributed == Approx(0.10).epsilon(1e-12));
    CHECK(ws.paths == std::vector<std::vector<std::string>>{{"WS-1", "MLA@KEN"}});
    const auto& men = find(mla, "MEN-1");
    CHECK(men.direct);
    CHECK(men.provider == "DNR");
    CHECK(men.effect->improvement == Approx(-0.05));  // moved the wrong way
    CHECK(men.attributed == Approx(-0.05).epsilon(1e-12));
    CHECK(mla.total == Approx(0.15).epsilon(1e-12));
    CHECK(mla.uncounted == 0);
    CHECK(mla.suggested.empty());

    // DAYS@KEN (lower is better): WS-1's -6 days is relative -0.15, an
    // improvement of +0.15, split TOT-1 +0.075, WS-1 +0.075; DRF-1 has no
    // estimate: listed, credited 0, counted as uncounted. MEN-1's suggested
    // link (+0.30) is shown apart and left out of the total.
    const auto days = lineage(g, "DAYS@KEN");
    REQUIRE(days.upstream.size() == 3);
    CHECK(find(days, "WS-1").attributed == Approx(0.075).epsilon(1e-12));
    CHECK(find(days, "TOT-1").attributed == Approx(0.075).epsilon(1e-12));
    const auto& drf = find(days, "DRF-1");
    CHECK(drf.direct);
    CHECK(drf.attributed == 0);
    REQUIRE(drf.effect.has_value());
    CHECK(drf.effect->grade == Grade::insufficient_data);
    CHECK_FALSE(drf.effect->counted);
    CHECK(days.upstream.back().intervention == "DRF-1");
    CHECK(days.total == Approx(0.15).epsilon(1e-12));
    CHECK(days.uncounted == 1);
    REQUIRE(days.suggested.size() == 1);
    CHECK(days.suggested[0].intervention == "MEN-1");
    CHECK(days.suggested[0].provider == "DNR");
    REQUIRE(days.suggested[0].effect.has_value());
    CHECK(days.suggested[0].effect->improvement == Approx(0.30));
    CHECK_FALSE(days.suggested[0].effect->counted);
}

TEST_CASE("Reach follows prerequisites to every improvement downstream", "[engine][graph]")
{
    const ImpactGraph g(small_portfolio());

    // TOT-1 reaches both improvements through WS-1: +0.10 + 0.075 = 0.175.
    const auto tot = reach(g, "TOT-1");
    REQUIRE(tot.downstream.size() == 2);
    CHECK(tot.downstream[0].improvement == "DAYS@KEN");
    CHECK(tot.downstream[0].via == "WS-1");
    CHECK(tot.downstream[0].paths == std::vector<std::vector<std::string>>{{"TOT-1", "WS-1", "DAYS@KEN"}});
    CHECK(tot.downstream[0].effect->grade == Grade::weak);
    CHECK(tot.downstream[0].attributed == Approx(0.075).epsilon(1e-12));
    CHECK(tot.downstream[1].improvement == "MLA@KEN");
    CHECK(tot.downstream[1].effect->grade == Grade::strong);
    CHECK(tot.downstream[1].attributed == Approx(0.10).epsilon(1e-12));
    CHECK(tot.total == Approx(0.175).epsilon(1e-12));
    CHECK(tot.uncounted == 0);
    CHECK(tot.suggested.empty());

    // MEN-1: its declared link (-0.05, weak) counts; its suggested one does not.
    const auto men = reach(g, "MEN-1");
    REQUIRE(men.downstream.size() == 1);
    CHECK(men.downstream[0].improvement == "MLA@KEN");
    CHECK(men.downstream[0].via == "MEN-1");
    CHECK(men.downstream[0].effect->grade == Grade::weak);
    CHECK(men.total == Approx(-0.05).epsilon(1e-12));
    REQUIRE(men.suggested.size() == 1);
    CHECK(men.suggested[0].improvement == "DAYS@KEN");

    // DRF-1: its only link has no estimate.
    const auto drf = reach(g, "DRF-1");
    REQUIRE(drf.downstream.size() == 1);
    CHECK(drf.downstream[0].attributed == 0);
    CHECK(drf.uncounted == 1);
    CHECK(drf.total == 0);
}

TEST_CASE("Overlap finds improvements fed by two providers, declared links only", "[engine][graph]")
{
    const ImpactGraph g(small_portfolio());

    // MLA@KEN: WS-1 (AGY) and MEN-1 (DNR). DAYS@KEN: WS-1 and DRF-1 are
    // both AGY's; MEN-1 (DNR) feeds it only by a suggested link, which does
    // not make an overlap.
    const auto all = overlap(g);
    REQUIRE(all.size() == 1);
    CHECK(all[0].improvement == "MLA@KEN");
    CHECK(all[0].area == "cooperation");
    CHECK(all[0].providers == std::vector<std::string>{"AGY", "DNR"});
    REQUIRE(all[0].feeders.size() == 2);
    CHECK(all[0].feeders[0].intervention == "WS-1");
    CHECK(all[0].feeders[0].provider == "AGY");
    CHECK(all[0].feeders[0].effect->improvement == Approx(0.20));
    CHECK(all[0].feeders[1].intervention == "MEN-1");
    CHECK(all[0].feeders[1].provider == "DNR");
    CHECK(all[0].total == Approx(0.15).epsilon(1e-12));

    CHECK(overlap(g, std::string("cooperation")).size() == 1);
    CHECK(overlap(g, std::string("central_authorities")).empty());
}

TEST_CASE("Rank orders interventions by attributed improvement, in total and per cost", "[engine][graph]")
{
    const ImpactGraph g(small_portfolio());

    // Totals: TOT-1 0.175, WS-1 0.175 (tie: by code), DRF-1 0, MEN-1 -0.05.
    const auto total = rank(g, RankBy::total);
    REQUIRE(total.size() == 4);
    CHECK(total[0].intervention == "TOT-1");
    CHECK(total[0].total == Approx(0.175).epsilon(1e-12));
    CHECK(total[0].improvements == 2);
    CHECK(total[1].intervention == "WS-1");
    CHECK(total[1].total == Approx(0.175).epsilon(1e-12));
    CHECK(total[2].intervention == "DRF-1");
    CHECK(total[2].total == 0);
    CHECK(total[2].uncounted == 1);
    CHECK(total[2].improvements == 0);
    CHECK(total[3].intervention == "MEN-1");
    CHECK(total[3].total == Approx(-0.05).epsilon(1e-12));
    for (std::size_t i = 0; i < total.size(); ++i) CHECK(total[i].rank == i + 1);

    // Per USD 100,000: TOT-1 0.175/0.5 = 0.35, WS-1 0.175/1 = 0.175,
    // MEN-1 -0.05/2 = -0.025; DRF-1 has no cost: last, rank 0.
    const auto per_cost = rank(g, RankBy::per_cost);
    REQUIRE(per_cost.size() == 4);
    CHECK(per_cost[0].intervention == "TOT-1");
    CHECK(per_cost[0].per_100k == Approx(0.35).epsilon(1e-12));
    CHECK(per_cost[1].intervention == "WS-1");
    CHECK(per_cost[1].per_100k == Approx(0.175).epsilon(1e-12));
    CHECK(per_cost[2].intervention == "MEN-1");
    CHECK(per_cost[2].per_100k == Approx(-0.025).epsilon(1e-12));
    CHECK(per_cost[3].intervention == "DRF-1");
    CHECK(per_cost[3].rank == 0);
    CHECK_FALSE(per_cost[3].cost.has_value());
    CHECK(std::isnan(per_cost[3].per_100k));
}

TEST_CASE("Credit flows through a prerequisite chain and a diamond by equal shares", "[engine][graph]")
{
    // A → B → C → IND@KEN (+0.6) and A → D → C, E → C with weight 0:
    // C's credit set is {A, B, C, D} (E's zero-weight link gives no credit),
    // so each gets 0.6 / 4 = 0.15. A has two paths (through B and through D).
    ImpactGraphInput in;
    for (const char* code : {"A", "B", "C", "D", "E"}) in.interventions.push_back(intervention(code, "PA", "k", 1e5));
    in.links = {to_intervention("A", "B"), to_intervention("B", "C"), to_intervention("A", "D"),
                to_intervention("D", "C"), to_intervention("E", "C", 0), to_improvement("C", "IND", "KEN")};
    in.effects = {effect("C", "IND", Grade::moderate, 2, 0.6, true)};
    const ImpactGraph g(in);

    const auto l = lineage(g, "IND@KEN");
    REQUIRE(l.upstream.size() == 5);
    for (const auto& code : {"A", "B", "C", "D"}) CHECK(find(l, code).attributed == Approx(0.15).epsilon(1e-12));
    CHECK(find(l, "E").attributed == 0);
    CHECK(find(l, "E").paths == std::vector<std::vector<std::string>>{{"E", "C", "IND@KEN"}});
    CHECK(find(l, "A").paths ==
          std::vector<std::vector<std::string>>{{"A", "B", "C", "IND@KEN"}, {"A", "D", "C", "IND@KEN"}});
    CHECK(l.total == Approx(0.6).epsilon(1e-12));

    const auto r = reach(g, "A");
    REQUIRE(r.downstream.size() == 1);
    CHECK(r.downstream[0].via == "C");
    CHECK(r.downstream[0].paths.size() == 2);
    CHECK(r.total == Approx(0.15).epsilon(1e-12));
}

TEST_CASE("A cycle in the declared links is rejected with every vertex on it", "[engine][graph]")
{
    ImpactGraphInput in;
    for (const char* code : {"A", "B", "C", "D"}) in.interventions.push_back(intervention(code, "PA", "k", 1e5));
    in.links = {to_intervention("A", "B"), to_intervention("B", "C"), to_intervention("C", "A"),
                to_intervention("D", "A"), to_improvement("C", "IND", "KEN")};
    try {
        const ImpactGraph g(in);
        FAIL("no error for a cycle");
    } catch (const taeval::Error& e) {
        CHECK(e.code() == taeval::ErrorCode::bad_input);
        const std::string message = e.what();
        CHECK_THAT(message, Catch::Contains("cycle"));
        CHECK_THAT(message, Catch::Contains("A → B → C → A"));
        CHECK_THAT(message, !Catch::Contains("D"));
    }

    ImpactGraphInput self;
    self.interventions = {intervention("A", "PA", "k", 1e5)};
    self.links = {to_intervention("A", "A")};
    CHECK_THROWS_WITH(ImpactGraph(self), Catch::Contains("A → A"));
}

TEST_CASE("Unknown interventions and vertices are errors", "[engine][graph]")
{
    auto in = small_portfolio();
    in.links.push_back(to_improvement("NOPE", "MLA", "KEN"));
    in.effects.push_back(effect("GHOST", "MLA", Grade::weak, 1, 0.1, true, false));
    try {
        const ImpactGraph g(in);
        FAIL("no error for unknown interventions");
    } catch (const taeval::Error& e) {
        CHECK(e.code() == taeval::ErrorCode::bad_input);
        CHECK_THAT(std::string(e.what()), Catch::Contains("'NOPE'") && Catch::Contains("'GHOST'"));
    }

    const ImpactGraph g(small_portfolio());
    CHECK_THROWS_MATCHES(lineage(g, "MLA@FRA"), taeval::Error,
                         Catch::Predicate<taeval::Error>(
                             [](const taeval::Error& e) { return e.code() == taeval::ErrorCode::not_found; }));
    CHECK_THROWS_AS(lineage(g, "WS-1"), taeval::Error);
    CHECK_THROWS_AS(reach(g, "MLA@KEN"), taeval::Error);
    CHECK_THROWS_WITH(reach(g, "NOPE"), Catch::Contains("NOPE"));
}

TEST_CASE("A declared effect without a link and a duplicate link are warned about, not used", "[engine][graph]")
{
    auto in = small_portfolio();
    in.effects.push_back(effect("TOT-1", "MLA", Grade::strong, 9, 0.9, true));
    in.links.push_back(to_improvement("WS-1", "MLA", "KEN"));
    const ImpactGraph g(in);
    CHECK(g.warnings().size() == 2);
    CHECK(lineage(g, "MLA@KEN").total == Approx(0.15).epsilon(1e-12));
}

TEST_CASE("Only graded links with a relative effect count in totals and ranks", "[engine][graph]")
{
    // A zero effect whose relative estimate is large only because the
    // counterfactual level is near zero (grade none), and a link without a
    // relative effect (the level was not clearly away from zero): neither
    // counts, neither lifts its intervention in the ranking.
    auto in = small_portfolio();
    in.interventions.push_back(intervention("RW-1", "PA", "regional_workshop", 10000.0));
    in.interventions.push_back(intervention("RW-2", "PA", "regional_workshop", 10000.0));
    in.links.push_back(to_improvement("RW-1", "MLA", "KEN"));
    in.links.push_back(to_improvement("RW-2", "DAYS", "KEN"));
    in.effects.push_back(effect("RW-1", "MLA", Grade::none, 0.4, 3.79, true));
    in.effects.push_back(effect("RW-2", "DAYS", Grade::strong, -2, std::numeric_limits<double>::quiet_NaN(), true));
    const ImpactGraph g(in);
    const auto ranked = rank(g, RankBy::total);
    REQUIRE_FALSE(ranked.empty());
    CHECK(ranked.front().intervention != "RW-1");
    for (const auto& r : ranked) {
        if (r.intervention != "RW-1" && r.intervention != "RW-2") continue;
        CHECK(r.total == 0);
        CHECK(r.uncounted == 1);
    }
    CHECK(lineage(g, "MLA@KEN").total == Approx(0.15).epsilon(1e-12));
    CHECK(lineage(g, "MLA@KEN").uncounted == 1);
    CHECK(lineage(g, "DAYS@KEN").uncounted == 2);
    // Each says why.
    const auto rw1 = reach(g, "RW-1");
    REQUIRE(rw1.downstream.size() == 1);
    CHECK_FALSE(rw1.downstream[0].effect->counted);
    CHECK(rw1.downstream[0].effect->uncounted_reason == "graded none: the data show no change");
    const auto rw2 = reach(g, "RW-2");
    REQUIRE(rw2.downstream.size() == 1);
    CHECK_THAT(rw2.downstream[0].effect->uncounted_reason, Catch::StartsWith("no relative effect"));
    const auto ws = reach(g, "WS-1");
    for (const auto& d : ws.downstream) {
        CHECK(d.effect->counted);
        CHECK(d.effect->uncounted_reason.empty());
    }
}

TEST_CASE("DOT export shapes vertices and colours and labels edges by grade", "[engine][graph]")
{
    auto in = small_portfolio();
    in.interventions.push_back(intervention("RW-1", "PA", "regional_workshop", 10000.0));
    in.links.push_back(to_improvement("RW-1", "MLA", "KEN"));
    in.effects.push_back(effect("RW-1", "MLA", Grade::none, 0.1, 0.01, true));
    const ImpactGraph g(in);
    const auto dot = dot_text(g);
    CHECK_THAT(dot, Catch::StartsWith("digraph"));
    CHECK_THAT(dot, Catch::Contains("\"WS-1\" [shape=box"));
    CHECK_THAT(dot, Catch::Contains("\"MLA@KEN\" [shape=ellipse"));
    CHECK_THAT(dot, Catch::Contains("\"WS-1\"->\"MLA@KEN\" [color=\"darkgreen\""));
    CHECK_THAT(dot, Catch::Contains("label=\"+3.2 (strong)\""));
    CHECK_THAT(dot, Catch::Contains("[color=\"orange\", fontcolor=\"orange\", style=solid, label=\"-6 (weak)\"]"));
    CHECK_THAT(dot, Catch::Contains("\"RW-1\"->\"MLA@KEN\" [color=\"grey50\""));
    CHECK_THAT(dot, Catch::Contains(
                        "[color=\"lightgrey\", fontcolor=\"lightgrey\", style=dashed, label=\"n/a (insufficient_data)\"]"));
    CHECK_THAT(dot, Catch::Contains("style=dotted, label=\"suggested: -12 (moderate)\""));
    CHECK_THAT(dot, Catch::Contains("\"TOT-1\"->\"WS-1\" [color=\"black\""));
}

TEST_CASE("DOT export renders with Graphviz dot -Tsvg", "[engine][graph]")
{
    if (std::system("command -v dot >/dev/null 2>&1") != 0) {
        WARN("Graphviz dot is not on PATH; the render is not checked");
        return;
    }
    auto in = small_portfolio();
    in.interventions[0].title = "A \"quoted\" title with a back\\slash";  // must not break the DOT
    const ImpactGraph g(in);
    const auto dir = std::filesystem::temp_directory_path() /
                     ("taeval_graph_test_" + std::to_string(std::hash<std::string>{}(dot_text(g)) % 1000000));
    std::filesystem::create_directories(dir);
    const auto dot_file = dir / "impact.dot";
    const auto svg_file = dir / "impact.svg";
    std::ofstream(dot_file) << dot_text(g);
    const std::string command = "dot -Tsvg \"" + dot_file.string() + "\" -o \"" + svg_file.string() + "\"";
    CHECK(std::system(command.c_str()) == 0);
    std::ifstream svg(svg_file);
    const std::string text((std::istreambuf_iterator<char>(svg)), std::istreambuf_iterator<char>());
    CHECK_THAT(text, Catch::Contains("<svg"));
    CHECK_THAT(text, Catch::Contains("+3.2 (strong)"));
    std::filesystem::remove_all(dir);
}

TEST_CASE("JSON and GraphML exports hold every vertex and edge", "[engine][graph]")
{
    const ImpactGraph g(small_portfolio());
    std::ostringstream json;
    write_impact_graph(json, g, ExportFormat::json);
    const auto j = json.str();
    CHECK_THAT(j, Catch::Contains("\"vertices\"") && Catch::Contains("\"edges\""));
    CHECK_THAT(j, Catch::Contains("\"link\": \"suggested\""));
    CHECK_THAT(j, Catch::Contains("\"type\": \"improvement\""));

    std::ostringstream graphml;
    write_impact_graph(graphml, g, ExportFormat::graphml);
    const auto x = graphml.str();
    CHECK_THAT(x, Catch::Contains("<graphml"));
    CHECK_THAT(x, Catch::Contains("<node id=\"MLA@KEN\">"));
    CHECK_THAT(x, Catch::Contains("source=\"TOT-1\" target=\"WS-1\""));
    CHECK_THAT(x, !Catch::Contains("nan"));
    std::size_t edges = 0;
    for (auto pos = x.find("<edge "); pos != std::string::npos; pos = x.find("<edge ", pos + 1)) ++edges;
    CHECK(edges == 6);
}
