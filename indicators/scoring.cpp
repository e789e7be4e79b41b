#include "indicators/scoring.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include <Eigen/Core>

#include "models/error.hpp"
#include "models/level_ar1.hpp"
#include "models/local_level.hpp"
#include "models/state_space.hpp"
#include "models/student_t.hpp"
#include "models/structural.hpp"

namespace taeval::indicators {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::string fmt_period_count(std::size_t n, std::size_t need)
{
    return std::to_string(n) + " reports, at least " + std::to_string(need) + " are needed to model the series";
}

// One model's forecast of what will be reported `h` periods after the
// last report (observation noise included: that report decides
// `achieved`), or of the sum of the h reports (the increments of a running
// total).
struct Forecast {
    double mean = nan;
    double var = nan;
    std::string model;
};

// The forecast the score reads: the candidates' forecasts averaged, each a
// Student t (the variances are estimated, not known) with its weight.
struct Mixture {
    struct Part {
        double mean, var, df, weight;
    };
    std::vector<Part> parts;
    double mean = nan;  ///< the weighted mean of the parts' means
    std::string model;  ///< the model of the largest weight
};

// A candidate model: its forecast and, per period, the log density of y_t
// given y_1..y_{t-1} (its one-step prediction), NaN where y_t is missing or
// the model conditions on it (the first reports, which its diffuse elements
// absorb). Candidates are compared on the sum of these over the periods
// where every candidate has one: the same data, each conditioned on the
// same earlier reports, so that the comparison does not depend on the unit
// (docs/scoring.md, "The forecast").
struct Candidate {
    Forecast forecast;
    Eigen::VectorXd log_density;
    Eigen::VectorXd std_resid;  ///< one-step residual / its SD (the local level's, for the shift check)
    double score = -std::numeric_limits<double>::infinity();
};

template <class Fit>
Eigen::VectorXd log_densities(const Fit& fit)
{
    const double log_2pi = std::log(2 * std::numbers::pi);
    return -0.5 * (log_2pi + fit.innovation_var.array().log() +
                   fit.innovation.array().square() / fit.innovation_var.array());
}

// The local level's forecast of the report at step h, or of the sum of the
// reports at steps 1..h (`sum`: the increments of a running total).
Candidate local_level(const Eigen::VectorXd& y, std::size_t h, bool sum)
{
    models::LocalLevelSpec spec;
    spec.standard_errors = false;
    const auto fit = models::fit_local_level(y, spec);
    if (!fit.diag.ok) return {};
    const auto f = models::forecast(fit, h);
    const auto k = static_cast<Eigen::Index>(h - 1);
    Candidate c;
    c.log_density = log_densities(fit);
    c.std_resid = fit.std_resid;
    if (!sum) {
        c.forecast = {f.obs_mean[k], f.obs_var[k], "local_level"};
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

// A structural model: the local level with a fixed drift (`drift`), or
// with a level shift from period `shift` on (a step regressor, its
// coefficient diffuse), or both.
Candidate structural(const Eigen::VectorXd& y, std::size_t h, bool sum, bool drift, Eigen::Index shift)
{
    models::StructuralSpec spec;
    spec.trend = drift ? models::TrendKind::linear_trend : models::TrendKind::level;
    spec.stochastic_slope = false;
    Eigen::MatrixXd x(y.size(), shift >= 0 ? 1 : 0);
    if (shift >= 0)
        for (Eigen::Index t = 0; t < y.size(); ++t) x(t, 0) = t >= shift ? 1.0 : 0.0;
    const auto fit = models::fit_structural(y, x, spec);
    if (!fit.diag.ok) return {};
    const auto hi = static_cast<Eigen::Index>(h);
    const Eigen::MatrixXd x_future = Eigen::MatrixXd::Ones(hi, x.cols());
    const auto f = models::forecast(fit, h, x_future);
    std::string name = drift ? "local_level_drift" : "local_level";
    if (shift >= 0) name += "_shift";
    Candidate c;
    c.log_density = log_densities(fit);
    if (!sum)
        c.forecast = {f.obs_mean[hi - 1], f.obs_var[hi - 1], name};
    else
        c.forecast = {f.obs_mean.sum(), models::forecast_error_covariance(fit, h, x_future).sum(), name};
    return c;
}

// A level or a linear trend with AR(1) noise (models/level_ar1): noise
// that reverts to the level, where the local level would follow it.
Candidate level_ar1(const Eigen::VectorXd& y, std::size_t h, bool trend)
{
    const auto fit = models::fit_level_ar1(y, trend);
    if (!fit.ok) return {};
    const auto f = models::forecast(fit, h);
    Candidate c;
    c.log_density = log_densities(fit);
    c.forecast = {f.mean, f.var, trend ? "trend_ar1" : "level_ar1"};
    return c;
}

// Sums each candidate's log densities over the periods where all have one.
void score_on_common_periods(std::vector<Candidate>& cs)
{
    const Eigen::Index n = cs.front().log_density.size();
    for (auto& c : cs) c.score = 0;
    for (Eigen::Index t = 0; t < n; ++t) {
        bool common = true;
        for (const auto& c : cs) common = common && std::isfinite(c.log_density[t]);
        if (common)
            for (auto& c : cs) c.score += c.log_density[t];
    }
}

// The level-shift check (docs/scoring.md, "The forecast"): a shift is only
// tried at the report whose one-step standardised residual under the local
// level is largest, when it exceeds `shift_residual` robust SDs of those
// residuals (1.4826 times their median absolute value: Iglewicz and
// Hoaglin's modified z-score, 3.5); models with it enter the average with
// their log-likelihood lowered by `shift_gain` (a prior weight of e^-2
// against each model without it).
constexpr double shift_residual = 3.5;
constexpr double shift_gain = 2.0;

// The candidates' forecasts averaged with weights proportional to their
// likelihood on the common periods (after the shift penalty), each a Student
// t on as many degrees of freedom as the model has one-step densities, less
// one for its estimated variance ratio.
Mixture average(const Eigen::VectorXd& y, std::size_t n_observed, std::size_t h, bool sum)
{
    std::vector<Candidate> cs;
    cs.push_back(local_level(y, h, sum));
    if (cs.front().forecast.model.empty()) return {};
    if (n_observed >= 6) {
        cs.push_back(structural(y, h, sum, true, -1));
        if (!sum) {
            cs.push_back(level_ar1(y, h, false));
            cs.push_back(level_ar1(y, h, true));
        }
        // The level shift: at the largest standardised one-step residual of
        // the local level, when at least two reports follow it (the step's
        // coefficient and the level after it need one each) and it stands
        // out from the others by a robust yardstick: a local level that
        // absorbed a jump into its level variance shrinks every
        // standardised residual, the jump's too, but not their ratio.
        Eigen::Index shift = -1;
        double largest = 0;
        std::vector<double> sizes;
        std::size_t after = 0;
        const auto& r = cs.front().std_resid;
        for (Eigen::Index t = y.size() - 1; t >= 0; --t) {
            if (std::isnan(y[t])) continue;
            if (std::isfinite(r[t])) {
                sizes.push_back(std::abs(r[t]));
                if (after >= 2 && std::abs(r[t]) > largest) {
                    largest = std::abs(r[t]);
                    shift = t;
                }
            }
            ++after;
        }
        if (shift >= 0) {
            const auto mid = sizes.begin() + static_cast<std::ptrdiff_t>(sizes.size() / 2);
            std::nth_element(sizes.begin(), mid, sizes.end());
            if (!(largest > shift_residual * 1.4826 * *mid)) shift = -1;
        }
        if (shift >= 0) {
            cs.push_back(structural(y, h, sum, false, shift));
            cs.push_back(structural(y, h, sum, true, shift));
        }
        std::erase_if(cs, [](const Candidate& c) { return c.forecast.model.empty(); });
    }
    score_on_common_periods(cs);
    const auto penalised = [](const Candidate& c) {
        return c.score - (c.forecast.model.find("_shift") != std::string::npos ? shift_gain : 0.0);
    };
    const Candidate* top = &cs.front();
    for (const auto& c : cs)
        if (penalised(c) > penalised(*top)) top = &c;
    double total = 0;
    for (const auto& c : cs) total += std::exp(penalised(c) - penalised(*top));
    Mixture m;
    m.model = top->forecast.model;
    m.mean = 0;
    for (const auto& c : cs) {
        const double w = std::exp(penalised(c) - penalised(*top)) / total;
        if (w < 1e-9) continue;  // no visible effect on a probability or an interval
        const double df = std::max(1.0, static_cast<double>(c.log_density.array().isFinite().count()) - 1);
        m.parts.push_back({c.forecast.mean, c.forecast.var, df, w});
        m.mean += w * c.forecast.mean;
    }
    return m;
}

Mixture forecast_level(const Series& s, std::size_t h)
{
    Eigen::VectorXd y(static_cast<Eigen::Index>(s.last_observed() + 1));
    for (Eigen::Index i = 0; i < y.size(); ++i) y[i] = s.values[static_cast<std::size_t>(i)];
    return average(y, s.n_observed(), h, false);
}

Mixture forecast_running_total(const Series& s, std::size_t h)
{
    const std::size_t last = s.last_observed();
    Eigen::VectorXd d(static_cast<Eigen::Index>(last));
    std::size_t n = 0;
    for (std::size_t i = 1; i <= last; ++i) {
        d[static_cast<Eigen::Index>(i - 1)] = s.values[i] - s.values[i - 1];  // NaN when either is missing
        if (!std::isnan(d[static_cast<Eigen::Index>(i - 1)])) ++n;
    }
    if (d.size() == 0) return {};
    Mixture m = average(d, n, h, true);
    m.mean += s.values[last];
    for (auto& part : m.parts) part.mean += s.values[last];
    if (!m.model.empty()) m.model += "_increments";
    return m;
}

// The averaged forecast's distribution function and quantiles, in double
// precision (models::StudentT: in long double they took a third of
// scoring's time, for digits a probability does not need).
using models::StudentT;

double part_cdf(const Mixture::Part& c, double x)
{
    return boost::math::cdf(StudentT(c.df), (x - c.mean) / std::sqrt(c.var));
}

double part_quantile(const Mixture::Part& c, double p)
{
    return c.mean + std::sqrt(c.var) * boost::math::quantile(StudentT(c.df), p);
}

double mixture_cdf(const Mixture& m, double x)
{
    double p = 0;
    for (const auto& c : m.parts) p += c.weight * part_cdf(c, x);
    return p;
}

double mixture_pdf(const Mixture& m, double x)
{
    double d = 0;
    for (const auto& c : m.parts) {
        const double sd = std::sqrt(c.var);
        d += c.weight * boost::math::pdf(StudentT(c.df), (x - c.mean) / sd) / sd;
    }
    return d;
}

// The mixture's quantile lies between the smallest and the largest of its
// parts' quantiles: Newton's method from their weighted mean, kept inside
// that bracket (bisecting when a step leaves it), to 1e-10 in probability.
double mixture_quantile(const Mixture& m, double p)
{
    if (m.parts.size() == 1) return part_quantile(m.parts.front(), p);
    double lo = std::numeric_limits<double>::infinity(), hi = -lo, x = 0;
    for (const auto& c : m.parts) {
        const double q = part_quantile(c, p);
        lo = std::min(lo, q);
        hi = std::max(hi, q);
        x += c.weight * q;
    }
    for (int i = 0; i < 100 && hi > lo; ++i) {
        const double gap = mixture_cdf(m, x) - p;
        if (std::abs(gap) < 1e-10) break;
        (gap < 0 ? lo : hi) = x;
        const double next = x - gap / mixture_pdf(m, x);
        x = next > lo && next < hi ? next : 0.5 * (lo + hi);
    }
    return x;
}

// Whole numbers are reported for counts and days: a report reaches the
// target when the forecast value, rounded as it will be reported, does. So
// the forecast must pass the rounding boundary next to the target: for
// `up`, ceil(target) - 1/2; for `down`, floor(target) + 1/2
// (docs/scoring.md, "The forecast"). Any other series: the target itself.
double reporting_threshold(const SeriesToScore& in, double target)
{
    if (in.measure != Measure::count && in.measure != Measure::days) return target;
    for (const double v : in.series.values)
        if (!std::isnan(v) && v != std::round(v)) return target;
    return in.direction == Direction::up ? std::ceil(target) - 0.5 : std::floor(target) + 0.5;
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

TargetForecast forecast_target(const SeriesToScore& in, const ScoreOptions& options)
{
    TargetForecast out;
    out.probability = nan;
    out.expected_at_target = {nan, nan, nan};
    if (!in.target || in.series.n_observed() == 0) return out;
    const double target = in.target->value;
    const Period target_period = Period::containing(in.frequency, in.target->date);
    const std::int64_t steps = target_period.minus(in.series.period(in.series.last_observed()));
    if (steps <= 0 || in.series.n_observed() < options.min_observed) return out;
    const auto h = static_cast<std::size_t>(steps);
    const Mixture f = in.cumulative ? forecast_running_total(in.series, h) : forecast_level(in.series, h);
    if (f.parts.empty() || !std::isfinite(f.mean)) return out;
    for (const auto& c : f.parts)
        if (!(c.var > 0) || !std::isfinite(c.mean)) return out;
    out.model = f.model;
    out.expected_at_target = {f.mean, mixture_quantile(f, options.alpha / 2),
                              mixture_quantile(f, 1 - options.alpha / 2)};
    // Reaching the threshold in the better direction: P(X >= threshold) for up.
    const double below = mixture_cdf(f, reporting_threshold(in, target));
    out.probability = in.direction == Direction::up ? 1 - below : below;
    if (in.measure == Measure::count) {
        // A count is never reported below zero: the forecast is censored
        // there (the probability of a target of zero or more is unchanged).
        auto& e = out.expected_at_target;
        e = {std::max(0.0, e.estimate), std::max(0.0, e.low), std::max(0.0, e.high)};
    }
    return out;
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
    const auto f = forecast_target(in, options);
    out.model = f.model;
    if (std::isnan(f.probability)) {
        out.status = achieved ? Status::achieved : Status::insufficient_data;
        out.notes.emplace_back("the forecast model could not be fitted (too little variation or too few reports)");
        return out;
    }
    out.expected_at_target = f.expected_at_target;
    out.probability = f.probability;
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
