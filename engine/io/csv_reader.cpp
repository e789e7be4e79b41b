#include "engine/io/csv_reader.hpp"

#include <csv.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>

#include <boost/algorithm/string/join.hpp>
#include <boost/algorithm/string/trim.hpp>
#include <fmt/format.h>
#include <utf8.h>

#include "models/error.hpp"

namespace taeval::engine {

namespace {

std::string trim(std::string_view s)
{
    return std::string(boost::algorithm::trim_copy_if(s, [](char c) { return c == ' ' || c == '\t'; }));
}

// The first byte of [begin, end) that is not text (NUL, or part of no UTF-8
// character), or nullptr.
const char* first_bad_byte(const char* begin, const char* end)
{
    const auto* nul = static_cast<const char*>(std::memchr(begin, '\0', static_cast<std::size_t>(end - begin)));
    const char* text_end = nul != nullptr ? nul : end;
    const char* invalid = utf8::find_invalid(begin, text_end);
    return invalid != text_end ? invalid : nul;
}

bool is_text(const std::string& s) { return first_bad_byte(s.data(), s.data() + s.size()) == nullptr; }

}  // namespace

std::string describe(const BadByte& bad)
{
    if (bad.byte == 0) {
        return fmt::format("a NUL byte at byte offset {} of the file: text has none (is it a UTF-16 or a binary "
                           "file?); save it as CSV UTF-8",
                           bad.offset);
    }
    return fmt::format("byte 0x{:02X} at byte offset {} of the file is not UTF-8; the file looks like {} "
                       "(a spreadsheet's plain CSV): save it as CSV UTF-8",
                       bad.byte, bad.offset, bad.byte >= 0x80 ? "Latin-1 or Windows-1252" : "another encoding");
}

std::string printable(std::string_view text)
{
    std::string out;
    const char* p = text.data();
    const char* end = p + text.size();
    while (p < end) {
        const char* bad = first_bad_byte(p, end);
        const char* stop = bad != nullptr ? bad : end;
        for (; p < stop; ++p) {
            const auto c = static_cast<unsigned char>(*p);
            if (c < 0x20 && c != '\t')
                out += fmt::format("\\x{:02X}", c);
            else
                out += *p;
        }
        if (bad != nullptr) {
            out += fmt::format("\\x{:02X}", static_cast<unsigned char>(*bad));
            ++p;
        }
    }
    return out;
}

struct CsvReader::Impl {
    std::FILE* file = nullptr;
    csv_parser parser{};
    // Read 1 MiB at a time; a smaller file gets a block just larger than
    // itself (sized by the constructor), so a bundle of small files does not
    // zero a megabyte per file.
    std::vector<char> block;
    std::size_t block_len = 0;
    std::size_t block_pos = 0;
    std::size_t bytes = 0;
    bool at_start = true;  // a byte-order mark may follow
    bool eof = false;
    bool finished = false;

    std::size_t line = 1;           // the physical line being fed
    std::size_t offset = 0;         // the file offset of the next byte to feed
    bool between_records = true;    // the last byte fed ended a record
    std::string partial_line;       // a line split across two blocks

    // Strict: a stray quote in an unquoted field is an error, not data.
    Impl() { csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI); }
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;
    // Here rather than in ~CsvReader: when the constructor throws (an empty
    // file, a malformed header), ~CsvReader does not run, but the Impl it
    // owns is destroyed, and the parser's buffer and the file must go with it.
    ~Impl()
    {
        csv_free(&parser);
        if (file != nullptr) std::fclose(file);
    }

    CsvRecord building;
    std::size_t field_count = 0;
    std::deque<CsvRecord> ready;
    // Records handed back by next(): their strings are reused for later
    // records, so a file of millions of rows costs no allocation per row.
    std::vector<CsvRecord> spare;

    static void on_field(void* s, std::size_t len, void* data)
    {
        auto* self = static_cast<Impl*>(data);
        auto& fields = self->building.fields;
        const char* text = s != nullptr ? static_cast<const char*>(s) : "";
        if (self->field_count < fields.size())
            fields[self->field_count].assign(text, len);
        else
            fields.emplace_back(text, len);
        ++self->field_count;
    }

