// `taeval fit local-level|local-trend|impact|meta`: state-space series,
// counterfactual effects and meta-analysis on a CSV file. Reads the columns,
// calls models/, prints the result; no statistics here.
#include <cmath>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/fit_output.hpp"
#include "cli/output.hpp"
#include "engine/io/csv_reader.hpp"
#include "models/counterfactual.hpp"
#include "models/error.hpp"
#include "models/local_level.hpp"
#include "models/meta.hpp"
#include "models/structural.hpp"

namespace taeval::cli {

namespace {

[[noreturn]] void usage(const std::string& message) { throw Error(ErrorCode::usage, message); }

Eigen::VectorXd to_vector(const std::vector<double>& v)
{
    return Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size()));
}

CLI::Option* add_alpha(CLI::App& cmd, double& alpha)
{
    return cmd.add_option("--alpha", alpha, "1 - confidence level of the intervals, in (0, 1)")
        ->check(CLI::Range(0.0, 1.0))
        ->capture_default_str();
}

/// Forecast and threshold options shared by local-level and local-trend.
struct ForecastArgs {
    std::size_t horizon = 0;
    std::optional<double> threshold;
    std::string better;
};

void add_forecast_options(CLI::App& cmd, ForecastArgs& a)
{
    cmd.add_option("--forecast", a.horizon, "Forecast H periods past the end of the series");
    cmd.add_option("--threshold", a.threshold,
                   "Report the probability that the level passes X at the last forecast step (needs --better)");
    cmd.add_option("--better", a.better, "Which direction counts as passing the threshold: up or down")
        ->check(CLI::IsMember({"up", "down"}));
}

void check_forecast_args(const ForecastArgs& a)
{
    if (a.threshold && a.better.empty()) usage("--threshold needs --better up|down");
    if (!a.better.empty() && !a.threshold) usage("--better needs --threshold X");
    if (a.threshold && a.horizon == 0) usage("--threshold needs --forecast H (the probability is at step H)");
    if (a.threshold && !std::isfinite(*a.threshold)) usage("--threshold must be a finite number");
}

nlohmann::json sigma2_json(const models::StateSpaceVariances& v)
{
    nlohmann::json j = {{"epsilon", json_number(v.epsilon)}, {"level", json_number(v.level)}};
    if (!std::isnan(v.slope)) j["slope"] = json_number(v.slope);
    if (!std::isnan(v.seasonal)) j["seasonal"] = json_number(v.seasonal);
    return j;
}

nlohmann::json smoothed_json(const Eigen::VectorXd& level, const Eigen::VectorXd& var)
{
    auto out = nlohmann::json::array();
    for (Eigen::Index t = 0; t < level.size(); ++t)
        out.push_back({{"t", t}, {"level", json_number(level[t])}, {"var", json_number(var[t])}});
    return out;
}

nlohmann::json forecast_json(const models::StateSpaceForecast& f)
{
    auto out = nlohmann::json::array();
    for (Eigen::Index i = 0; i < static_cast<Eigen::Index>(f.steps()); ++i)
        out.push_back({{"h", i + 1},
                       {"mean", json_number(f.level_mean[i])},
                       {"var", json_number(f.level_var[i])},
                       {"obs_mean", json_number(f.obs_mean[i])},
                       {"obs_var", json_number(f.obs_var[i])}});
    return out;
}

TextTable forecast_table(const models::StateSpaceForecast& f)
{
    TextTable t;
    t.header = {"h", "level", "level sd", "observation", "observation sd"};
    t.right = {true, true, true, true, true};
    for (Eigen::Index i = 0; i < static_cast<Eigen::Index>(f.steps()); ++i)
        t.rows.push_back({std::to_string(i + 1), fmt_number(f.level_mean[i]), fmt_number(std::sqrt(f.level_var[i])),
                          fmt_number(f.obs_mean[i]), fmt_number(std::sqrt(f.obs_var[i]))});
    return t;
}

/// Common output of the two state-space commands.
void emit_state_space(Format format, const std::string& model, const models::Estimates& est,
                      const models::Diagnostics& diag, const models::StateSpaceVariances& sigma2,
                      const Eigen::VectorXd& level, const Eigen::VectorXd& level_var,
                      const models::StateSpaceForecast& fc, const ForecastArgs& fa)
{
    std::optional<double> probability;
    if (fa.threshold && fc.steps() > 0)
        probability = models::probability_passes(fc, fc.steps(), *fa.threshold,
                                                 fa.better == "up" ? models::Direction::up : models::Direction::down);
    auto json = fit_json(model, est, diag, "observed information (log scale)");
    json["sigma2"] = sigma2_json(sigma2);
    json["converged"] = diag.converged;
    json["iterations"] = diag.iterations;
    json["ok"] = diag.ok;
    json["smoothed"] = smoothed_json(level, level_var);
    json["forecast"] = forecast_json(fc);
    json["probability"] = probability ? json_number(*probability) : nlohmann::json(nullptr);
    if (fa.threshold) {
        json["threshold"] = *fa.threshold;
        json["better"] = fa.better;
    }
    print_warnings(diag);
    print_listing(std::cout, format, params_table(est), json);
    if (format != Format::table) return;
    std::cout << '\n'
              << fmt::format("n = {} (missing {}), diffuse log-likelihood {}, {} after {} iterations\n", diag.n,
                             diag.n_missing, fmt_number(diag.loglik, 10),
                             diag.converged ? "converged" : "NOT converged", diag.iterations);
    if (fc.steps() > 0) {
        std::cout << '\n';
        print_table(std::cout, forecast_table(fc));
    }
    if (probability)
        std::cout << fmt::format("\nP(level {} {} at step {}) = {}\n", fa.better == "up" ? ">" : "<",
                                 fmt_number(*fa.threshold), fc.steps(), fmt_number(*probability, 4));
}

