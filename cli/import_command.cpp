#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "engine/import/importer.hpp"
#include "engine/storage/database.hpp"

namespace taeval::cli {

namespace {

struct ImportArgs {
    std::vector<std::string> inputs;
    bool replace = false;
    Format format = Format::table;
};

void run_import(const GlobalOptions& global, const ImportArgs& args)
{
    const auto database = global.open(engine::storage::Access::create);
    auto& db = *database;
    engine::ImportOptions options;
    options.replace = args.replace;
    if (show_progress()) {
        options.progress = [](const std::string& file, std::uintmax_t done, std::uintmax_t total) {
            const double pct = total == 0 ? 100.0 : 100.0 * static_cast<double>(done) / static_cast<double>(total);
            std::cerr << fmt::format("\rimporting {} {:5.1f}%", file, pct) << (done == total ? "\n" : "")
                      << std::flush;
        };
    }
    std::vector<std::filesystem::path> inputs(args.inputs.begin(), args.inputs.end());
    const auto report = engine::import_bundle(db, inputs, options);

    TextTable table;
    table.header = {"file", "status", "rows", "inserted", "unchanged", "replaced", "import"};
    table.right = {false, false, true, true, true, true, true};
    auto json = nlohmann::json::array();
    for (const auto& f : report.files) {
        const std::string status = f.skipped_unchanged ? "already imported" : "imported";
        table.rows.push_back({f.file, status, std::to_string(f.rows), std::to_string(f.inserted),
                              std::to_string(f.unchanged), std::to_string(f.replaced), std::to_string(f.batch)});
        json.push_back({{"file", f.file},
                        {"path", f.path},
                        {"sha256", f.sha256},
                        {"status", f.skipped_unchanged ? "unchanged" : "imported"},
                        {"rows", f.rows},
                        {"inserted", f.inserted},
                        {"unchanged", f.unchanged},
                        {"replaced", f.replaced},
                        {"batch", f.batch}});
    }
    print_listing(std::cout, args.format, table, json);
}

}  // namespace

void add_import_command(CLI::App& app, const GlobalOptions& global)
{
    auto args = std::make_shared<ImportArgs>();
    auto* cmd = app.add_subcommand(
        "import", "Import a portfolio bundle (a folder of CSV files) or single bundle files, in one transaction");
    cmd->add_option("inputs", args->inputs, "Bundle folder(s) or files (states.csv, observations.csv, ...)")
        ->required();
    cmd->add_flag("--replace", args->replace, "Overwrite stored rows whose keys reappear with other content");
    add_format_option(*cmd, args->format);
    cmd->callback([&global, args] { run_import(global, *args); });
}

}  // namespace taeval::cli
