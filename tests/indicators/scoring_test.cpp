#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <vector>

#include "indicators/aggregation.hpp"
#include "indicators/scoring.hpp"

using namespace taeval::indicators;

namespace {

// A quarterly series from 2018-Q1 with the given values (NaN = not reported).
SeriesToScore quarterly(std::vector<double> values, Direction d = Direction::up)
{
    SeriesToScore s;
    s.direction = d;
    s.frequency = Frequency::quarter;
    std::vector<Point> points;
    for (std::size_t i = 0; i < values.size(); ++i)
        if (!std::isnan(values[i]))
            points.push_back({Period(Frequency::quarter, 2018, 1).plus(static_cast<std::int64_t>(i)), values[i]});
    s.series = Series::from_points(points);
    s.as_of = Period(Frequency::quarter, 2018, 1).plus(static_cast<std::int64_t>(values.size()) - 1).last_day();
    return s;
}

// Deterministic noise so that the models have something to fit.
std::vector<double> noisy_line(std::size_t n, double start, double step, double sd, unsigned seed)
{
    std::mt19937 rng(seed);
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) {
        // Irwin-Hall approximation: portable across standard libraries.
        double u = 0;
        for (int k = 0; k < 12; ++k) u += static_cast<double>(rng()) / 4294967296.0;
        v[i] = start + step * static_cast<double>(i) + sd * (u - 6.0);
    }
    return v;
}

}  // namespace

TEST_CASE("progress is the share of the way from baseline to target", "[indicators][scoring]")
{
    CHECK(progress(10, 15, 20) == Approx(0.5));
    CHECK(progress(10, 25, 20) == Approx(1.5));   // beyond the target: unclamped
    CHECK(progress(10, 5, 20) == Approx(-0.5));   // moved away: negative
    CHECK(std::isnan(progress(10, 12, 10)));      // target equals baseline
}

TEST_CASE("direction down: fewer days to answer a request is better", "[indicators][scoring]")
{
    auto s = quarterly({180, 175, 170, 160, 150}, Direction::down);
    s.measure = Measure::days;
    s.baseline = Mark{180, Date{2017, 12, 31}};
    s.target = Mark{90, Date{2023, 12, 31}};
    const auto r = score_series(s);
    CHECK(r.progress == Approx(1.0 / 3.0));
    CHECK(r.status != Status::achieved);
    CHECK(reaches(85, 90, Direction::down));
    CHECK_FALSE(reaches(95, 90, Direction::down));

    auto reached = quarterly({180, 150, 120, 100, 88}, Direction::down);
    reached.baseline = s.baseline;
    reached.target = s.target;
    const auto a = score_series(reached);
    CHECK(a.status == Status::achieved);
    CHECK(a.progress == Approx(92.0 / 90.0));
}

TEST_CASE("a series moving away from its target has negative progress and is off track", "[indicators][scoring]")
{
    auto s = quarterly(noisy_line(16, 100, -3, 1.0, 1));
    s.baseline = Mark{100, Date{2018, 1, 1}};
    s.target = Mark{150, Date{2020, 12, 31}};
    const auto r = score_series(s);
    CHECK(r.progress < 0);
    CHECK(r.status == Status::off_track);
    CHECK(r.probability < 0.3);
}

TEST_CASE("a steady climb toward a reachable target is on track", "[indicators][scoring]")
{
    auto s = quarterly(noisy_line(16, 10, 2, 0.5, 2));  // reaches ~40 at 2021-Q4
    s.baseline = Mark{10, Date{2018, 1, 1}};
    s.target = Mark{45, Date{2022, 12, 31}};            // ~52 expected by then
    const auto r = score_series(s);
    CHECK(r.status == Status::on_track);
    CHECK(r.probability >= 0.7);
    CHECK(r.expected_at_target.low < r.expected_at_target.estimate);
    CHECK(r.expected_at_target.estimate == Approx(10 + 2 * 19).margin(4));
    CHECK((r.model == "local_level_drift" || r.model == "trend_ar1"));  // a model that carries the climb on
}

