// `taeval fit its`: interrupted time series on a CSV file.
// Reads the columns, calls models/, prints the result; no statistics here.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/fit_common.hpp"
#include "models/error.hpp"
#include "models/its.hpp"

namespace taeval::cli {

namespace {

struct ItsArgs {
    std::string csv, y;
    std::vector<std::string> breaks;
    int season = 0;
    bool log = false;
    std::string errors = "nw";
    std::string method;  // empty: prais (the default before --method existed)
    std::string phi_uncertainty;  // empty: integrated (REML and ML only)
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
        spec.errors = a.method == "reml" ? models::ItsErrors::ar1_reml
                      : a.method == "ml" ? models::ItsErrors::ar1_ml
                                         : models::ItsErrors::ar1;
    } else if (a.errors == "nw" || a.errors.starts_with("nw:")) {
        spec.errors = models::ItsErrors::newey_west;
        spec.hac_lags = parse_nw_lag(a.errors, "--errors");
    } else {
        usage("--errors must be ols, nw, nw:L or ar1, got '" + a.errors + "'");
    }
    if (!a.method.empty() && a.errors != "ar1") usage("--method needs --errors ar1");
    const bool likelihood = spec.errors == models::ItsErrors::ar1_reml || spec.errors == models::ItsErrors::ar1_ml;
    if (!a.phi_uncertainty.empty() && !likelihood) usage("--phi-uncertainty needs --errors ar1 --method reml|ml");
    spec.integrate_phi = likelihood && a.phi_uncertainty != "ignored";
    const bool ar1 = a.errors == "ar1";
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
    if (ar1) json["method"] = a.method.empty() ? "prais" : a.method;
    if (likelihood) json["phi_uncertainty"] = spec.integrate_phi ? "integrated" : "ignored";
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

    std::string cov = fit.cov_type == "AR1"        ? "AR(1) errors, Prais-Winsten feasible GLS"
                      : fit.cov_type == "AR1-REML" ? "AR(1) errors, phi by REML, GLS"
                      : fit.cov_type == "AR1-ML"   ? "AR(1) errors, phi by exact ML, GLS"
                      : fit.cov_type == "HAC"
                          ? cov_description(models::CovType::newey_west, fit.hac_lags, fit.hac_small_sample, 0)
                          : "classical";
    std::vector<std::pair<std::string, std::string>> extra;
    if (spec.errors == models::ItsErrors::ar1)
        extra.emplace_back("phi", fmt::format("{} ({} iterations{})", fmt_number(fit.phi), fit.diag.iterations,
                                              fit.diag.converged ? "" : ", not converged"));
    else if (ar1)
        extra.emplace_back("phi", fmt_number(fit.phi));
    if (fit.log_outcome) extra.emplace_back("scale", "log(y): level changes are log ratios");
    emit_regression(a.format, fit.est, fit.diag, json, cov, extra);
}

}  // namespace

ItsErrorsOptions its_errors_options(const models::ItsSpec& spec)
{
    const std::string phi = spec.integrate_phi ? "integrated" : "ignored";
    switch (spec.errors) {
    case models::ItsErrors::ols: return {"ols", "", ""};
    case models::ItsErrors::newey_west: return {"nw", "", ""};
    case models::ItsErrors::ar1: return {"ar1", "prais", ""};
    case models::ItsErrors::ar1_reml: return {"ar1", "reml", phi};
    case models::ItsErrors::ar1_ml: return {"ar1", "ml", phi};
    }
    return {"nw", "", ""};
}

std::string ItsErrorsOptions::flags() const
{
    return "--errors " + errors + (method.empty() ? "" : " --method " + method) +
           (phi_uncertainty.empty() ? "" : " --phi-uncertainty " + phi_uncertainty);
}

void add_fit_its_command(CLI::App& fit)
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
                    "(AR(1) errors, estimated as --method says)")
        ->capture_default_str();
    cmd->add_option("--method", a->method,
                    "With --errors ar1: prais (iterated Prais-Winsten feasible GLS, the default), reml (phi by\n"
                    "restricted maximum likelihood, gap-aware; what `taeval evaluate` fits) or ml (exact maximum\n"
                    "likelihood)")
        ->check(CLI::IsMember({"prais", "reml", "ml"}));
    cmd->add_option("--phi-uncertainty", a->phi_uncertainty,
                    "With --method reml|ml: integrated (phi's uncertainty in the standard errors, the default; what\n"
                    "`taeval evaluate` does) or ignored (GLS at the estimated phi, as R's nlme::gls)")
        ->check(CLI::IsMember({"integrated", "ignored"}));
    cmd->add_flag("--nw-adjust", a->nw_adjust, "Newey-West: multiply the covariance by n/(n-k)");
    add_alpha(*cmd, a->alpha);
    add_format_option(*cmd, a->format);
    cmd->footer("Parameters: intercept, time, level_change_1, slope_change_1, ... (then season_1, ...).\n"
                "The time index is the row index; missing periods keep their place (Newey-West lags count\n"
                "periods; AR(1) uses the gap-aware transform). JSON adds fitted and counterfactual paths.\n"
                "REML and ML: GLS at the estimated phi, t on n - k degrees of freedom; standard errors with\n"
                "phi's uncertainty integrated (docs/evaluation.md), or as R's nlme::gls with\n"
                "--phi-uncertainty ignored.\n"
                "Example: taeval fit its --csv series.csv --y value --break 24 --season 12 --errors ar1\n"
                "`taeval effects --explain` prints the command that reproduces a stored effect.");
    cmd->callback([a] { run_its(*a); });
}

}  // namespace taeval::cli
