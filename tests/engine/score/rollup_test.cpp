// The fixed set of a roll-up (engine/score/rollup.hpp): its window, who is
// left out and why, and how gaps are filled.
#include <catch2/catch.hpp>

#include <cmath>

#include "engine/score/rollup.hpp"

using namespace taeval;
namespace ind = taeval::indicators;
using engine::score_detail::MemberReports;
using engine::score_detail::roll_up;

namespace {

ind::Indicator count_indicator()
{
    ind::Indicator d;
    d.code = "CNT";
    d.measure = ind::Measure::count;
    d.aggregation = ind::Aggregation::sum;
    d.frequency = ind::Frequency::quarter;
    return d;
}

ind::Period q(int year, int quarter) { return ind::Period(ind::Frequency::quarter, year, quarter); }

// Quarterly reports of `value` from `first` to `last`, but for `skip`.
MemberReports member(const std::string& iso3, ind::Period first, ind::Period last, double value,
                     std::vector<ind::Period> skip = {})
{
    MemberReports m{iso3, {}, {}, {}};
    for (auto p = first; p <= last; p = p.plus(1))
        if (std::find(skip.begin(), skip.end(), p) == skip.end()) m.values[p] = value;
    return m;
}

}  // namespace

TEST_CASE("a roll-up's window is what more than half of its members reported; one early state moves nothing",
          "[engine][score][rollup]")
{
    // AAA reported from 2010 (a stray early start); the others from 2020.
    const auto r = roll_up(count_indicator(), false,
                           {member("AAA", q(2010, 1), q(2022, 4), 1), member("BBB", q(2020, 1), q(2022, 4), 10),
                            member("CCC", q(2020, 1), q(2022, 4), 100)},
                           2);
    REQUIRE(r.start);
    CHECK(*r.start == q(2020, 1));
    CHECK(*r.end == q(2022, 4));
    CHECK(r.included == std::vector<std::string>{"AAA", "BBB", "CCC"});
    REQUIRE(r.points.size() == 12);
    for (const auto& p : r.points) CHECK(p.value == 111);
    CHECK(r.reported_share == 1.0);
}

TEST_CASE("a late report at an end of the window is carried from the nearest report; a longer miss leaves the "
          "state out",
          "[engine][score][rollup]")
{
    const std::vector<MemberReports> members{
        member("AAA", q(2020, 1), q(2022, 4), 1),
        member("BBB", q(2020, 1), q(2022, 3), 10),         // one quarter late at the end
        member("CCC", q(2020, 1), q(2022, 2), 100),        // two quarters: stopped
        member("DDD", q(2020, 2), q(2022, 4), 1000),       // one quarter late at the start
        member("EEE", q(2020, 1), q(2022, 4), 10000, {q(2021, 1), q(2021, 2)}),  // a gap inside
        MemberReports{"FFF", {}, {}, {}}};
    const auto r = roll_up(count_indicator(), false, members, 2);
    CHECK(r.included == std::vector<std::string>{"AAA", "BBB", "DDD", "EEE"});
    REQUIRE(r.left_out.size() == 2);
    CHECK(r.left_out[0].state == "CCC");
    CHECK(r.left_out[0].reason == "last report 2022-Q2, before the window's end 2022-Q4");
    CHECK(r.left_out[1].state == "FFF");
    CHECK(r.left_out[1].reason == "no report by the as-of date");
    REQUIRE(r.points.size() == 12);
    for (const auto& p : r.points) CHECK(p.value == 11011);
    // 4 states x 12 quarters, 4 of the values filled (BBB's last, DDD's
    // first, EEE's two).
    CHECK(r.reported_share == Approx(44.0 / 48.0));

    // With 1 (every end reported), BBB and DDD are left out too.
    const auto strict = roll_up(count_indicator(), false, members, 1);
    CHECK(strict.included == std::vector<std::string>{"AAA", "EEE"});
}

TEST_CASE("a gap inside a member's reports is filled on the straight line between them", "[engine][score][rollup]")
{
    auto a = member("AAA", q(2020, 1), q(2020, 4), 0, {q(2020, 2), q(2020, 3)});
    a.values[q(2020, 4)] = 30;
    const auto r = roll_up(count_indicator(), false, {a}, 2);
    REQUIRE(r.points.size() == 4);
    CHECK(r.points[1].value == Approx(10));
    CHECK(r.points[2].value == Approx(20));
    CHECK(r.reported_share == 0.5);
}

TEST_CASE("a composite rolls up as the ratio of sums over the fixed set", "[engine][score][rollup]")
{
    auto d = count_indicator();
    d.measure = ind::Measure::percent;
    d.aggregation = ind::Aggregation::ratio_of_sums;
    MemberReports a{"AAA", {}, {}, {}}, b{"BBB", {}, {}, {}};
    a.numerator[q(2021, 1)] = 9;
    a.denominator[q(2021, 1)] = 10;
    b.numerator[q(2021, 1)] = 10;
    b.denominator[q(2021, 1)] = 100;
    const auto r = roll_up(d, true, {a, b}, 2);
    REQUIRE(r.points.size() == 1);
    CHECK(r.points[0].value == Approx(100.0 * 19 / 110));
}

TEST_CASE("a roll-up whose arithmetic overflows names the period and has no points", "[engine][score][rollup]")
{
    const auto r = roll_up(count_indicator(), false,
                           {member("AAA", q(2020, 1), q(2020, 4), 1e308), member("BBB", q(2020, 1), q(2020, 4), 1e308)},
                           2);
    REQUIRE(r.overflow);
    CHECK(*r.overflow == q(2020, 1));
    CHECK(r.points.empty());
    CHECK(r.included.size() == 2);
    // A filled value between two finite reports never overflows on the way.
    auto c = member("CCC", q(2020, 1), q(2020, 3), 1.7e308, {q(2020, 2)});
    const auto one = roll_up(count_indicator(), false, {c}, 2);
    CHECK_FALSE(one.overflow);
    REQUIRE(one.points.size() == 3);
    CHECK(one.points[1].value == Approx(1.7e308));
}

TEST_CASE("members whose reports do not overlap make no fixed set, each said", "[engine][score][rollup]")
{
    const auto r = roll_up(count_indicator(), false,
                           {member("AAA", q(2018, 1), q(2018, 4), 1), member("BBB", q(2021, 1), q(2021, 4), 1)}, 2);
    CHECK_FALSE(r.start);
    CHECK(r.included.empty());
    CHECK(r.left_out.size() == 2);
    CHECK(r.points.empty());
    CHECK(std::isnan(r.reported_share));
}
