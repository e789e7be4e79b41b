#include "cli/commands.hpp"

namespace taeval::cli {

void add_fit_regression_commands(CLI::App& /*fit*/) {}

}  // namespace taeval::cli
