#include "engine/graph/impact_graph.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphviz.hpp>
#include <boost/graph/topological_sort.hpp>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <iterator>
#include <ostream>
#include <set>
#include <tuple>

#include "engine/graph/cycles.hpp"
#include "models/error.hpp"

namespace taeval::engine {

// The Boost.Graph types live in a named namespace (not an anonymous one) so
// that ImpactGraph::Impl, which has external linkage, may hold them.
namespace impact_detail {

struct VertexProps {
    bool is_intervention = false;
    std::string name;  // intervention code, or INDICATOR@ISO3
    // interventions
    std::string kind;
    std::string title;
    std::string project;
    std::string provider;
    std::optional<double> cost;
    // both: an intervention's state (empty when regional), an improvement's
    // state; an intervention's project area, an improvement's indicator area
    std::string state;
    std::string area;
    // improvements
    std::string indicator;
};

struct EdgeProps {
    EdgeKind kind = EdgeKind::declared;
    double weight = 1;
    std::string rationale;
    std::optional<EdgeEffect> effect;
};

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, VertexProps, EdgeProps>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;
using EdgeDesc = boost::graph_traits<Graph>::edge_descriptor;

}  // namespace impact_detail

using impact_detail::EdgeDesc;
using impact_detail::EdgeProps;
using impact_detail::Graph;
using impact_detail::Vertex;
using impact_detail::VertexProps;

struct ImpactGraph::Impl {
    Graph g;
    std::map<std::string, Vertex, std::less<>> by_name;
    std::size_t interventions = 0;
    std::size_t improvements = 0;
    std::vector<std::string> warnings;
    /// Per intervention vertex: itself and every intervention upstream of it
    /// along prerequisite links of positive weight, sorted. A direct effect of
    /// the intervention is shared equally among them (docs/graph.md).
    std::vector<std::vector<Vertex>> credit_set;
};

std::string_view to_string(EdgeKind kind) noexcept
{
    switch (kind) {
    case EdgeKind::prerequisite: return "prerequisite";
    case EdgeKind::declared: return "declared";
    case EdgeKind::suggested: return "suggested";
    }
    return "declared";
}

namespace {

std::string improvement_name(const std::string& indicator, const std::string& state)
{
    return indicator + "@" + state;
}

std::string lookup(const std::map<std::string, std::string>& map, const std::string& key)
{
    const auto it = map.find(key);
    return it == map.end() ? std::string() : it->second;
}

EdgeEffect edge_effect(const LinkEffect& e, bool suggested)
{
    EdgeEffect out;
    out.grade = e.grade;
    out.average_effect = e.average_effect.estimate;
    out.relative_effect = e.relative_effect.estimate;
    out.improved = e.improved;
    // `improved` says whether the change went the indicator's better way,
    // whatever the sign of the counterfactual level, so the magnitude is
    // signed by it rather than by the indicator's direction.
    if (std::isfinite(out.relative_effect))
        out.improvement = e.improved ? std::fabs(out.relative_effect) : -std::fabs(out.relative_effect);
    out.counted = !suggested && e.grade != Grade::insufficient_data && std::isfinite(out.improvement);
    return out;
}

bool counts(const EdgeProps& e) { return e.kind == EdgeKind::declared && e.effect && e.effect->counted; }

std::string join_cycle(const std::vector<std::string>& cycle)
{
    std::string text;
    for (const auto& v : cycle) text += v + " → ";
    return text + cycle.front();
}

// The share of the direct effect on `e` credited to intervention `j`.
double credit(const ImpactGraph::Impl& impl, EdgeDesc e, Vertex j)
{
    const auto& props = impl.g[e];
    if (!counts(props)) return 0;
    const auto& set = impl.credit_set[boost::source(e, impl.g)];
    if (!std::binary_search(set.begin(), set.end(), j)) return 0;
    return props.effect->improvement / static_cast<double>(set.size());
}

// Paths along prerequisite links, at most lineage_path_limit per vertex. A
// vertex that already has its fill passes the truncation on to every vertex
// further along, whose paths through it would be new ones.
struct PathWalk {
    const Graph& g;
    bool backward;  // toward prerequisites (lineage) or toward what they fed (reach)
    std::map<Vertex, std::vector<std::vector<Vertex>>> paths;  // in walk order from the start
    std::set<Vertex> truncated;

