// The impact graph's queries: lineage, reach, overlap and rank.
#include <boost/graph/depth_first_search.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "engine/graph/graph_impl.hpp"
#include "engine/graph/impact_graph.hpp"
#include "models/error.hpp"

namespace taeval::engine {

namespace {

// The share of the direct effect on `e` credited to intervention `j`.
double credit(const ImpactGraph::Impl& impl, EdgeDesc e, Vertex j)
{
    const auto& props = impl.g[e];
    if (!counts(props)) return 0;
    const auto& set = impl.credit_set[boost::source(e, impl.g)];
    if (!std::binary_search(set.begin(), set.end(), j)) return 0;
    return props.effect->improvement / static_cast<double>(set.size());
}

// Paths along prerequisite links (`View`: forward, or reversed for lineage),
// at most lineage_path_limit per vertex. A vertex that already has its fill
// passes the truncation on to every vertex further along, whose paths through
// it would be new ones.
template <class View>
struct PathWalk {
    const View& links;
    std::map<Vertex, std::vector<std::vector<Vertex>>> paths;  // in walk order from the start
    std::vector<boost::default_color_type> truncated;         // not white: truncated

    explicit PathWalk(const View& view)
        : links(view), truncated(boost::num_vertices(view), boost::white_color)
    {
    }

    [[nodiscard]] bool is_truncated(Vertex u) const { return truncated[u] != boost::white_color; }

    void walk(std::vector<Vertex>& path)
    {
        const Vertex u = path.back();
        auto& found = paths[u];
        if (found.size() >= lineage_path_limit) {
            // What is already marked has all its successors marked too.
            if (!is_truncated(u))
                boost::depth_first_visit(links, u, boost::default_dfs_visitor(),
                                         boost::make_iterator_property_map(truncated.begin(),
                                                                           boost::get(boost::vertex_index, links)));
            return;
        }
        found.push_back(path);
        for (const Vertex w : boost::make_iterator_range(boost::adjacent_vertices(u, links))) {
            path.push_back(w);
            walk(path);
            path.pop_back();
        }
    }
};

std::vector<std::string> names(const Graph& g, const std::vector<Vertex>& path, bool reverse)
{
    std::vector<std::string> out;
    for (const Vertex v : path) out.push_back(g[v].name);
    if (reverse) std::reverse(out.begin(), out.end());
    return out;
}

}  // namespace

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

    // Named views: a filtered graph's iterators point back at it.
    const auto suggested = links_of(g, EdgeKind::suggested);
    const auto declared = links_of(g, EdgeKind::declared);
    const auto prerequisites = links_of(g, EdgeKind::prerequisite);
    for (const auto e : boost::make_iterator_range(boost::in_edges(m, suggested))) {
        const auto& from = g[boost::source(e, g)];
        out.suggested.push_back({from.name, from.provider, out.improvement, g[e].effect});
    }
    const Upstream upstream(prerequisites);
    PathWalk walk(upstream);
    std::vector<EdgeDesc> direct;
    for (const auto e : boost::make_iterator_range(boost::in_edges(m, declared))) {
        direct.push_back(e);
        if (counts(g[e]))
            out.total += g[e].effect->improvement;
        else
            ++out.uncounted;
        std::vector<Vertex> path{m, boost::source(e, g)};
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
        entry.paths_truncated = walk.is_truncated(v);
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
    const auto suggested = links_of(g, EdgeKind::suggested);
    const auto declared = links_of(g, EdgeKind::declared);
    const auto prerequisites = links_of(g, EdgeKind::prerequisite);
    for (const auto e : boost::make_iterator_range(boost::out_edges(x, suggested)))
        out.suggested.push_back({g[x].name, g[x].provider, g[boost::target(e, g)].name, g[e].effect});
    PathWalk walk(prerequisites);
    std::vector<Vertex> start{x};
    walk.walk(start);
    for (const auto& [w, paths] : walk.paths) {
        for (const auto e : boost::make_iterator_range(boost::out_edges(w, declared))) {
            const auto& props = g[e];
            const Vertex m = boost::target(e, g);
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
            entry.paths_truncated = walk.is_truncated(w);
            entry.effect = props.effect;
            entry.attributed = credit(impl, e, x);
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
    const auto declared = links_of(g, EdgeKind::declared);
    std::vector<OverlapEntry> out;
    for (auto [v, end] = boost::vertices(g); v != end; ++v) {
        const auto& m = g[*v];
        if (m.is_intervention || (area && m.area != *area)) continue;
        OverlapEntry entry;
        std::set<std::string> providers;
        for (const auto e : boost::make_iterator_range(boost::in_edges(*v, declared))) {
            const auto& props = g[e];
            const auto& from = g[boost::source(e, g)];
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
    const auto declared = links_of(g, EdgeKind::declared);
    for (const auto e : boost::make_iterator_range(boost::edges(declared))) {
        const auto& props = g[e];
        const Vertex feeder = boost::source(e, g);
        for (const Vertex j : impl.credit_set[feeder]) {
            if (!counts(props)) {
                ++out[j].uncounted;
                continue;
            }
            out[j].total += credit(impl, e, j);
            credited[j].insert(boost::target(e, g));
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

}  // namespace taeval::engine
