#include <catch2/catch.hpp>

#include <cmath>

#include "models/check.hpp"
#include "models/error.hpp"

using namespace taeval;

TEST_CASE("argument checks name the function and the argument", "[models][check]")
{
    CHECK_NOTHROW(models::check_positive("fit", "sigma", 1.0));
    try {
        models::check_positive("fit_local_level", "Scale parameter", -2.0);
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::bad_input);
        CHECK_THAT(e.what(), Catch::Contains("fit_local_level") && Catch::Contains("Scale parameter"));
    }
    CHECK_THROWS_AS(models::check_finite("f", "x", std::nan("")), Error);
    CHECK_THROWS_AS(models::check_open_interval("f", "alpha", 1.0, 0.0, 1.0), Error);
    CHECK_THROWS_AS(models::check_size("f", "v", 3, 4), Error);
}
