#include "cli/output.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <ostream>

#include <fmt/format.h>

namespace taeval::cli {

void add_format_option(CLI::App& app, Format& format)
{
    const std::map<std::string, Format> names{
        {"table", Format::table}, {"json", Format::json}, {"csv", Format::csv}};
    app.add_option("--format", format, "Output format: table, json or csv")
        ->transform(CLI::CheckedTransformer(names, CLI::ignore_case))
        ->default_str("table");
}

namespace {

// Display width of UTF-8 text: one column per code point (good enough for the
// Latin, Cyrillic and Arabic names of states; no wide CJK in the data).
std::size_t display_width(const std::string& s)
{
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string csv_quote(const std::string& s)
{
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

}  // namespace

void print_table(std::ostream& out, const TextTable& table)
{
    std::vector<std::size_t> width(table.header.size());
    for (std::size_t c = 0; c < table.header.size(); ++c) width[c] = display_width(table.header[c]);
    for (const auto& row : table.rows)
        for (std::size_t c = 0; c < row.size() && c < width.size(); ++c)  // newlines print as spaces: same width
            width[c] = std::max(width[c], display_width(row[c]));
    auto line = [&](const std::vector<std::string>& cells) {
        std::string text;
        for (std::size_t c = 0; c < width.size(); ++c) {
            std::string cell = c < cells.size() ? cells[c] : "";
            std::replace(cell.begin(), cell.end(), '\n', ' ');
            std::replace(cell.begin(), cell.end(), '\r', ' ');
            const std::string pad(width[c] - display_width(cell), ' ');
            const bool right = c < table.right.size() && table.right[c];
            if (c > 0) text += "  ";
            text += right ? pad + cell : cell + (c + 1 < width.size() ? pad : "");
        }
        out << text << '\n';
    };
    line(table.header);
    std::vector<std::string> rule;
    for (auto w : width) rule.emplace_back(w, '-');
    line(rule);
    for (const auto& row : table.rows) line(row);
}

void print_csv(std::ostream& out, const TextTable& table)
{
    auto line = [&](const std::vector<std::string>& cells) {
        for (std::size_t c = 0; c < cells.size(); ++c) out << (c > 0 ? "," : "") << csv_quote(cells[c]);
        out << '\n';
    };
    line(table.header);
    for (const auto& row : table.rows) line(row);
}

void print_json(std::ostream& out, const nlohmann::json& value) { out << value.dump(2) << '\n'; }

void print_listing(std::ostream& out, Format format, const TextTable& table, const nlohmann::json& json)
{
    switch (format) {
    case Format::table: print_table(out, table); break;
    case Format::csv: print_csv(out, table); break;
    case Format::json: print_json(out, json); break;
    }
}

std::string fmt_number(double value, int digits)
{
    if (!std::isfinite(value)) return std::isnan(value) ? "" : (value > 0 ? "inf" : "-inf");
    return fmt::format("{:.{}g}", value, digits);
}

nlohmann::json json_number(double value)
{
    if (!std::isfinite(value)) return nullptr;
    return value;
}

bool use_colour(std::FILE* stream)
{
    const char* no_colour = std::getenv("NO_COLOR");
    if (no_colour != nullptr && no_colour[0] != '\0') return false;
    return isatty(fileno(stream)) != 0;
}

bool show_progress() { return isatty(fileno(stderr)) != 0; }

}  // namespace taeval::cli
