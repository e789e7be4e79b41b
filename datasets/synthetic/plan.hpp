#pragma once
// The generator's plan (private to datasets/synthetic): the portfolio drawn
// from the options, everything except the observation values, which are
// simulated and streamed while observations.csv is written.
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "datasets/synthetic/catalogue.hpp"
#include "datasets/synthetic/generator.hpp"
#include "indicators/period.hpp"

namespace taeval::synthetic::detail {

using indicators::Date;
using indicators::Frequency;
using indicators::Period;

// ---------------------------------------------------------------------------
// Plan: everything except the observation values, which are streamed.

struct State {
    std::string iso3;
    std::string name;
    std::string region;
    double size = 1;  // scales counts
    bool control = false;
    int gap_from = -1;  // months from the first day observed; -1: no reporting gap
    int gap_to = -1;
};

struct Indicator {
    std::string code;
    std::string name;
    int tpl = 0;
    Frequency frequency = Frequency::year;
    int share = -1;  // for the members of a composite: the share's index; else -1
    int numerator = -1;
    int denominator = -1;
    bool linkable = true;
};

struct Project {
    std::string code;
    std::string title;
    int provider = 0;
    int area = 0;
    int start_month = 0;  // months from the first day observed
    int end_month = 0;
    Date start;
    Date end;
    std::vector<int> recipients;
};

struct Intervention {
    std::string code;
    int project = 0;
    int kind = 0;
    std::string title;
    int state = 0;
    Date start;
    std::optional<Date> end;
    double cost = 0;
    int participants = 0;
    bool short_by_design = false;
};

struct Link {
    int intervention = 0;
    int indicator = 0;
    int state = 0;
    int t0 = 0;  // first period of the effect
    double weight = 1;
    double level_change = 0;
    double slope_change = 0;  // per period
    int n_pre_observed = 0;
    int n_post_observed = 0;
};

struct Series {
    double level = 0;  // mean at t = 0
    double trend = 0;  // per period
    double phi = 0;
    double sd = 0;  // marginal SD of the AR(1) noise
    double missing = 0;
    std::string source;
    std::vector<int> links;
    int n_observed = 0;
};

struct Plan {
    GeneratorOptions opt;
    Date first_day;
    int months = 0;
    std::vector<State> states;
    std::vector<Indicator> indicators;
    std::vector<Project> projects;
    std::vector<Intervention> interventions;
    std::vector<Link> links;
    std::vector<std::pair<int, int>> prerequisites;
    std::vector<Series> series;  // indicator-major: series[i * S + s]
    std::array<std::vector<std::string>, 3> period_labels;

    [[nodiscard]] std::size_t key(int indicator, int state) const
    {
        return static_cast<std::size_t>(indicator) * states.size() + static_cast<std::size_t>(state);
    }
    [[nodiscard]] const IndicatorTemplate& tpl(int indicator) const
    {
        return indicator_templates[static_cast<std::size_t>(indicators[static_cast<std::size_t>(indicator)].tpl)];
    }
    [[nodiscard]] Frequency frequency(int indicator) const
    {
        return indicators[static_cast<std::size_t>(indicator)].frequency;
    }
    [[nodiscard]] int periods(Frequency f) const { return opt.years * indicators::periods_per_year(f); }
    [[nodiscard]] Period first_period(Frequency f) const { return Period::containing(f, first_day); }
    [[nodiscard]] int period_of(Frequency f, const Date& d) const
    {
        return static_cast<int>(Period::containing(f, d).minus(first_period(f)));
    }
    [[nodiscard]] Date month_date(int month, int day) const
    {
        return Date{opt.first_year + month / 12, month % 12 + 1, day};
    }
};

template <class T>
T& at(std::vector<T>& v, int i)
{
    return v[static_cast<std::size_t>(i)];
}
template <class T>
const T& at(const std::vector<T>& v, int i)
{
    return v[static_cast<std::size_t>(i)];
}

/// Draws the plan. Throws taeval::Error(usage) for an option out of range.
[[nodiscard]] Plan make_plan(const GeneratorOptions& opt);

/// +1 when the indicator's better direction is up, else -1.
[[nodiscard]] int sign_of(const IndicatorTemplate& t);
/// Mean of a series at period t (t may lie past the last observed period).
[[nodiscard]] double mean_at(const Series& s, const std::vector<Link>& links, int t);
/// v rounded to 0, 1 or 2 decimals, never "-0".
[[nodiscard]] double round_to(double v, int decimals);
/// A series' value as written: rounded and inside the measure's valid range.
[[nodiscard]] double valid_value(Measure m, double v);

}  // namespace taeval::synthetic::detail
