#pragma once
// The impact graph's insides, shared by its build (impact_graph.cpp), its
// queries (graph_queries.cpp) and its exports (graph_export.cpp). Only
// engine/graph sources include this header: Boost.Graph types stay out of
// the engine's public headers.
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/reverse_graph.hpp>
#include <boost/range/iterator_range.hpp>

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/graph/impact_graph.hpp"

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

/// True when a link enters attribution and totals (EdgeEffect::counted on a declared link).
inline bool counts(const EdgeProps& e) { return e.kind == EdgeKind::declared && e.effect && e.effect->counted; }

/// The edge predicate of a boost::filtered_graph that keeps the links of one
/// kind, and with `positive_only` only those of positive weight.
struct LinkFilter {
    const Graph* g = nullptr;
    EdgeKind kind = EdgeKind::declared;
    bool positive_only = false;
    bool operator()(EdgeDesc e) const
    {
        const auto& p = (*g)[e];
        return p.kind == kind && (!positive_only || p.weight > 0);
    }
};
using Links = boost::filtered_graph<const Graph, LinkFilter>;

/// The graph seen through its links of one kind only (a view, no copy).
inline Links links_of(const Graph& g, EdgeKind kind, bool positive_only = false)
{
    return boost::make_filtered_graph(g, LinkFilter{&g, kind, positive_only});
}

/// Links walked against their direction: from a vertex to what feeds it.
/// Holds `links` by reference.
using Upstream = boost::reverse_graph<Links>;

inline const ImpactGraph::Impl& check_built(const ImpactGraph& graph) { return graph.impl(); }

}  // namespace taeval::engine
