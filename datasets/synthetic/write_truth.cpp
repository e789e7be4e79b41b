// truth.json: what the generator planted, for the evaluation to recover.
#include <cmath>
#include <cstddef>
#include <fstream>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "datasets/synthetic/write_files.hpp"
#include "models/error.hpp"

namespace taeval::synthetic::detail {

GeneratedFile write_truth(const Plan& p, const std::filesystem::path& dir)
{
    using nlohmann::ordered_json;
    ordered_json j;
    j["generator"] = "taeval generate";
    j["format_version"] = 1;
    ordered_json params;
    params["seed"] = p.opt.seed;
    params["states"] = p.opt.states;
    params["first_year"] = p.opt.first_year;
    params["years"] = p.opt.years;
    params["indicators"] = p.opt.indicators;
    params["projects"] = p.opt.projects;
    params["interventions"] = p.opt.interventions;
    params["frequency"] = p.opt.frequency ? std::string(indicators::to_string(*p.opt.frequency)) : "mixed";
    j["parameters"] = params;
    j["model"] = {
        {"mean", "level + trend * t + sum over links of effect(t); t = 0 at the first period observed, counted in "
                 "periods of the indicator's frequency"},
        {"effect", "level_change * [t >= start] + slope_change * (t - start) * [t >= start], in indicator units "
                   "(per period for the slope); start is the period containing the intervention's start date"},
        {"noise", "AR(1): u[t] = phi * u[t-1] + e[t], e ~ N(0, innovation_sd^2), u[0] ~ N(0, noise_sd^2); "
                  "noise_sd is the marginal SD"},
        {"values", "counts and days rounded to integers (counts >= 0, days >= 1); percents to 2 decimals, "
                   "scores to 1 decimal, both within 0..100; a composite share is written as 100 * numerator / "
                   "denominator, numerator = round(denominator * modelled share / 100)"},
        {"missing", "each period is missing with the series' missing_share, and all of a state's periods that "
                    "start inside its reporting gap"},
        {"targets", "baseline at the end of the first year; targets a fed series can reach by its planted "
                    "effects, and a mix of reachable and unreachable ones elsewhere"},
    };
    ordered_json kinds_json = ordered_json::object();
    ordered_json nulls = ordered_json::array();
    for (const auto& k : kinds) {
        const bool null = k.level_hi == 0 && k.slope_hi == 0;
        if (null) nulls.push_back(k.code);
        kinds_json[k.code] = {{"null", null},
                              {"level_change_in_sd", {k.level_lo, k.level_hi}},
                              {"slope_change_in_sd_per_year", {k.slope_lo, k.slope_hi}}};
    }
    j["null_kinds"] = nulls;
    j["kinds"] = kinds_json;
    ordered_json controls = ordered_json::array();
    ordered_json gaps = ordered_json::array();
    for (const auto& s : p.states) {
        if (s.control) controls.push_back(s.iso3);
        if (s.gap_from >= 0)
            gaps.push_back({{"state", s.iso3},
                            {"from", p.month_date(s.gap_from, 1).to_string()},
                            {"to", p.month_date(s.gap_to, 1).to_string()}});
    }
    j["control_states"] = controls;
    j["reporting_gaps"] = gaps;

    ordered_json links = ordered_json::array();
    for (std::size_t li = 0; li < p.links.size(); ++li) {
        const Link& l = p.links[li];
        const auto& iv = at(p.interventions, l.intervention);
        const auto& pr = at(p.projects, iv.project);
        const Series& s = p.series[p.key(l.indicator, l.state)];
        const Frequency f = p.frequency(l.indicator);
        const int n = p.periods(f);
        const int n_post = n - l.t0;
        const double avg = l.level_change + l.slope_change * (n_post - 1) / 2.0;
        ordered_json others = ordered_json::array();
        for (int o : s.links)
            if (static_cast<std::size_t>(o) != li) others.push_back(at(p.interventions, at(p.links, o).intervention).code);
        links.push_back({
            {"intervention", iv.code},
            {"kind", kinds[static_cast<std::size_t>(iv.kind)].code},
            {"project", pr.code},
            {"provider", provider_list[static_cast<std::size_t>(pr.provider)].code},
            {"indicator", at(p.indicators, l.indicator).code},
            {"state", at(p.states, l.state).iso3},
            {"frequency", std::string(indicators::to_string(f))},
            {"start_period", p.period_labels[static_cast<std::size_t>(f)][static_cast<std::size_t>(l.t0)]},
            {"level_change", l.level_change},
            {"slope_change", l.slope_change},
            {"noise_sd", s.sd},
            {"innovation_sd", s.sd * std::sqrt(1 - s.phi * s.phi)},
            {"phi", s.phi},
            {"n_pre", l.t0},
            {"n_post", n_post},
            {"n_pre_observed", l.n_pre_observed},
            {"n_post_observed", l.n_post_observed},
            {"short", l.t0 < 8 || n_post < 8},
            {"short_by_design", iv.short_by_design},
            {"average_post_effect", avg},
            {"average_post_effect_in_sd", avg / s.sd},
            {"other_interventions_on_series", others},
        });
    }
    j["links"] = links;
    ordered_json prereq = ordered_json::array();
    for (const auto& [a, b] : p.prerequisites)
        prereq.push_back({{"from", at(p.interventions, a).code}, {"to", at(p.interventions, b).code}});
    j["prerequisites"] = prereq;

    ordered_json series = ordered_json::array();
    for (int ind = 0; ind < p.opt.indicators; ++ind) {
        const Indicator& ii = at(p.indicators, ind);
        const Frequency f = ii.frequency;
        const auto& labels = p.period_labels[static_cast<std::size_t>(f)];
        for (int st = 0; st < p.opt.states; ++st) {
            const Series& s = p.series[p.key(ind, st)];
            ordered_json fed = ordered_json::array();
            for (int l : s.links) fed.push_back(at(p.interventions, at(p.links, l).intervention).code);
            ordered_json e = {{"indicator", ii.code},
                              {"state", at(p.states, st).iso3},
                              {"frequency", std::string(indicators::to_string(f))},
                              {"first_period", labels.front()},
                              {"last_period", labels.back()}};
            if (ii.share >= 0 && ind != ii.share && ind == at(p.indicators, ii.share).numerator) {
                e["derived"] = fmt::format("round({} * {} / 100)", at(p.indicators, at(p.indicators, ii.share).denominator).code,
                                           at(p.indicators, ii.share).code);
            } else {
                e["level"] = s.level;
                e["trend"] = s.trend;
                e["phi"] = s.phi;
                e["noise_sd"] = s.sd;
                e["innovation_sd"] = s.sd * std::sqrt(1 - s.phi * s.phi);
            }
            const int group = ii.share >= 0 ? ii.share : ind;
            e["missing_share"] = p.series[p.key(group, st)].missing;
            e["n_observed"] = s.n_observed;
            e["fed_by"] = fed;
            series.push_back(std::move(e));
        }
    }
    j["series"] = series;

    const auto path = dir / "truth.json";
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << j.dump(1) << '\n';
    out.close();
    if (!out) throw Error(ErrorCode::internal, "generate: cannot write " + path.string());
    return {path, p.links.size()};
}

}  // namespace taeval::synthetic::detail
