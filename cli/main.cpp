// The taeval executable: parses the command line and maps errors to exit
// statuses (0 ok, 1 usage, 2 bad input, 3 internal, 4 busy). All work is in the
// libraries; the commands only format what they return.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "models/error.hpp"
#include "taeval_version.hpp"

namespace {

int exit_status(taeval::ErrorCode code)
{
    switch (code) {
    case taeval::ErrorCode::usage: return 1;
    case taeval::ErrorCode::bad_input:
    case taeval::ErrorCode::not_found:
    case taeval::ErrorCode::conflict: return 2;
    case taeval::ErrorCode::internal: return 3;
    case taeval::ErrorCode::busy: return 4;
    }
    return 3;
}

}  // namespace

std::filesystem::path taeval::cli::GlobalOptions::database() const
{
    if (!db.empty()) return db;
    if (const char* env = std::getenv("TAEVAL_DB"); env != nullptr && env[0] != '\0') return env;
    return "taeval.db";
}

std::unique_ptr<taeval::engine::storage::Database> taeval::cli::GlobalOptions::open(
    engine::storage::Access access) const
{
    engine::storage::OpenOptions options;
    options.access = access;
    options.wait = std::chrono::milliseconds(static_cast<std::int64_t>(wait_seconds * 1000));
    options.on_wait = [](const std::string& message) { std::cerr << "taeval: " << message << std::endl; };
    return std::make_unique<engine::storage::Database>(database(), options);
}

int main(int argc, char** argv)
{
    CLI::App app{"taeval: evaluation of technical assistance for implementing the UN Convention "
                 "against Transnational Organized Crime and its Protocols"};
    app.set_version_flag("--version", std::string("taeval ") + taeval::version);
    app.require_subcommand(1);
    app.fallthrough();

    taeval::cli::GlobalOptions global;
    app.add_option("--db", global.db, "Database file (default: $TAEVAL_DB, else ./taeval.db)");
    app.add_option("--wait", global.wait_seconds,
                   "Seconds a write waits for another writer's lock before giving up with exit status 4 "
                   "(default 5)")
        ->check(CLI::Range(0.0, 86400.0));

    taeval::cli::add_init_command(app, global);
    taeval::cli::add_import_command(app, global);
    taeval::cli::add_list_command(app, global);
    taeval::cli::add_score_command(app, global);
    taeval::cli::add_evaluate_command(app, global);
    taeval::cli::add_effects_command(app, global);
    taeval::cli::add_series_command(app, global);
    taeval::cli::add_graph_command(app, global);
    taeval::cli::add_generate_command(app);
    taeval::cli::add_demo_command(app);
    taeval::cli::add_fit_command(app);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // Help and version are "errors" to CLI11 with status 0.
        const int status = app.exit(e);
        return status == 0 ? 0 : 1;
    } catch (const taeval::Error& e) {
        std::cerr << "taeval: " << e.what() << '\n';
        return exit_status(e.code());
    } catch (const std::exception& e) {
        // A storage failure that is no bug (a lock held too long, a read-only
        // or damaged file) gets its own status and words.
        if (const auto error = taeval::engine::storage::storage_error(e, global.database())) {
            std::cerr << "taeval: " << error->what() << '\n';
            return exit_status(error->code());
        }
        std::cerr << "taeval: internal error: " << e.what() << '\n';
        return 3;
    }
    return 0;
}
