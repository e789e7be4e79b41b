#include "indicators/scoring.hpp"

#include <cmath>
#include <limits>

#include <Eigen/Core>

#include "models/error.hpp"
#include "models/local_level.hpp"
#include "models/state_space.hpp"
#include "models/structural.hpp"

namespace taeval::indicators {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::string fmt_period_count(std::size_t n, std::size_t need)
{
    return std::to_string(n) + " reports, at least " + std::to_string(need) + " are needed to model the series";
}

// The forecast of the series at `h` steps past its last report: the level
// (the signal without observation noise) for an ordinary series; for a
// running total, the last total plus the sum of the forecast increments.
struct Forecast {
    double mean = nan;
    double var = nan;
    std::string model;
};

// The forecast at step h of the two candidate models: a local level (the
// scalar filter, fast) and a local level with a fixed drift (a structural
// model), each with Akaike's criterion counting the diffuse elements
// (Durbin & Koopman 2012, sec. 7.4); the smaller wins. `sum` asks for the
// sum of the h forecast observations (the increments of a running total)
// instead of the level at step h.
struct Candidate {
    double aic = std::numeric_limits<double>::infinity();
    Forecast forecast;
};

Candidate local_level(const Eigen::VectorXd& y, std::size_t h, bool sum)
{
    const auto fit = models::fit_local_level(y);
    if (!fit.diag.ok) return {};
    const auto f = models::forecast(fit, h);
    const auto k = static_cast<Eigen::Index>(h - 1);
    Candidate c;
    c.aic = -2 * fit.loglik + 2 * (2 + 1);  // two variances, one diffuse state
    if (!sum) {
        c.forecast = {f.level_mean[k], f.level_var[k], "local_level"};
    } else {
        // Levels at steps i and j share the path up to min(i, j):
        // Cov = P_1 + (min(i, j) - 1) sigma2_level; the sum over i, j of
        // min(i, j) is h(h+1)(2h+1)/6.
        const auto hd = static_cast<double>(h);
        const double cross = hd * (hd + 1) * (2 * hd + 1) / 6 - hd * hd;
        const double var = hd * hd * f.level_var[0] + cross * fit.sigma2_level + hd * fit.sigma2_epsilon;
        c.forecast = {hd * f.obs_mean[0], var, "local_level"};
    }
    return c;
}

Candidate level_with_drift(const Eigen::VectorXd& y, std::size_t h, bool sum)
{
    models::StructuralSpec spec;
    spec.trend = models::TrendKind::linear_trend;
    spec.stochastic_slope = false;
    const auto fit = models::fit_structural(y, Eigen::MatrixXd(y.size(), 0), spec);
    if (!fit.diag.ok) return {};
    const auto f = models::forecast(fit, h);
    Candidate c;
    c.aic = -2 * fit.loglik + 2 * (2 + 2);  // two variances, level and slope diffuse
    if (!sum) {
        const auto k = static_cast<Eigen::Index>(h - 1);
        c.forecast = {f.level_mean[k], f.level_var[k], "local_level_drift"};
    } else {
        c.forecast = {f.obs_mean.sum(), models::forecast_error_covariance(fit, h).sum(), "local_level_drift"};
    }
    return c;
}

Forecast best(const Eigen::VectorXd& y, std::size_t n_observed, std::size_t h, bool sum)
{
    Candidate c = local_level(y, h, sum);
    if (n_observed >= 6) {
        Candidate d = level_with_drift(y, h, sum);
        if (d.aic < c.aic) c = d;
    }
    return c.forecast;
}

Forecast forecast_level(const Series& s, std::size_t h)
{
    Eigen::VectorXd y(static_cast<Eigen::Index>(s.last_observed() + 1));
    for (Eigen::Index i = 0; i < y.size(); ++i) y[i] = s.values[static_cast<std::size_t>(i)];
    return best(y, s.n_observed(), h, false);
}

Forecast forecast_running_total(const Series& s, std::size_t h)
{
    const std::size_t last = s.last_observed();
    Eigen::VectorXd d(static_cast<Eigen::Index>(last));
    std::size_t n = 0;
    for (std::size_t i = 1; i <= last; ++i) {
        d[static_cast<Eigen::Index>(i - 1)] = s.values[i] - s.values[i - 1];  // NaN when either is missing
        if (!std::isnan(d[static_cast<Eigen::Index>(i - 1)])) ++n;
    }
    if (d.size() == 0) return {};
    Forecast f = best(d, n, h, true);
    f.mean += s.values[last];
    if (!f.model.empty()) f.model += "_increments";
    return f;
}

}  // namespace

std::string_view to_string(Status s) noexcept
{
    switch (s) {
    case Status::achieved: return "achieved";
    case Status::on_track: return "on_track";
    case Status::at_risk: return "at_risk";
    case Status::off_track: return "off_track";
    case Status::stale: return "stale";
    case Status::insufficient_data: return "insufficient_data";
    case Status::no_target: return "no_target";
    case Status::no_data: return "no_data";
    }
    return "no_data";
}

int severity(Status s) noexcept
{
    switch (s) {
    case Status::off_track: return 0;
    case Status::at_risk: return 1;
    case Status::stale: return 2;
    case Status::on_track: return 3;
    case Status::achieved: return 4;
    case Status::insufficient_data: return 5;
    case Status::no_target: return 6;
    case Status::no_data: return 7;
    }
    return 7;
}

