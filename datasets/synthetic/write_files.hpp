#pragma once
// The files of a generated bundle, one writer each (private to
// datasets/synthetic). Each throws taeval::Error(internal) when its file
// cannot be written.
#include <filesystem>

#include "datasets/synthetic/generator.hpp"
#include "datasets/synthetic/plan.hpp"

namespace taeval::synthetic::detail {

GeneratedFile write_states(const Plan& p, const std::filesystem::path& dir);
GeneratedFile write_providers(const std::filesystem::path& dir);
GeneratedFile write_projects(const Plan& p, const std::filesystem::path& dir);
GeneratedFile write_interventions(const Plan& p, const std::filesystem::path& dir);
GeneratedFile write_indicators(const Plan& p, const std::filesystem::path& dir);
GeneratedFile write_targets(const Plan& p, const std::filesystem::path& dir);
/// Simulates every series while writing it, and counts the observed
/// periods into the plan's series and links (which write_truth reports).
GeneratedFile write_observations(Plan& p, const std::filesystem::path& dir);
GeneratedFile write_links(const Plan& p, const std::filesystem::path& dir);
/// truth.json: the parameters, the model and every planted effect; rows: the planted links.
GeneratedFile write_truth(const Plan& p, const std::filesystem::path& dir);

}  // namespace taeval::synthetic::detail