TEST_CASE("target equal to baseline: progress undefined, the status says whether the level is held",
          "[indicators][scoring]")
{
    auto s = quarterly({50, 51, 52, 50, 53});
    s.baseline = Mark{50, Date{2018, 1, 1}};
    s.target = Mark{50, Date{2020, 12, 31}};
    const auto held = score_series(s);
    CHECK(std::isnan(held.progress));
    CHECK(held.status == Status::achieved);
    CHECK_FALSE(held.notes.empty());

    auto slipped = quarterly({50, 49, 47, 46, 45});
    slipped.baseline = s.baseline;
    slipped.target = s.target;
    const auto r = score_series(slipped);
    CHECK(std::isnan(r.progress));
    CHECK(r.status != Status::achieved);
}

TEST_CASE("a cumulative count is forecast from its increments", "[indicators][scoring]")
{
    // A running total of officials trained: about 10 more each quarter.
    std::vector<double> total;
    double t = 0;
    for (double inc : noisy_line(12, 10, 0, 2, 3)) total.push_back(t += inc);
    auto s = quarterly(total);
    s.measure = Measure::count;
    s.baseline = Mark{0, Date{2017, 12, 31}};
    s.target = Mark{t + 25, Date{2021, 12, 31}};  // four more quarters at ~10 each: ~40 more
    s.cumulative = true;
    const auto cumulative = score_series(s);
    CHECK(cumulative.model.find("increments") != std::string::npos);
    CHECK(cumulative.expected_at_target.estimate == Approx(t + 40).margin(6));
    CHECK(cumulative.status == Status::on_track);
    // The interval is that of a sum of four forecast increments, not of one.
    const double half_width = cumulative.expected_at_target.high - cumulative.expected_at_target.estimate;
    CHECK(half_width > 1.96 * 2 * 2 * 0.8);
}

TEST_CASE("too few reports give progress only; none give no_data", "[indicators][scoring]")
{
    auto s = quarterly({10, NAN, 12});
    s.baseline = Mark{10, Date{2018, 1, 1}};
    s.target = Mark{20, Date{2020, 12, 31}};
    const auto r = score_series(s);
    CHECK(r.status == Status::insufficient_data);
    CHECK(r.progress == Approx(0.2));
    CHECK(std::isnan(r.probability));
    CHECK(r.n_observed == 2);
    CHECK(r.coverage == Approx(2.0 / 3.0));

    SeriesToScore empty;
    empty.frequency = Frequency::year;
    empty.as_of = Date{2024, 12, 31};
    empty.target = Mark{1, Date{2025, 12, 31}};
    CHECK(score_series(empty).status == Status::no_data);
}

TEST_CASE("a series without a target is described, not judged", "[indicators][scoring]")
{
    const auto r = score_series(quarterly({1, 2, 3, 4, 5}));
    CHECK(r.status == Status::no_target);
    CHECK(r.latest->value == 5);
    CHECK(r.baseline->value == 1);  // the first report stands in
}

TEST_CASE("a missed deadline is off track", "[indicators][scoring]")
{
    auto s = quarterly({10, 11, 12, 13, 14, 15});
    s.baseline = Mark{10, Date{2018, 1, 1}};
    s.target = Mark{30, Date{2018, 12, 31}};
    const auto r = score_series(s);
    CHECK(r.status == Status::off_track);
    CHECK(r.probability == 0.0);
}

