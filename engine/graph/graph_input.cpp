// The impact graph's input, read from the database through the stores' typed records.
#include "engine/graph/graph_input.hpp"

#include <algorithm>

#include "engine/storage/portfolio_store.hpp"
#include "engine/storage/run_store.hpp"
#include "models/error.hpp"

namespace taeval::engine {

ImpactGraphInput load_impact_graph_input(storage::Database& db, std::optional<std::int64_t> run)
{
    storage::PortfolioStore store(db);
    storage::RunStore runs(db);
    ImpactGraphInput in;
    in.interventions = store.interventions();
    for (const auto& p : store.projects()) {
        in.project_provider[p.code] = p.provider;
        in.project_area[p.code] = p.area;
    }
    for (const auto& i : store.indicators()) in.indicator_area[i.code] = i.area;
    in.links = store.links();
    if (run) {
        const auto all = runs.runs();
        if (std::none_of(all.begin(), all.end(), [&](const storage::RunInfo& r) { return r.id == *run; }))
            throw Error(ErrorCode::not_found, "no evaluation run " + std::to_string(*run));
    }
    storage::EffectFilter filter;
    filter.run = run;
    in.effects = runs.effects(filter);
    return in;
}

}  // namespace taeval::engine
