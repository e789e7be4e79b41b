// `taeval fit impact`: the counterfactual effect of an intervention on a CSV file.
// Reads the columns, calls models/, prints the result; no statistics here.
#include <cmath>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/fit_common.hpp"
#include "models/counterfactual.hpp"
#include "models/error.hpp"

namespace taeval::cli {

namespace {

struct ImpactArgs {
    std::string csv, y, model = "level";
    std::size_t break_index = 0;
    std::vector<std::string> controls;
    int season = 0;
    double alpha = 0.05;
    Format format = Format::table;
};

nlohmann::json effect_json(const models::EffectEstimate& e)
{
    return {{"estimate", json_number(e.estimate)},
            {"se", json_number(e.se)},
            {"ci_low", json_number(e.ci_low)},
            {"ci_high", json_number(e.ci_high)}};
}

void run_impact(const ImpactArgs& a)
{
    const auto table = engine::read_csv_table(a.csv);
    const auto y = to_vector(table.numeric(a.y, true));
    if (a.break_index == 0 || a.break_index >= static_cast<std::size_t>(y.size()))
        usage(fmt::format("--break must be a row index in 1..{} (rows before and after it), got {}",
                          y.size() > 0 ? y.size() - 1 : 0, a.break_index));
    Eigen::MatrixXd x(y.size(), static_cast<Eigen::Index>(a.controls.size()));
    for (std::size_t j = 0; j < a.controls.size(); ++j) {
        const auto col = table.numeric(a.controls[j], true);
        for (std::size_t r = 0; r < col.size(); ++r)
            if (std::isnan(col[r]))
                throw Error(ErrorCode::bad_input,
                            fmt::format("{}:{}: control column '{}' is empty; controls must be complete",
                                        table.path.string(), table.lines[r], a.controls[j]));
        x.col(static_cast<Eigen::Index>(j)) = to_vector(col);
    }
    models::CounterfactualSpec spec;
    spec.intervention_index = a.break_index;
    spec.trend = a.model == "trend" ? models::TrendKind::linear_trend : models::TrendKind::level;
    spec.season_period = a.season;
    spec.control_names = a.controls;
    spec.alpha = a.alpha;
    const auto r = models::fit_counterfactual(y, x, spec);

    auto json = fit_json("impact", r.est, r.diag, "state-space forecast covariance");
    json["model"] = "impact";
    json["trend"] = a.model;
    json["break"] = a.break_index;
    json["n_pre"] = r.n_pre;
    json["n_post"] = r.n_post;
    json["average_effect"] = effect_json(r.average);
    json["cumulative_effect"] = effect_json(r.cumulative);
    json["relative_effect"] = effect_json(r.relative);
    json["p"] = json_number(r.p);
    json["p_one_sided"] = json_number(r.p_one_sided);
    json["ok"] = r.diag.ok;
    json["sigma2"] = sigma2_json(r.pre_fit.sigma2);
    json["pre_fit_params"] = params_json(r.pre_fit.est);
    auto points = nlohmann::json::array();
    for (Eigen::Index i = 0; i < r.point_effect.size(); ++i)
        points.push_back({{"t", static_cast<Eigen::Index>(a.break_index) + i},
                          {"observed", json_number(y[static_cast<Eigen::Index>(a.break_index) + i])},
                          {"counterfactual", json_number(r.counterfactual[i])},
                          {"counterfactual_var", json_number(r.counterfactual_var[i])},
                          {"effect", json_number(r.point_effect[i])},
                          {"ci_low", json_number(r.point_ci_low[i])},
                          {"ci_high", json_number(r.point_ci_high[i])}});
    json["pointwise"] = points;
    print_warnings(r.diag);
    print_listing(std::cout, a.format, params_table(r.est), json);
    if (a.format == Format::table)
        std::cout << '\n'
                  << fmt::format("pre-period: {} observed, post-period: {} observed; p (no effect) = {}\n", r.n_pre,
                                 r.n_post, fmt_number(r.p, 4));
}

}  // namespace

void add_fit_impact_command(CLI::App& fit)
{
    auto a = std::make_shared<ImpactArgs>();
    auto* cmd = fit.add_subcommand("impact", "Counterfactual effect of an intervention (CausalImpact-like, no "
                                             "MCMC): state-space forecast of the post period from the pre period");
    cmd->add_option("--csv", a->csv, "CSV file with a header row; rows are consecutive periods")->required();
    cmd->add_option("--y", a->y, "Outcome column (empty or NA: a missing period)")->required();
    cmd->add_option("--break", a->break_index, "0-based row index of the first post-intervention period")
        ->required();
    cmd->add_option("--controls", a->controls,
                    "Control series columns (comma-separated; unaffected by the intervention, no gaps)")
        ->delimiter(',');
    cmd->add_option("--model", a->model, "Trend of the counterfactual: level or trend")
        ->check(CLI::IsMember({"level", "trend"}))
        ->capture_default_str();
    cmd->add_option("--season", a->season, "Seasonal dummies of period 4 or 12")->check(CLI::IsMember({4, 12}));
    add_alpha(*cmd, a->alpha);
    add_format_option(*cmd, a->format);
    cmd->footer("Effects are observed minus counterfactual over the observed post periods: average,\n"
                "cumulative (intervals from the joint forecast-error covariance) and relative; p is the\n"
                "two-sided p of no effect. JSON adds pointwise [{t, observed, counterfactual, effect, ...}].\n"
                "Example: taeval fit impact --csv series.csv --y value --break 36 --controls other1,other2");
    cmd->callback([a] { run_impact(*a); });
}

}  // namespace taeval::cli
