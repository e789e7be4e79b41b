#pragma once
// Internal to engine/storage: the SQLite connection behind a Database.
#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <functional>
#include <string>

#include "engine/storage/database.hpp"

namespace taeval::engine::storage {

struct Database::Connection {
    Connection(const std::string& name, int flags) : db(name, flags) {}
    SQLite::Database db;
    // The busy handler's state: how long a write may wait for another
    // writer's lock, whom to tell when it starts waiting, and since when.
    std::chrono::milliseconds wait{0};
    std::function<void(const std::string&)> on_wait;
    std::chrono::steady_clock::time_point waiting_since;
    std::string path;
};

}  // namespace taeval::engine::storage
