#pragma once
// Where `taeval demo` finds the demo portfolio.
#include <filesystem>
#include <functional>
#include <string>

namespace taeval::synthetic {

/// The demo portfolio's bundle: the committed datasets/demo of the sources
/// this build was made from, when it is there; elsewhere (an installed
/// binary) the very same files, generated from the demo's seed into
/// `out / "demo-bundle"`, telling `progress` (when set) before it does.
/// Throws taeval::Error(internal) when the files cannot be written.
[[nodiscard]] std::filesystem::path demo_bundle(const std::filesystem::path& out,
                                                const std::function<void(const std::string&)>& progress = {});

}  // namespace taeval::synthetic
