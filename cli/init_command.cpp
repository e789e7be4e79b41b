#include <iostream>

#include "cli/commands.hpp"
#include "engine/storage/database.hpp"

namespace taeval::cli {

void add_init_command(CLI::App& app, const GlobalOptions& global)
{
    auto* cmd = app.add_subcommand("init", "Create (or migrate) the database file");
    cmd->callback([&global] {
        const auto db = global.open(engine::storage::Access::create);
        std::cout << db->path().string() << ": schema version " << db->version() << '\n';
    });
}

}  // namespace taeval::cli