    template <class F>
    void each_next(Vertex u, F f) const
    {
        if (backward) {
            for (auto [it, end] = boost::in_edges(u, g); it != end; ++it)
                if (g[*it].kind == EdgeKind::prerequisite) f(boost::source(*it, g));
        } else {
            for (auto [it, end] = boost::out_edges(u, g); it != end; ++it)
                if (g[*it].kind == EdgeKind::prerequisite) f(boost::target(*it, g));
        }
    }

    void mark_truncated(Vertex u)
    {
        if (!truncated.insert(u).second) return;
        each_next(u, [this](Vertex w) { mark_truncated(w); });
    }

    void walk(std::vector<Vertex>& path)
    {
        const Vertex u = path.back();
        auto& found = paths[u];
        if (found.size() >= lineage_path_limit) {
            mark_truncated(u);
            return;
        }
        found.push_back(path);
        each_next(u, [this, &path](Vertex w) {
            path.push_back(w);
            walk(path);
            path.pop_back();
        });
    }
};

std::vector<std::string> names(const Graph& g, const std::vector<Vertex>& path, bool reverse)
{
    std::vector<std::string> out;
    for (const Vertex v : path) out.push_back(g[v].name);
    if (reverse) std::reverse(out.begin(), out.end());
    return out;
}

// boost::add_vertex(properties, g) takes the named-graph path, where GCC 12
// at -O1 reports a false -Wuninitialized (not the "maybe" kind that the
// build silences) in boost/graph/named_graph.hpp; this does the same.
Vertex add_vertex_with(VertexProps props, Graph& g)
{
    const Vertex v = boost::add_vertex(g);
    g[v] = std::move(props);
    return v;
}

const ImpactGraph::Impl& check_built(const ImpactGraph& graph) { return graph.impl(); }

}  // namespace

ImpactGraph::ImpactGraph(const ImpactGraphInput& input) : m_impl(std::make_unique<Impl>())
{
    auto& impl = *m_impl;
    auto& g = impl.g;

    // Interventions first, then improvements, each sorted by name: vertex
    // numbers, and so every listing and export, do not depend on input order.
    std::map<std::string, const Intervention*> interventions;
    for (const auto& i : input.interventions) interventions.emplace(i.code, &i);
    std::set<std::pair<std::string, std::string>> improvements;  // (indicator, state)
    std::vector<std::string> problems;
    auto known = [&](const std::string& code, const std::string& what) {
        if (interventions.count(code) != 0) return true;
        problems.push_back(what + " names an unknown intervention '" + code + "'");
        return false;
    };
    std::vector<std::pair<std::string, std::string>> declared_edges;
    for (const auto& l : input.links) {
        const bool ok_from = known(l.from, "the link from '" + l.from + "'");
        if (!l.to_intervention.empty()) {
            if (known(l.to_intervention, "the link from '" + l.from + "'") && ok_from)
                declared_edges.emplace_back(l.from, l.to_intervention);
        } else if (!l.to_indicator.empty() && !l.to_state.empty()) {
            improvements.emplace(l.to_indicator, l.to_state);
            if (ok_from) declared_edges.emplace_back(l.from, improvement_name(l.to_indicator, l.to_state));
        } else {
            problems.push_back("the link from '" + l.from + "' has no target");
        }
    }
    for (const auto& e : input.effects) {
        if (!known(e.intervention, std::string(e.declared ? "the effect" : "the suggested link") + " on " +
                                       improvement_name(e.indicator, e.state)))
            continue;
        improvements.emplace(e.indicator, e.state);
    }
    if (!problems.empty()) {
        std::string message = "the impact graph cannot be built:";
        for (const auto& p : problems) message += "\n  " + p;
        throw Error(ErrorCode::bad_input, message);
    }
    if (const auto cycle = find_cycle(declared_edges))
        throw Error(ErrorCode::bad_input, "the declared links form a cycle: " + join_cycle(*cycle));

    for (const auto& [code, i] : interventions) {
        VertexProps v;
        v.is_intervention = true;
        v.name = code;
        v.kind = i->kind;
        v.title = i->title;
        v.project = i->project;
        v.provider = lookup(input.project_provider, i->project);
        v.area = lookup(input.project_area, i->project);
        v.state = i->state;
        v.cost = i->cost;
        impl.by_name.emplace(code, add_vertex_with(std::move(v), g));
    }
    impl.interventions = interventions.size();
    for (const auto& [indicator, state] : improvements) {
        VertexProps v;
        v.name = improvement_name(indicator, state);
        v.indicator = indicator;
        v.state = state;
        v.area = lookup(input.indicator_area, indicator);
        const std::string name = v.name;
        impl.by_name.emplace(name, add_vertex_with(std::move(v), g));
    }
    impl.improvements = improvements.size();

    // Effects by (intervention, improvement); the first of duplicates wins.
    std::map<std::pair<std::string, std::string>, const LinkEffect*> declared_effects;
    std::map<std::pair<std::string, std::string>, const LinkEffect*> suggested_effects;
    for (const auto& e : input.effects) {
        auto& into = e.declared ? declared_effects : suggested_effects;
        if (!into.emplace(std::make_pair(e.intervention, improvement_name(e.indicator, e.state)), &e).second)
            impl.warnings.push_back("a second effect of " + e.intervention + " on " +
                                    improvement_name(e.indicator, e.state) + " is ignored");
    }

    // Edges in sorted order, duplicates dropped.
    std::set<std::pair<std::string, std::string>> seen;
    std::vector<const Link*> links;
    for (const auto& l : input.links) links.push_back(&l);
    auto target_name = [](const Link& l) {
        return l.to_intervention.empty() ? improvement_name(l.to_indicator, l.to_state) : l.to_intervention;
    };
    std::stable_sort(links.begin(), links.end(), [&](const Link* a, const Link* b) {
        return std::forward_as_tuple(a->from, target_name(*a)) < std::forward_as_tuple(b->from, target_name(*b));
    });
    for (const Link* l : links) {
        const auto to = target_name(*l);
        if (!seen.emplace(l->from, to).second) {
            impl.warnings.push_back("a second link from " + l->from + " to " + to + " is ignored");
            continue;
        }
        EdgeProps e;
        e.weight = l->weight;
        e.rationale = l->rationale;
        if (!l->to_intervention.empty()) {
            e.kind = EdgeKind::prerequisite;
        } else {
            e.kind = EdgeKind::declared;
            if (const auto it = declared_effects.find({l->from, to}); it != declared_effects.end())
                e.effect = edge_effect(*it->second, false);
        }
        boost::add_edge(impl.by_name.at(l->from), impl.by_name.at(to), e, g);
    }
    for (const auto& [key, effect] : declared_effects)
        if (seen.count(key) == 0)
            impl.warnings.push_back("the effect of " + key.first + " on " + key.second +
                                    " has no declared link and is left out");
    for (const auto& [key, effect] : suggested_effects) {
        if (seen.count(key) != 0) {
            impl.warnings.push_back("the suggested link from " + key.first + " to " + key.second +
                                    " is declared too; the declared one is kept");
            continue;
        }
        EdgeProps e;
        e.kind = EdgeKind::suggested;
        e.effect = edge_effect(*effect, true);
        boost::add_edge(impl.by_name.at(key.first), impl.by_name.at(key.second), e, g);
    }

    // Credit sets in topological order (prerequisites before what they fed).
    std::vector<Vertex> order;
    try {
        boost::topological_sort(g, std::back_inserter(order));
    } catch (const boost::not_a_dag&) {
        // find_cycle above has ruled this out; kept so that a foreign
        // exception never leaves the engine.
        throw Error(ErrorCode::internal, "the impact graph has a cycle that the cycle check missed");
    }
    impl.credit_set.assign(boost::num_vertices(g), {});
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        const Vertex v = *it;
        if (!g[v].is_intervention) continue;
        std::set<Vertex> set{v};
        for (auto [e, end] = boost::in_edges(v, g); e != end; ++e)
            if (g[*e].kind == EdgeKind::prerequisite && g[*e].weight > 0) {
                const auto& up = impl.credit_set[boost::source(*e, g)];
                set.insert(up.begin(), up.end());
            }
        impl.credit_set[v].assign(set.begin(), set.end());
    }
}