void check_options(const ScoreOptions& o)
{
    if (!(o.off_track >= 0 && o.off_track <= o.on_track && o.on_track <= 1))
        throw Error(ErrorCode::usage, "on_track and off_track must satisfy 0 <= off_track <= on_track <= 1");
    if (!(o.alpha > 0 && o.alpha < 1)) throw Error(ErrorCode::usage, "alpha must be in (0, 1)");
    if (o.stale_after < 1) throw Error(ErrorCode::usage, "stale_after must be 1 or more periods");
}

bool reaches(double value, double target, Direction better) noexcept
{
    return better == Direction::up ? value >= target : value <= target;
}

double progress(double baseline, double latest, double target) noexcept
{
    if (target == baseline) return nan;
    return (latest - baseline) / (target - baseline);
}

SeriesScore score_series(const SeriesToScore& in, const ScoreOptions& options)
{
    SeriesScore out;
    out.progress = nan;
    out.probability = nan;
    out.expected_at_target = {nan, nan, nan};
    out.coverage = nan;
    out.target = in.target;
    out.n_observed = in.series.n_observed();
    const Period as_of = Period::containing(in.frequency, in.as_of);
    // The as-of period counts only once it has ended.
    const Period last_due = as_of.last_day() <= in.as_of ? as_of : as_of.plus(-1);

    if (in.baseline) out.baseline = Point{Period::containing(in.frequency, in.baseline->date), in.baseline->value};
    if (out.n_observed == 0) {
        out.status = Status::no_data;
        out.notes.emplace_back("no reports up to the as-of date");
        if (out.baseline && last_due >= out.baseline->period) out.coverage = 0;
        return out;
    }
    const std::size_t last = in.series.last_observed();
    out.latest = Point{in.series.period(last), in.series.values[last]};
    if (!out.baseline) {
        std::size_t first = 0;
        while (std::isnan(in.series.values[first])) ++first;
        out.baseline = Point{in.series.period(first), in.series.values[first]};
        out.notes.emplace_back("no baseline given: the first report is used");
    }

    // Coverage: reported periods from the baseline (or first report) to the
    // last period due by the as-of date.
    const Period start = std::min(out.baseline->period, in.series.first);
    if (last_due >= start) {
        const auto expected = static_cast<std::size_t>(last_due.minus(start)) + 1;
        std::size_t reported = 0;
        for (std::size_t i = 0; i < in.series.size(); ++i)
            if (!std::isnan(in.series.values[i]) && in.series.period(i) >= start && in.series.period(i) <= last_due)
                ++reported;
        out.coverage = static_cast<double>(reported) / static_cast<double>(expected);
    }

    // The statuses in order of precedence (docs/scoring.md, "Statuses"):
    // no_data (above), achieved, off_track for a deadline the reports
    // cover, stale, no_target, insufficient_data, then the forecast's three.
    const std::int64_t quiet = last_due.minus(out.latest->period);
    const bool stale = quiet >= static_cast<std::int64_t>(options.stale_after);
    if (stale)
        out.notes.push_back("no report in the last " + std::to_string(quiet) + " periods due by the as-of date (" +
                            std::to_string(options.stale_after) + " or more make a series stale): the latest report, " +
                            out.latest->period.to_string() + ", is not taken as current and nothing is forecast");
    if (!in.target) {
        out.status = stale ? Status::stale : Status::no_target;
        out.notes.emplace_back("no target: progress and probability need one");
        return out;
    }
    const double target = in.target->value;
    out.progress = progress(out.baseline->value, out.latest->value, target);
    if (std::isnan(out.progress))
        out.notes.emplace_back("the target equals the baseline (hold the level): progress is undefined; the status says "
                               "whether the level is held");
    // Reaching is read from the last report alone, in the better direction:
    // neither the number of reports, their variance nor their age undoes it.
    const bool achieved = reaches(out.latest->value, target, in.direction);
    const Period target_period = Period::containing(in.frequency, in.target->date);
    const std::int64_t h = target_period.minus(out.latest->period);
    if (h <= 0) {
        // The reports already cover the target date: settled, however few
        // they are.
        out.probability = achieved ? 1.0 : 0.0;
        out.expected_at_target = {out.latest->value, out.latest->value, out.latest->value};
        out.status = achieved ? Status::achieved : Status::off_track;
        if (!achieved) out.notes.emplace_back("the target date has passed and the target was not reached");
        return out;
    }
    if (stale) {
        out.status = achieved ? Status::achieved : Status::stale;
        return out;
    }
    if (out.n_observed < options.min_observed) {
        out.status = achieved ? Status::achieved : Status::insufficient_data;
        out.notes.push_back(fmt_period_count(out.n_observed, options.min_observed));
        return out;
    }
    const Forecast f = in.cumulative ? forecast_running_total(in.series, static_cast<std::size_t>(h))
                                     : forecast_level(in.series, static_cast<std::size_t>(h));
    out.model = f.model;
    if (std::isnan(f.mean) || !(f.var >= 0)) {
        out.status = achieved ? Status::achieved : Status::insufficient_data;
        out.notes.emplace_back("the forecast model could not be fitted (too little variation or too few reports)");
        return out;
    }
    const models::GaussianPrediction at_target{f.mean, f.var};
    const auto [low, high] = models::prediction_interval(at_target, options.alpha);
    out.expected_at_target = {f.mean, low, high};
    out.probability = models::probability_passes(
        at_target, target, in.direction == Direction::up ? models::Direction::up : models::Direction::down);
    if (achieved)
        out.status = Status::achieved;
    else if (out.probability >= options.on_track)
        out.status = Status::on_track;
    else if (out.probability < options.off_track)
        out.status = Status::off_track;
    else
        out.status = Status::at_risk;
    return out;
}

}  // namespace taeval::indicators
