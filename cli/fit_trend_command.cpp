// `taeval fit trend`: a linear trend with a forecast on a CSV file.
// Reads the columns, calls models/, prints the result; no statistics here.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/fit_common.hpp"
#include "models/trend.hpp"

namespace taeval::cli {

namespace {

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
    emit_regression(a.format, fit.est, fit.diag, json, cov_description(fit.cov_type, fit.hac_lags, spec.cov.hac_small_sample, 0),
         extra);
}

}  // namespace

void add_fit_trend_command(CLI::App& fit)
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

}  // namespace taeval::cli