ImpactGraph::~ImpactGraph() = default;
ImpactGraph::ImpactGraph(ImpactGraph&&) noexcept = default;
ImpactGraph& ImpactGraph::operator=(ImpactGraph&&) noexcept = default;

std::size_t ImpactGraph::intervention_count() const noexcept { return m_impl->interventions; }
std::size_t ImpactGraph::improvement_count() const noexcept { return m_impl->improvements; }
std::size_t ImpactGraph::edge_count() const noexcept { return boost::num_edges(m_impl->g); }
const std::vector<std::string>& ImpactGraph::warnings() const noexcept { return m_impl->warnings; }

LineageResult lineage(const ImpactGraph& graph, std::string_view improvement)
{
    const auto& impl = check_built(graph);
    const auto& g = impl.g;
    const auto found = impl.by_name.find(improvement);
    if (found == impl.by_name.end() || g[found->second].is_intervention)
        throw Error(ErrorCode::not_found,
                    "the impact graph has no improvement '" + std::string(improvement) + "' (INDICATOR@ISO3)");
    const Vertex m = found->second;

    LineageResult out;
    out.improvement = g[m].name;
    out.indicator = g[m].indicator;
    out.state = g[m].state;
    out.area = g[m].area;

    PathWalk walk{g, true, {}, {}};
    std::vector<EdgeDesc> direct;
    for (auto [e, end] = boost::in_edges(m, g); e != end; ++e) {
        const auto& props = g[*e];
        const Vertex from = boost::source(*e, g);
        if (props.kind == EdgeKind::suggested) {
            out.suggested.push_back({g[from].name, g[from].provider, out.improvement, props.effect});
            continue;
        }
        direct.push_back(*e);
        if (counts(props))
            out.total += props.effect->improvement;
        else
            ++out.uncounted;
        std::vector<Vertex> path{m, from};
        walk.walk(path);
    }
    for (const auto& [v, paths] : walk.paths) {
        LineageEntry entry;
        entry.intervention = g[v].name;
        entry.kind = g[v].kind;
        entry.project = g[v].project;
        entry.provider = g[v].provider;
        for (const auto e : direct) {
            if (boost::source(e, g) == v) {
                entry.direct = true;
                entry.effect = g[e].effect;
            }
            entry.attributed += credit(impl, e, v);
        }
        for (const auto& p : paths) entry.paths.push_back(names(g, p, true));
        std::sort(entry.paths.begin(), entry.paths.end());
        entry.paths_truncated = walk.truncated.count(v) != 0;
        out.upstream.push_back(std::move(entry));
    }
    std::sort(out.upstream.begin(), out.upstream.end(), [](const LineageEntry& a, const LineageEntry& b) {
        if (a.attributed != b.attributed) return a.attributed > b.attributed;
        return a.intervention < b.intervention;
    });
    std::sort(out.suggested.begin(), out.suggested.end(),
              [](const SuggestedLink& a, const SuggestedLink& b) { return a.intervention < b.intervention; });
    return out;
}

