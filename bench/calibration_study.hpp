#pragma once
// The calibration study behind docs/scoring.md ("Calibration"): generated
// portfolio bundles cut at an as-of date two years before each target that
// falls inside the observed span; each series is scored with what was
// reported up to then, and the outcome is read from the report of the
// target's period (which is what decides `achieved`). Figures: Brier score,
// calibration slope (logistic regression of the outcome on logit(p)) and
// the coverage of the 95% interval of expected_at_target, for taeval's
// scoring and for a linear trend with its prediction interval (the simple
// baseline). Shared by bench/calibration_study_bench.cpp and
// tests/indicators/calibration_test.cpp.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <boost/math/distributions/students_t.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "bench/study_bundle.hpp"
#include "datasets/synthetic/generator.hpp"
#include "engine/io/csv_reader.hpp"
#include "indicators/indicator.hpp"
#include "indicators/period.hpp"
#include "indicators/scoring.hpp"
#include "models/trend.hpp"

namespace taeval::test {

/// One scored series at one as-of date, with what was reported at its target.
struct CalibrationCase {
    std::string series;  ///< indicator@state
    std::string model;   ///< taeval's forecast model
    indicators::SeriesToScore input;
    double reported = 0;  ///< the report of the target's period
    bool outcome = false;  ///< that report reaches the target
    double p = 0;          ///< taeval's probability
    indicators::Interval interval{};  ///< taeval's expected_at_target
    double p_trend = 0;    ///< the linear trend's probability
    double trend_low = 0, trend_high = 0;  ///< its 95% prediction interval
    /// A planted intervention on the series starts after the as-of date, by
    /// the target's period: a change no forecast from the reports can know.
    bool change_ahead = false;
};

/// Intercept and slope of a logistic regression of y on x, by Newton's
/// method (iteratively reweighted least squares), with the deviance.
struct LogisticFit {
    double intercept = 0;
    double slope = 0;
    double deviance = 0;
    int iterations = 0;
    bool converged = false;
};

inline LogisticFit logistic_fit(const std::vector<double>& x, const std::vector<bool>& y)
{
    LogisticFit f;
    double a = 0, b = 0;
    const auto deviance = [&](double a_, double b_) {
        double d = 0;
        for (std::size_t i = 0; i < x.size(); ++i) {
            const double eta = a_ + b_ * x[i];
            // -2 log-likelihood, computed stably: log(1 + e^eta) - y eta.
            const double log1pexp = eta > 0 ? eta + std::log1p(std::exp(-eta)) : std::log1p(std::exp(eta));
            d += 2 * (log1pexp - (y[i] ? eta : 0.0));
        }
        return d;
    };
    double dev = deviance(a, b);
    for (f.iterations = 1; f.iterations <= 50; ++f.iterations) {
        double g0 = 0, g1 = 0, h00 = 0, h01 = 0, h11 = 0;
        for (std::size_t i = 0; i < x.size(); ++i) {
            const double mu = 1 / (1 + std::exp(-(a + b * x[i])));
            const double r = (y[i] ? 1.0 : 0.0) - mu;
            const double w = mu * (1 - mu);
            g0 += r;
            g1 += r * x[i];
            h00 += w;
            h01 += w * x[i];
            h11 += w * x[i] * x[i];
        }
        const double det = h00 * h11 - h01 * h01;
        if (!(det > 0)) break;
        double da = (h11 * g0 - h01 * g1) / det, db = (h00 * g1 - h01 * g0) / det;
        // Step halving keeps the deviance from rising (separation, far starts).
        double next = deviance(a + da, b + db);
        for (int k = 0; k < 30 && next > dev; ++k) {
            da /= 2;
            db /= 2;
            next = deviance(a + da, b + db);
        }
        a += da;
        b += db;
        const bool small = std::abs(dev - next) < 1e-12 * (std::abs(next) + 0.1);
        dev = next;
        if (small) {
            f.converged = true;
            break;
        }
    }
    f.intercept = a;
    f.slope = b;
    f.deviance = dev;
    return f;
}

/// Probabilities are clipped to [clip, 1 - clip] before their logit: a
/// Gaussian tail of 1e-30 says "certain", and its logit would dominate the
/// regression.
constexpr double calibration_clip = 1e-4;

inline double clipped_logit(double p)
{
    const double c = std::clamp(p, calibration_clip, 1 - calibration_clip);
    return std::log(c / (1 - c));
}

/// The figures of a set of probabilities and intervals against outcomes.
struct CalibrationFigures {
    std::size_t n = 0;
    double brier = 0;
    double slope = 0;      ///< calibration slope (1 is calibrated; below 1 over-confident)
    double intercept = 0;  ///< calibration intercept
    double coverage = 0;   ///< share of reported values inside the 95% interval
};

/// Figures for taeval (`trend` false) or the linear trend baseline.
inline CalibrationFigures calibration_figures(const std::vector<CalibrationCase>& cases, bool trend = false)
{
    CalibrationFigures f;
    std::vector<double> x;
    std::vector<bool> y;
    std::size_t covered = 0;
    for (const auto& c : cases) {
        const double p = trend ? c.p_trend : c.p;
        const double lo = trend ? c.trend_low : c.interval.low, hi = trend ? c.trend_high : c.interval.high;
        f.brier += (p - (c.outcome ? 1.0 : 0.0)) * (p - (c.outcome ? 1.0 : 0.0));
        x.push_back(clipped_logit(p));
        y.push_back(c.outcome);
        if (c.reported >= lo && c.reported <= hi) ++covered;
    }
    f.n = cases.size();
    if (f.n == 0) return f;
    f.brier /= static_cast<double>(f.n);
    f.coverage = static_cast<double>(covered) / static_cast<double>(f.n);
    const auto fit = logistic_fit(x, y);
    f.slope = fit.slope;
    f.intercept = fit.intercept;
    return f;
}

/// FNV-1a: a seed from a name, the same with every standard library.
inline std::uint64_t fnv1a(const std::string& s)
{
    std::uint64_t h = 14695981039346656037ULL;
    for (const char ch : s) h = (h ^ static_cast<unsigned char>(ch)) * 1099511628211ULL;
    return h;
}

/// The linear trend baseline: OLS of the reports on their period index,
/// forecast at the target's period with its t prediction interval; the
/// probability of reaching the target is read from the same t distribution.
inline void trend_baseline(CalibrationCase& c, std::int64_t target_index)
{
    const auto& s = c.input.series;
    Eigen::VectorXd y(static_cast<Eigen::Index>(s.size()));
    for (std::size_t i = 0; i < s.size(); ++i) y[static_cast<Eigen::Index>(i)] = s.values[i];
    models::TrendSpec spec;
    spec.predict_at = static_cast<double>(target_index);
    const auto fit = models::fit_trend(y, spec);
    const auto& pr = *fit.prediction;
    c.trend_low = pr.pi_low;
    c.trend_high = pr.pi_high;
    const double z = (c.input.target->value - pr.estimate) / pr.se;
    const boost::math::students_t dist(fit.df_inference);
    const double below = boost::math::cdf(dist, z);
    c.p_trend = c.input.direction == indicators::Direction::up ? 1 - below : below;
}

/// The cases of one bundle: every series and every target of targets.csv
/// whose period is reported, scored as of the end of the year two years
/// before the target's date (`years_ahead`), when the scoring forecasts it
/// (enough reports, not stale, not already at the target: the rows that
/// show a probability), or with `every_series` also those already at the
/// target (their forecast is computed all the same). `drawn_targets`
/// replaces the value of each target from targets.csv (its date kept) by one
/// drawn from the reports up to the as-of date (docs/scoring.md says why).
inline std::vector<CalibrationCase> calibration_cases(const std::filesystem::path& dir, int years_ahead = 2,
                                                      bool every_series = false, bool drawn_targets = false,
                                                      const indicators::ScoreOptions& options = {})
{
    using namespace indicators;
    struct Ind {
        Direction direction;
        Measure measure;
        Frequency frequency;
    };
    std::map<std::string, Ind> inds;
    {
        engine::CsvReader r(dir / "indicators.csv");
        const auto c_code = *r.column("code"), c_dir = *r.column("direction"), c_freq = *r.column("frequency"),
                   c_meas = *r.column("measure");
        engine::CsvRecord rec;
        while (r.next(rec))
            inds[rec.fields[c_code]] = {*parse_direction(rec.fields[c_dir]), *parse_measure(rec.fields[c_meas]),
                                        *parse_frequency(rec.fields[c_freq])};
    }
    std::map<std::string, std::vector<Point>> points;
    {
        engine::CsvReader r(dir / "observations.csv");
        const auto c_ind = *r.column("indicator"), c_st = *r.column("state"), c_per = *r.column("period"),
                   c_val = *r.column("value");
        engine::CsvRecord rec;
        while (r.next(rec))
            points[rec.fields[c_ind] + "@" + rec.fields[c_st]].push_back(
                {*Period::parse(rec.fields[c_per]), std::stod(rec.fields[c_val])});
    }
    struct Marks {
        std::vector<Mark> baselines, targets;
    };
    std::map<std::string, Marks> marks;
    {
        engine::CsvReader r(dir / "targets.csv");
        const auto c_ind = *r.column("indicator"), c_st = *r.column("state"), c_kind = *r.column("kind"),
                   c_date = *r.column("date"), c_val = *r.column("value");
        engine::CsvRecord rec;
        while (r.next(rec)) {
            auto& m = marks[rec.fields[c_ind] + "@" + rec.fields[c_st]];
            (rec.fields[c_kind] == "baseline" ? m.baselines : m.targets)
                .push_back({std::stod(rec.fields[c_val]), *Date::parse(rec.fields[c_date])});
        }
    }
    std::map<std::string, std::vector<Period>> starts;  // planted interventions' first periods, by series
    {
        std::ifstream tin(dir / "truth.json");
        const auto truth = nlohmann::json::parse(tin);
        for (const auto& l : truth["links"])
            starts[l["indicator"].get<std::string>() + "@" + l["state"].get<std::string>()].push_back(
                *Period::parse(l["start_period"].get<std::string>()));
    }
    std::vector<CalibrationCase> out;
    for (const auto& [key, m] : marks) {
        const auto pit = points.find(key);
        if (pit == points.end()) continue;
        const Ind& ind = inds.at(key.substr(0, key.find('@')));
        const Series full = Series::from_points(pit->second);
        for (const auto& target : m.targets) {
            const Period tp = Period::containing(ind.frequency, target.date);
            if (tp > full.last() || tp < full.first) continue;
            const double reported = full.values[static_cast<std::size_t>(tp.minus(full.first))];
            if (std::isnan(reported)) continue;
            CalibrationCase c;
            c.series = key;
            auto& in = c.input;
            in.direction = ind.direction;
            in.measure = ind.measure;
            in.frequency = ind.frequency;
            in.as_of = Date{target.date.year - years_ahead, 12, 31};
            std::vector<Point> known;
            for (const auto& pt : pit->second)
                if (pt.period.last_day() <= in.as_of) known.push_back(pt);
            if (known.empty()) continue;
            in.series = Series::from_points(known);
            for (const auto& b : m.baselines)
                if (b.date <= in.as_of && (!in.baseline || b.date > in.baseline->date)) in.baseline = b;
            in.target = target;
            if (drawn_targets) {
                // A target drawn from the reports alone: the mean of the
                // last four reports plus u times their SD, u uniform on
                // [-2, 2], rounded as the indicator's reports are.
                std::vector<double> v;
                for (const auto& pt : known) v.push_back(pt.value);
                const std::size_t tail = std::min<std::size_t>(4, v.size());
                double recent = 0, mean = 0, ss = 0;
                for (std::size_t i = v.size() - tail; i < v.size(); ++i) recent += v[i] / static_cast<double>(tail);
                for (const double x : v) mean += x / static_cast<double>(v.size());
                for (const double x : v) ss += (x - mean) * (x - mean);
                const double sd = v.size() > 1 ? std::sqrt(ss / static_cast<double>(v.size() - 1)) : 0.0;
                std::mt19937_64 rng(fnv1a(key + target.date.to_string()));
                const double u = std::uniform_real_distribution<double>(-2, 2)(rng);
                double t = recent + u * sd;
                if (ind.measure == Measure::count || ind.measure == Measure::days) t = std::round(t);
                in.target->value = t;
            }
            // Series the status rules settle without a forecast are left
            // out; those already at the target at the as-of date too,
            // unless `every_series`.
            const auto r = score_series(in, options);
            const bool forecast = r.status == Status::on_track || r.status == Status::at_risk ||
                                  r.status == Status::off_track;
            if (!forecast && !(every_series && r.status == Status::achieved)) continue;
            const auto f = forecast_target(in, options);
            if (std::isnan(f.probability)) continue;
            c.model = f.model;
            c.p = f.probability;
            c.interval = f.expected_at_target;
            c.reported = reported;
            c.outcome = reaches(reported, in.target->value, ind.direction);
            const Period as_of = Period::containing(ind.frequency, in.as_of);
            for (const auto& st : starts[key]) c.change_ahead = c.change_ahead || (st > as_of && st <= tp);
            trend_baseline(c, tp.minus(in.series.first));
            out.push_back(std::move(c));
        }
    }
    return out;
}

}  // namespace taeval::test
