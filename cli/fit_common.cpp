#include "cli/fit_common.hpp"

#include <charconv>
#include <cmath>
#include <iostream>
#include <map>

#include <fmt/format.h>

#include "models/error.hpp"

namespace taeval::cli {

namespace {

void print_summary(std::ostream& out, const models::Diagnostics& d, const std::string& cov,
                   const std::vector<std::pair<std::string, std::string>>& extra)
{
    out << '\n';
    out << fmt::format("n = {} (missing {}), rank {}, residual df {}\n", d.n, d.n_missing, d.rank, fmt_number(d.df_resid));
    out << fmt::format("R-squared {}, adjusted {}, residual SD {}, log-likelihood {}\n", fmt_number(d.r2),
                       fmt_number(d.adj_r2), fmt_number(d.resid_sd), fmt_number(d.loglik));
    out << "covariance: " << cov << '\n';
    for (const auto& [k, v] : extra) out << k << ": " << v << '\n';
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

}  // namespace

[[noreturn]] void usage(const std::string& message) { throw Error(ErrorCode::usage, message); }

std::size_t parse_count(const std::string& text, const std::string& what)
{
    std::size_t v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size())
        usage(what + " must be a non-negative integer, got '" + text + "'");
    return v;
}

std::optional<std::size_t> parse_nw_lag(const std::string& value, const std::string& option)
{
    if (value == "nw") return std::nullopt;
    return parse_count(value.substr(3), option + " nw:L lag");
}

std::vector<std::int64_t> group_ids(const engine::CsvTable& table, const std::string& column)
{
    const auto c = table.require_column(column);
    std::map<std::string, std::int64_t> ids;
    std::vector<std::int64_t> out;
    for (std::size_t r = 0; r < table.rows(); ++r) {
        const auto& cell = table.columns[c][r];
        if (cell.empty() || cell == "NA")
            throw Error(ErrorCode::bad_input, fmt::format("{}:{}:{} ({}): empty value; expected a group label",
                                                          table.path.string(), table.lines[r], c + 1, column));
        out.push_back(ids.emplace(cell, static_cast<std::int64_t>(ids.size())).first->second);
    }
    return out;
}

Eigen::VectorXd to_vector(const std::vector<double>& v)
{
    return Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size()));
}

void add_cov_options(CLI::App& cmd, CovOptions& o, bool cluster)
{
    cmd.add_option("--cov", o.cov,
                   cluster ? "Covariance: classical, hc0, hc1, nw (Newey-West, automatic lag floor(4(n/100)^(2/9))), "
                             "nw:L (lag L) or cluster:COL (CR1 by the groups of column COL)"
                           : "Covariance: classical, hc0, hc1, nw (Newey-West, automatic lag) or nw:L (lag L)")
        ->capture_default_str();
    cmd.add_flag("--nw-adjust", o.nw_adjust, "Newey-West: multiply the covariance by n/(n-k)");
}

models::CovSpec cov_spec(const CovOptions& o, const engine::CsvTable& table)
{
    models::CovSpec spec;
    const auto& v = o.cov;
    if (v == "classical") {
        spec.type = models::CovType::classical;
    } else if (v == "hc0") {
        spec.type = models::CovType::hc0;
    } else if (v == "hc1") {
        spec.type = models::CovType::hc1;
    } else if (v == "nw" || v.starts_with("nw:")) {
        spec.type = models::CovType::newey_west;
        spec.hac_lags = parse_nw_lag(v, "--cov");
        spec.hac_small_sample = o.nw_adjust;
    } else if (v.starts_with("cluster:") && v.size() > 8) {
        spec.type = models::CovType::cluster;
        spec.clusters = group_ids(table, v.substr(8));
    } else {
        usage("--cov must be classical, hc0, hc1, nw, nw:L or cluster:COL, got '" + v + "'");
    }
    if (o.nw_adjust && spec.type != models::CovType::newey_west) usage("--nw-adjust needs --cov nw or nw:L");
    return spec;
}

std::string cov_description(models::CovType type, std::size_t lags, bool adjusted, std::size_t clusters)
{
    switch (type) {
    case models::CovType::classical: return "classical";
    case models::CovType::hc0: return "HC0";
    case models::CovType::hc1: return "HC1";
    case models::CovType::newey_west:
        return fmt::format("Newey-West HAC, Bartlett, lag {}{}", lags, adjusted ? ", n/(n-k) adjusted" : "");
    case models::CovType::cluster: return fmt::format("cluster-robust CR1, {} clusters, t on G-1 df", clusters);
    }
    return "";
}

void emit_regression(Format format, const models::Estimates& est, const models::Diagnostics& diag,
                     const nlohmann::json& json, const std::string& cov,
                     const std::vector<std::pair<std::string, std::string>>& extra)
{
    print_warnings(diag);
    const auto table = params_table(est);
    print_listing(std::cout, format, table, json);
    if (format == Format::table) print_summary(std::cout, diag, cov, extra);
}

CLI::Option* add_alpha(CLI::App& cmd, double& alpha)
{
    return cmd.add_option("--alpha", alpha, "1 - confidence level of the intervals, in (0, 1)")
        ->check(CLI::Range(0.0, 1.0))
        ->capture_default_str();
}

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

}  // namespace taeval::cli