ReachResult reach(const ImpactGraph& graph, std::string_view intervention)
{
    const auto& impl = check_built(graph);
    const auto& g = impl.g;
    const auto found = impl.by_name.find(intervention);
    if (found == impl.by_name.end() || !g[found->second].is_intervention)
        throw Error(ErrorCode::not_found, "the impact graph has no intervention '" + std::string(intervention) + "'");
    const Vertex x = found->second;

    ReachResult out;
    out.intervention = g[x].name;
    PathWalk walk{g, false, {}, {}};
    std::vector<Vertex> start{x};
    walk.walk(start);
    for (const auto& [w, paths] : walk.paths) {
        for (auto [e, end] = boost::out_edges(w, g); e != end; ++e) {
            const auto& props = g[*e];
            const Vertex m = boost::target(*e, g);
            if (props.kind == EdgeKind::suggested) {
                if (w == x) out.suggested.push_back({g[x].name, g[x].provider, g[m].name, props.effect});
                continue;
            }
            if (props.kind != EdgeKind::declared) continue;
            ReachEntry entry;
            entry.improvement = g[m].name;
            entry.indicator = g[m].indicator;
            entry.state = g[m].state;
            entry.via = g[w].name;
            for (const auto& p : paths) {
                entry.paths.push_back(names(g, p, false));
                entry.paths.back().push_back(g[m].name);
            }
            std::sort(entry.paths.begin(), entry.paths.end());
            entry.paths_truncated = walk.truncated.count(w) != 0;
            entry.effect = props.effect;
            entry.attributed = credit(impl, *e, x);
            if (!counts(props)) ++out.uncounted;
            out.total += entry.attributed;
            out.downstream.push_back(std::move(entry));
        }
    }
    std::sort(out.downstream.begin(), out.downstream.end(), [](const ReachEntry& a, const ReachEntry& b) {
        return std::tie(a.improvement, a.via) < std::tie(b.improvement, b.via);
    });
    std::sort(out.suggested.begin(), out.suggested.end(),
              [](const SuggestedLink& a, const SuggestedLink& b) { return a.improvement < b.improvement; });
    return out;
}

