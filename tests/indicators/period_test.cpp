#include <catch2/catch.hpp>

#include "indicators/period.hpp"
#include "models/error.hpp"

using namespace taeval::indicators;

TEST_CASE("periods parse in their three forms and print back", "[indicators][period]")
{
    for (const char* text : {"2024", "2024-Q1", "2024-Q4", "2024-03", "2024-12"}) {
        const auto p = Period::parse(text);
        REQUIRE(p);
        CHECK(p->to_string() == text);
    }
    CHECK(Period::parse("2024-Q1")->frequency() == Frequency::quarter);
    CHECK(Period::parse("2024-03")->frequency() == Frequency::month);
    CHECK(Period::parse("2024")->frequency() == Frequency::year);
}

TEST_CASE("malformed periods are rejected", "[indicators][period]")
{
    for (const char* text : {"", "24", "2024-Q5", "2024-Q0", "2024-13", "2024-00", "2024-1", "2024/03", "abcd",
                             "2024-03-01", "2024-q1"})
        CHECK_FALSE(Period::parse(text));
}

TEST_CASE("period arithmetic crosses year boundaries", "[indicators][period]")
{
    const Period m(Frequency::month, 2023, 11);
    CHECK(m.plus(3).to_string() == "2024-02");
    CHECK(m.plus(-11).to_string() == "2022-12");
    CHECK(Period(Frequency::quarter, 2024, 1).plus(-1).to_string() == "2023-Q4");
    CHECK(Period(Frequency::month, 2025, 2).minus(m) == 15);
    CHECK_THROWS_AS(m.minus(Period(Frequency::year, 2020)), taeval::Error);
    CHECK(Period(Frequency::quarter, 2024, 1) < Period(Frequency::quarter, 2024, 2));
}

TEST_CASE("the period containing a date, and coarser periods", "[indicators][period]")
{
    const Date d{2024, 8, 15};
    CHECK(Period::containing(Frequency::quarter, d).to_string() == "2024-Q3");
    CHECK(Period::containing(Frequency::month, d).to_string() == "2024-08");
    CHECK(Period(Frequency::month, 2024, 12).to(Frequency::quarter).to_string() == "2024-Q4");
    CHECK(Period(Frequency::month, 2024, 12).to(Frequency::year).to_string() == "2024");
    CHECK_THROWS_AS(Period(Frequency::year, 2024).to(Frequency::month), taeval::Error);
    CHECK(Period(Frequency::quarter, 2024, 1).last_day() == Date{2024, 3, 31});
    CHECK(Period(Frequency::month, 2024, 2).last_day() == Date{2024, 2, 29});
}

TEST_CASE("dates are validated and count days", "[indicators][period]")
{
    CHECK(Date::parse("2024-02-29"));
    CHECK_FALSE(Date::parse("2023-02-29"));
    CHECK_FALSE(Date::parse("2023-04-31"));
    CHECK_FALSE(Date::parse("2023-4-30"));
    CHECK(Date{1970, 1, 1}.days() == 0);
    CHECK(Date{2000, 3, 1}.days() == 11017);
    CHECK(Date::from_days(Date{2031, 7, 19}.days()) == Date{2031, 7, 19});
}
