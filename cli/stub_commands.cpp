// Temporary: the foundation's commands, filled in by their own files.
#include "cli/commands.hpp"
namespace taeval::cli {
void add_generate_command(CLI::App&) {}
void add_demo_command(CLI::App&) {}
}  // namespace taeval::cli
