// Scoring benchmark: score_series on 100,000 generated quarterly series of
// 32 periods with 10% of periods missing, on one core; then the same series
// with the forecast skipped (their target date already reported), to show
// how much of the time the state-space fits take.
//   build/release/bench/score_bench [SERIES]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "indicators/scoring.hpp"

namespace ind = taeval::indicators;

int main(int argc, char** argv)
{
    const std::size_t n_series = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 100000;
    constexpr std::size_t length = 32;
    std::mt19937_64 rng(20261128);
    std::normal_distribution<double> noise(0.0, 1.0);
    std::uniform_real_distribution<double> unit(0.0, 1.0);

    std::vector<ind::SeriesToScore> series(n_series);
    const ind::Period first(ind::Frequency::quarter, 2017, 1);
    for (auto& s : series) {
        s.frequency = ind::Frequency::quarter;
        const double level = 50 + 10 * noise(rng);
        const double slope = 0.5 * noise(rng);
        std::vector<ind::Point> points;
        double ar = 0;
        for (std::size_t t = 0; t < length; ++t) {
            ar = 0.4 * ar + noise(rng);
            if (unit(rng) < 0.1) continue;
            points.push_back({first.plus(static_cast<std::int64_t>(t)), level + slope * static_cast<double>(t) + 2 * ar});
        }
        s.series = ind::Series::from_points(points);
        s.as_of = first.plus(length - 1).last_day();
        s.baseline = ind::Mark{level, first.last_day()};
        s.target = ind::Mark{level + 20, first.plus(length + 8).last_day()};
    }

    auto run = [&](const char* label) {
        std::size_t counts[7] = {};
        const auto t0 = std::chrono::steady_clock::now();
        for (const auto& s : series) ++counts[static_cast<int>(ind::score_series(s).status)];
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::printf("%-40s %8.2f s %10.0f series/s  (achieved %zu, on_track %zu, at_risk %zu, off_track %zu)\n", label,
                    secs, static_cast<double>(n_series) / secs, counts[0], counts[1], counts[2], counts[3]);
        return secs;
    };
    std::printf("%zu quarterly series of %zu periods, 10%% missing, one core\n", n_series, length);
    const double with_fit = run("score_series with forecast");
    for (auto& s : series) s.target->date = first.plus(4).last_day();  // due date already reported: no fit
    const double without = run("score_series, no forecast needed");
    std::printf("share of the time in the state-space fits: %.1f%%\n", 100 * (with_fit - without) / with_fit);
    return 0;
}
