#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/calibration_study.hpp"

using namespace taeval;

namespace {

std::filesystem::path reference_dir()
{
    return std::filesystem::path(TAEVAL_SOURCE_DIR) / "datasets" / "reference" / "calibration_logistic";
}

}  // namespace

TEST_CASE("the calibration slope's logistic regression reproduces R's glm", "[calibration]")
{
    std::vector<double> x;
    std::vector<bool> y;
    std::vector<test::CalibrationCase> cases;
    {
        engine::CsvReader r(reference_dir() / "data.csv");
        const auto c_p = *r.column("p"), c_o = *r.column("outcome");
        engine::CsvRecord rec;
        while (r.next(rec)) {
            test::CalibrationCase c;
            c.p = std::stod(rec.fields[c_p]);
            c.outcome = rec.fields[c_o] == "1";
            x.push_back(test::clipped_logit(c.p));
            y.push_back(c.outcome);
            cases.push_back(c);
        }
    }
    std::ifstream in(reference_dir() / "expected.json");
    const auto expected = nlohmann::json::parse(in);
    REQUIRE(x.size() == expected["n"].get<std::size_t>());
    const auto fit = test::logistic_fit(x, y);
    CHECK(fit.converged);
    CHECK(fit.intercept == Approx(expected["intercept"].get<double>()).epsilon(1e-8));
    CHECK(fit.slope == Approx(expected["slope"].get<double>()).epsilon(1e-8));
    CHECK(fit.deviance == Approx(expected["deviance"].get<double>()).epsilon(1e-10));
    CHECK(test::calibration_figures(cases).brier == Approx(expected["brier"].get<double>()).epsilon(1e-12));
}

TEST_CASE("the logistic regression stays finite on separated outcomes and empty input", "[calibration]")
{
    // Outcomes exactly separated by x: no finite maximum; the fit must stop
    // with finite coefficients and a deviance near zero, not NaN.
    const std::vector<double> x{-3, -2, -1, -0.5, 0.5, 1, 2, 3};
    const std::vector<bool> y{false, false, false, false, true, true, true, true};
    const auto fit = test::logistic_fit(x, y);
    CHECK(std::isfinite(fit.slope));
    CHECK(fit.slope > 5);
    CHECK(fit.deviance < 1e-3);
    CHECK(test::calibration_figures({}).n == 0);
}

TEST_CASE("scoring is calibrated on generated portfolios and does not depend on the unit", "[calibration][.slow]")
{
    // The study of docs/scoring.md ("Calibration"): seeds 1 to 4, targets
    // drawn from the reports, scored two years ahead.
    std::vector<test::CalibrationCase> all;
    for (const std::uint64_t seed : {1U, 2U, 3U, 4U}) {
        auto cases = test::calibration_cases(test::generated_bundle(seed, "calibration"), 2, false, true);
        all.insert(all.end(), cases.begin(), cases.end());
    }
    REQUIRE(all.size() >= 500);
    const auto f = test::calibration_figures(all);
    const auto trend = test::calibration_figures(all, true);
    CHECK(f.slope >= 0.85);
    CHECK(f.slope <= 1.15);
    CHECK(f.coverage >= 0.92);
    CHECK(f.coverage <= 0.98);
    CHECK(f.brier < trend.brier);

    // The same series and targets in hundredths and in hundreds: the same
    // probabilities (as a ratio: whole-number reports of a count are
    // rounded, so a scaled count is not a count; docs/scoring.md).
    double worst = 0;
    for (const auto& c : all) {
        auto in = c.input;
        in.measure = indicators::Measure::ratio;
        const double p = indicators::score_series(in).probability;
        for (const double scale : {0.01, 100.0}) {
            auto scaled = in;
            for (auto& v : scaled.series.values) v *= scale;
            if (scaled.baseline) scaled.baseline->value *= scale;
            scaled.target->value *= scale;
            worst = std::max(worst, std::abs(indicators::score_series(scaled).probability - p));
        }
    }
    CHECK(worst < 0.01);
}
