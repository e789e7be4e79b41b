// `taeval graph lineage|reach|overlap|rank|export`: the impact graph of the
// portfolio and the latest evaluation run. All work is in
// engine/graph/impact_graph; this file only formats what it returns.
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>

#include <boost/algorithm/string/join.hpp>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "engine/graph/graph_input.hpp"
#include "engine/graph/impact_graph.hpp"
#include "engine/storage/database.hpp"
#include "models/error.hpp"

namespace taeval::cli {

namespace {

using engine::EdgeEffect;

struct GraphArgs {
    std::optional<std::int64_t> run;
    Format format = Format::table;
    std::string target;  // the improvement of lineage, the intervention of reach
    std::optional<std::string> area;
    engine::RankBy by = engine::RankBy::total;
    engine::ExportFormat export_format = engine::ExportFormat::dot;
    std::string out;
};

engine::ImpactGraph load_graph(const GlobalOptions& global, const GraphArgs& args)
{
    const auto database = global.open(engine::storage::Access::read);
    auto& db = *database;
    engine::ImpactGraph graph(engine::load_impact_graph_input(db, args.run));
    for (const auto& w : graph.warnings()) std::cerr << "taeval: warning: " << w << '\n';
    return graph;
}

nlohmann::json effect_json(const std::optional<EdgeEffect>& e)
{
    if (!e) return nullptr;
    return {{"grade", std::string(engine::to_string(e->grade))},
            {"average_effect", json_number(e->average_effect)},
            {"relative_effect", json_number(e->relative_effect)},
            {"improvement", json_number(e->improvement)},
            {"improved", e->improved},
            {"counted", e->counted},
            {"uncounted_reason", e->counted ? nlohmann::json(nullptr) : nlohmann::json(e->uncounted_reason)}};
}

std::string grade_text(const std::optional<EdgeEffect>& e)
{
    return e ? std::string(engine::to_string(e->grade)) : std::string("not evaluated");
}

std::string paths_text(const std::vector<std::vector<std::string>>& paths, bool truncated)
{
    std::vector<std::string> each;
    for (const auto& p : paths) each.push_back(boost::algorithm::join(p, " > "));
    return boost::algorithm::join(each, "; ") + (truncated ? "; ..." : "");
}

// Effect cells: average effect (indicator units) and relative effect.
std::vector<std::string> effect_cells(const std::optional<EdgeEffect>& e)
{
    if (!e) return {"not evaluated", "", ""};
    return {grade_text(e), fmt_number(e->average_effect, 4), fmt_number(e->relative_effect, 4)};
}

nlohmann::json suggested_json(const std::vector<engine::SuggestedLink>& links)
{
    auto out = nlohmann::json::array();
    for (const auto& s : links)
        out.push_back({{"intervention", s.intervention},
                       {"provider", s.provider},
                       {"improvement", s.improvement},
                       {"effect", effect_json(s.effect)}});
    return out;
}

void print_totals(Format format, double total, std::size_t uncounted)
{
    if (format != Format::table) return;
    std::cout << "total attributed improvement: " << fmt_number(total, 4);
    if (uncounted > 0)
        std::cout << " (" << uncounted
                  << " declared link(s) not counted: graded none or insufficient_data, or without a relative effect)";
    std::cout << '\n';
}

void show_lineage(const GlobalOptions& global, const GraphArgs& args)
{
    const auto r = engine::lineage(load_graph(global, args), args.target);
    TextTable t;
    t.header = {"intervention", "provider", "link", "grade", "effect", "relative", "attributed", "paths"};
    t.right = {false, false, false, false, true, true, true, false};
    auto upstream = nlohmann::json::array();
    for (const auto& e : r.upstream) {
        auto cells = effect_cells(e.effect);
        if (!e.direct) cells = {"", "", ""};
        t.rows.push_back({e.intervention, e.provider, e.direct ? "direct" : "upstream", cells[0], cells[1], cells[2],
                          fmt_number(e.attributed, 4), paths_text(e.paths, e.paths_truncated)});
        upstream.push_back({{"intervention", e.intervention},
                            {"kind", e.kind},
                            {"project", e.project},
                            {"provider", e.provider},
                            {"direct", e.direct},
                            {"effect", effect_json(e.effect)},
                            {"attributed", json_number(e.attributed)},
                            {"paths", e.paths},
                            {"paths_truncated", e.paths_truncated}});
    }
    for (const auto& s : r.suggested) {
        const auto cells = effect_cells(s.effect);
        t.rows.push_back({s.intervention, s.provider, "suggested", cells[0], cells[1], cells[2], "",
                          s.intervention + " > " + s.improvement});
    }
    const nlohmann::json json{{"improvement", r.improvement},
                              {"indicator", r.indicator},
                              {"state", r.state},
                              {"area", r.area},
                              {"total", json_number(r.total)},
                              {"uncounted", r.uncounted},
                              {"upstream", upstream},
                              {"suggested", suggested_json(r.suggested)}};
    print_listing(std::cout, args.format, t, json);
    print_totals(args.format, r.total, r.uncounted);
}

void show_reach(const GlobalOptions& global, const GraphArgs& args)
{
    const auto r = engine::reach(load_graph(global, args), args.target);
    TextTable t;
    t.header = {"improvement", "via", "link", "grade", "effect", "relative", "attributed", "paths"};
    t.right = {false, false, false, false, true, true, true, false};
    auto downstream = nlohmann::json::array();
    for (const auto& e : r.downstream) {
        const auto cells = effect_cells(e.effect);
        t.rows.push_back({e.improvement, e.via, "declared", cells[0], cells[1], cells[2], fmt_number(e.attributed, 4),
                          paths_text(e.paths, e.paths_truncated)});
        downstream.push_back({{"improvement", e.improvement},
                              {"indicator", e.indicator},
                              {"state", e.state},
                              {"via", e.via},
                              {"effect", effect_json(e.effect)},
                              {"attributed", json_number(e.attributed)},
                              {"paths", e.paths},
                              {"paths_truncated", e.paths_truncated}});
    }
    for (const auto& s : r.suggested) {
        const auto cells = effect_cells(s.effect);
        t.rows.push_back({s.improvement, s.intervention, "suggested", cells[0], cells[1], cells[2], "",
                          s.intervention + " > " + s.improvement});
    }
    const nlohmann::json json{{"intervention", r.intervention},
                              {"total", json_number(r.total)},
                              {"uncounted", r.uncounted},
                              {"downstream", downstream},
                              {"suggested", suggested_json(r.suggested)}};
    print_listing(std::cout, args.format, t, json);
    print_totals(args.format, r.total, r.uncounted);
}

void show_overlap(const GlobalOptions& global, const GraphArgs& args)
{
    const auto entries = engine::overlap(load_graph(global, args), args.area);
    TextTable t;
    t.header = {"improvement", "area", "providers", "intervention", "provider", "grade", "effect", "relative"};
    t.right = {false, false, false, false, false, false, true, true};
    auto json = nlohmann::json::array();
    for (const auto& o : entries) {
        auto feeders = nlohmann::json::array();
        for (const auto& f : o.feeders) {
            const auto cells = effect_cells(f.effect);
            t.rows.push_back(
                {o.improvement, o.area, boost::algorithm::join(o.providers, ";"), f.intervention, f.provider, cells[0], cells[1], cells[2]});
            feeders.push_back({{"intervention", f.intervention},
                               {"project", f.project},
                               {"provider", f.provider},
                               {"effect", effect_json(f.effect)}});
        }
        json.push_back({{"improvement", o.improvement},
                        {"indicator", o.indicator},
                        {"state", o.state},
                        {"area", o.area},
                        {"providers", o.providers},
                        {"total", json_number(o.total)},
                        {"feeders", feeders}});
    }
    print_listing(std::cout, args.format, t, json);
}

void show_rank(const GlobalOptions& global, const GraphArgs& args)
{
    const auto entries = engine::rank(load_graph(global, args), args.by);
    TextTable t;
    t.header = {"rank", "intervention", "kind", "provider", "cost", "total", "per_100k", "improvements", "uncounted"};
    t.right = {true, false, false, false, true, true, true, true, true};
    auto json = nlohmann::json::array();
    for (const auto& r : entries) {
        t.rows.push_back({r.rank == 0 ? "" : std::to_string(r.rank), r.intervention, r.kind, r.provider,
                          r.cost ? fmt_number(*r.cost, 10) : "", fmt_number(r.total, 4), fmt_number(r.per_100k, 4),
                          std::to_string(r.improvements), std::to_string(r.uncounted)});
        json.push_back({{"rank", r.rank == 0 ? nlohmann::json(nullptr) : nlohmann::json(r.rank)},
                        {"intervention", r.intervention},
                        {"kind", r.kind},
                        {"project", r.project},
                        {"provider", r.provider},
                        {"cost", r.cost ? json_number(*r.cost) : nlohmann::json(nullptr)},
                        {"total", json_number(r.total)},
                        {"per_100k", json_number(r.per_100k)},
                        {"improvements", r.improvements},
                        {"uncounted", r.uncounted}});
    }
    print_listing(std::cout, args.format, t, json);
}

void export_graph(const GlobalOptions& global, const GraphArgs& args)
{
    const auto graph = load_graph(global, args);
    if (args.out.empty()) {
        engine::write_impact_graph(std::cout, graph, args.export_format);
        return;
    }
    std::ofstream file(args.out, std::ios::binary);
    if (file) engine::write_impact_graph(file, graph, args.export_format);
    file.close();
    if (!file) throw Error(ErrorCode::bad_input, "--out: cannot write '" + args.out + "'");
}

}  // namespace

void add_graph_command(CLI::App& app, const GlobalOptions& global)
{
    auto* cmd = app.add_subcommand("graph", "The impact graph: which interventions fed which improvements");
    cmd->require_subcommand(1);
    auto add = [&](const char* name, const char* help) {
        auto args = std::make_shared<GraphArgs>();
        auto* sub = cmd->add_subcommand(name, help);
        sub->add_option("--run", args->run, "Evaluation run whose effects to use (default: the latest)");
        return std::make_pair(sub, args);
    };

    {
        auto [sub, args] = add("lineage", "Every intervention upstream of an improvement, with paths and credit");
        sub->add_option("improvement", args->target, "INDICATOR@ISO3")->required();
        add_format_option(*sub, args->format);
        sub->callback([&global, a = args] { show_lineage(global, *a); });
    }
    {
        auto [sub, args] = add("reach", "Every improvement downstream of an intervention, with effects and grades");
        sub->add_option("intervention", args->target, "Intervention code")->required();
        add_format_option(*sub, args->format);
        sub->callback([&global, a = args] { show_reach(global, *a); });
    }
    {
        auto [sub, args] = add("overlap", "Improvements fed by interventions of several providers");
        sub->add_option("--area", args->area, "Only improvements whose indicator is in this priority area");
        add_format_option(*sub, args->format);
        sub->callback([&global, a = args] { show_overlap(global, *a); });
    }
    {
        auto [sub, args] = add("rank", "Interventions by attributed improvement");
        const std::map<std::string, engine::RankBy> by{{"total", engine::RankBy::total},
                                                       {"per-cost", engine::RankBy::per_cost}};
        sub->add_option("--by", args->by, "total, or per-cost (per USD 100,000)")
            ->transform(CLI::CheckedTransformer(by, CLI::ignore_case))
            ->default_str("total");
        add_format_option(*sub, args->format);
        sub->callback([&global, a = args] { show_rank(global, *a); });
    }
    {
        auto [sub, args] = add("export", "The whole graph as Graphviz DOT, GraphML or JSON");
        const std::map<std::string, engine::ExportFormat> formats{{"dot", engine::ExportFormat::dot},
                                                                  {"graphml", engine::ExportFormat::graphml},
                                                                  {"json", engine::ExportFormat::json}};
        sub->add_option("--format", args->export_format, "dot, graphml or json")
            ->transform(CLI::CheckedTransformer(formats, CLI::ignore_case))
            ->default_str("dot");
        sub->add_option("--out", args->out, "Output file (default: standard output)");
        sub->callback([&global, a = args] { export_graph(global, *a); });
    }
}

}  // namespace taeval::cli
