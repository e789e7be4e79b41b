#pragma once
#include <string>

namespace taeval::engine {

/// The current time as ISO 8601 UTC (`2026-11-28T13:12:47Z`), for records of
/// imports and runs.
[[nodiscard]] std::string now_utc();

}  // namespace taeval::engine
