#include "cli/commands.hpp"

namespace taeval::cli {

void add_fit_command(CLI::App& app)
{
    auto* fit = app.add_subcommand("fit", "Fit a model to a CSV file (ad hoc analysis, no database)");
    fit->require_subcommand(1);
    // In this order in `taeval fit --help`.
    add_fit_ols_command(*fit);
    add_fit_trend_command(*fit);
    add_fit_its_command(*fit);
    add_fit_did_command(*fit);
    add_fit_fdr_command(*fit);
    add_fit_local_level_command(*fit);
    add_fit_local_trend_command(*fit);
    add_fit_impact_command(*fit);
    add_fit_meta_command(*fit);
}

}  // namespace taeval::cli