    static void on_record(int /*terminator*/, void* data)
    {
        auto* self = static_cast<Impl*>(data);
        self->building.fields.resize(self->field_count);
        self->field_count = 0;
        const std::size_t line = self->building.line;
        if (auto& bad = self->building.bad_byte) {
            const auto& fields = self->building.fields;
            bad->field = 0;
            while (bad->field + 1 < fields.size() && is_text(fields[bad->field])) ++bad->field;
        }
        self->ready.push_back(std::move(self->building));
        if (self->spare.empty()) {
            self->building = CsvRecord{};
        } else {
            self->building = std::move(self->spare.back());
            self->spare.pop_back();
        }
        self->building.line = line;
        self->building.bad_byte.reset();
        self->between_records = true;
    }

    void feed(const char* data, std::size_t len, const std::filesystem::path& path)
    {
        // A record starts on the first line after the previous record that is
        // not blank (libcsv skips blank lines between records).
        if (between_records) {
            std::string_view text(data, len);
            const bool blank = text.find_first_not_of("\r\n") == std::string_view::npos;
            if (!blank) {
                building.line = line;
                between_records = false;
            }
        }
        // Checked by line, before the parser sees it: the line is part of the
        // record being built, and its offset in the file is known here.
        if (!building.bad_byte) {
            if (const char* bad = first_bad_byte(data, data + len))
                building.bad_byte = BadByte{offset + static_cast<std::size_t>(bad - data), 0,
                                            static_cast<unsigned char>(*bad)};
        }
        offset += len;
        // libcsv grows its field buffer by a fixed block (128 bytes unless
        // set), which makes a long field quadratic: 1 MiB took 26 s under
        // ASan, 4 MiB six minutes (an unclosed quote early in a large file
        // makes the rest of it one field). Growing by the larger of the
        // buffer and this line doubles the buffer across lines and needs one
        // growth within a line.
        csv_set_blk_size(&parser, std::max({std::size_t{128}, parser.entry_size, len}));
        if (csv_parse(&parser, data, len, on_field, on_record, this) != len) {
            throw Error(ErrorCode::bad_input,
                        path.string() + ":" + std::to_string(line) + ": malformed CSV (" +
                            csv_strerror(csv_error(&parser)) +
                            "): a quote must open a field and close it, and quotes inside a "
                            "quoted field are doubled");
        }
    }

    // Feeds whole lines until a record is ready or the file ends.
    bool fill(const std::filesystem::path& path)
    {
        while (ready.empty() && !finished) {
            if (block_pos == block_len) {
                if (eof) {
                    if (!partial_line.empty()) {
                        feed(partial_line.data(), partial_line.size(), path);
                        partial_line.clear();
                    }
                    if (csv_fini(&parser, on_field, on_record, this) != 0) {
                        throw Error(ErrorCode::bad_input,
                                    path.string() + ":" + std::to_string(building.line) +
                                        ": malformed CSV: a quoted field opened on this line is "
                                        "never closed");
                    }
                    finished = true;
                    break;
                }
                block_len = std::fread(block.data(), 1, block.size(), file);
                block_pos = 0;
                bytes += block_len;
                if (block_len < block.size()) {
                    if (std::ferror(file) != 0)
                        throw Error(ErrorCode::bad_input, path.string() + ": read error");
                    eof = true;
                }
                if (at_start && block_len > 0) {
                    at_start = false;
                    if (block_len >= 3 && std::memcmp(block.data(), "\xEF\xBB\xBF", 3) == 0) {
                        block_pos = 3;
                        offset = 3;
                    }
                }
                continue;
            }
            const char* begin = block.data() + block_pos;
            const std::size_t left = block_len - block_pos;
            const void* nl = std::memchr(begin, '\n', left);
            if (nl == nullptr) {
                partial_line.append(begin, left);
                block_pos = block_len;
                continue;
            }
            const auto n = static_cast<std::size_t>(static_cast<const char*>(nl) - begin) + 1;
            if (partial_line.empty()) {
                feed(begin, n, path);
            } else {
                partial_line.append(begin, n);
                feed(partial_line.data(), partial_line.size(), path);
                partial_line.clear();
            }
            block_pos += n;
            ++line;
        }
        return !ready.empty();
    }
};

