#pragma once
// The versioned schema: migration k takes a database from user_version k-1 to k.
#include <span>
#include <string_view>

namespace taeval::engine::storage {

/// The SQL of each migration, in order; the schema version is their count.
[[nodiscard]] std::span<const std::string_view> migrations() noexcept;

}  // namespace taeval::engine::storage
