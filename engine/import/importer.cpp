#include "engine/import/importer.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <system_error>

#include <boost/algorithm/string/join.hpp>
#include <fmt/format.h>

#include "engine/import/bundle_importer.hpp"
#include "engine/storage/database.hpp"
#include "models/error.hpp"

namespace taeval::engine {

const std::vector<std::string>& bundle_files()
{
    static const std::vector<std::string> files{"states.csv",     "providers.csv", "projects.csv",
                                                "interventions.csv", "indicators.csv", "targets.csv",
                                                "observations.csv",  "links.csv"};
    return files;
}

std::string to_string(const ImportProblem& p)
{
    std::string where = p.file;
    if (p.line > 0) where += ":" + std::to_string(p.line);
    if (p.column > 0) where += ":" + std::to_string(p.column) + " (" + p.column_name + ")";
    if (p.line > 0 && p.column == 0 && !p.column_name.empty()) where += " (" + p.column_name + ")";
    std::string text = where + ": ";
    if (!p.value.empty()) text += "'" + p.value + "': ";
    return text + p.expected;
}

std::string sha256_file(const std::filesystem::path& path)
{
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) throw Error(ErrorCode::bad_input, path.string() + ": cannot open");
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(f, std::fclose);
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
        throw Error(ErrorCode::internal, "SHA-256 unavailable");
    std::vector<unsigned char> buf(1 << 16);
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) EVP_DigestUpdate(ctx.get(), buf.data(), n);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx.get(), digest, &len);
    std::string hex;
    for (unsigned int i = 0; i < len; ++i) hex += fmt::format("{:02x}", digest[i]);
    return hex;
}

namespace {

// Why a bundle file cannot be read, or nothing when it can: only regular
// files (or links to them) are read; a FIFO would block the import for ever.
std::optional<std::string> unreadable(const std::filesystem::path& path)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto link = fs::symlink_status(path, ec);
    if (ec) return "cannot be read: " + ec.message();
    const auto target = fs::status(path, ec);
    if (ec) {
        if (!fs::is_symlink(link)) return "cannot be read: " + ec.message();
        if (ec == std::errc::too_many_symbolic_link_levels) return "a symbolic link loop: it never reaches a file";
        std::error_code ignored;
        return "a symbolic link to a missing file (" + fs::read_symlink(path, ignored).string() + ")";
    }
    if (fs::is_regular_file(target)) return std::nullopt;
    const char* kind = fs::is_directory(target) ? "a folder"
                       : fs::is_fifo(target)    ? "a FIFO (named pipe)"
                       : fs::is_socket(target)  ? "a socket"
                       : fs::is_block_file(target) || fs::is_character_file(target) ? "a device"
                                                                                     : "not a regular file";
    return std::string("not a regular file but ") + kind + "; name a CSV file";
}

// The bundle files the inputs name, by import order. Every input problem is
// reported at once; a file is never dropped silently.
std::map<std::size_t, std::filesystem::path> bundle_paths(const std::vector<std::filesystem::path>& inputs)
{
    namespace fs = std::filesystem;
    const auto& known = bundle_files();
    const std::string known_list = boost::algorithm::join(known, ", ");
    if (inputs.empty()) throw Error(ErrorCode::usage, "import: name a bundle folder or files");

    std::map<std::size_t, fs::path> files;
    std::vector<std::string> problems;
    auto add = [&](std::size_t index, const fs::path& path) {
        if (auto why = unreadable(path)) {
            problems.push_back(path.string() + ": " + *why);
            return;
        }
        const auto [it, added] = files.emplace(index, path);
        if (!added)
            problems.push_back(path.string() + ": " + known[index] + " is named twice (also " + it->second.string() +
                               "); import one, then the other");
    };
    for (const auto& input : inputs) {
        std::error_code ec;
        const auto link = fs::symlink_status(input, ec);
        if (ec || !fs::exists(link)) throw Error(ErrorCode::usage, input.string() + ": no such file or folder");
        if (fs::is_directory(fs::status(input, ec))) {
            std::size_t found = 0;
            for (std::size_t i = 0; i < known.size(); ++i) {
                const auto p = input / known[i];
                // A dangling link counts as present: it is reported, not skipped.
                if (!fs::exists(fs::symlink_status(p, ec))) continue;
                add(i, p);
                ++found;
            }
            if (found == 0)
                throw Error(ErrorCode::usage, input.string() + ": no bundle files here; expected some of: " + known_list);
            continue;
        }
        const auto it = std::find(known.begin(), known.end(), input.filename().string());
        if (it == known.end())
            throw Error(ErrorCode::usage, input.string() + ": not a bundle file name; expected one of: " + known_list);
        add(static_cast<std::size_t>(it - known.begin()), input);
    }
    if (!problems.empty()) {
        std::string msg = fmt::format("import failed: {} problem{} with the files named; nothing was imported",
                                      problems.size(), problems.size() == 1 ? "" : "s");
        for (const auto& p : problems) msg += "\n  " + p;
        throw Error(ErrorCode::bad_input, msg);
    }
    return files;
}

}  // namespace

ImportReport import_bundle(storage::Database& db, const std::vector<std::filesystem::path>& inputs,
                           const ImportOptions& options)
{
    const auto& known = bundle_files();
    const auto files = bundle_paths(inputs);

    // Foreign keys are the importer's to check in this transaction: every
    // reference a row writes (an indicator, a state, a provider, project or
    // intervention code) is looked up by the importer before the row is
    // written, and a row with an unknown reference is reported and not
    // written; the batch ids are the ones it just inserted. SQLite's own
    // check would repeat, for every observation, three parent-key look-ups
    // (indicator, state, batch) that the importer has already answered from
    // its caches. Any problem rolls everything back; the unknown-reference
    // tests hold the importer to this.
    storage::Database::Transaction tx(db, storage::Database::References::by_caller);
    import_detail::BundleImporter importer(db, options);
    ImportReport report;
    bool links_changed = false;
    for (const auto& [index, path] : files) {
        report.files.push_back(importer.import_file(known[index], path));
        links_changed |= known[index] == "links.csv" && !report.files.back().skipped_unchanged;
    }
    if (links_changed) importer.check_links_acyclic();
    if (!importer.problems().empty()) importer.problems().raise();
    tx.commit();
    return report;
}

}  // namespace taeval::engine