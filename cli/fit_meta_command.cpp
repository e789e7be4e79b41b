// `taeval fit meta`: meta-analysis on a CSV file.
// Reads the columns, calls models/, prints the result; no statistics here.
#include <iostream>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/fit_common.hpp"
#include "models/meta.hpp"

namespace taeval::cli {

namespace {

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

void add_fit_meta_command(CLI::App& fit)
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

}  // namespace taeval::cli
