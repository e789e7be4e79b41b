#include "fuzz/mutator.hpp"

#include <algorithm>
#include <iterator>
#include <string_view>

namespace taeval::fuzz {

namespace {

// Values that have broken parsers before: quotes and separators, NUL,
// invalid or unusual UTF-8 (a Latin-1 é, a lone lead byte, a BOM, an emoji),
// numbers at and past the limits of double and int64, dates and periods that
// do not exist, codes the bundles use, blanks.
const std::vector<std::string>& interesting()
{
    static const std::vector<std::string> values{
        "",
        "\"",
        "\"\"",
        "\"a,b\"",
        ",",
        ",,",
        "\n",
        "\r\n",
        "\r",
        std::string("\0", 1),
        std::string("A\0B", 3),
        "\xE9",
        "C\xF4te",
        "\xC3",
        "\xFF\xFE",
        "\xEF\xBB\xBF",
        "\xF0\x9F\x98\x80",
        "\xED\xA0\x80",
        "1e309",
        "-1e309",
        "1.7976931348623157e308",
        "4.9e-324",
        "nan",
        "NaN",
        "inf",
        "-inf",
        "-0",
        "+5",
        "0x10",
        "1,000",
        " 12 ",
        "99999999999999999999999999999999",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775809",
        "-1",
        "2024-02-30",
        "2023-02-29",
        "2024-13-01",
        "0000-01-01",
        "9999-12-31",
        "2024",
        "2024-Q1",
        "2024-Q5",
        "2024-Q0",
        "2024-03",
        "2024-00",
        "-2024",
        " ",
        "\t",
        "@",
        ";",
        ";;",
        "=",
        "a=b;a=c",
        "sex=female",
        "sex=female;age_group=18-24",
        "KEN",
        "ken",
        "KEN ",
        "XXX",
        "MLA_HANDLED",
        "MLA_HANDLED@KEN",
        "MLA_HANDLED@",
        "@KEN",
        "I01",
        "I02",
        "P01",
        "UNODC",
        "baseline",
        "target",
        "percent",
        "count",
        "quarter",
        "month",
        "year",
        "true",
        std::string(300, 'A'),
        std::string(70000, 'x'),
    };
    return values;
}

std::string pick_interesting(Rng& rng) { return interesting()[rng.below(interesting().size())]; }

// Lines split on '\n' (the newline kept with each line), so that joining them
// gives the text back.
std::vector<std::string> split_lines(const std::string& text)
{
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto nl = text.find('\n', pos);
        const auto end = nl == std::string::npos ? text.size() : nl + 1;
        lines.push_back(text.substr(pos, end - pos));
        pos = end;
    }
    return lines;
}

std::string join_lines(const std::vector<std::string>& lines)
{
    std::string out;
    for (const auto& l : lines) out += l;
    return out;
}

// Cells split on ',' naively (quoted commas too: the fuzzer does not care),
// the line's ending kept apart.
struct Cells {
    std::vector<std::string> cells;
    std::string ending;
};

Cells split_cells(const std::string& line)
{
    Cells c;
    std::string body = line;
    while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) {
        c.ending.insert(c.ending.begin(), body.back());
        body.pop_back();
    }
    std::size_t pos = 0;
    while (true) {
        const auto comma = body.find(',', pos);
        c.cells.push_back(body.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
        if (comma == std::string::npos) break;
        pos = comma + 1;
    }
    return c;
}

std::string join_cells(const Cells& c)
{
    std::string out;
    for (std::size_t i = 0; i < c.cells.size(); ++i) out += (i == 0 ? "" : ",") + c.cells[i];
    return out + (c.ending.empty() ? "\n" : c.ending);
}

// A line other than the header when there is one.
std::size_t data_line(const std::vector<std::string>& lines, Rng& rng)
{
    return lines.size() > 1 ? 1 + rng.below(lines.size() - 1) : 0;
}

// A numeric cell made extreme, or a code made new (so that the row is a new
// key and the import can succeed).
std::string twist(const std::string& cell, Rng& rng)
{
    const bool numeric = !cell.empty() && cell.find_first_not_of("0123456789.-+eE") == std::string::npos;
    if (numeric) {
        switch (rng.below(6)) {
        case 0: return cell + std::string(1 + rng.below(400), '9');
        case 1: return "-" + cell;
        case 2: return cell + "e" + std::to_string(rng.below(700));
        case 3: return cell + ".5";
        case 4: return "0" + cell;
        default: return std::to_string(rng.next() % 100000);
        }
    }
    switch (rng.below(5)) {
    case 0: return cell + std::to_string(rng.below(10));
    case 1: return cell.empty() ? "Z" : cell.substr(0, cell.size() - 1) + "Z";
    case 2: return cell + "_" + std::to_string(rng.below(100));
    case 3: return cell + " ";
    default: return " " + cell;
    }
}

void byte_mutation(std::string& text, Rng& rng, std::vector<std::string>& log)
{
    const std::size_t n = text.size();
    switch (rng.below(7)) {
    case 0:
        if (n > 0) text[rng.below(n)] ^= static_cast<char>(1u << rng.below(8));
        log.emplace_back("flip bit");
        break;
    case 1:
        if (n > 0) text[rng.below(n)] = static_cast<char>(rng.below(256));
        log.emplace_back("set byte");
        break;
    case 2: text.insert(rng.below(n + 1), pick_interesting(rng)); log.emplace_back("insert value"); break;
    case 3: {
        const auto at = rng.below(n + 1);
        text.erase(at, 1 + rng.below(16));
        log.emplace_back("delete bytes");
        break;
    }
    case 4: {
        const auto at = rng.below(n + 1);
        const std::string piece = text.substr(at, 1 + rng.below(64));
        text.insert(std::min(text.size(), at + rng.below(128)), piece);
        log.emplace_back("duplicate bytes");
        break;
    }
    case 5: text.resize(rng.below(n + 1)); log.emplace_back("truncate"); break;
    default: {
        std::string bytes;
        for (std::size_t i = 0, k = 1 + rng.below(8); i < k; ++i) bytes += static_cast<char>(rng.below(256));
        text.insert(rng.below(n + 1), bytes);
        log.emplace_back("insert random bytes");
        break;
    }
    }
}

void line_mutation(std::string& text, const Bundle& donor, Rng& rng, std::vector<std::string>& log)
{
    auto lines = split_lines(text);
    if (lines.empty()) lines.emplace_back("\n");
    switch (rng.below(14)) {
    case 0: {
        const auto i = data_line(lines, rng);
        lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(rng.below(lines.size() + 1)), lines[i]);
        log.emplace_back("duplicate line");
        break;
    }
    case 1:
        lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(rng.below(lines.size())));
        log.emplace_back("drop line");
        break;
    case 2:
        std::swap(lines[rng.below(lines.size())], lines[rng.below(lines.size())]);
        log.emplace_back("swap lines");
        break;
    case 3: {
        auto& line = lines[rng.below(lines.size())];
        Cells c = split_cells(line);
        c.cells[rng.below(c.cells.size())] = pick_interesting(rng);
        line = join_cells(c);
        log.emplace_back("replace cell");
        break;
    }
    case 4: {
        // The same column of another line: duplicate keys, conflicting values.
        auto& line = lines[data_line(lines, rng)];
        const Cells other = split_cells(lines[data_line(lines, rng)]);
        Cells c = split_cells(line);
        const auto k = rng.below(c.cells.size());
        if (k < other.cells.size()) c.cells[k] = other.cells[k];
        line = join_cells(c);
        log.emplace_back("copy cell from another line");
        break;
    }
    case 5: {
        const auto a = rng.below(8);
        const auto b = rng.below(8);
        for (auto& line : lines) {
            Cells c = split_cells(line);
            if (a < c.cells.size() && b < c.cells.size()) std::swap(c.cells[a], c.cells[b]);
            line = join_cells(c);
        }
        log.emplace_back("swap columns");
        break;
    }
    case 6: {
        auto& line = lines[rng.below(lines.size())];
        Cells c = split_cells(line);
        if (rng.chance(50))
            c.cells.insert(c.cells.begin() + static_cast<std::ptrdiff_t>(rng.below(c.cells.size() + 1)), "");
        else
            c.cells.erase(c.cells.begin() + static_cast<std::ptrdiff_t>(rng.below(c.cells.size())));
        line = join_cells(c);
        log.emplace_back("insert or delete cell");
        break;
    }
    case 7: {
        auto& line = lines[rng.below(lines.size())];
        Cells c = split_cells(line);
        auto& cell = c.cells[rng.below(c.cells.size())];
        switch (rng.below(4)) {
        case 0: cell = "\"" + cell + "\""; break;
        case 1: cell = "\"" + cell; break;
        case 2: cell.insert(rng.below(cell.size() + 1), "\""); break;
        default: cell = "\"" + cell + "\"\"x\""; break;
        }
        line = join_cells(c);
        log.emplace_back("quote cell");
        break;
    }
    case 8: {
        auto& line = lines[data_line(lines, rng)];
        Cells c = split_cells(line);
        auto& cell = c.cells[rng.below(c.cells.size())];
        cell = twist(cell, rng);
        line = join_cells(c);
        log.emplace_back("twist cell");
        break;
    }
    case 9: {
        // A new row: a copy of a line with its key twisted, appended.
        Cells c = split_cells(lines[data_line(lines, rng)]);
        c.cells[0] = twist(c.cells[0], rng);
        if (c.cells.size() > 2 && rng.chance(50)) c.cells[2] = twist(c.cells[2], rng);
        lines.push_back(join_cells(c));
        log.emplace_back("append new key");
        break;
    }
    case 10: {
        Cells header = split_cells(lines[0]);
        if (rng.chance(50))
            header.cells.push_back(header.cells[rng.below(header.cells.size())]);
        else
            header.cells[rng.below(header.cells.size())] = twist(header.cells[rng.below(header.cells.size())], rng);
        lines[0] = join_cells(header);
        log.emplace_back("change header");
        break;
    }
    case 11: {
        // A line of another file.
        auto it = donor.begin();
        std::advance(it, static_cast<std::ptrdiff_t>(rng.below(donor.size())));
        const auto other = split_lines(it->second);
        if (!other.empty())
            lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(rng.below(lines.size() + 1)),
                         other[rng.below(other.size())]);
        log.emplace_back("splice line from " + it->first);
        break;
    }
    case 12: {
        for (auto& line : lines) {
            if (line.size() >= 2 && line.compare(line.size() - 2, 2, "\r\n") == 0)
                line.erase(line.size() - 2, 1);
            else if (!line.empty() && line.back() == '\n')
                line.insert(line.size() - 1, "\r");
        }
        log.emplace_back("toggle CRLF");
        break;
    }
    default: {
        if (!lines.back().empty() && lines.back().back() == '\n')
            lines.back().pop_back();
        else
            lines.emplace_back("\n\n");
        log.emplace_back("change final newline");
        break;
    }
    }
    text = join_lines(lines);
}

}  // namespace

