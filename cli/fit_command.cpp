#include "cli/commands.hpp"

namespace taeval::cli {

void add_fit_command(CLI::App& app)
{
    auto* fit = app.add_subcommand("fit", "Fit a model to a CSV file (ad hoc analysis, no database)");
    fit->require_subcommand(1);
    add_fit_regression_commands(*fit);
    add_fit_state_space_commands(*fit);
}

}  // namespace taeval::cli
