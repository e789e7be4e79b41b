#include <catch2/catch.hpp>

#include <filesystem>

#include "engine/demo/demo.hpp"
#include "models/error.hpp"

using namespace taeval;
namespace fs = std::filesystem;

TEST_CASE("The demo without a bundle is a usage error and writes nothing", "[engine][demo]")
{
    engine::DemoOptions options;
    options.out = fs::temp_directory_path() / "taeval_demo_no_bundle";
    fs::remove_all(options.out);
    try {
        (void)engine::run_demo(options);
        FAIL("run_demo accepted an empty bundle");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::usage);
    }
    CHECK_FALSE(fs::exists(options.out));
}
