#include "engine/graph/cycles.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>

#include <algorithm>
#include <map>

namespace taeval::engine {

namespace {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;
using Edge = boost::graph_traits<Graph>::edge_descriptor;

// Records tree-edge parents and stops at the first back edge, which closes a
// cycle through the DFS tree.
struct CycleVisitor : boost::default_dfs_visitor {
    std::vector<Vertex>* parent;
    std::optional<std::pair<Vertex, Vertex>>* back;
    void tree_edge(Edge e, const Graph& g) const { (*parent)[boost::target(e, g)] = boost::source(e, g); }
    void back_edge(Edge e, const Graph& g) const
    {
        if (!*back) *back = std::make_pair(boost::source(e, g), boost::target(e, g));
    }
};

}  // namespace

std::optional<std::vector<std::string>> find_cycle(const std::vector<std::pair<std::string, std::string>>& edges)
{
    std::map<std::string, Vertex> index;  // ordered: deterministic vertex numbering
    for (const auto& [a, b] : edges) {
        index.emplace(a, 0);
        index.emplace(b, 0);
    }
    std::vector<std::string> names;
    for (auto& [name, v] : index) {
        v = names.size();
        names.push_back(name);
    }
    Graph g(names.size());
    auto sorted = edges;
    std::sort(sorted.begin(), sorted.end());
    for (const auto& [a, b] : sorted) boost::add_edge(index[a], index[b], g);

    std::vector<Vertex> parent(names.size());
    for (Vertex v = 0; v < parent.size(); ++v) parent[v] = v;
    std::optional<std::pair<Vertex, Vertex>> back;
    CycleVisitor visitor;
    visitor.parent = &parent;
    visitor.back = &back;
    std::vector<boost::default_color_type> colour(names.size());
    boost::depth_first_search(
        g, boost::visitor(visitor).color_map(boost::make_iterator_property_map(colour.begin(),
                                                                                 boost::get(boost::vertex_index, g))));
    if (!back) return std::nullopt;
    // The back edge u → v closes the tree path v → ... → u.
    std::vector<std::string> cycle;
    for (Vertex x = back->first;; x = parent[x]) {
        cycle.push_back(names[x]);
        if (x == back->second || parent[x] == x) break;
    }
    std::reverse(cycle.begin(), cycle.end());
    return cycle;
}

}  // namespace taeval::engine
