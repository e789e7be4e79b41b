#pragma once
// The impact graph: which interventions fed which implementation
// improvements, with the estimated effect and evidence grade of every link,
// and the queries over it (lineage, reach, overlap, rank) and its exports.
// Boost.Graph stays inside engine/graph's sources (graph_impl.hpp, which
// only they include); this header has plain data only.
// The attribution rule is in docs/graph.md.
#include <cstddef>
#include <iosfwd>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/effect.hpp"
#include "engine/portfolio.hpp"

namespace taeval::engine {

/// What the graph is built from: the portfolio's interventions and declared
/// links, and the effects of one evaluation run.
struct ImpactGraphInput {
    std::vector<Intervention> interventions;
    std::map<std::string, std::string> project_provider;  ///< project code → provider code
    std::map<std::string, std::string> project_area;      ///< project code → priority area
    std::map<std::string, std::string> indicator_area;    ///< indicator code → priority area
    std::vector<Link> links;                              ///< declared links
    /// The effects of the run (usually the latest): declared links'
    /// (LinkEffect::declared) and suggested ones' (declared == false).
    std::vector<LinkEffect> effects;
};

/// A link's evaluated effect as the graph uses it.
struct EdgeEffect {
    Grade grade = Grade::insufficient_data;
    /// Average effect over the post period, in the indicator's units, signed
    /// as measured.
    double average_effect = std::numeric_limits<double>::quiet_NaN();
    /// Average effect as a share of the absolute counterfactual level, signed
    /// as measured; NaN where that level is not clearly away from zero.
    double relative_effect = std::numeric_limits<double>::quiet_NaN();
    /// |relative_effect|, positive when the indicator moved in its better
    /// direction (LinkEffect::improved) and negative otherwise; NaN without an
    /// estimate. The unit-free quantity that attribution and totals use.
    double improvement = std::numeric_limits<double>::quiet_NaN();
    bool improved = false;
    /// True when the link enters attribution and totals: declared, graded
    /// weak or better, with a relative effect (docs/graph.md).
    bool counted = false;
    /// Why it does not count; empty when it does.
    std::string uncounted_reason;
};

/// How a link joins two vertices.
enum class EdgeKind {
    prerequisite,  ///< declared intervention → intervention
    declared,      ///< declared intervention → improvement
    suggested,     ///< intervention → improvement proposed by the engine, not declared
};
[[nodiscard]] std::string_view to_string(EdgeKind kind) noexcept;

/// The graph, built once and then queried. Movable, not copyable.
class ImpactGraph {
public:
    /// Builds the graph. Throws taeval::Error(bad_input) when the declared
    /// links form a cycle (the message names every vertex on it, in order) or
    /// when a link or a declared effect names an unknown intervention.
    explicit ImpactGraph(const ImpactGraphInput& input);
    ~ImpactGraph();
    ImpactGraph(ImpactGraph&&) noexcept;
    ImpactGraph& operator=(ImpactGraph&&) noexcept;
    ImpactGraph(const ImpactGraph&) = delete;
    ImpactGraph& operator=(const ImpactGraph&) = delete;

    [[nodiscard]] std::size_t intervention_count() const noexcept;
    [[nodiscard]] std::size_t improvement_count() const noexcept;
    [[nodiscard]] std::size_t edge_count() const noexcept;
    /// What building skipped (a declared effect without a declared link,
    /// a duplicate link), for a person to read.
    [[nodiscard]] const std::vector<std::string>& warnings() const noexcept;

