// The calibration study behind docs/scoring.md ("Calibration"): Brier
// score, calibration slope and 95% interval coverage of the scoring's
// probabilities on generated portfolios cut two years before each target,
// beside a linear trend with its prediction interval. A driver with its own
// main (no timing loop):
//   calibration_study_bench [--cases FILE] [--years-ahead N] [seed ...]
// default seeds 1 to 4. --cases writes every case (series, model, p,
// outcome, interval, reported value, the trend's p) as CSV, e.g. for the R
// reference of the logistic fit (datasets/reference/scripts).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "bench/calibration_study.hpp"

namespace {

using namespace taeval;

void print_row(const char* who, const char* seed, const test::CalibrationFigures& f)
{
    std::printf("| %s | %s | %zu | %.4f | %.3f | %.3f | %.3f |\n", who, seed, f.n, f.brier, f.slope, f.intercept,
                f.coverage);
}

}  // namespace

int main(int argc, char** argv)
{
    std::vector<std::uint64_t> seeds;
    const char* cases_file = nullptr;
    int years_ahead = 2;
    bool every_series = false, drawn = false;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--cases") == 0 && i + 1 < argc)
            cases_file = argv[++i];
        else if (std::strcmp(argv[i], "--drawn-targets") == 0)
            drawn = true;
        else if (std::strcmp(argv[i], "--every-series") == 0)
            every_series = true;
        else if (std::strcmp(argv[i], "--years-ahead") == 0 && i + 1 < argc)
            years_ahead = std::atoi(argv[++i]);
        else
            seeds.push_back(std::strtoull(argv[i], nullptr, 10));
    }
    if (seeds.empty()) seeds = {1, 2, 3, 4};
    std::vector<test::CalibrationCase> all;
    std::printf("| forecast | seed | series | Brier | slope | intercept | 95%% coverage |\n");
    std::printf("| --- | --- | --- | --- | --- | --- | --- |\n");
    for (const auto seed : seeds) {
        auto cases = test::calibration_cases(test::generated_bundle(seed, "calibration"), years_ahead, every_series, drawn);
        const auto s = std::to_string(seed);
        print_row("taeval", s.c_str(), test::calibration_figures(cases));
        print_row("linear trend", s.c_str(), test::calibration_figures(cases, true));
        for (auto& c : cases) c.series = s + ":" + c.series;
        all.insert(all.end(), cases.begin(), cases.end());
    }
    print_row("**taeval**", "all", test::calibration_figures(all));
    print_row("linear trend", "all", test::calibration_figures(all, true));
    std::vector<test::CalibrationCase> steady;
    for (const auto& c : all)
        if (!c.change_ahead) steady.push_back(c);
    print_row("**taeval**", "no change ahead", test::calibration_figures(steady));
    print_row("linear trend", "no change ahead", test::calibration_figures(steady, true));
    std::map<std::string, std::size_t> models;
    for (const auto& c : all) ++models[c.model];
    std::printf("models:");
    for (const auto& [m, n] : models) std::printf(" %s %zu", m.c_str(), n);
    std::printf("\n");
    if (cases_file) {
        FILE* f = std::fopen(cases_file, "w");
        if (!f) {
            std::fprintf(stderr, "cannot write %s\n", cases_file);
            return 2;
        }
        std::fprintf(f, "series,model,p,outcome,low,high,reported,p_trend,change_ahead,direction,frequency,target\n");
        for (const auto& c : all)
            std::fprintf(f, "%s,%s,%.17g,%d,%.17g,%.17g,%.17g,%.17g,%d,%s,%s,%.17g\n", c.series.c_str(), c.model.c_str(), c.p,
                         c.outcome ? 1 : 0, c.interval.low, c.interval.high, c.reported, c.p_trend,
                         c.change_ahead ? 1 : 0, c.input.direction == indicators::Direction::up ? "up" : "down",
                         std::string(indicators::to_string(c.input.frequency)).c_str(), c.input.target->value);
        std::fclose(f);
    }
    return 0;
}
