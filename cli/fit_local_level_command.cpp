// `taeval fit local-level`: the local level model on a CSV file.
// Reads the columns, calls models/, prints the result; no statistics here.
#include <memory>
#include <string>

#include "cli/commands.hpp"
#include "cli/fit_common.hpp"
#include "models/local_level.hpp"

namespace taeval::cli {

namespace {

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

}  // namespace

void add_fit_local_level_command(CLI::App& fit)
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

}  // namespace taeval::cli
