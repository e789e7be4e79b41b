#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "datasets/synthetic/demo_bundle.hpp"

using namespace taeval;
namespace fs = std::filesystem;

TEST_CASE("The demo bundle is the committed datasets/demo when the sources are there", "[synthetic][demo]")
{
    const auto out = fs::temp_directory_path() / "taeval_demo_bundle_committed";
    fs::remove_all(out);
    std::vector<std::string> told;
    const auto bundle = synthetic::demo_bundle(out, [&](const std::string& what) { told.push_back(what); });
    CHECK(fs::equivalent(bundle, fs::path(TAEVAL_SOURCE_DIR) / "datasets" / "demo"));
    CHECK(told.empty());
    CHECK_FALSE(fs::exists(out / "demo-bundle"));
}