TEST_CASE("a series without a report in the last stale_after periods due is stale, not scored as current",
          "[indicators][scoring]")
{
    // Quarterly 2018-Q1..2019-Q4, then nothing; as of the end of 2020-Q2,
    // 2020-Q1 and 2020-Q2 were due and not reported.
    auto s = quarterly(noisy_line(8, 10, 1, 0.5, 4));
    s.baseline = Mark{10, Date{2017, 12, 31}};
    s.target = Mark{40, Date{2022, 12, 31}};
    s.as_of = Date{2020, 6, 30};
    const auto r = score_series(s);
    CHECK(r.status == Status::stale);
    CHECK(std::isnan(r.probability));  // no forecast from an old report
    CHECK(std::isnan(r.expected_at_target.estimate));
    CHECK(r.model.empty());
    CHECK_FALSE(std::isnan(r.progress));  // still described as of its last report
    CHECK(r.latest->period.to_string() == "2019-Q4");

    // One period missing is a late report, not a stopped one.
    s.as_of = Date{2020, 5, 15};  // 2020-Q2 has not ended: only 2020-Q1 is due
    CHECK(score_series(s).status != Status::stale);
    // k is settable.
    s.as_of = Date{2020, 6, 30};
    ScoreOptions patient;
    patient.stale_after = 3;
    CHECK(score_series(s, patient).status != Status::stale);
    patient.stale_after = 1;
    s.as_of = Date{2020, 3, 31};
    CHECK(score_series(s, patient).status == Status::stale);

    // Without a target a quiet series is stale too: it needs a report before
    // anything else.
    s.target.reset();
    s.as_of = Date{2020, 6, 30};
    CHECK(score_series(s).status == Status::stale);
}

TEST_CASE("a series that reached its target and went quiet stays achieved; a missed deadline stays off track",
          "[indicators][scoring]")
{
    auto s = quarterly({10, 12, 15, 21});  // 2018-Q1..2018-Q4
    s.baseline = Mark{10, Date{2017, 12, 31}};
    s.target = Mark{20, Date{2021, 12, 31}};
    s.as_of = Date{2020, 12, 31};  // eight quarters without a report
    const auto reached = score_series(s);
    CHECK(reached.status == Status::achieved);
    CHECK(std::isnan(reached.probability));

    // The reports covered the target date without reaching it: a settled
    // verdict, whatever came after.
    s.target = Mark{30, Date{2018, 9, 30}};
    const auto missed = score_series(s);
    CHECK(missed.status == Status::off_track);
    CHECK(missed.probability == 0.0);
}

TEST_CASE("a flat series past its target is achieved whatever its variance, in its better direction",
          "[indicators][scoring]")
{
    // Zero variance: no model can be fitted, and none is needed.
    for (const std::size_t n : {std::size_t{2}, std::size_t{8}}) {
        auto up = quarterly(std::vector<double>(n, 50.0), Direction::up);
        up.target = Mark{40, Date{2030, 12, 31}};
        CHECK(score_series(up).status == Status::achieved);

        auto down = quarterly(std::vector<double>(n, 50.0), Direction::down);
        down.measure = Measure::days;
        down.target = Mark{60, Date{2030, 12, 31}};
        CHECK(score_series(down).status == Status::achieved);
        // 50 is short of 40 when lower is better.
        down.target = Mark{40, Date{2030, 12, 31}};
        CHECK(score_series(down).status != Status::achieved);
    }
    // A flat series whose reports cover the target date without reaching it
    // missed it, however few the reports.
    auto missed = quarterly({50, 50});
    missed.target = Mark{60, Date{2018, 6, 30}};
    CHECK(score_series(missed).status == Status::off_track);
    missed.target = Mark{50, Date{2018, 6, 30}};
    CHECK(score_series(missed).status == Status::achieved);
}

TEST_CASE("the meeting order puts stale series after those at risk and before those on track",
          "[indicators][scoring]")
{
    const Status order[] = {Status::off_track, Status::at_risk,           Status::stale,     Status::on_track,
                            Status::achieved,  Status::insufficient_data, Status::no_target, Status::no_data};
    for (std::size_t i = 1; i < std::size(order); ++i) CHECK(severity(order[i - 1]) < severity(order[i]));
    CHECK(to_string(Status::stale) == "stale");
}

