#include "datasets/synthetic/generator.hpp"

#include <system_error>

#include "datasets/synthetic/catalogue.hpp"
#include "datasets/synthetic/plan.hpp"
#include "datasets/synthetic/write_files.hpp"
#include "models/error.hpp"

namespace taeval::synthetic {

using namespace detail;

std::vector<std::string> null_intervention_kinds()
{
    std::vector<std::string> out;
    for (const auto& k : kinds)
        if (k.level_hi == 0 && k.slope_hi == 0) out.emplace_back(k.code);
    return out;
}

GeneratedPortfolio generate_portfolio(const GeneratorOptions& options, const std::filesystem::path& out_dir)
{
    Plan plan = make_plan(options);
    std::error_code ec;
    std::filesystem::create_directories(out_dir, ec);
    if (ec) throw Error(ErrorCode::internal, "generate: cannot create " + out_dir.string() + ": " + ec.message());

    GeneratedPortfolio r;
    r.files.push_back(write_states(plan, out_dir));
    r.files.push_back(write_providers(out_dir));
    r.files.push_back(write_projects(plan, out_dir));
    r.files.push_back(write_interventions(plan, out_dir));
    r.files.push_back(write_indicators(plan, out_dir));
    r.files.push_back(write_targets(plan, out_dir));
    r.files.push_back(write_observations(plan, out_dir));
    r.files.push_back(write_links(plan, out_dir));
    r.files.push_back(write_truth(plan, out_dir));
    r.states = r.files[0].rows;
    r.providers = r.files[1].rows;
    r.projects = r.files[2].rows;
    r.interventions = r.files[3].rows;
    r.indicators = r.files[4].rows;
    r.targets = r.files[5].rows;
    r.observations = r.files[6].rows;
    r.links = r.files[7].rows;
    r.planted_links = plan.links.size();
    return r;
}

}  // namespace taeval::synthetic
