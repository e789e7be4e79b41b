// `taeval fit local-trend`: the local linear trend model on a CSV file.
// Reads the columns, calls models/, prints the result; no statistics here.
#include <memory>
#include <string>

#include "cli/commands.hpp"
#include "cli/fit_common.hpp"
#include "models/structural.hpp"

namespace taeval::cli {

namespace {

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

}  // namespace

void add_fit_local_trend_command(CLI::App& fit)
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

}  // namespace taeval::cli