    struct Impl;  ///< defined in graph_impl.hpp
    [[nodiscard]] const Impl& impl() const noexcept { return *m_impl; }

private:
    std::unique_ptr<Impl> m_impl;
};

/// One intervention upstream of an improvement.
struct LineageEntry {
    std::string intervention;
    std::string kind;
    std::string project;
    std::string provider;
    /// True when a declared link goes straight from it to the improvement.
    bool direct = false;
    /// The direct link's effect (nullopt when not direct or not evaluated).
    std::optional<EdgeEffect> effect;
    /// Every declared path from the intervention to the improvement, each
    /// as vertex names from the intervention to the improvement.
    std::vector<std::vector<std::string>> paths;
    bool paths_truncated = false;  ///< more than lineage_path_limit paths
    /// The improvement credited to it by the attribution rule (unit-free,
    /// improvement positive).
    double attributed = 0;
};

/// A suggested link into an improvement or out of an intervention.
struct SuggestedLink {
    std::string intervention;
    std::string provider;
    std::string improvement;  ///< INDICATOR@ISO3
    std::optional<EdgeEffect> effect;
};

struct LineageResult {
    std::string improvement;  ///< INDICATOR@ISO3
    std::string indicator;
    std::string state;
    std::string area;
    /// Every intervention upstream along declared links, by attributed
    /// improvement (largest first), then code.
    std::vector<LineageEntry> upstream;
    /// Suggested links into the improvement: shown, never in the total.
    std::vector<SuggestedLink> suggested;
    /// Sum of the counted direct effects (= sum of `attributed`).
    double total = 0;
    /// Direct declared links that do not count (insufficient_data or not evaluated).
    std::size_t uncounted = 0;
};

/// The most paths listed per lineage or reach entry.
inline constexpr std::size_t lineage_path_limit = 32;

/// Every intervention upstream of an improvement, with its paths and the
/// improvement attributed to it. Throws taeval::Error(not_found) when the
/// graph has no such improvement.
[[nodiscard]] LineageResult lineage(const ImpactGraph& graph, std::string_view improvement);

/// One improvement downstream of an intervention, through one direct feeder.
struct ReachEntry {
    std::string improvement;  ///< INDICATOR@ISO3
    std::string indicator;
    std::string state;
    /// The intervention whose declared link feeds the improvement: the
    /// queried one, or one it is a prerequisite of.
    std::string via;
    /// Every declared path from the queried intervention to the improvement
    /// through `via`.
    std::vector<std::vector<std::string>> paths;
    bool paths_truncated = false;
    std::optional<EdgeEffect> effect;  ///< of the link via → improvement
    /// The share of that link's effect credited to the queried intervention.
    double attributed = 0;
};

struct ReachResult {
    std::string intervention;
    /// By improvement, then via.
    std::vector<ReachEntry> downstream;
    /// The intervention's own suggested links: shown, never in the total.
    std::vector<SuggestedLink> suggested;
    double total = 0;  ///< sum of `attributed`
    /// Declared links in `downstream` that do not count.
    std::size_t uncounted = 0;
};

/// Every improvement downstream of an intervention, directly or through the
/// interventions it was a prerequisite of. Throws taeval::Error(not_found)
/// when the graph has no such intervention.
[[nodiscard]] ReachResult reach(const ImpactGraph& graph, std::string_view intervention);

struct OverlapFeeder {
    std::string intervention;
    std::string project;
    std::string provider;
    std::optional<EdgeEffect> effect;
};

/// An improvement fed by declared links from interventions of two or more
/// providers.
struct OverlapEntry {
    std::string improvement;
    std::string indicator;
    std::string state;
    std::string area;
    std::vector<std::string> providers;  ///< distinct, sorted
    std::vector<OverlapFeeder> feeders;  ///< by provider, then intervention
    double total = 0;                    ///< sum of the counted direct effects
};

/// Improvements fed (declared links only) by interventions of at least two
/// distinct providers, optionally only those whose indicator is in `area`;
/// sorted by improvement.
[[nodiscard]] std::vector<OverlapEntry> overlap(const ImpactGraph& graph,
                                                const std::optional<std::string>& area = std::nullopt);

enum class RankBy {
    total,     ///< attributed improvement
    per_cost,  ///< attributed improvement per USD 100,000 of the intervention's cost
};

struct RankEntry {
    /// 1-based; 0 when not ranked (by per_cost without a positive cost).
    std::size_t rank = 0;
    std::string intervention;
    std::string kind;
    std::string project;
    std::string provider;
    std::optional<double> cost;  ///< USD
    double total = 0;            ///< attributed improvement
    /// total / (cost / 100,000); NaN without a positive cost.
    double per_100k = std::numeric_limits<double>::quiet_NaN();
    /// Improvements it is credited on through counted links.
    std::size_t improvements = 0;
    /// Declared links it is upstream of that do not count.
    std::size_t uncounted = 0;
};

/// Every intervention by attributed improvement, largest first, ties by
/// code; by per_cost, interventions without a positive cost come last with
/// rank 0.
[[nodiscard]] std::vector<RankEntry> rank(const ImpactGraph& graph, RankBy by = RankBy::total);

enum class ExportFormat { dot, graphml, json };

/// Writes the whole graph: Graphviz DOT (interventions as boxes,
/// improvements as ellipses, edges coloured by grade and labelled with the
/// effect, suggested edges dotted), GraphML, or JSON
/// ({"vertices": [...], "edges": [...]}, fields in README.md).
void write_impact_graph(std::ostream& out, const ImpactGraph& graph, ExportFormat format);

}  // namespace taeval::engine