std::uint64_t input_seed(std::uint64_t seed, std::uint64_t index) noexcept
{
    Rng rng(seed ^ (index * 0xD1B54A32D192ED03ULL));
    return rng.next();
}

void mutate_file(std::string& text, const Bundle& donor, Rng& rng, std::vector<std::string>& log)
{
    if (rng.chance(35))
        byte_mutation(text, rng, log);
    else
        line_mutation(text, donor, rng, log);
}

Bundle mutate(const std::vector<Bundle>& corpus, const Bundle& donor, Rng& rng, std::vector<std::string>& log)
{
    const auto& base = corpus[rng.below(corpus.size())];
    Bundle bundle = base;
    // Sometimes a file of the valid bundle joins, sometimes one leaves.
    if (rng.chance(15)) {
        auto it = donor.begin();
        std::advance(it, static_cast<std::ptrdiff_t>(rng.below(donor.size())));
        bundle.insert(*it);
        log.push_back("add " + it->first);
    }
    if (bundle.size() > 1 && rng.chance(10)) {
        auto it = bundle.begin();
        std::advance(it, static_cast<std::ptrdiff_t>(rng.below(bundle.size())));
        log.push_back("drop " + it->first);
        bundle.erase(it);
    }
    // Rarely, a file past the CSV reader's 1 MiB block, so that lines and
    // quoted fields cross a block boundary: a line repeated, or a quoted cell
    // of many lines.
    if (rng.chance(1)) {
        auto it = bundle.begin();
        std::advance(it, static_cast<std::ptrdiff_t>(rng.below(bundle.size())));
        auto lines = split_lines(it->second);
        if (!lines.empty()) {
            const auto& line = lines[data_line(lines, rng)];
            const std::size_t size = (std::size_t{1} << 20) + rng.below(4096);
            std::string tail;
            if (rng.chance(50)) {
                while (tail.size() < size) tail += line;
            } else {
                tail = "\"";
                while (tail.size() < size) tail += "a, \"\"b\"\"\n";
                tail += "\"";
                Cells c = split_cells(line);
                c.cells.back() = tail;
                tail = join_cells(c);
            }
            it->second += tail;
            log.push_back(it->first + ": inflate past 1 MiB");
        }
    }
    // One to eight mutations, fewer more often.
    std::size_t rounds = 1;
    while (rounds < 8 && rng.chance(45)) ++rounds;
    for (std::size_t r = 0; r < rounds; ++r) {
        auto it = bundle.begin();
        std::advance(it, static_cast<std::ptrdiff_t>(rng.below(bundle.size())));
        log.push_back(it->first + ": ");
        std::vector<std::string> what;
        mutate_file(it->second, donor, rng, what);
        for (const auto& w : what) log.back() += w;
    }
    return bundle;
}

}  // namespace taeval::fuzz