// ---- local-level ----------------------------------------------------------
struct LocalLevelArgs {
    std::string csv, y;
    ForecastArgs forecast;
    double alpha = 0.05;
    Format format = Format::table;
};

void run_local_level(const LocalLevelArgs& a)
{
    check_forecast_args(a.forecast);
    const auto table = engine::read_csv_table(a.csv);
    const auto y = to_vector(table.numeric(a.y, true));
    models::LocalLevelSpec spec;
    spec.alpha = a.alpha;
    const auto fit = models::fit_local_level(y, spec);
    const auto fc = models::forecast(fit, a.forecast.horizon);
    models::StateSpaceVariances v;
    v.epsilon = fit.sigma2_epsilon;
    v.level = fit.sigma2_level;
    emit_state_space(a.format, "local-level", fit.est, fit.diag, v, fit.smoothed, fit.smoothed_var, fc, a.forecast);
}

// ---- local-trend ----------------------------------------------------------
struct LocalTrendArgs {
    std::string csv, y;
    int season = 0;
    ForecastArgs forecast;
    double alpha = 0.05;
    Format format = Format::table;
};

void run_local_trend(const LocalTrendArgs& a)
{
    check_forecast_args(a.forecast);
    const auto table = engine::read_csv_table(a.csv);
    const auto y = to_vector(table.numeric(a.y, true));
    models::StructuralSpec spec;
    spec.trend = models::TrendKind::linear_trend;
    spec.season_period = a.season;
    spec.alpha = a.alpha;
    const auto fit = models::fit_structural(y, Eigen::MatrixXd(), spec);
    const auto fc = models::forecast(fit, a.forecast.horizon);
    emit_state_space(a.format, "local-trend", fit.est, fit.diag, fit.sigma2, fit.level_smoothed,
                     fit.level_smoothed_var, fc, a.forecast);
}

// ---- impact ---------------------------------------------------------------
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

// ---- meta -----------------------------------------------------------------
struct MetaArgs {
    std::string csv, yi, vi, method = "reml";
    bool hk = false;
    double alpha = 0.05;
    Format format = Format::table;
};

void run_meta(const MetaArgs& a)
{
    const auto table = engine::read_csv_table(a.csv);
    const auto yi = to_vector(table.numeric(a.yi, false));
    const auto vi = to_vector(table.numeric(a.vi, false));
    models::MetaSpec spec;
    spec.method = a.method == "fe"   ? models::Tau2Method::fixed_effect
                  : a.method == "dl" ? models::Tau2Method::dersimonian_laird
                  : a.method == "pm" ? models::Tau2Method::paule_mandel
                                     : models::Tau2Method::reml;
    spec.hartung_knapp = a.hk;
    spec.alpha = a.alpha;
    const auto r = models::fit_meta(yi, vi, spec);
    auto json = fit_json("meta", r.est, r.diag, a.hk ? "Hartung-Knapp (t, k-1 df)" : "inverse variance (z)");
    json["method"] = a.method;
    json["hk"] = a.hk;
    json["k"] = r.k;
    json["estimate"] = json_number(r.estimate);
    json["se"] = json_number(r.se);
    json["ci_low"] = json_number(r.ci_low);
    json["ci_high"] = json_number(r.ci_high);
    json["z_or_t"] = json_number(r.stat);
    json["df"] = json_number(r.df);
    json["p"] = json_number(r.p);
    json["tau2"] = json_number(r.tau2);
    json["tau2_ci_low"] = json_number(r.tau2_ci_low);
    json["tau2_ci_high"] = json_number(r.tau2_ci_high);
    json["i2"] = json_number(r.i2);
    json["h2"] = json_number(r.h2);
    json["q"] = json_number(r.q);
    json["q_df"] = json_number(r.q_df);
    json["q_p"] = json_number(r.q_p);
    json["pi_low"] = json_number(r.pi_low);
    json["pi_high"] = json_number(r.pi_high);
    auto w = nlohmann::json::array();
    for (Eigen::Index i = 0; i < r.weights.size(); ++i) w.push_back(json_number(r.weights[i]));
    json["weights"] = w;
    json["converged"] = r.diag.converged;
    json["iterations"] = r.diag.iterations;
    print_warnings(r.diag);
    print_listing(std::cout, a.format, params_table(r.est), json);
    if (a.format != Format::table) return;
    const int level = static_cast<int>(100 * (1 - a.alpha) + 0.5);
    std::cout << '\n'
              << fmt::format("k = {}, method {}{}\n", r.k, a.method, a.hk ? " with Hartung-Knapp" : "")
              << fmt::format("tau^2 = {} ({}% Q-profile CI {} to {}), I^2 = {}%, H^2 = {}\n", fmt_number(r.tau2), level,
                             fmt_number(r.tau2_ci_low), fmt_number(r.tau2_ci_high), fmt_number(r.i2, 4),
                             fmt_number(r.h2, 4))
              << fmt::format("Q = {} on {} df, p = {}\n", fmt_number(r.q), fmt_number(r.q_df), fmt_number(r.q_p, 4))
              << fmt::format("{}% prediction interval {} to {}\n", level, fmt_number(r.pi_low), fmt_number(r.pi_high));
}

}  // namespace