std::vector<OverlapEntry> overlap(const ImpactGraph& graph, const std::optional<std::string>& area)
{
    const auto& impl = check_built(graph);
    const auto& g = impl.g;
    std::vector<OverlapEntry> out;
    for (auto [v, end] = boost::vertices(g); v != end; ++v) {
        const auto& m = g[*v];
        if (m.is_intervention || (area && m.area != *area)) continue;
        OverlapEntry entry;
        std::set<std::string> providers;
        for (auto [e, e_end] = boost::in_edges(*v, g); e != e_end; ++e) {
            const auto& props = g[*e];
            if (props.kind != EdgeKind::declared) continue;
            const auto& from = g[boost::source(*e, g)];
            entry.feeders.push_back({from.name, from.project, from.provider, props.effect});
            if (!from.provider.empty()) providers.insert(from.provider);
            if (counts(props)) entry.total += props.effect->improvement;
        }
        if (providers.size() < 2) continue;
        entry.improvement = m.name;
        entry.indicator = m.indicator;
        entry.state = m.state;
        entry.area = m.area;
        entry.providers.assign(providers.begin(), providers.end());
        std::sort(entry.feeders.begin(), entry.feeders.end(), [](const OverlapFeeder& a, const OverlapFeeder& b) {
            return std::tie(a.provider, a.intervention) < std::tie(b.provider, b.intervention);
        });
        out.push_back(std::move(entry));
    }
    // Vertices are numbered in name order, so `out` is sorted already.
    return out;
}

std::vector<RankEntry> rank(const ImpactGraph& graph, RankBy by)
{
    const auto& impl = check_built(graph);
    const auto& g = impl.g;
    std::vector<RankEntry> out(impl.interventions);
    std::vector<std::set<Vertex>> credited(impl.interventions);
    for (Vertex v = 0; v < impl.interventions; ++v) {
        const auto& props = g[v];
        auto& entry = out[v];
        entry.intervention = props.name;
        entry.kind = props.kind;
        entry.project = props.project;
        entry.provider = props.provider;
        entry.cost = props.cost;
    }
    for (auto [e, end] = boost::edges(g); e != end; ++e) {
        const auto& props = g[*e];
        if (props.kind != EdgeKind::declared) continue;
        const Vertex feeder = boost::source(*e, g);
        for (const Vertex j : impl.credit_set[feeder]) {
            if (!counts(props)) {
                ++out[j].uncounted;
                continue;
            }
            out[j].total += credit(impl, *e, j);
            credited[j].insert(boost::target(*e, g));
        }
    }
    for (Vertex v = 0; v < impl.interventions; ++v) {
        auto& entry = out[v];
        entry.improvements = credited[v].size();
        if (entry.cost && *entry.cost > 0) entry.per_100k = entry.total / (*entry.cost / 100000.0);
    }
    const auto key = [by](const RankEntry& r) { return by == RankBy::total ? r.total : r.per_100k; };
    std::stable_sort(out.begin(), out.end(), [&](const RankEntry& a, const RankEntry& b) {
        const double ka = key(a);
        const double kb = key(b);
        if (std::isnan(ka) != std::isnan(kb)) return std::isnan(kb);
        if (!std::isnan(ka) && ka != kb) return ka > kb;
        return a.intervention < b.intervention;
    });
    std::size_t next = 1;
    for (auto& entry : out)
        if (!std::isnan(key(entry))) entry.rank = next++;
    return out;
}

namespace {

std::string format_effect(double value)
{
    if (!std::isfinite(value)) return "n/a";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%+.3g", value);
    return buf;
}

std::string format_number(double value)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", value);
    return buf;
}

std::string_view grade_colour(Grade grade)
{
    switch (grade) {
    case Grade::strong: return "darkgreen";
    case Grade::moderate: return "green3";
    case Grade::weak: return "orange";
    case Grade::none: return "grey50";
    case Grade::insufficient_data: return "lightgrey";
    }
    return "lightgrey";
}

