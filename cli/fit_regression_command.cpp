// `taeval fit ols|trend|its|did|fdr`: the regression family on a CSV file.
// Reads the columns, calls models/, prints the result; no statistics here.
#include <charconv>
#include <cmath>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/fit_output.hpp"
#include "cli/output.hpp"
#include "engine/io/csv_reader.hpp"
#include "models/did.hpp"
#include "models/error.hpp"
#include "models/fdr.hpp"
#include "models/its.hpp"
#include "models/ols.hpp"
#include "models/trend.hpp"

namespace taeval::cli {

namespace {

[[noreturn]] void usage(const std::string& message) { throw Error(ErrorCode::usage, message); }

std::size_t parse_count(const std::string& text, const std::string& what)
{
    std::size_t v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size())
        usage(what + " must be a non-negative integer, got '" + text + "'");
    return v;
}

// "nw" or "nw:L": the lag when given.
std::optional<std::size_t> parse_nw_lag(const std::string& value, const std::string& option)
{
    if (value == "nw") return std::nullopt;
    return parse_count(value.substr(3), option + " nw:L lag");
}

// Group ids from a text column, numbered in order of first appearance.
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

struct CovOptions {
    std::string cov = "classical";
    bool nw_adjust = false;
};

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
    } else if (v == "nw" || v.rfind("nw:", 0) == 0) {
        spec.type = models::CovType::newey_west;
        spec.hac_lags = parse_nw_lag(v, "--cov");
        spec.hac_small_sample = o.nw_adjust;
    } else if (v.rfind("cluster:", 0) == 0 && v.size() > 8) {
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

// Prints a fit in the chosen format: JSON, the parameter table as CSV, or
// the table with a summary for a person.
void emit(Format format, const models::Estimates& est, const models::Diagnostics& diag, const nlohmann::json& json,
          const std::string& cov, const std::vector<std::pair<std::string, std::string>>& extra)
{
    print_warnings(diag);
    const auto table = params_table(est);
    print_listing(std::cout, format, table, json);
    if (format == Format::table) print_summary(std::cout, diag, cov, extra);
}

// ---- ols ----------------------------------------------------------------
struct OlsArgs {
    std::string csv, y;
    std::vector<std::string> x;
    bool no_intercept = false;
    CovOptions cov;
    double alpha = 0.05;
    Format format = Format::table;
};

void run_ols(const OlsArgs& a)
{
    const auto table = engine::read_csv_table(a.csv);
    const auto spec_cov = cov_spec(a.cov, table);
    const auto y = to_vector(table.numeric(a.y, true));
    Eigen::MatrixXd x(y.size(), static_cast<Eigen::Index>(a.x.size()));
    for (std::size_t j = 0; j < a.x.size(); ++j) x.col(static_cast<Eigen::Index>(j)) = to_vector(table.numeric(a.x[j], true));
    models::OlsSpec spec;
    spec.add_intercept = !a.no_intercept;
    spec.cov = spec_cov;
    spec.alpha = a.alpha;
    const auto fit = models::fit_ols(y, x, a.x, spec);
    auto json = fit_json("ols", fit.est, fit.diag, models::cov_type_name(fit.cov_type));
    json["adj_r2"] = json_number(fit.diag.adj_r2);
    json["f"] = json_number(fit.f_stat);
    json["f_p"] = json_number(fit.f_p);
    json["df_model"] = json_number(fit.df_model);
    json["df_inference"] = json_number(fit.df_inference);
    if (fit.cov_type == models::CovType::newey_west) {
        json["hac_lags"] = fit.hac_lags;
        json["hac_small_sample"] = fit.hac_small_sample;
    }
    if (fit.cov_type == models::CovType::cluster) {
        json["n_clusters"] = fit.n_clusters;
        json["small_sample"] = "CR1: G/(G-1) (N-1)/(N-K); t on G-1 df";
    }
    emit(a.format, fit.est, fit.diag, json,
         cov_description(fit.cov_type, fit.hac_lags, fit.hac_small_sample, fit.n_clusters),
         {{"F", fmt::format("{} on {} and {} df, p = {}", fmt_number(fit.f_stat), fmt_number(fit.df_model),
                            fmt_number(fit.df_inference), fmt_number(fit.f_p, 4))}});
}

// ---- trend --------------------------------------------------------------
struct TrendArgs {
    std::string csv, y, t;
    CovOptions cov;
    std::optional<double> predict;
    double alpha = 0.05;
    Format format = Format::table;
};

void run_trend(const TrendArgs& a)
{
    const auto table = engine::read_csv_table(a.csv);
    models::TrendSpec spec;
    spec.cov = cov_spec(a.cov, table);
    spec.alpha = a.alpha;
    spec.predict_at = a.predict;
    const auto y = to_vector(table.numeric(a.y, true));
    const auto fit = a.t.empty() ? models::fit_trend(y, spec) : models::fit_trend(y, to_vector(table.numeric(a.t, true)), spec);
    auto json = fit_json("trend", fit.est, fit.diag, models::cov_type_name(fit.cov_type));
    json["df_inference"] = json_number(fit.df_inference);
    if (fit.cov_type == models::CovType::newey_west) json["hac_lags"] = fit.hac_lags;
    std::vector<std::pair<std::string, std::string>> extra;
    if (fit.prediction) {
        const auto& p = *fit.prediction;
        json["prediction"] = {{"t", p.t},
                              {"estimate", json_number(p.estimate)},
                              {"se", json_number(p.se)},
                              {"pi_low", json_number(p.pi_low)},
                              {"pi_high", json_number(p.pi_high)}};
        extra.emplace_back(fmt::format("prediction at t = {}", fmt_number(p.t)),
                           fmt::format("{} ({}% prediction interval {} to {})", fmt_number(p.estimate),
                                       fmt_number(100 * (1 - a.alpha)), fmt_number(p.pi_low), fmt_number(p.pi_high)));
    }
    emit(a.format, fit.est, fit.diag, json, cov_description(fit.cov_type, fit.hac_lags, spec.cov.hac_small_sample, 0),
         extra);
}

// ---- its ----------------------------------------------------------------
struct ItsArgs {
    std::string csv, y;
    std::vector<std::string> breaks;
    int season = 0;
    bool log = false;
    std::string errors = "nw";
    bool nw_adjust = false;
    double alpha = 0.05;
    Format format = Format::table;
};

void run_its(const ItsArgs& a)
{
    models::ItsSpec spec;
    for (const auto& b : a.breaks) spec.breaks.push_back(parse_count(b, "--break"));
    spec.season_period = a.season;
    spec.log_outcome = a.log;
    spec.alpha = a.alpha;
    if (a.errors == "ols") {
        spec.errors = models::ItsErrors::ols;
    } else if (a.errors == "ar1") {
        spec.errors = models::ItsErrors::ar1;
    } else if (a.errors == "nw" || a.errors.rfind("nw:", 0) == 0) {
        spec.errors = models::ItsErrors::newey_west;
        spec.hac_lags = parse_nw_lag(a.errors, "--errors");
    } else {
        usage("--errors must be ols, nw, nw:L or ar1, got '" + a.errors + "'");
    }
    if (a.nw_adjust && spec.errors != models::ItsErrors::newey_west) usage("--nw-adjust needs --errors nw or nw:L");
    spec.hac_small_sample = a.nw_adjust;
    const auto table = engine::read_csv_table(a.csv);
    const auto y = to_vector(table.numeric(a.y, true));
    for (const auto b : spec.breaks)
        if (b == 0 || b >= static_cast<std::size_t>(y.size()))
            usage(fmt::format("--break {} must be a row index in 1..{} (the first post-intervention row, 0-based)", b,
                              y.size() - 1));
    const auto fit = models::fit_its(y, spec);

    auto json = fit_json("its", fit.est, fit.diag, fit.cov_type);
    json["breaks"] = fit.breaks;
    json["phi"] = json_number(fit.phi);
    json["log_outcome"] = fit.log_outcome;
    json["season_period"] = a.season;
    if (spec.errors == models::ItsErrors::newey_west) {
        json["hac_lags"] = fit.hac_lags;
        json["hac_small_sample"] = fit.hac_small_sample;
    }
    if (spec.errors == models::ItsErrors::ar1) {
        json["iterations"] = fit.diag.iterations;
        json["converged"] = fit.diag.converged;
    }
    auto fitted = nlohmann::json::array();
    auto counterfactual = nlohmann::json::array();
    for (Eigen::Index i = 0; i < fit.fitted.size(); ++i) {
        fitted.push_back(json_number(fit.fitted[i]));
        counterfactual.push_back(json_number(fit.counterfactual[i]));
    }
    json["fitted"] = fitted;
    json["counterfactual"] = counterfactual;

    std::string cov = fit.cov_type == "AR1" ? "AR(1) errors, Prais-Winsten feasible GLS"
                      : fit.cov_type == "HAC"
                          ? cov_description(models::CovType::newey_west, fit.hac_lags, fit.hac_small_sample, 0)
                          : "classical";
    std::vector<std::pair<std::string, std::string>> extra;
    if (spec.errors == models::ItsErrors::ar1)
        extra.emplace_back("phi", fmt::format("{} ({} iterations{})", fmt_number(fit.phi), fit.diag.iterations,
                                              fit.diag.converged ? "" : ", not converged"));
    if (fit.log_outcome) extra.emplace_back("scale", "log(y): level changes are log ratios");
    emit(a.format, fit.est, fit.diag, json, cov, extra);
}

// ---- did ----------------------------------------------------------------
struct DidArgs {
    std::string csv, y, unit, time, treated;
    bool event_study = false;
    double alpha = 0.05;
    Format format = Format::table;
};

void run_did(const DidArgs& a)
{
    const auto table = engine::read_csv_table(a.csv);
    const auto y = to_vector(table.numeric(a.y, true));
    const auto units = group_ids(table, a.unit);
    const auto times_raw = table.numeric(a.time, false);
    std::vector<std::int64_t> times;
    const auto tc = table.require_column(a.time);
    for (std::size_t r = 0; r < times_raw.size(); ++r) {
        const double t = times_raw[r];
        if (t != std::floor(t) || std::abs(t) > 1e15)
            throw Error(ErrorCode::bad_input, fmt::format("{}:{}:{} ({}): time must be a whole number of periods, got {}",
                                                          table.path.string(), table.lines[r], tc + 1, a.time, t));
        times.push_back(static_cast<std::int64_t>(t));
    }
    const auto treated = to_vector(table.numeric(a.treated, false));
    models::DidSpec spec;
    spec.event_study = a.event_study;
    spec.alpha = a.alpha;
    const auto fit = models::fit_did(y, units, times, treated, spec);
    auto json = fit_json(a.event_study ? "did_event_study" : "did", fit.est, fit.diag, "cluster");
    json["small_sample"] = fit.small_sample;
    json["n_clusters"] = fit.n_clusters;
    json["n_units"] = fit.n_units;
    json["n_periods"] = fit.n_periods;
    json["n_treated_units"] = fit.n_treated_units;
    json["n_params"] = fit.n_params;
    if (a.event_study) json["event_times"] = fit.event_times;
    emit(a.format, fit.est, fit.diag, json, fit.small_sample,
         {{"panel", fmt::format("{} units ({} treated), {} periods", fit.n_units, fit.n_treated_units, fit.n_periods)}});
}

// ---- fdr ----------------------------------------------------------------
struct FdrArgs {
    std::string csv, p;
    double alpha = 0.05;
    std::string method = "bh";
    Format format = Format::table;
};

void run_fdr(const FdrArgs& a)
{
    const auto table = engine::read_csv_table(a.csv);
    const auto p = table.numeric(a.p, true);
    const auto method = *models::parse_fdr_method(a.method);
    const auto r = models::fdr_control(p, a.alpha, method);
    TextTable t;
    t.header = {"row", "p", "q", "rejected"};
    t.right = {true, true, true, false};
    auto q_values = nlohmann::json::array();
    auto rejected = nlohmann::json::array();
    for (std::size_t i = 0; i < p.size(); ++i) {
        q_values.push_back(json_number(r.q[i]));
        rejected.push_back(r.rejected[i]);
        t.rows.push_back({std::to_string(i), fmt_number(p[i]), fmt_number(r.q[i]),
                          std::isnan(r.q[i]) ? "" : (r.rejected[i] ? "yes" : "no")});
    }
    const char* name = method == models::FdrMethod::bky ? "benjamini-krieger-yekutieli" : "benjamini-hochberg";
    const nlohmann::json json = {{"model", "fdr"},          {"method", name},   {"n", r.m},
                                 {"n_missing", p.size() - r.m}, {"alpha", a.alpha}, {"q_values", q_values},
                                 {"rejected", rejected},     {"n_rejected", r.n_rejected}};
    print_listing(std::cout, a.format, t, json);
    if (a.format == Format::table)
        std::cout << fmt::format("\n{} of {} p-values rejected at false discovery rate {}\n", r.n_rejected, r.m,
                                 fmt_number(a.alpha));
}

CLI::Option* add_alpha(CLI::App& cmd, double& alpha)
{
    return cmd.add_option("--alpha", alpha, "1 - confidence level of the intervals, in (0, 1)")
        ->check(CLI::Range(0.0, 1.0))
        ->capture_default_str();
}

}  // namespace