CsvReader::CsvReader(const std::filesystem::path& path) : m_impl(std::make_unique<Impl>()), m_path(path)
{
    m_impl->file = std::fopen(path.c_str(), "rb");
    if (m_impl->file == nullptr) {
        throw Error(ErrorCode::bad_input, path.string() + ": cannot open: " + std::strerror(errno));
    }
    constexpr std::size_t max_block = 1 << 20;
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    m_impl->block.resize(ec || size >= max_block ? max_block : std::max<std::size_t>(4096, size + 1));
    if (!m_impl->fill(path)) {
        throw Error(ErrorCode::bad_input, path.string() + ":1: empty file: expected a header row");
    }
    const auto& header = m_impl->ready.front();
    if (header.bad_byte) {
        throw Error(ErrorCode::bad_input, fmt::format("{}:{}:{}: the header is not text: {}", path.string(),
                                                      header.line, header.bad_byte->field + 1,
                                                      describe(*header.bad_byte)));
    }
    for (const auto& name : header.fields) m_header.push_back(trim(name));
    m_impl->ready.pop_front();
}

CsvReader::~CsvReader() = default;

std::optional<std::size_t> CsvReader::column(std::string_view name) const
{
    const auto it = std::find(m_header.begin(), m_header.end(), name);
    if (it == m_header.end()) return std::nullopt;
    return static_cast<std::size_t>(it - m_header.begin());
}

bool CsvReader::next(CsvRecord& record)
{
    if (!m_impl->fill(m_path)) return false;
    std::swap(record, m_impl->ready.front());
    m_impl->spare.push_back(std::move(m_impl->ready.front()));
    m_impl->ready.pop_front();
    return true;
}

std::size_t CsvReader::bytes_read() const noexcept { return m_impl->bytes; }

std::size_t CsvTable::require_column(std::string_view name) const
{
    const auto it = std::find(header.begin(), header.end(), name);
    if (it != header.end()) return static_cast<std::size_t>(it - header.begin());
    throw Error(ErrorCode::usage, path.string() + ": no column '" + std::string(name) +
                                      "'; the columns are: " + boost::algorithm::join(header, ", "));
}

std::vector<double> CsvTable::numeric(std::string_view name, bool allow_missing) const
{
    const std::size_t c = require_column(name);
    std::vector<double> out(rows());
    std::vector<std::string> problems;
    for (std::size_t r = 0; r < rows(); ++r) {
        const std::string cell = trim(columns[c][r]);
        const std::string where = path.string() + ":" + std::to_string(lines[r]) + ":" +
                                  std::to_string(c + 1) + " (" + std::string(name) + ")";
        if (cell.empty() || cell == "NA") {
            if (allow_missing) {
                out[r] = std::nan("");
            } else {
                problems.push_back(where + ": empty value; expected a number");
            }
            continue;
        }
        double v = 0;
        const auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
        if (ec != std::errc() || ptr != cell.data() + cell.size() || !std::isfinite(v)) {
            problems.push_back(where + ": '" + cell + "' is not a finite number");
            continue;
        }
        out[r] = v;
    }
    if (!problems.empty()) {
        std::string msg = std::to_string(problems.size()) + " problem(s) in column '" + std::string(name) + "':";
        for (std::size_t i = 0; i < problems.size() && i < 50; ++i) msg += "\n  " + problems[i];
        if (problems.size() > 50) msg += "\n  ... and " + std::to_string(problems.size() - 50) + " more";
        throw Error(ErrorCode::bad_input, msg);
    }
    return out;
}

CsvTable read_csv_table(const std::filesystem::path& path)
{
    CsvReader reader(path);
    CsvTable table;
    table.path = path;
    table.header = reader.header();
    table.columns.resize(table.header.size());
    CsvRecord record;
    while (reader.next(record)) {
        if (record.fields.size() != table.header.size()) {
            throw Error(ErrorCode::bad_input,
                        path.string() + ":" + std::to_string(record.line) + ": " +
                            std::to_string(record.fields.size()) + " fields; the header has " +
                            std::to_string(table.header.size()));
        }
        if (record.bad_byte) {
            throw Error(ErrorCode::bad_input,
                        fmt::format("{}:{}:{} ({}): {}", path.string(), record.line, record.bad_byte->field + 1,
                                    table.header[record.bad_byte->field], describe(*record.bad_byte)));
        }
        for (std::size_t c = 0; c < record.fields.size(); ++c) table.columns[c].push_back(record.fields[c]);
        table.lines.push_back(record.line);
    }
    return table;
}

}  // namespace taeval::engine