// A DOT double-quoted string: quotes and backslashes escaped, so that no
// name can close the string or start an escape sequence.
std::string dot_quote(std::string_view text)
{
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out + "\"";
}

struct DotVertexWriter {
    const Graph* g;
    void operator()(std::ostream& out, Vertex v) const
    {
        const auto& p = (*g)[v];
        if (p.is_intervention) {
            std::string label = p.name + "\n" + p.kind;
            if (!p.provider.empty()) label += " · " + p.provider;
            out << " [shape=box, label=" << dot_quote(label) << ", tooltip=" << dot_quote(p.title) << "]";
        } else {
            out << " [shape=ellipse, label=" << dot_quote(p.name) << "]";
        }
    }
};

struct DotEdgeWriter {
    const Graph* g;
    void operator()(std::ostream& out, EdgeDesc e) const
    {
        const auto& p = (*g)[e];
        std::string colour;
        std::string style = "solid";
        std::string label;
        if (p.kind == EdgeKind::prerequisite) {
            colour = "black";
            label = "prerequisite";
            if (p.weight != 1) label += " (weight " + format_number(p.weight) + ")";
        } else if (!p.effect) {
            colour = std::string(grade_colour(Grade::insufficient_data));
            style = "dashed";
            label = "not evaluated";
        } else {
            colour = std::string(grade_colour(p.effect->grade));
            if (p.effect->grade == Grade::insufficient_data) style = "dashed";
            label = format_effect(p.effect->average_effect) + " (" + std::string(to_string(p.effect->grade)) + ")";
        }
        if (p.kind == EdgeKind::suggested) {
            style = "dotted";
            label = "suggested: " + label;
        }
        out << "[color=" << dot_quote(colour) << ", fontcolor=" << dot_quote(colour) << ", style=" << style
            << ", label=" << dot_quote(label) << "]";
    }
};

struct DotGraphWriter {
    void operator()(std::ostream& out) const
    {
        out << "rankdir=LR;\n"
               "node [fontname=\"Helvetica\", fontsize=10];\n"
               "edge [fontname=\"Helvetica\", fontsize=9];\n";
    }
};

nlohmann::json number_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

nlohmann::json text_or_null(const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); }

void write_json(std::ostream& out, const Graph& g)
{
    auto vertices = nlohmann::json::array();
    for (auto [v, end] = boost::vertices(g); v != end; ++v) {
        const auto& p = g[*v];
        if (p.is_intervention)
            vertices.push_back({{"id", p.name},
                                {"type", "intervention"},
                                {"kind", p.kind},
                                {"title", p.title},
                                {"project", p.project},
                                {"provider", text_or_null(p.provider)},
                                {"area", text_or_null(p.area)},
                                {"state", text_or_null(p.state)},
                                {"cost", p.cost ? number_or_null(*p.cost) : nlohmann::json(nullptr)}});
        else
            vertices.push_back({{"id", p.name},
                                {"type", "improvement"},
                                {"indicator", p.indicator},
                                {"state", p.state},
                                {"area", text_or_null(p.area)}});
    }
    auto edges = nlohmann::json::array();
    for (auto [e, end] = boost::edges(g); e != end; ++e) {
        const auto& p = g[*e];
        nlohmann::json edge{{"from", g[boost::source(*e, g)].name},
                            {"to", g[boost::target(*e, g)].name},
                            {"link", std::string(to_string(p.kind))},
                            {"weight", p.kind == EdgeKind::suggested ? nlohmann::json(nullptr) : number_or_null(p.weight)}};
        if (p.effect) {
            edge["grade"] = std::string(to_string(p.effect->grade));
            edge["average_effect"] = number_or_null(p.effect->average_effect);
            edge["relative_effect"] = number_or_null(p.effect->relative_effect);
            edge["improvement"] = number_or_null(p.effect->improvement);
            edge["improved"] = p.effect->improved;
            edge["counted"] = p.effect->counted;
        } else {
            for (const char* k : {"grade", "average_effect", "relative_effect", "improvement", "improved"})
                edge[k] = nullptr;
            edge["counted"] = false;
        }
        edges.push_back(std::move(edge));
    }
    out << nlohmann::json{{"vertices", vertices}, {"edges", edges}}.dump(2) << '\n';
}