void add_fit_regression_commands(CLI::App& fit)
{
    {
        auto a = std::make_shared<OlsArgs>();
        auto* cmd = fit.add_subcommand("ols", "Ordinary least squares by pivoted QR, with classical, HC0/HC1, "
                                              "Newey-West or cluster-robust (CR1) standard errors");
        cmd->add_option("--csv", a->csv, "CSV file with a header row")->required();
        cmd->add_option("--y", a->y, "Outcome column (empty or NA: the row is dropped)")->required();
        cmd->add_option("--x", a->x, "Regressor column(s), comma-separated")->required()->delimiter(',');
        cmd->add_flag("--no-intercept", a->no_intercept, "Fit without an intercept");
        add_cov_options(*cmd, a->cov, true);
        add_alpha(*cmd, a->alpha);
        add_format_option(*cmd, a->format);
        cmd->footer("Rows with a missing y or x are dropped and counted; Newey-West takes the row order as time.\n"
                    "Example: taeval fit ols --csv data.csv --y mpg --x wt,hp --cov cluster:carb --format json");
        cmd->callback([a] { run_ols(*a); });
    }
    {
        auto a = std::make_shared<TrendArgs>();
        auto* cmd = fit.add_subcommand("trend", "Linear trend (parameters intercept and slope per period) with a "
                                                "forecast and its prediction interval");
        cmd->add_option("--csv", a->csv, "CSV file with a header row")->required();
        cmd->add_option("--y", a->y, "Outcome column (empty or NA: missing)")->required();
        cmd->add_option("--t", a->t, "Period column (default: the row index 0, 1, ...)");
        add_cov_options(*cmd, a->cov, false);
        cmd->add_option("--predict", a->predict, "Forecast at this period, with its prediction interval");
        add_alpha(*cmd, a->alpha);
        add_format_option(*cmd, a->format);
        cmd->footer("The prediction interval is estimate +- t sqrt(x0'V x0 + sigma^2), V the chosen covariance.\n"
                    "Example: taeval fit trend --csv series.csv --y value --cov nw --predict 40");
        cmd->callback([a] { run_trend(*a); });
    }
    {
        auto a = std::make_shared<ItsArgs>();
        auto* cmd = fit.add_subcommand("its", "Interrupted time series (segmented regression): level and slope "
                                              "change at each break");
        cmd->add_option("--csv", a->csv, "CSV file with a header row; rows are consecutive periods")->required();
        cmd->add_option("--y", a->y, "Outcome column (empty or NA: a missing period)")->required();
        cmd->add_option("--break", a->breaks,
                        "0-based row index of the first post-intervention observation; several comma-separated, "
                        "increasing")
            ->required()
            ->delimiter(',');
        cmd->add_option("--season", a->season, "Seasonal dummies for period 4 (quarters) or 12 (months)")
            ->check(CLI::IsMember({4, 12}));
        cmd->add_flag("--log", a->log, "Model log(y) (y must be positive)");
        cmd->add_option("--errors", a->errors,
                        "Errors: ols (independent), nw (Newey-West, automatic lag), nw:L (lag L) or ar1 "
                        "(AR(1), Prais-Winsten feasible GLS)")
            ->capture_default_str();
        cmd->add_flag("--nw-adjust", a->nw_adjust, "Newey-West: multiply the covariance by n/(n-k)");
        add_alpha(*cmd, a->alpha);
        add_format_option(*cmd, a->format);
        cmd->footer("Parameters: intercept, time, level_change_1, slope_change_1, ... (then season_1, ...).\n"
                    "The time index is the row index; missing periods keep their place (Newey-West lags count\n"
                    "periods; AR(1) uses the gap-aware transform). JSON adds fitted and counterfactual paths.\n"
                    "Example: taeval fit its --csv series.csv --y value --break 24 --season 12 --errors ar1");
        cmd->callback([a] { run_its(*a); });
    }
    {
        auto a = std::make_shared<DidArgs>();
        auto* cmd = fit.add_subcommand("did", "Two-way fixed-effects difference-in-differences (estimate att) "
                                              "with errors clustered by unit");
        cmd->add_option("--csv", a->csv, "CSV file with a header row, one row per unit and period")->required();
        cmd->add_option("--y", a->y, "Outcome column (empty or NA: the row is dropped)")->required();
        cmd->add_option("--unit", a->unit, "Unit column (any labels)")->required();
        cmd->add_option("--time", a->time, "Period column (whole numbers)")->required();
        cmd->add_option("--treated", a->treated, "Treated-after indicator column (0 or 1)")->required();
        cmd->add_flag("--event-study", a->event_study,
                      "Leads and lags relative to each unit's first treated period (event_<r>, reference r = -1)");
        add_alpha(*cmd, a->alpha);
        add_format_option(*cmd, a->format);
        cmd->footer("Small-sample convention: CR1 (Stata), G/(G-1) (N-1)/(N-K) with K counting the unit and\n"
                    "time dummies; t with G-1 degrees of freedom.\n"
                    "Example: taeval fit did --csv panel.csv --y outcome --unit state --time year --treated d");
        cmd->callback([a] { run_did(*a); });
    }
    {
        auto a = std::make_shared<FdrArgs>();
        auto* cmd = fit.add_subcommand("fdr", "False-discovery-rate q-values for a family of p-values");
        cmd->add_option("--csv", a->csv, "CSV file with a header row")->required();
        cmd->add_option("--p", a->p, "p-value column (empty or NA: left out of the family)")->required();
        cmd->add_option("--alpha", a->alpha, "False discovery rate for the rejected column, in (0, 1)")
            ->check(CLI::Range(0.0, 1.0))
            ->capture_default_str();
        cmd->add_option("--method", a->method,
                        "bh: Benjamini-Hochberg; bky: the two-stage adaptive procedure of Benjamini, Krieger and\n"
                        "Yekutieli (its q-values depend on --alpha)")
            ->check(CLI::IsMember({"bh", "bky"}))
            ->capture_default_str();
        add_format_option(*cmd, a->format);
        cmd->footer("Example: taeval fit fdr --csv effects.csv --p p --method bky --format json");
        cmd->callback([a] { run_fdr(*a); });
    }
}

}  // namespace taeval::cli
