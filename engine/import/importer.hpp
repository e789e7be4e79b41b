#pragma once
// `taeval import`: reads a portfolio bundle (a folder of CSV files, or single
// files), validates every row, and stores it in one transaction.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace taeval::engine {

namespace storage {
class Database;
}

/// The bundle files taeval knows, in the order they are imported (each may
/// refer only to files before it).
[[nodiscard]] const std::vector<std::string>& bundle_files();

/// One problem found in an input file.
struct ImportProblem {
    std::string file;
    std::size_t line = 0;    ///< 1-based; 0 for a problem of the whole file
    std::size_t column = 0;  ///< 1-based; 0 for a problem of the whole row
    std::string column_name;
    std::string value;
    std::string expected;    ///< what was expected, or what is wrong
    bool conflict = false;   ///< a clash with stored data rather than bad data
};

/// Formats a problem as `file:line:column (name): 'value': expected`.
[[nodiscard]] std::string to_string(const ImportProblem& p);

struct ImportOptions {
    /// Overwrite stored rows whose keys reappear with other content.
    bool replace = false;
    /// Called now and then with (file, bytes read, file size).
    std::function<void(const std::string&, std::uintmax_t, std::uintmax_t)> progress;
};

/// What happened to one file.
struct FileReport {
    std::string file;
    std::string path;
    std::string sha256;
    bool skipped_unchanged = false;  ///< the same file (by SHA-256) was imported before
    std::int64_t batch = 0;
    std::int64_t rows = 0;
    std::int64_t inserted = 0;
    std::int64_t unchanged = 0;
    std::int64_t replaced = 0;
};

struct ImportReport {
    std::vector<FileReport> files;
};

/// Imports bundle files. `inputs` are folders (every known file in them) or
/// files named as in bundle_files(). On any problem nothing is stored and
/// taeval::Error is thrown: bad_input listing every problem (the first 50 and
/// a count of the rest), or conflict when the only problems are clashes with
/// stored data; usage for an unknown file name or an empty folder.
ImportReport import_bundle(storage::Database& db, const std::vector<std::filesystem::path>& inputs,
                           const ImportOptions& options = {});

/// SHA-256 of a file as lowercase hex.
[[nodiscard]] std::string sha256_file(const std::filesystem::path& path);

}  // namespace taeval::engine
