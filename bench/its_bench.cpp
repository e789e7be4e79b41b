// Interrupted time series with Newey-West errors on many short generated
// series: series per second on one core. Writes a sample of the same series
// to a CSV for the peer scripts (its_peer.R, its_peer.py), and prints a
// checksum (the sum of the first level change's standard errors over the
// sample series without gaps, where every tool's Newey-West is the same)
// that the peers print too, so that the three are seen to fit the same
// model; and the sums of that level change's p-values and 95% upper bounds
// over the same series, which the peers print when they compute them (not
// with --se-only).
//
// A series of T points carries B breaks spread evenly, break j (1..B) at
// row floor(j T / (B + 1)) (one break in 48 points: row 24), each with a
// level and a slope change; with --season P (4 or 12) the model has P - 1
// seasonal dummies too, as evaluate fits quarterly and monthly series. The
// peers take the same --breaks and --season and place the breaks alike.
//
//   its_bench [--series N] [--points T] [--breaks B] [--season P] [--complete F] [--sample K] [--sample-out FILE] [--seed S]
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "models/its.hpp"

namespace {

struct Options {
    long series = 100000;
    long points = 48;
    long breaks = 1;
    int season = 0;
    double complete = 0;
    long sample = 500;
    unsigned long seed = 20261128;
    std::string sample_out = "its_bench_sample.csv";
};

Options parse(int argc, char** argv)
{
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string k = argv[i];
        const std::string v = argv[i + 1];
        if (k == "--series") o.series = std::stol(v);
        else if (k == "--points") o.points = std::stol(v);
        else if (k == "--breaks") o.breaks = std::stol(v);
        else if (k == "--season") o.season = std::stoi(v);
        else if (k == "--complete") o.complete = std::stod(v);
        else if (k == "--sample") o.sample = std::stol(v);
        else if (k == "--seed") o.seed = std::stoul(v);
        else if (k == "--sample-out") o.sample_out = v;
        else {
            std::cerr << "its_bench: unknown option " << k << '\n';
            std::exit(1);
        }
    }
    if (o.points < 2 || o.breaks < 1 || o.breaks >= o.points || (o.season != 0 && o.season != 4 && o.season != 12)) {
        std::cerr << "its_bench: need --points >= 2, 1 <= --breaks < points, --season 0, 4 or 12\n";
        std::exit(1);
    }
    return o;
}

// Break j (0-based) of B in T points: row floor((j + 1) T / (B + 1)).
std::vector<std::size_t> spread_breaks(long points, long breaks)
{
    std::vector<std::size_t> out;
    for (long j = 1; j <= breaks; ++j) out.push_back(static_cast<std::size_t>(j * points / (breaks + 1)));
    return out;
}

// One series: trend, a level and slope change at each break, a seasonal
// pattern (with a season period), AR(1) noise (phi 0.4) and about 4% missing
// periods (never the first period or a break's), but for a fraction
// `complete` of the series, which have no gaps (in a long series hardly any
// is complete otherwise, and the SE checksum needs complete series). With
// one break, no season and complete 0 the draws are those of the one-break
// driver before it, so its series are the same.
Eigen::VectorXd generate(std::mt19937_64& rng, long points, const std::vector<std::size_t>& breaks, int season,
                         double complete)
{
    std::normal_distribution<double> z(0.0, 1.0);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const double level = 50 + 10 * u(rng);
    const double slope = 0.2 * z(rng);
    std::vector<double> jump, kink;
    for (std::size_t j = 0; j < breaks.size(); ++j) {
        jump.push_back(3 * z(rng));
        kink.push_back(0.1 * z(rng));
    }
    std::vector<double> seasonal(static_cast<std::size_t>(season));
    for (auto& v : seasonal) v = z(rng);
    const double missing = complete > 0 && u(rng) < complete ? 0.0 : 0.04;
    Eigen::VectorXd y(points);
    double e = 0;
    for (long t = 0; t < points; ++t) {
        e = 0.4 * e + z(rng);
        double v = level + slope * static_cast<double>(t) + e;
        bool at_break = false;
        for (std::size_t j = 0; j < breaks.size(); ++j) {
            const auto b = static_cast<long>(breaks[j]);
            at_break = at_break || t == b;
            if (t >= b) v += jump[j] + kink[j] * static_cast<double>(t - b);
        }
        if (season > 0) v += seasonal[static_cast<std::size_t>(t % season)];
        y[t] = v;
        if (u(rng) < missing && t != 0 && !at_break) y[t] = std::nan("");
    }
    return y;
}

}  // namespace

int main(int argc, char** argv)
{
    const Options o = parse(argc, argv);
    std::mt19937_64 rng(o.seed);
    const std::vector<std::size_t> breaks = spread_breaks(o.points, o.breaks);
    std::vector<Eigen::VectorXd> all;
    all.reserve(static_cast<std::size_t>(o.series));
    for (long s = 0; s < o.series; ++s) all.push_back(generate(rng, o.points, breaks, o.season, o.complete));

    std::ofstream csv(o.sample_out);
    csv.precision(17);
    csv << "series,t,y\n";
    for (long s = 0; s < o.sample && s < o.series; ++s)
        for (long t = 0; t < o.points; ++t) {
            const double v = all[static_cast<std::size_t>(s)][t];
            csv << s << ',' << t << ',';
            if (!std::isnan(v)) csv << v;
            csv << '\n';
        }
    csv.close();

    taeval::models::ItsSpec spec;
    spec.breaks = breaks;
    spec.season_period = o.season;
    spec.errors = taeval::models::ItsErrors::newey_west;  // automatic lag: 3 for 48 points
    double checksum = 0;
    double p_checksum = 0;
    double ci_checksum = 0;
    double sink = 0;
    std::size_t lags = 0;
    // CPU time of this process (one thread): on a shared machine wall time
    // counts the other users' load; both are printed.
    const std::clock_t cpu_start = std::clock();
    const auto start = std::chrono::steady_clock::now();
    for (long s = 0; s < o.series; ++s) {
        const auto fit = taeval::models::fit_its(all[static_cast<std::size_t>(s)], spec);
        sink += fit.est.p[2];
        if (s < o.sample && fit.diag.n_missing == 0) {
            checksum += fit.est.se[2];
            p_checksum += fit.est.p[2];
            ci_checksum += fit.est.ci_high[2];
        }
        lags = fit.hac_lags;
    }
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    std::printf("taeval: %ld series of %ld points, %ld break(s), season %d, ITS Newey-West lag %zu: wall %.3f s, "
                "cpu %.3f s, %.0f series/s\n",
                o.series, o.points, o.breaks, o.season, lags, wall, cpu, static_cast<double>(o.series) / cpu);
    std::printf("taeval checksum (sum of level SE, complete series of the %ld sampled): %.10g\n", o.sample, checksum);
    std::printf("taeval inference checksum (level p-values, 95%% upper bounds): %.10g %.10g\n", p_checksum,
                ci_checksum);
    std::printf("taeval sample written to %s (ignore: %g)\n", o.sample_out.c_str(), sink > 0 ? 0.0 : 1.0);
    return 0;
}