// GraphML by pugixml rather than boost::write_graphml: that one writes every
// key on every element, so an unevaluated link would carry "nan", which
// GraphML readers (yEd, Gephi) reject; here a missing value is left out, as
// GraphML means it to be.
void write_graphml(std::ostream& out, const Graph& g)
{
    pugi::xml_document doc;
    auto decl = doc.append_child(pugi::node_declaration);
    decl.append_attribute("version") = "1.0";
    decl.append_attribute("encoding") = "UTF-8";
    auto root = doc.append_child("graphml");
    root.append_attribute("xmlns") = "http://graphml.graphdrawing.org/xmlns";
    root.append_attribute("xmlns:xsi") = "http://www.w3.org/2001/XMLSchema-instance";
    root.append_attribute("xsi:schemaLocation") =
        "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd";
    struct Key {
        const char* id;
        const char* for_;
        const char* type;
    };
    for (const Key& k : {Key{"type", "node", "string"}, Key{"kind", "node", "string"}, Key{"title", "node", "string"},
                         Key{"project", "node", "string"}, Key{"provider", "node", "string"},
                         Key{"area", "node", "string"}, Key{"state", "node", "string"},
                         Key{"indicator", "node", "string"}, Key{"cost", "node", "double"},
                         Key{"link", "edge", "string"}, Key{"weight", "edge", "double"},
                         Key{"grade", "edge", "string"}, Key{"average_effect", "edge", "double"},
                         Key{"relative_effect", "edge", "double"}, Key{"improvement", "edge", "double"},
                         Key{"improved", "edge", "boolean"}, Key{"counted", "edge", "boolean"}}) {
        auto key = root.append_child("key");
        key.append_attribute("id") = k.id;
        key.append_attribute("for") = k.for_;
        key.append_attribute("attr.name") = k.id;
        key.append_attribute("attr.type") = k.type;
    }
    auto graph = root.append_child("graph");
    graph.append_attribute("id") = "impact";
    graph.append_attribute("edgedefault") = "directed";
    auto data = [](pugi::xml_node node, const char* key, const std::string& value) {
        if (value.empty()) return;
        auto d = node.append_child("data");
        d.append_attribute("key") = key;
        d.text().set(value.c_str());
    };
    auto number = [&data](pugi::xml_node node, const char* key, double value) {
        if (std::isfinite(value)) data(node, key, format_number(value));
    };
    for (auto [v, end] = boost::vertices(g); v != end; ++v) {
        const auto& p = g[*v];
        auto node = graph.append_child("node");
        node.append_attribute("id") = p.name.c_str();
        data(node, "type", p.is_intervention ? "intervention" : "improvement");
        data(node, "kind", p.kind);
        data(node, "title", p.title);
        data(node, "project", p.project);
        data(node, "provider", p.provider);
        data(node, "area", p.area);
        data(node, "state", p.state);
        data(node, "indicator", p.indicator);
        if (p.cost) number(node, "cost", *p.cost);
    }
    std::size_t n = 0;
    for (auto [e, end] = boost::edges(g); e != end; ++e) {
        const auto& p = g[*e];
        auto edge = graph.append_child("edge");
        edge.append_attribute("id") = ("e" + std::to_string(n++)).c_str();
        edge.append_attribute("source") = g[boost::source(*e, g)].name.c_str();
        edge.append_attribute("target") = g[boost::target(*e, g)].name.c_str();
        data(edge, "link", std::string(to_string(p.kind)));
        if (p.kind != EdgeKind::suggested) number(edge, "weight", p.weight);
        if (p.effect) {
            data(edge, "grade", std::string(to_string(p.effect->grade)));
            number(edge, "average_effect", p.effect->average_effect);
            number(edge, "relative_effect", p.effect->relative_effect);
            number(edge, "improvement", p.effect->improvement);
            data(edge, "improved", p.effect->improved ? "true" : "false");
        }
        data(edge, "counted", counts(p) ? "true" : "false");
    }
    doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
}

}  // namespace

void write_impact_graph(std::ostream& out, const ImpactGraph& graph, ExportFormat format)
{
    const auto& g = check_built(graph).g;
    switch (format) {
    case ExportFormat::dot:
        boost::write_graphviz(out, g, DotVertexWriter{&g}, DotEdgeWriter{&g}, DotGraphWriter{},
                              boost::get(&VertexProps::name, g));
        return;
    case ExportFormat::graphml: write_graphml(out, g); return;
    case ExportFormat::json: write_json(out, g); return;
    }
}

}  // namespace taeval::engine
