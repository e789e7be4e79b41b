// Building the impact graph; its queries are in graph_queries.cpp and its
// exports in graph_export.cpp.
#include "engine/graph/impact_graph.hpp"

#include <boost/graph/topological_sort.hpp>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <set>
#include <tuple>

#include "engine/graph/cycles.hpp"
#include "engine/graph/graph_impl.hpp"
#include "models/error.hpp"

namespace taeval::engine {

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
    // Counted: declared, graded weak or better (the data show a change), and
    // with a relative effect (its counterfactual level clearly away from
    // zero). docs/graph.md, "What counts".
    const bool graded = e.grade == Grade::weak || e.grade == Grade::moderate || e.grade == Grade::strong;
    out.counted = !suggested && graded && std::isfinite(out.improvement);
    if (suggested)
        out.uncounted_reason = "suggested: not declared";
    else if (e.grade == Grade::insufficient_data)
        out.uncounted_reason = "graded insufficient_data: too few reports to estimate the effect";
    else if (e.grade == Grade::none)
        out.uncounted_reason = "graded none: the data show no change";
    else if (!out.counted)
        out.uncounted_reason = "no relative effect: the counterfactual level is not clearly away from zero";
    return out;
}

std::string join_cycle(const std::vector<std::string>& cycle)
{
    std::string text;
    for (const auto& v : cycle) text += v + " → ";
    return text + cycle.front();
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
    const auto prerequisites = links_of(g, EdgeKind::prerequisite, true);
    const Upstream fed_by(prerequisites);
    impl.credit_set.assign(boost::num_vertices(g), {});
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        const Vertex v = *it;
        if (!g[v].is_intervention) continue;
        std::set<Vertex> set{v};
        for (const Vertex u : boost::make_iterator_range(boost::adjacent_vertices(v, fed_by)))
            set.insert(impl.credit_set[u].begin(), impl.credit_set[u].end());
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

}  // namespace taeval::engine
