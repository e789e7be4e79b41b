#pragma once
// Streaming CSV reading (RFC 4180: quoted fields, embedded separators and
// newlines, CRLF, a UTF-8 byte-order mark) on libcsv. Memory is bounded by the
// longest record, not the file.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace taeval::engine {

/// A byte that is not text: part of no UTF-8 character, or NUL.
struct BadByte {
    std::size_t offset = 0;  ///< 0-based byte offset in the file
    std::size_t field = 0;   ///< 0-based index of the field that holds it
    unsigned char byte = 0;
};

/// What is wrong with a bad byte, for a person: the byte, its offset, and
/// the likely encoding of the file with what to do about it.
[[nodiscard]] std::string describe(const BadByte& bad);

/// The text with every byte that is not UTF-8 text (and every control
/// character) written as \xNN, so that it can be shown and stored.
[[nodiscard]] std::string printable(std::string_view text);

/// One record of a CSV file: its fields and the physical line it starts on.
struct CsvRecord {
    std::vector<std::string> fields;
    std::size_t line = 0;  ///< 1-based line number where the record starts
    /// The record's first byte that is not text. Such a record is data that
    /// cannot be stored (nor shown, nor written as JSON): the caller reports
    /// and skips it.
    std::optional<BadByte> bad_byte;
};

/// Reads a CSV file record by record. The first record is the header.
/// Throws taeval::Error(bad_input) when the file cannot be opened or is
/// malformed (an unterminated quote, a header that is not UTF-8 text), naming
/// the file and line. Records with bytes that are not UTF-8 text are returned
/// with CsvRecord::bad_byte set.
class CsvReader {
public:
    explicit CsvReader(const std::filesystem::path& path);
    ~CsvReader();
    CsvReader(const CsvReader&) = delete;
    CsvReader& operator=(const CsvReader&) = delete;

    /// The header row, with surrounding whitespace trimmed from each name.
    [[nodiscard]] const std::vector<std::string>& header() const noexcept { return m_header; }
    /// 0-based index of a header column, if present.
    [[nodiscard]] std::optional<std::size_t> column(std::string_view name) const;
    /// Reads the next data record into `record`; false at end of file.
    bool next(CsvRecord& record);
    /// Bytes read so far (for progress reporting).
    [[nodiscard]] std::size_t bytes_read() const noexcept;
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return m_path; }

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    std::filesystem::path m_path;
    std::vector<std::string> m_header;
};

/// A whole CSV file held as text columns, for small ad hoc inputs
/// (`taeval fit`). Empty cells are empty strings.
struct CsvTable {
    std::filesystem::path path;
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> columns;  ///< columns[c][row]
    std::vector<std::size_t> lines;                 ///< source line of each row

    [[nodiscard]] std::size_t rows() const noexcept { return lines.size(); }
    /// Index of a named column; throws taeval::Error(usage) naming the
    /// available columns when absent.
    [[nodiscard]] std::size_t require_column(std::string_view name) const;
    /// A column as numbers: empty cells and NA become NaN when allow_missing,
    /// otherwise an error; any other unparsable cell is an error naming
    /// file:line:column and the value (all of them, not just the first).
    [[nodiscard]] std::vector<double> numeric(std::string_view name, bool allow_missing) const;
};

/// Reads a whole CSV file. Throws taeval::Error(bad_input) on a malformed file,
/// a byte that is not UTF-8 text, or a row whose field count differs from the
/// header's.
[[nodiscard]] CsvTable read_csv_table(const std::filesystem::path& path);

}  // namespace taeval::engine
