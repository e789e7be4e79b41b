// `taeval fit ols`: ordinary least squares on a CSV file.
// Reads the columns, calls models/, prints the result; no statistics here.
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/fit_common.hpp"
#include "models/ols.hpp"

namespace taeval::cli {

namespace {

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
    emit_regression(a.format, fit.est, fit.diag, json,
         cov_description(fit.cov_type, fit.hac_lags, fit.hac_small_sample, fit.n_clusters),
         {{"F", fmt::format("{} on {} and {} df, p = {}", fmt_number(fit.f_stat), fmt_number(fit.df_model),
                            fmt_number(fit.df_inference), fmt_number(fit.f_p, 4))}});
}

}  // namespace

void add_fit_ols_command(CLI::App& fit)
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

}  // namespace taeval::cli
