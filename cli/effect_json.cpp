#include "cli/effect_json.hpp"

#include "cli/output.hpp"

namespace taeval::cli {

namespace {

nlohmann::json estimate_json(const engine::EffectEstimate& e)
{
    return {{"estimate", json_number(e.estimate)}, {"se", json_number(e.se)},   {"ci_low", json_number(e.ci_low)},
            {"ci_high", json_number(e.ci_high)},   {"p", json_number(e.p)},     {"q", json_number(e.q)}};
}

nlohmann::json interval_json(const engine::EffectInterval& e)
{
    return {{"estimate", json_number(e.estimate)}, {"ci_low", json_number(e.ci_low)}, {"ci_high", json_number(e.ci_high)}};
}

nlohmann::json detection_json(const std::optional<engine::Detection>& d)
{
    if (!d) return nullptr;
    return {{"test", engine::to_string(d->test)},
            {"statistic", json_number(d->statistic)},
            {"df", json_number(d->df)},
            {"df_resid", json_number(d->df_resid)},
            {"p", json_number(d->p)},
            {"q", json_number(d->q)}};
}

}  // namespace

nlohmann::json effect_json(const engine::LinkEffect& e)
{
    nlohmann::json j{{"run", e.run},
                     {"intervention", e.intervention},
                     {"kind", e.kind},
                     {"project", e.project},
                     {"provider", e.provider},
                     {"indicator", e.indicator},
                     {"state", e.state},
                     {"start_period", e.start_period},
                     {"level_change", estimate_json(e.level_change)},
                     {"slope_change", estimate_json(e.slope_change)},
                     {"average_effect", estimate_json(e.average_effect)},
                     {"relative_effect", interval_json(e.relative_effect)},
                     {"detection", detection_json(e.detection)},
                     {"grade", engine::to_string(e.grade)},
                     {"improved", e.improved},
                     {"declared", e.declared},
                     {"n_pre", e.n_pre},
                     {"n_post", e.n_post},
                     {"warnings", e.warnings}};
    if (e.counterfactual_average)
        j["counterfactual"] = {{"average_effect", interval_json(*e.counterfactual_average)},
                               {"p", json_number(e.counterfactual_p)}};
    else
        j["counterfactual"] = nullptr;
    return j;
}

}  // namespace taeval::cli