TEST_CASE("score options are checked", "[indicators][scoring]")
{
    CHECK_NOTHROW(check_options({}));
    ScoreOptions o;
    o.stale_after = 0;
    CHECK_THROWS_WITH(check_options(o), Catch::Contains("stale_after"));
    o = {};
    o.on_track = 0.2;
    o.off_track = 0.5;
    CHECK_THROWS_WITH(check_options(o), Catch::Contains("off_track"));
    o = {};
    o.alpha = 1;
    CHECK_THROWS_WITH(check_options(o), Catch::Contains("alpha"));
}

TEST_CASE("coverage counts reported periods since the baseline", "[indicators][scoring]")
{
    auto s = quarterly({1, NAN, 3, NAN, 5, 6, 7, 8});
    s.baseline = Mark{1, Date{2018, 2, 1}};
    s.target = Mark{20, Date{2022, 12, 31}};
    s.as_of = Date{2020, 6, 30};  // two more quarters due, not reported
    const auto r = score_series(s);
    CHECK(r.coverage == Approx(6.0 / 10.0));
}

TEST_CASE("percents roll up as a ratio of sums, not a mean of percents", "[indicators][aggregation]")
{
    // State A answered 9 of 10 requests (90%), state B 10 of 100 (10%).
    const std::vector<double> answered{9, 10}, received{10, 100};
    const std::vector<double> percents{90, 10};
    CHECK(ratio_of_sums(answered, received) == Approx(100.0 * 19 / 110));  // 17.3%
    CHECK(across_states(Aggregation::mean, Measure::percent, percents) == Approx(50.0));  // what would be wrong
    CHECK(std::isnan(ratio_of_sums(std::vector<double>{1}, std::vector<double>{0})));
}

TEST_CASE("aggregation rules across states and periods", "[indicators][aggregation]")
{
    const std::vector<double> v{3, NAN, 1, 2};
    CHECK(across_states(Aggregation::sum, Measure::count, v) == 6);
    CHECK(across_states(Aggregation::median, Measure::days, v) == 2);
    CHECK(across_states(Aggregation::last, Measure::binary, std::vector<double>{1, 0, 1, 1}) == Approx(0.75));
    CHECK(across_states(Aggregation::last, Measure::count, v) == 6);
    CHECK(across_periods(Aggregation::last, v) == 2);
    CHECK(across_periods(Aggregation::sum, v) == 6);
    CHECK(across_periods(Aggregation::mean, v) == 2);
    CHECK(std::isnan(across_periods(Aggregation::sum, std::vector<double>{NAN})));
}

TEST_CASE("one early drop and then a flat series is off track, not a trend", "[indicators][scoring]")
{
    // Quarters near 100, one drop to 60, then flat at 60; the target, 100,
    // is due years after the last report. Read as a trend (the local level
    // with drift) the drop went on falling with an interval hundreds wide;
    // read as a random walk it made the level variance large enough to give
    // the target a fair chance. It is a level shift.
    for (const std::size_t after : {std::size_t{6}, std::size_t{16}}) {
        std::vector<double> v{100, 101, 99, 100};
        const auto flat = noisy_line(after, 60, 0, 1.0, 7);
        v.insert(v.end(), flat.begin(), flat.end());
        auto s = quarterly(v);
        s.measure = Measure::ratio;
        s.baseline = Mark{100, Date{2017, 12, 31}};
        s.target = Mark{100, Date{2026, 12, 31}};
        const auto r = score_series(s);
        INFO("reports after the drop: " << after);
        CHECK(r.status == Status::off_track);
        CHECK(r.probability < 0.01);
        CHECK(r.model == "local_level_shift");
        CHECK(r.expected_at_target.estimate == Approx(60).margin(2));
        CHECK(r.expected_at_target.high < 70);
    }

    // A flat series at 60 throughout: no shift is tried.
    auto steady = quarterly(noisy_line(20, 60, 0, 1.0, 7));
    steady.measure = Measure::ratio;
    steady.baseline = Mark{100, Date{2017, 12, 31}};
    steady.target = Mark{100, Date{2026, 12, 31}};
    const auto q = score_series(steady);
    CHECK(q.status == Status::off_track);
    CHECK(q.model.find("shift") == std::string::npos);
}

