#include "datasets/synthetic/plan.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>
#include <tuple>

#include <fmt/format.h>

#include "datasets/synthetic/random.hpp"
#include "models/error.hpp"

namespace taeval::synthetic::detail {

int sign_of(const IndicatorTemplate& t) { return t.up ? 1 : -1; }

double mean_at(const Series& s, const std::vector<Link>& links, int t)
{
    double m = s.level + s.trend * t;
    for (int l : s.links) {
        const Link& k = at(links, l);
        if (t >= k.t0) m += k.level_change + k.slope_change * (t - k.t0);
    }
    return m;
}

double round_to(double v, int decimals)
{
    const double f = decimals == 0 ? 1.0 : decimals == 1 ? 10.0 : 100.0;
    const double r = std::round(v * f) / f;
    return r == 0 ? 0.0 : r;  // no "-0"
}

double valid_value(Measure m, double v)
{
    switch (m) {
    case Measure::count: return std::max(0.0, round_to(v, 0));
    case Measure::days: return std::max(1.0, round_to(v, 0));
    case Measure::percent: return std::clamp(round_to(v, 2), 0.0, 100.0);
    case Measure::score: return std::clamp(round_to(v, 1), 0.0, 100.0);
    }
    return v;
}

namespace {

void check_range(const char* name, std::int64_t value, std::int64_t lo, std::int64_t hi)
{
    if (value < lo || value > hi)
        throw Error(ErrorCode::usage,
                    fmt::format("generate: --{} must be between {} and {}, got {}", name, lo, hi, value));
}

// ISO 3166-1 leaves XAA..XZZ and QMA..QZZ to users: letters only, like the
// real codes, and enough of them (1,040) for the largest portfolio.
std::string synthetic_code(int j)
{
    // Past XZZ the second letter runs from M: QMA, QMB, ...
    const bool x = j < 26 * 26;
    const int n = x ? j : j - 26 * 26;
    std::string code(1, x ? 'X' : 'Q');
    code += static_cast<char>((x ? 'A' : 'M') + n / 26);
    code += static_cast<char>('A' + n % 26);
    return code;
}

std::string numbered(std::string_view prefix, int n, int count)
{
    const int width = std::max(2, static_cast<int>(std::to_string(count).size()));
    return fmt::format("{}{:0{}}", prefix, n, width);
}

// Bounds the mean path must stay in so that values are valid by construction.
std::pair<double, double> mean_bounds(Measure m, double sd)
{
    switch (m) {
    case Measure::percent:
    case Measure::score: return {15.0, 85.0};
    case Measure::count: return {3 * sd, std::numeric_limits<double>::infinity()};
    case Measure::days: return {std::max(5.0, 3 * sd), std::numeric_limits<double>::infinity()};
    }
    return {0, 0};
}

// Keeps a series' mean path inside its bounds: first drop the background
// trend, then shift the level, and only as a last resort shrink the planted
// effects (truth.json records the values after this step).
void fit_into_bounds(Series& s, std::vector<Link>& links, Measure m, int n)
{
    const auto [lo, hi] = mean_bounds(m, s.sd);
    const auto range = [&] {
        double mn = std::numeric_limits<double>::infinity();
        double mx = -mn;
        for (int t = 0; t < n; ++t) {
            const double v = mean_at(s, links, t);
            mn = std::min(mn, v);
            mx = std::max(mx, v);
        }
        return std::pair{mn, mx};
    };
    auto [mn, mx] = range();
    if (mn >= lo && mx <= hi) return;
    s.trend = 0;
    std::tie(mn, mx) = range();
    for (int round = 0; round < 40 && mx - mn > hi - lo; ++round) {
        for (int l : s.links) {
            at(links, l).slope_change *= 0.7;
            if (round >= 10) at(links, l).level_change *= 0.9;
        }
        std::tie(mn, mx) = range();
    }
    if (mn < lo) s.level += lo - mn;
    else if (mx > hi) s.level -= mx - hi;
}
// ---------------------------------------------------------------------------
// Building the plan.

void plan_states(Plan& p, Rng& rng)
{
    const auto n = p.opt.states;
    for (int i = 0; i < n; ++i) {
        State s;
        if (static_cast<std::size_t>(i) < state_list.size()) {
            const auto& seed = state_list[static_cast<std::size_t>(i)];
            s.iso3 = seed.iso3;
            s.name = seed.name;
            s.region = seed.region;
        } else {
            const int j = i - static_cast<int>(state_list.size());
            s.iso3 = synthetic_code(j);
            s.name = fmt::format("Synthetic State {}", j + 1);
            s.region = regions[static_cast<std::size_t>(j) % regions.size()];
        }
        s.size = std::exp(rng.uniform(std::log(0.4), std::log(2.5)));
        if (rng.chance(0.2)) {
            s.gap_from = rng.integer(p.months / 4, p.months * 3 / 4);
            s.gap_to = s.gap_from + rng.integer(6, 15);
        }
        p.states.push_back(std::move(s));
    }
    // About a third of the states never receive assistance: pure controls.
    std::vector<int> order(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) at(order, i) = i;
    rng.shuffle(order);
    const int controls = n >= 3 ? n / 3 : 0;
    for (int i = 0; i < controls; ++i) at(p.states, at(order, i)).control = true;
}

void plan_indicators(Plan& p)
{
    for (int i = 0; i < p.opt.indicators; ++i) {
        const int tpl = i % template_count;
        const int copy = i / template_count;
        const auto& t = indicator_templates[static_cast<std::size_t>(tpl)];
        Indicator ind;
        ind.tpl = tpl;
        ind.code = copy == 0 ? std::string(t.code) : fmt::format("{}_{:02}", t.code, copy + 1);
        ind.name = copy == 0 ? std::string(t.name) : fmt::format("{} (set {})", t.name, copy + 1);
        ind.frequency = p.opt.frequency.value_or(t.frequency);
        ind.linkable = t.role == Role::plain || t.role == Role::share;
        if (t.role == Role::share) {
            ind.share = i;
            ind.numerator = i + t.partner_offset;
            ind.denominator = i + t.partner_offset - 1;
        } else if (t.role != Role::plain && i + t.partner_offset < p.opt.indicators) {
            ind.share = i + t.partner_offset;
        }
        p.indicators.push_back(std::move(ind));
    }
}

void plan_series(Plan& p)
{
    const int S = p.opt.states;
    p.series.resize(p.indicators.size() * p.states.size());
    for (int i = 0; i < p.opt.indicators; ++i) {
        const auto& t = p.tpl(i);
        const int n = p.periods(p.frequency(i));
        for (int st = 0; st < S; ++st) {
            Rng rng(stream_seed(p.opt.seed, 2, i, st));
            Series& s = p.series[p.key(i, st)];
            const double size = at(p.states, st).size;
            switch (t.measure) {
            case Measure::count: {
                // A denominator is kept large so that its share is not dominated by rounding.
                const double scale = t.role == Role::denominator ? 1.0 : size;
                s.level = rng.uniform(t.level_lo, t.level_hi) * scale;
                // The same yearly volume when the frequency is overridden.
                s.level *= static_cast<double>(indicators::periods_per_year(t.frequency)) /
                           indicators::periods_per_year(p.frequency(i));
                s.sd = std::max(2.0, rng.uniform(0.08, 0.15) * s.level);
                break;
            }
            case Measure::days:
                s.level = rng.uniform(t.level_lo, t.level_hi);
                s.sd = std::max(2.0, rng.uniform(0.06, 0.12) * s.level);
                break;
            case Measure::percent:
                s.level = rng.uniform(t.level_lo, t.level_hi);
                s.sd = rng.uniform(2.5, 4.5);
                break;
            case Measure::score:
                s.level = rng.uniform(t.level_lo, t.level_hi);
                s.sd = rng.uniform(2.0, 4.0);
                break;
            }
            // Background drift over the whole span, mostly (not always) for the better.
            s.trend = sign_of(t) * rng.uniform(-0.5, 1.5) * s.sd / n;
            s.phi = rng.uniform(0.3, 0.6);
            s.missing = rng.uniform(0.04, 0.09);
            s.source = std::string_view(t.level) == "output" ? "project records"
                       : rng.chance(0.7)                      ? "national report"
                                                              : "questionnaire";
        }
    }
}

void plan_projects(Plan& p, Rng& rng)
{
    std::vector<int> eligible;
    for (int s = 0; s < p.opt.states; ++s)
        if (!at(p.states, s).control) eligible.push_back(s);
    std::vector<int> providers{0, 1, 2, 3, 4};
    rng.shuffle(providers);
    const int margin = std::min(24, p.months / 4);
    for (int j = 0; j < p.opt.projects; ++j) {
        Project pr;
        pr.code = numbered("PRJ", j + 1, p.opt.projects);
        pr.provider = at(providers, j % 5);
        pr.area = j % static_cast<int>(areas.size());
        // Recipients: two to five states, mostly of one region.
        const char* region = regions[rng.index(regions.size())];
        std::vector<int> same;
        std::vector<int> other;
        for (int s : eligible) (at(p.states, s).region == region ? same : other).push_back(s);
        rng.shuffle(same);
        rng.shuffle(other);
        const auto want = static_cast<std::size_t>(rng.integer(2, 5));
        for (int s : same)
            if (pr.recipients.size() < want) pr.recipients.push_back(s);
        for (int s : other)
            if (pr.recipients.size() < want) pr.recipients.push_back(s);
        std::sort(pr.recipients.begin(), pr.recipients.end());
        const bool one_region =
            std::all_of(pr.recipients.begin(), pr.recipients.end(),
                        [&](int s) { return at(p.states, s).region == at(p.states, pr.recipients.front()).region; });
        const std::string place = pr.recipients.empty() ? std::string("several regions")
                                  : pr.recipients.size() == 1 ? at(p.states, pr.recipients.front()).name
                                  : one_region ? at(p.states, pr.recipients.front()).region
                                               : std::string("several regions");
        pr.title = fmt::format(fmt::runtime(project_titles[static_cast<std::size_t>(pr.area)]), place);
        pr.start_month = rng.integer(0, std::max(0, margin - 1));
        pr.end_month = std::min(p.months - 1, pr.start_month + rng.integer(36, 72) - 1);
        p.projects.push_back(std::move(pr));
    }
}

int pick_kind(const Project& pr, Rng& rng)
{
    const auto& ak = area_kinds[static_cast<std::size_t>(pr.area)];
    int total = 0;
    for (int w : ak.weights) total += w;
    int r = rng.integer(0, total - 1);
    for (std::size_t k = 0; k < ak.kinds.size(); ++k) {
        if (r < ak.weights[k]) return ak.kinds[k];
        r -= ak.weights[k];
    }
    return ak.kinds[0];
}

Date last_day_of_month(const Date& d)
{
    const Date next = d.month == 12 ? Date{d.year + 1, 1, 1} : Date{d.year, d.month + 1, 1};
    return Date::from_days(next.days() - 1);
}

void plan_interventions(Plan& p, Rng& rng)
{
    const int P = p.opt.projects;
    const int margin = std::min(24, p.months / 4);
    for (int i = 0; i < p.opt.interventions; ++i) {
        Intervention iv;
        iv.code = numbered("INT", i + 1, p.opt.interventions);
        iv.project = i < P ? i : rng.integer(0, P - 1);
        Project& pr = at(p.projects, iv.project);
        const int area = pr.area;
        // The first intervention of a cooperation project trains trainers, who
        // then deliver its later trainings and workshops (prerequisite links).
        const bool tot_first = i < P && (area == 1 || area == 2 || area == 5);
        iv.kind = tot_first ? training_of_trainers : pick_kind(pr, rng);
        const auto& k = kinds[static_cast<std::size_t>(iv.kind)];
        if (pr.recipients.empty()) {
            iv.state = rng.integer(0, p.opt.states - 1);
        } else {
            iv.state = at(pr.recipients, static_cast<int>(rng.index(pr.recipients.size())));
        }
        // Start inside the project and far enough from both ends of the
        // observed span for a before and an after; every twentieth is left
        // deliberately short (very early or very late).
        int lo = std::max(margin, pr.start_month);
        int hi = std::min(p.months - margin - 1, pr.end_month);
        if (hi < lo) {
            lo = margin;
            hi = std::max(margin, p.months - margin - 1);
        }
        if (tot_first) hi = lo + (hi - lo) / 3;
        int month = rng.integer(lo, hi);
        if (i % 20 == 19) {
            iv.short_by_design = true;
            month = (i / 20) % 2 == 0 ? rng.integer(std::max(0, p.months - 5), p.months - 1)
                                      : rng.integer(0, std::min(4, p.months - 1));
        }
        iv.start = p.month_date(month, rng.integer(1, 28));
        if (k.days_hi > 0) iv.end = Date::from_days(iv.start.days() + rng.integer(k.days_lo, k.days_hi) - 1);
        iv.cost = 100.0 * std::round(rng.uniform(k.cost_lo, k.cost_hi) / 100.0);
        iv.participants = k.people_hi > 0 ? rng.integer(k.people_lo, k.people_hi) : 0;
        iv.title = fmt::format(fmt::runtime(k.title), at(p.states, iv.state).name);
        // The project spans its interventions.
        pr.start_month = std::min(pr.start_month, month);
        const Date last = iv.end.value_or(iv.start);
        const int last_month = (last.year - p.opt.first_year) * 12 + last.month - 1;
        pr.end_month = std::max(pr.end_month, last_month);
        p.interventions.push_back(std::move(iv));
    }
    for (auto& pr : p.projects) {
        pr.start = p.month_date(pr.start_month, 1);
        pr.end = last_day_of_month(p.month_date(pr.end_month, 1));
    }
}

int min_gap(Frequency f) { return std::max(6, indicators::periods_per_year(f)); }

void plan_links(Plan& p, Rng& rng)
{
    const int M = p.opt.indicators;
    for (int i = 0; i < static_cast<int>(p.interventions.size()); ++i) {
        const Intervention& iv = at(p.interventions, i);
        const auto& k = kinds[static_cast<std::size_t>(iv.kind)];
        const int area = at(p.projects, iv.project).area;
        struct Candidate {
            int indicator;
            int t0;
            int weight;
            bool doubled;
        };
        std::vector<Candidate> cands;
        for (int ind = 0; ind < M; ++ind) {
            const auto& ii = at(p.indicators, ind);
            if (!ii.linkable) continue;
            if (std::find(k.targets.begin(), k.targets.end(), ii.tpl) == k.targets.end()) continue;
            const Frequency f = ii.frequency;
            const int t0 = p.period_of(f, iv.start);
            if (t0 < 0 || t0 >= p.periods(f)) continue;
            const Series& s = p.series[p.key(ind, iv.state)];
            if (s.links.size() >= 2) continue;
            if (s.links.size() == 1 && std::abs(at(p.links, s.links[0]).t0 - t0) < min_gap(f)) continue;
            const bool area_match = std::string_view(p.tpl(ind).area) == areas[static_cast<std::size_t>(area)];
            cands.push_back({ind, t0, area_match ? 3 : 1, !s.links.empty()});
        }
        if (cands.empty()) continue;
        // Now and then favour a series that already has an intervention, so
        // that some series carry two breaks to attribute between.
        const bool want_double = rng.chance(0.3);
        const int n_links = std::min<int>(static_cast<int>(cands.size()),
                                          iv.kind == regional_workshop || rng.chance(0.45) ? 2 : 1);
        for (int l = 0; l < n_links; ++l) {
            int total = 0;
            for (const auto& c : cands) total += c.weight * (want_double == c.doubled ? 4 : 1);
            int r = rng.integer(0, total - 1);
            std::size_t pick = 0;
            for (; pick + 1 < cands.size(); ++pick) {
                const int w = cands[pick].weight * (want_double == cands[pick].doubled ? 4 : 1);
                if (r < w) break;
                r -= w;
            }
            const Candidate c = cands[pick];
            cands.erase(cands.begin() + static_cast<std::ptrdiff_t>(pick));
            Series& s = p.series[p.key(c.indicator, iv.state)];
            const auto& t = p.tpl(c.indicator);
            Link link;
            link.intervention = i;
            link.indicator = c.indicator;
            link.state = iv.state;
            link.t0 = c.t0;
            link.weight = l == 0 ? 1.0 : 0.5;
            const double per_year = indicators::periods_per_year(p.frequency(c.indicator));
            link.level_change = sign_of(t) * rng.uniform(k.level_lo, k.level_hi) * s.sd;
            link.slope_change = sign_of(t) * rng.uniform(k.slope_lo, k.slope_hi) * s.sd / per_year;
            s.links.push_back(static_cast<int>(p.links.size()));
            p.links.push_back(link);
        }
    }
    // Prerequisites: a training of trainers feeds the later trainings and
    // workshops of its project (at most three). Edges point forward in time,
    // so the links are acyclic.
    for (int a = 0; a < static_cast<int>(p.interventions.size()); ++a) {
        const auto& tot = at(p.interventions, a);
        if (tot.kind != training_of_trainers) continue;
        int fed = 0;
        for (int b = 0; b < static_cast<int>(p.interventions.size()) && fed < 3; ++b) {
            const auto& later = at(p.interventions, b);
            if (later.project != tot.project || (later.kind != 1 && later.kind != regional_workshop)) continue;
            if (later.start <= tot.end.value_or(tot.start)) continue;
            p.prerequisites.emplace_back(a, b);
            ++fed;
        }
    }
    for (std::size_t key = 0; key < p.series.size(); ++key) {
        Series& s = p.series[key];
        const int ind = static_cast<int>(key / p.states.size());
        fit_into_bounds(s, p.links, p.tpl(ind).measure, p.periods(p.frequency(ind)));
    }
}

}  // namespace

Plan make_plan(const GeneratorOptions& opt)
{
    check_range("states", opt.states, 1, 1000);
    check_range("years", opt.years, 2, 100);
    // Targets reach into the year after the last one observed; every date
    // stays within the years import accepts.
    check_range("first-year", opt.first_year, indicators::earliest_year, indicators::latest_year - opt.years);
    check_range("indicators", opt.indicators, 1, 1200);
    check_range("projects", opt.projects, 1, 1000);
    check_range("interventions", opt.interventions, 0, 100000);
    Plan p;
    p.opt = opt;
    p.first_day = Date{opt.first_year, 1, 1};
    p.months = opt.years * 12;
    Rng rng(stream_seed(opt.seed, 1));
    plan_states(p, rng);
    plan_indicators(p);
    plan_series(p);
    plan_projects(p, rng);
    plan_interventions(p, rng);
    plan_links(p, rng);
    for (Frequency f : {Frequency::month, Frequency::quarter, Frequency::year}) {
        auto& labels = p.period_labels[static_cast<std::size_t>(f)];
        const Period first = p.first_period(f);
        for (int t = 0; t < p.periods(f); ++t) labels.push_back(first.plus(t).to_string());
    }
    return p;
}

}  // namespace taeval::synthetic::detail
