#pragma once
// Internal to engine/storage: the SQLite connection behind a Database.
#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>

#include "engine/storage/database.hpp"

namespace taeval::engine::storage {

struct Database::Connection {
    Connection(const std::filesystem::path& path, int flags) : db(path.string(), flags) {}
    SQLite::Database db;
};

}  // namespace taeval::engine::storage