TEST_CASE("the forecast is of the value that will be reported: observation noise included",
          "[indicators][scoring]")
{
    // Independent noise of SD 2 around a flat 50: the next report falls in
    // about 50 +- 1.96 x 2, and a target two SDs up is reached about one
    // time in forty, not never.
    auto s = quarterly(noisy_line(40, 50, 0, 2.0, 11));
    s.measure = Measure::ratio;
    s.baseline = Mark{50, Date{2017, 12, 31}};
    s.target = Mark{54, Date{2028, 12, 31}};
    const auto r = score_series(s);
    const double half = (r.expected_at_target.high - r.expected_at_target.low) / 2;
    CHECK(half > 1.96 * 2 * 0.8);
    CHECK(half < 1.96 * 2 * 1.5);
    CHECK(r.probability > 0.005);
    CHECK(r.probability < 0.1);
    CHECK(r.status == Status::off_track);
}

TEST_CASE("scoring probabilities do not depend on the unit", "[indicators][scoring]")
{
    // The case: the choice between models flipped with the unit.
    // Several shapes, in hundredths and in hundreds.
    std::vector<std::vector<double>> shapes{noisy_line(24, 100, 0.8, 3, 21), noisy_line(24, 100, 0, 3, 22),
                                            noisy_line(12, 40, -1, 2, 23), noisy_line(30, 5, 0.1, 0.5, 24)};
    std::vector<double> drop{100, 102, 98, 101};
    for (double x : noisy_line(12, 70, 0, 1.5, 25)) drop.push_back(x);
    shapes.push_back(drop);
    for (const auto& shape : shapes) {
        auto s = quarterly(shape);
        s.measure = Measure::ratio;
        s.baseline = Mark{shape.front(), Date{2017, 12, 31}};
        s.target = Mark{shape.back() + 5, Date{2025, 12, 31}};
        const auto base = score_series(s);
        REQUIRE(std::isfinite(base.probability));
        for (const double scale : {0.01, 100.0}) {
            auto scaled = s;
            for (auto& v : scaled.series.values) v *= scale;
            scaled.baseline->value *= scale;
            scaled.target->value *= scale;
            const auto r = score_series(scaled);
            CHECK(std::abs(r.probability - base.probability) < 0.01);
            CHECK(r.model == base.model);
            CHECK(r.expected_at_target.estimate == Approx(scale * base.expected_at_target.estimate).epsilon(1e-3));
        }
    }
}

TEST_CASE("counts: whole-number reports and no forecast below zero", "[indicators][scoring]")
{
    // Convictions falling toward zero: the interval must not go below it.
    std::vector<double> v;
    for (double x : noisy_line(16, 12, -0.7, 1.0, 31)) v.push_back(std::max(0.0, std::round(x)));
    auto s = quarterly(v, Direction::down);
    s.measure = Measure::count;
    s.baseline = Mark{12, Date{2017, 12, 31}};
    s.target = Mark{0, Date{2023, 12, 31}};
    const auto r = score_series(s);
    CHECK(r.expected_at_target.low >= 0);
    CHECK(r.expected_at_target.estimate >= 0);
    CHECK(r.expected_at_target.high >= r.expected_at_target.estimate);

    // A count reaches 11 when the reported whole number does: any value
    // from 10.5 on. The same reports read as a ratio need 11 itself.
    auto c = quarterly({10, 9, 10, 11, 10, 9, 10, 10, 11, 9, 10, 10});
    c.measure = Measure::count;
    c.baseline = Mark{10, Date{2017, 12, 31}};
    c.target = Mark{11, Date{2021, 12, 31}};
    auto as_ratio = c;
    as_ratio.measure = Measure::ratio;
    CHECK(score_series(c).probability > score_series(as_ratio).probability + 0.05);
}
