// `taeval series IND@ISO3`: one series' reported totals, each with the
// import (file and line) that stored it. Reads only.
#include <iostream>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "engine/storage/database.hpp"
#include "engine/storage/series_store.hpp"
#include "models/error.hpp"

namespace taeval::cli {

namespace {

struct SeriesArgs {
    std::string key;  // IND@ISO3
    Format format = Format::table;
};

void run_series(const GlobalOptions& global, const SeriesArgs& args)
{
    const auto [indicator, state] = parse_series_key(args.key, "series");
    const auto database = global.open(engine::storage::Access::read);
    const auto rows = engine::storage::read_series(*database, indicator, state);
    if (rows.empty()) std::cerr << "taeval: no reported value of " << args.key << '\n';
    auto json = nlohmann::json::array();
    TextTable t;
    t.header = {"period", "value", "source", "file", "line"};
    t.right = {false, true, false, false, true};
    for (const auto& r : rows) {
        json.push_back({{"period", r.period.to_string()},
                        {"value", json_number(r.value)},
                        {"source", r.source},
                        {"file", r.file},
                        {"line", r.line}});
        // The value in full: a person checking a fit by hand needs every digit.
        t.rows.push_back({r.period.to_string(), fmt::format("{}", r.value), r.source, r.file, std::to_string(r.line)});
    }
    print_listing(std::cout, args.format, t, json);
}

}  // namespace

std::pair<std::string, std::string> parse_series_key(const std::string& text, const std::string& what)
{
    const auto at = text.find('@');
    if (at == std::string::npos || at == 0 || at + 1 == text.size() || text.find('@', at + 1) != std::string::npos)
        throw Error(ErrorCode::usage, what + ": a series is IND@ISO3 (indicator code @ state), got '" + text + "'");
    return {text.substr(0, at), text.substr(at + 1)};
}

void add_series_command(CLI::App& app, const GlobalOptions& global)
{
    auto args = std::make_shared<SeriesArgs>();
    auto* cmd = app.add_subcommand("series", "List one series: its reported totals by period, with the file and "
                                             "line each was imported from");
    cmd->add_option("series", args->key, "The series, IND@ISO3 (indicator code @ state)")->required();
    add_format_option(*cmd, args->format);
    cmd->callback([&global, args] { run_series(global, *args); });
}

}  // namespace taeval::cli
