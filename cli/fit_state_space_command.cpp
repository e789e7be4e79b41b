#include "cli/commands.hpp"

namespace taeval::cli {

void add_fit_state_space_commands(CLI::App& /*fit*/) {}

}  // namespace taeval::cli