void add_fit_state_space_commands(CLI::App& fit)
{
    {
        auto a = std::make_shared<LocalLevelArgs>();
        auto* cmd = fit.add_subcommand("local-level", "Local level model (random walk plus noise), exact diffuse "
                                                      "ML; smoothed level, forecasts, threshold probability");
        cmd->add_option("--csv", a->csv, "CSV file with a header row; rows are consecutive periods")->required();
        cmd->add_option("--y", a->y, "Series column (empty or NA: a missing period)")->required();
        add_forecast_options(*cmd, a->forecast);
        add_alpha(*cmd, a->alpha);
        add_format_option(*cmd, a->format);
        cmd->footer("Parameters: sigma2_epsilon (observation noise) and sigma2_level (level disturbance), with\n"
                    "observed-information intervals on the log scale. The log-likelihood is Durbin & Koopman's\n"
                    "diffuse one. JSON adds sigma2, smoothed [{t, level, var}], forecast [{h, mean, var, obs_mean,\n"
                    "obs_var}] and probability (that the level passes --threshold at step H in the --better way).\n"
                    "Example: taeval fit local-level --csv series.csv --y value --forecast 4 --threshold 80 --better up");
        cmd->callback([a] { run_local_level(*a); });
    }
    {
        auto a = std::make_shared<LocalTrendArgs>();
        auto* cmd = fit.add_subcommand("local-trend", "Local linear trend model, optional seasonal dummies, exact "
                                                      "diffuse ML; smoothed level, forecasts, threshold probability");
        cmd->add_option("--csv", a->csv, "CSV file with a header row; rows are consecutive periods")->required();
        cmd->add_option("--y", a->y, "Series column (empty or NA: a missing period)")->required();
        cmd->add_option("--season", a->season, "Stochastic seasonal dummies of period 4 (quarters) or 12 (months)")
            ->check(CLI::IsMember({4, 12}));
        add_forecast_options(*cmd, a->forecast);
        add_alpha(*cmd, a->alpha);
        add_format_option(*cmd, a->format);
        cmd->footer("Parameters: sigma2_epsilon, sigma2_level, sigma2_slope (and sigma2_seasonal); variances at\n"
                    "zero are reported with a warning. JSON as for local-level; the forecast 'mean' is the\n"
                    "level, 'obs_mean' adds the seasonal.\n"
                    "Example: taeval fit local-trend --csv monthly.csv --y value --season 12 --forecast 12");
        cmd->callback([a] { run_local_trend(*a); });
    }
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
    {
        auto a = std::make_shared<MetaArgs>();
        auto* cmd = fit.add_subcommand("meta", "Fixed- or random-effects meta-analysis of effects with known "
                                               "sampling variances");
        cmd->add_option("--csv", a->csv, "CSV file with a header row, one row per study")->required();
        cmd->add_option("--yi", a->yi, "Effect estimate column")->required();
        cmd->add_option("--vi", a->vi, "Sampling variance column (> 0)")->required();
        cmd->add_option("--method", a->method,
                        "tau^2 estimator: fe (fixed effect), dl (DerSimonian-Laird), reml, pm (Paule-Mandel)")
            ->check(CLI::IsMember({"fe", "dl", "reml", "pm"}))
            ->capture_default_str();
        cmd->add_flag("--hk", a->hk, "Hartung-Knapp(-Sidik-Jonkman) standard error with t on k-1 df");
        add_alpha(*cmd, a->alpha);
        add_format_option(*cmd, a->format);
        cmd->footer("Conventions of R's metafor 3.8: I^2 in percent, tau^2 Q-profile interval, prediction\n"
                    "interval with z (or t on k-1 df with --hk), weights in percent.\n"
                    "Example: taeval fit meta --csv studies.csv --yi yi --vi vi --method reml --hk --format json");
        cmd->callback([a] { run_meta(*a); });
    }
}

}  // namespace taeval::cli
