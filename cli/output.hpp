#pragma once
// Output formatting shared by the commands: the three listing formats, table
// and CSV rendering, colour and progress rules.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iosfwd>
#include <string>
#include <vector>

namespace taeval::cli {

enum class Format { table, json, csv };

/// Adds `--format table|json|csv` to a command.
void add_format_option(CLI::App& app, Format& format);

/// A listing as rows of text cells, rendered as an aligned table or as CSV.
struct TextTable {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    /// Columns to right-align in the table view (numbers).
    std::vector<bool> right;
};

void print_table(std::ostream& out, const TextTable& table);
void print_csv(std::ostream& out, const TextTable& table);
/// Prints JSON with two-space indentation and a final newline.
void print_json(std::ostream& out, const nlohmann::json& value);
/// Prints the listing in the chosen format; `json` is used for Format::json.
void print_listing(std::ostream& out, Format format, const TextTable& table, const nlohmann::json& json);

/// Formats a number for a person: up to `digits` significant digits, "" for NaN.
[[nodiscard]] std::string fmt_number(double value, int digits = 6);
/// A JSON number, or null for NaN and infinities (JSON has no NaN).
[[nodiscard]] nlohmann::json json_number(double value);

/// True when colour may be used on this stream: a terminal and NO_COLOR unset.
[[nodiscard]] bool use_colour(std::FILE* stream);
/// True when progress lines may be written: stderr is a terminal.
[[nodiscard]] bool show_progress();

}  // namespace taeval::cli
