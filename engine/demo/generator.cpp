#include "engine/demo/generator.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <random>
#include <string_view>
#include <system_error>
#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "models/error.hpp"

namespace taeval::engine {

namespace {

using indicators::Date;
using indicators::Frequency;
using indicators::Period;

// ---------------------------------------------------------------------------
// Random numbers. The engine is std::mt19937_64, whose output the standard
// fixes; the distributions are written here because the standard library's
// are not the same everywhere. Normals use Marsaglia's polar method (sqrt and
// log only; every value written is rounded, which hides last-bit libm
// differences).

std::uint64_t splitmix(std::uint64_t x) noexcept
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// An independent stream per (purpose, a, b): a series draws the same numbers
// whatever else is generated, and whatever order files are written in.
std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t purpose, int a = 0, int b = 0) noexcept
{
    std::uint64_t h = splitmix(seed ^ splitmix(purpose));
    h = splitmix(h ^ static_cast<std::uint64_t>(static_cast<std::uint32_t>(a)));
    return splitmix(h ^ (static_cast<std::uint64_t>(static_cast<std::uint32_t>(b)) << 1));
}

class Rng {
public:
    explicit Rng(std::uint64_t seed) : m_engine(seed) {}

    /// Uniform on [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(m_engine() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    /// Uniform integer in [lo, hi].
    int integer(int lo, int hi)
    {
        const auto range = static_cast<std::uint64_t>(static_cast<std::int64_t>(hi) - lo) + 1;
        return static_cast<int>(lo + static_cast<std::int64_t>(m_engine() % range));
    }
    std::size_t index(std::size_t n) { return static_cast<std::size_t>(m_engine() % n); }
    bool chance(double p) { return uniform() < p; }
    double normal()
    {
        if (m_has_spare) {
            m_has_spare = false;
            return m_spare;
        }
        double u = 0;
        double v = 0;
        double s = 0;
        do {
            u = 2 * uniform() - 1;
            v = 2 * uniform() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        const double f = std::sqrt(-2 * std::log(s) / s);
        m_spare = v * f;
        m_has_spare = true;
        return u * f;
    }
    template <class T>
    void shuffle(std::vector<T>& v)
    {
        for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[index(i)]);
    }

private:
    std::mt19937_64 m_engine;
    double m_spare = 0;
    bool m_has_spare = false;
};

// ---------------------------------------------------------------------------
// Fixed content.

struct StateSeed {
    const char* iso3;
    const char* name;
    const char* region;
};

constexpr const char* africa = "Africa";
constexpr const char* americas = "Americas";
constexpr const char* asia = "Asia-Pacific";
constexpr const char* east = "Eastern Europe";
constexpr const char* west = "Western Europe and others";
constexpr std::array<const char*, 5> regions{africa, americas, asia, east, west};

// Interleaved by region so that any prefix spans the regions.
constexpr std::array<StateSeed, 43> state_list{{
    {"KEN", "Kenya", africa},
    {"MEX", "Mexico", americas},
    {"IDN", "Indonesia", asia},
    {"UKR", "Ukraine", east},
    {"ITA", "Italy", west},
    {"NGA", "Nigeria", africa},
    {"COL", "Colombia", americas},
    {"PHL", "Philippines", asia},
    {"MDA", "Republic of Moldova", east},
    {"ESP", "Spain", west},
    {"GHA", "Ghana", africa},
    {"BRA", "Brazil", americas},
    {"THA", "Thailand", asia},
    {"SRB", "Serbia", east},
    {"DEU", "Germany", west},
    {"SEN", "Senegal", africa},
    {"PER", "Peru", americas},
    {"VNM", "Viet Nam", asia},
    {"ALB", "Albania", east},
    {"NLD", "Netherlands (Kingdom of the)", west},
    {"ZAF", "South Africa", africa},
    {"GTM", "Guatemala", americas},
    {"PAK", "Pakistan", asia},
    {"GEO", "Georgia", east},
    {"TUR", "T\xC3\xBCrkiye", west},
    {"MAR", "Morocco", africa},
    {"ARG", "Argentina", americas},
    {"KGZ", "Kyrgyzstan", asia},
    {"ROU", "Romania", east},
    {"CAN", "Canada", west},
    {"CIV", "C\xC3\xB4te d'Ivoire", africa},
    {"JAM", "Jamaica", americas},
    {"LKA", "Sri Lanka", asia},
    {"BGR", "Bulgaria", east},
    {"AUS", "Australia", west},
    {"TZA", "United Republic of Tanzania", africa},
    {"ECU", "Ecuador", americas},
    {"JOR", "Jordan", asia},
    {"MKD", "North Macedonia", east},
    {"ETH", "Ethiopia", africa},
    {"PAN", "Panama", americas},
    {"FJI", "Fiji", asia},
    {"MOZ", "Mozambique", africa},
}};

struct ProviderSeed {
    const char* code;
    const char* name;
    const char* kind;
};

constexpr std::array<ProviderSeed, 5> provider_list{{
    {"ALDF", "Alder Justice Fund", "donor"},
    {"NMDC", "Northmere Development Cooperation", "donor"},
    {"ILCA", "International Legal Cooperation Agency", "agency"},
    {"JWBI", "Justice Without Borders Initiative", "ngo"},
    {"MJRP", "Ministry of Justice of Rivaland, International Programme", "government"},
}};

enum class Measure { count, percent, days, score };
enum class Role { plain, share, numerator, denominator };

std::string_view to_string(Measure m)
{
    switch (m) {
    case Measure::count: return "count";
    case Measure::percent: return "percent";
    case Measure::days: return "days";
    case Measure::score: return "score";
    }
    return "count";
}

struct IndicatorTemplate {
    const char* code;
    const char* name;
    const char* level;
    Measure measure;
    bool up;
    const char* unit;
    Frequency frequency;
    const char* area;
    const char* instrument;
    const char* article;
    Role role;
    int partner_offset;  // share: offset of the numerator; numerator/denominator: offset of the share
    double level_lo;     // typical level per period (counts: before the state's size factor)
    double level_hi;
};

constexpr int template_count = 12;
// Order matters: a share comes after its numerator (offset -1) and denominator (offset -2).
constexpr std::array<IndicatorTemplate, template_count> indicator_templates{{
    {"MLA_REQ_HANDLED", "Mutual legal assistance requests handled by the central authority", "outcome",
     Measure::count, true, "requests", Frequency::month, "central_authorities", "UNTOC", "18", Role::plain, 0, 8,
     30},
    {"MLA_DAYS_MEDIAN", "Median days to answer a mutual legal assistance request", "outcome", Measure::days, false,
     "days", Frequency::month, "international_cooperation", "UNTOC", "18", Role::plain, 0, 70, 220},
    {"EXTRAD_REQ_RECEIVED", "Extradition requests received", "outcome", Measure::count, true, "requests",
     Frequency::quarter, "international_cooperation", "UNTOC", "16", Role::denominator, 2, 60, 160},
    {"EXTRAD_ANSWERED", "Extradition requests answered", "outcome", Measure::count, true, "requests",
     Frequency::quarter, "international_cooperation", "UNTOC", "16", Role::numerator, 1, 25, 90},
    {"EXTRAD_SHARE_ANSWERED", "Share of extradition requests answered", "outcome", Measure::percent, true,
     "percent", Frequency::quarter, "international_cooperation", "UNTOC", "16", Role::share, -1, 30, 55},
    {"OFFICIALS_TRAINED", "Judges, prosecutors and officials trained in international cooperation", "output",
     Measure::count, true, "persons", Frequency::quarter, "international_cooperation", "UNTOC", "29",
     Role::plain, 0, 10, 40},
    {"TIP_CONVICTIONS", "Convictions for trafficking in persons", "impact", Measure::count, true, "convictions",
     Frequency::year, "criminalization", "TIP", "5", Role::plain, 0, 15, 60},
    {"CRIM_OFFENCES_SCORE", "Legislative coverage of the offences of the Convention and Protocols", "outcome",
     Measure::score, true, "score 0-100", Frequency::year, "criminalization", "UNTOC", "5", Role::plain, 0, 25,
     50},
    {"VICTIMS_REFERRED", "Trafficking victims referred to assistance", "outcome", Measure::count, true, "persons",
     Frequency::month, "victims", "TIP", "6", Role::plain, 0, 6, 25},
    {"WITNESS_PROTECTED", "Witnesses admitted to protection programmes", "outcome", Measure::count, true,
     "persons", Frequency::quarter, "witness_protection", "UNTOC", "24", Role::plain, 0, 8, 30},
    {"FIREARMS_MARKED", "Firearms marked and recorded", "output", Measure::count, true, "firearms",
     Frequency::month, "firearms", "FIREARMS", "8", Role::plain, 0, 40, 200},
    {"JOINT_INVESTIGATIONS", "Joint investigations with other states", "impact", Measure::count, true,
     "investigations", Frequency::quarter, "regional_cooperation", "UNTOC", "19", Role::plain, 0, 6, 20},
}};

constexpr std::array<const char*, 7> areas{"criminalization",    "international_cooperation",
                                           "central_authorities", "victims",
                                           "witness_protection",  "regional_cooperation",
                                           "firearms"};

constexpr std::array<const char*, 7> project_titles{
    "Criminalizing organized crime offences in {}",
    "Extradition and mutual legal assistance in {}",
    "Strengthening central authorities in {}",
    "Protection and assistance for trafficking victims in {}",
    "Witness protection programmes in {}",
    "Regional cooperation against organized crime in {}",
    "Firearms marking, record-keeping and control in {}",
};

struct KindSpec {
    const char* code;
    const char* title;  // {} is the state's name
    const char* rationale;
    double level_lo;  // planted level change, in noise SDs of the series
    double level_hi;
    double slope_lo;  // planted slope change, in noise SDs per year
    double slope_hi;
    int days_lo;  // duration; 0: a one-day delivery without an end date
    int days_hi;
    int cost_lo;  // USD
    int cost_hi;
    int people_lo;  // participants; 0: none recorded
    int people_hi;
    std::array<int, 5> targets;  // indicator templates it feeds (-1: none)
};

constexpr int kind_count = 7;
constexpr int regional_workshop = 3;
constexpr int training_of_trainers = 6;
constexpr std::array<KindSpec, kind_count> kinds{{
    {"central_authority_mentoring", "Mentoring of the central authority of {}",
     "mentoring gives the central authority procedures and a case-management routine", 2.0, 3.5, 0.2, 0.6, 180,
     540, 150000, 600000, 3, 12, {0, 1, 4, -1, -1}},
    {"judicial_training", "Training of judges and prosecutors on international cooperation, {}",
     "trained practitioners draft, send and answer requests faster and more often", 1.5, 3.0, 0.1, 0.4, 3, 10,
     20000, 90000, 15, 60, {5, 1, 4, 6, 9}},
    {"legislative_drafting", "Legislative drafting assistance, {}",
     "adopted legislation creates the offences and procedures that the indicator counts", 2.5, 4.0, 0.0, 0.0, 30,
     180, 40000, 150000, 4, 15, {7, 6, 9, 10, -1}},
    {"regional_workshop", "Regional workshop of countries of origin, transit and destination, {}",
     "contacts made at the workshop are expected to ease cooperation", 0.0, 0.0, 0.0, 0.0, 2, 5, 60000, 250000, 25,
     120, {11, 0, 4, 8, -1}},
    {"firearms_marking_equipment", "Firearms marking equipment and record-keeping system, {}",
     "marking machines and a register let the authority mark and record firearms", 3.0, 5.0, 0.2, 0.5, 0, 0,
     100000, 800000, 0, 0, {10, -1, -1, -1, -1}},
    {"victim_shelter_support", "Support to victim shelters, {}",
     "shelter places and trained staff make referral of victims possible", 2.0, 3.5, 0.1, 0.4, 365, 730, 80000,
     400000, 5, 30, {8, 9, -1, -1, -1}},
    {"training_of_trainers", "Training of trainers for criminal justice practitioners, {}",
     "national trainers multiply the training of officials", 1.5, 3.0, 0.0, 0.2, 5, 10, 30000, 120000, 8, 25,
     {5, -1, -1, -1, -1}},
}};

// Kinds a project of each area runs, with weights.
struct AreaKinds {
    std::array<int, 4> kinds;
    std::array<int, 4> weights;
};
constexpr std::array<AreaKinds, 7> area_kinds{{
    {{2, 1, 3, -1}, {4, 3, 2, 0}},   // criminalization
    {{1, 0, 3, 6}, {4, 2, 3, 1}},    // international_cooperation
    {{0, 1, 6, 3}, {4, 3, 1, 2}},    // central_authorities
    {{5, 1, 3, -1}, {4, 2, 2, 0}},   // victims
    {{1, 2, 5, 3}, {3, 2, 1, 2}},    // witness_protection
    {{3, 1, 6, 0}, {4, 3, 1, 1}},    // regional_cooperation
    {{4, 2, 3, -1}, {4, 2, 2, 0}},   // firearms
}};

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

int sign_of(const IndicatorTemplate& t) { return t.up ? 1 : -1; }

// Mean of a series at period t (t may lie past the last observed period).
double mean_at(const Series& s, const std::vector<Link>& links, int t)
{
    double m = s.level + s.trend * t;
    for (int l : s.links) {
        const Link& k = at(links, l);
        if (t >= k.t0) m += k.level_change + k.slope_change * (t - k.t0);
    }
    return m;
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

double round_to(double v, int decimals)
{
    const double f = decimals == 0 ? 1.0 : decimals == 1 ? 10.0 : 100.0;
    const double r = std::round(v * f) / f;
    return r == 0 ? 0.0 : r;  // no "-0"
}

// A series' value as written: rounded and inside the measure's valid range.
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

Plan make_plan(const GeneratorOptions& opt)
{
    check_range("states", opt.states, 1, 1000);
    check_range("first-year", opt.first_year, 1900, 2200);
    check_range("years", opt.years, 2, 100);
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

// ---------------------------------------------------------------------------
// Simulation of one series: values (NaN where not reported).

bool in_gap(const Plan& p, const State& s, Frequency f, int t)
{
    if (s.gap_from < 0) return false;
    const Date d = p.first_period(f).plus(t).first_day();
    const int month = (d.year - p.opt.first_year) * 12 + d.month - 1;
    return month >= s.gap_from && month < s.gap_to;
}

// The model's values before rounding: mean + AR(1) noise started from its
// stationary distribution. Every period draws its noise, reported or not.
void simulate_raw(const Plan& p, int ind, int st, std::vector<double>& out)
{
    const Series& s = p.series[p.key(ind, st)];
    const int n = p.periods(p.frequency(ind));
    Rng rng(stream_seed(p.opt.seed, 3, ind, st));
    const double innovation = s.sd * std::sqrt(1 - s.phi * s.phi);
    out.resize(static_cast<std::size_t>(n));
    double u = rng.normal() * s.sd;
    for (int t = 0; t < n; ++t) {
        if (t > 0) u = s.phi * u + rng.normal() * innovation;
        at(out, t) = mean_at(s, p.links, t) + u;
    }
}

struct Scratch {
    std::vector<double> a;
    std::vector<double> b;
};

void simulate(const Plan& p, int ind, int st, std::vector<double>& out, Scratch& scratch)
{
    const Indicator& ii = at(p.indicators, ind);
    const auto& t = p.tpl(ind);
    const int n = p.periods(ii.frequency);
    if (ii.share >= 0) {
        // A composite: the share is modelled; the numerator is the share of
        // the (modelled) denominator, and the share written is their ratio,
        // so that numerator / denominator reproduces it.
        const Indicator& share = at(p.indicators, ii.share);
        simulate_raw(p, share.denominator, st, scratch.a);
        simulate_raw(p, ii.share, st, scratch.b);
        out.resize(static_cast<std::size_t>(n));
        for (int k = 0; k < n; ++k) {
            const double den = std::max(1.0, round_to(at(scratch.a, k), 0));
            const double num = std::clamp(round_to(den * at(scratch.b, k) / 100, 0), 0.0, den);
            at(out, k) = ind == share.denominator ? den
                         : ind == share.numerator ? num
                                                  : round_to(100 * num / den, 2);
        }
    } else {
        simulate_raw(p, ind, st, out);
        for (auto& v : out) v = valid_value(t.measure, v);
    }
    // Missing periods: shared by the members of a composite (a state reports
    // the three together), plus the state's reporting gap.
    const int group = ii.share >= 0 ? ii.share : ind;
    const double missing = p.series[p.key(group, st)].missing;
    Rng rng(stream_seed(p.opt.seed, 4, group, st));
    const State& s = at(p.states, st);
    for (int k = 0; k < n; ++k) {
        const bool drop = rng.chance(missing);
        if (drop || in_gap(p, s, ii.frequency, k)) at(out, k) = std::numeric_limits<double>::quiet_NaN();
    }
}

// ---------------------------------------------------------------------------
// Writing.

// A CSV file written through a large buffer: RFC 4180 quoting, LF line ends.
class CsvOut {
public:
    CsvOut(const std::filesystem::path& path, std::initializer_list<std::string_view> header) : m_path(path)
    {
        m_file.open(path, std::ios::binary | std::ios::trunc);
        if (!m_file) throw Error(ErrorCode::internal, "generate: cannot write " + path.string());
        for (auto h : header) field(h);
        end_row();
        m_rows = 0;
    }
    CsvOut& field(std::string_view v)
    {
        separator();
        if (v.find_first_of(",\"\r\n") == std::string_view::npos) {
            m_buf.append(v);
        } else {
            m_buf += '"';
            for (char c : v) {
                if (c == '"') m_buf += '"';
                m_buf += c;
            }
            m_buf += '"';
        }
        return *this;
    }
    CsvOut& num(double v)
    {
        separator();
        if (v == 0) v = 0;
        std::array<char, 64> buf{};
        const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed);
        m_buf.append(buf.data(), r.ptr);
        return *this;
    }
    CsvOut& empty()
    {
        separator();
        return *this;
    }
    void end_row()
    {
        m_buf += '\n';
        m_first = true;
        ++m_rows;
        if (m_buf.size() >= (1U << 20)) flush();
    }
    GeneratedFile close()
    {
        flush();
        m_file.close();
        if (!m_file) throw Error(ErrorCode::internal, "generate: cannot write " + m_path.string());
        return {m_path, m_rows};
    }

private:
    void separator()
    {
        if (!m_first) m_buf += ',';
        m_first = false;
    }
    void flush()
    {
        m_file.write(m_buf.data(), static_cast<std::streamsize>(m_buf.size()));
        if (!m_file) throw Error(ErrorCode::internal, "generate: cannot write " + m_path.string());
        m_buf.clear();
    }

    std::filesystem::path m_path;
    std::ofstream m_file;
    std::string m_buf;
    bool m_first = true;
    std::size_t m_rows = 0;
};

GeneratedFile write_states(const Plan& p, const std::filesystem::path& dir)
{
    CsvOut out(dir / "states.csv", {"iso3", "name", "region"});
    for (const auto& s : p.states) {
        out.field(s.iso3).field(s.name).field(s.region);
        out.end_row();
    }
    return out.close();
}

GeneratedFile write_providers(const std::filesystem::path& dir)
{
    CsvOut out(dir / "providers.csv", {"code", "name", "kind"});
    for (const auto& pr : provider_list) {
        out.field(pr.code).field(pr.name).field(pr.kind);
        out.end_row();
    }
    return out.close();
}

GeneratedFile write_projects(const Plan& p, const std::filesystem::path& dir)
{
    CsvOut out(dir / "projects.csv", {"code", "title", "provider", "area", "start", "end", "recipients"});
    for (const auto& pr : p.projects) {
        std::string recipients;
        for (int s : pr.recipients) {
            if (!recipients.empty()) recipients += ';';
            recipients += at(p.states, s).iso3;
        }
        out.field(pr.code).field(pr.title).field(provider_list[static_cast<std::size_t>(pr.provider)].code);
        out.field(areas[static_cast<std::size_t>(pr.area)]).field(pr.start.to_string()).field(pr.end.to_string());
        out.field(recipients);
        out.end_row();
    }
    return out.close();
}

GeneratedFile write_interventions(const Plan& p, const std::filesystem::path& dir)
{
    CsvOut out(dir / "interventions.csv",
               {"code", "project", "kind", "title", "state", "start", "end", "cost", "participants"});
    for (const auto& iv : p.interventions) {
        out.field(iv.code).field(at(p.projects, iv.project).code);
        out.field(kinds[static_cast<std::size_t>(iv.kind)].code).field(iv.title);
        out.field(at(p.states, iv.state).iso3).field(iv.start.to_string());
        if (iv.end) out.field(iv.end->to_string());
        else out.empty();
        out.num(iv.cost);
        if (iv.participants > 0) out.num(iv.participants);
        else out.empty();
        out.end_row();
    }
    return out.close();
}

GeneratedFile write_indicators(const Plan& p, const std::filesystem::path& dir)
{
    CsvOut out(dir / "indicators.csv",
               {"code", "name", "level", "measure", "direction", "unit", "frequency", "area", "instrument",
                "article", "numerator", "denominator", "project"});
    for (int i = 0; i < p.opt.indicators; ++i) {
        const auto& ii = at(p.indicators, i);
        const auto& t = p.tpl(i);
        out.field(ii.code).field(ii.name).field(t.level).field(to_string(t.measure)).field(t.up ? "up" : "down");
        out.field(t.unit).field(indicators::to_string(ii.frequency)).field(t.area).field(t.instrument);
        out.field(t.article);
        if (ii.numerator >= 0) out.field(at(p.indicators, ii.numerator).code).field(at(p.indicators, ii.denominator).code);
        else out.empty().empty();
        out.empty();
        out.end_row();
    }
    return out.close();
}

// Mean and noise SD of a series as written, for baselines and targets;
// a numerator is the share of its denominator.
double written_mean(const Plan& p, int ind, int st, int t)
{
    const Indicator& ii = at(p.indicators, ind);
    if (ii.share >= 0 && ind == at(p.indicators, ii.share).numerator) {
        const Indicator& share = at(p.indicators, ii.share);
        return mean_at(p.series[p.key(share.denominator, st)], p.links, t) *
               mean_at(p.series[p.key(ii.share, st)], p.links, t) / 100;
    }
    return mean_at(p.series[p.key(ind, st)], p.links, t);
}

double written_sd(const Plan& p, int ind, int st)
{
    const Indicator& ii = at(p.indicators, ind);
    if (ii.share >= 0 && ind == at(p.indicators, ii.share).numerator) {
        const Indicator& share = at(p.indicators, ii.share);
        return std::max(1.0, p.series[p.key(share.denominator, st)].level * p.series[p.key(ii.share, st)].sd / 100);
    }
    return p.series[p.key(ind, st)].sd;
}

GeneratedFile write_targets(const Plan& p, const std::filesystem::path& dir)
{
    CsvOut out(dir / "targets.csv", {"indicator", "state", "kind", "date", "value"});
    const int last_year = p.opt.first_year + p.opt.years - 1;
    for (int ind = 0; ind < p.opt.indicators; ++ind) {
        const auto& t = p.tpl(ind);
        const Frequency f = p.frequency(ind);
        const int dir_sign = sign_of(t);
        for (int st = 0; st < p.opt.states; ++st) {
            Rng rng(stream_seed(p.opt.seed, 5, ind, st));
            const bool fed = !p.series[p.key(ind, st)].links.empty();
            const double sd = written_sd(p, ind, st);
            const Date base_date{p.opt.first_year, 12, 31};
            const int tb = p.period_of(f, base_date);
            const double baseline = valid_value(t.measure, written_mean(p, ind, st, tb) + rng.normal() * sd / 2);
            const auto& iso3 = at(p.states, st).iso3;
            out.field(at(p.indicators, ind).code).field(iso3).field("baseline").field(base_date.to_string());
            out.num(baseline);
            out.end_row();
            std::vector<Date> dates;
            if (p.opt.years >= 4 && rng.chance(0.5)) dates.push_back(Date{p.opt.first_year + p.opt.years / 2, 12, 31});
            dates.push_back(Date{rng.chance(0.6) ? last_year : last_year + 1, 12, 31});
            for (const Date& d : dates) {
                // Targets a fed series can reach, and a mix for the others.
                const double change = written_mean(p, ind, st, p.period_of(f, d)) - written_mean(p, ind, st, tb);
                double target = 0;
                if (dir_sign * change > 0) target = baseline + (fed ? rng.uniform(0.5, 0.9) : rng.uniform(0.6, 1.6)) * change;
                else target = baseline + dir_sign * rng.uniform(0.5, 2.0) * sd;
                out.field(at(p.indicators, ind).code).field(iso3).field("target").field(d.to_string());
                out.num(valid_value(t.measure, target));
                out.end_row();
            }
        }
    }
    return out.close();
}

GeneratedFile write_observations(Plan& p, const std::filesystem::path& dir)
{
    CsvOut out(dir / "observations.csv", {"indicator", "state", "period", "value", "source"});
    std::vector<double> values;
    Scratch scratch;
    for (int ind = 0; ind < p.opt.indicators; ++ind) {
        const Indicator& ii = at(p.indicators, ind);
        const auto& labels = p.period_labels[static_cast<std::size_t>(ii.frequency)];
        for (int st = 0; st < p.opt.states; ++st) {
            simulate(p, ind, st, values, scratch);
            Series& s = p.series[p.key(ind, st)];
            const auto& iso3 = at(p.states, st).iso3;
            const int group = ii.share >= 0 ? ii.share : ind;
            const std::string& source = p.series[p.key(group, st)].source;
            for (std::size_t k = 0; k < values.size(); ++k) {
                if (std::isnan(values[k])) continue;
                out.field(ii.code).field(iso3).field(labels[k]).num(values[k]).field(source);
                out.end_row();
                ++s.n_observed;
                for (int l : s.links) {
                    Link& link = at(p.links, l);
                    (static_cast<int>(k) < link.t0 ? link.n_pre_observed : link.n_post_observed) += 1;
                }
            }
        }
    }
    return out.close();
}

GeneratedFile write_links(const Plan& p, const std::filesystem::path& dir)
{
    CsvOut out(dir / "links.csv", {"from", "to", "weight", "rationale"});
    for (const auto& l : p.links) {
        const auto& iv = at(p.interventions, l.intervention);
        out.field(iv.code).field(at(p.indicators, l.indicator).code + "@" + at(p.states, l.state).iso3);
        out.num(l.weight).field(kinds[static_cast<std::size_t>(iv.kind)].rationale);
        out.end_row();
    }
    for (const auto& [a, b] : p.prerequisites) {
        out.field(at(p.interventions, a).code).field(at(p.interventions, b).code).num(1.0);
        out.field("trainers trained here delivered the later activity");
        out.end_row();
    }
    return out.close();
}

GeneratedFile write_truth(const Plan& p, const std::filesystem::path& dir)
{
    using nlohmann::ordered_json;
    ordered_json j;
    j["generator"] = "taeval generate";
    j["format_version"] = 1;
    ordered_json params;
    params["seed"] = p.opt.seed;
    params["states"] = p.opt.states;
    params["first_year"] = p.opt.first_year;
    params["years"] = p.opt.years;
    params["indicators"] = p.opt.indicators;
    params["projects"] = p.opt.projects;
    params["interventions"] = p.opt.interventions;
    params["frequency"] = p.opt.frequency ? std::string(indicators::to_string(*p.opt.frequency)) : "mixed";
    j["parameters"] = params;
    j["model"] = {
        {"mean", "level + trend * t + sum over links of effect(t); t = 0 at the first period observed, counted in "
                 "periods of the indicator's frequency"},
        {"effect", "level_change * [t >= start] + slope_change * (t - start) * [t >= start], in indicator units "
                   "(per period for the slope); start is the period containing the intervention's start date"},
        {"noise", "AR(1): u[t] = phi * u[t-1] + e[t], e ~ N(0, innovation_sd^2), u[0] ~ N(0, noise_sd^2); "
                  "noise_sd is the marginal SD"},
        {"values", "counts and days rounded to integers (counts >= 0, days >= 1); percents to 2 decimals, "
                   "scores to 1 decimal, both within 0..100; a composite share is written as 100 * numerator / "
                   "denominator, numerator = round(denominator * modelled share / 100)"},
        {"missing", "each period is missing with the series' missing_share, and all of a state's periods that "
                    "start inside its reporting gap"},
        {"targets", "baseline at the end of the first year; targets a fed series can reach by its planted "
                    "effects, and a mix of reachable and unreachable ones elsewhere"},
    };
    ordered_json kinds_json = ordered_json::object();
    ordered_json nulls = ordered_json::array();
    for (const auto& k : kinds) {
        const bool null = k.level_hi == 0 && k.slope_hi == 0;
        if (null) nulls.push_back(k.code);
        kinds_json[k.code] = {{"null", null},
                              {"level_change_in_sd", {k.level_lo, k.level_hi}},
                              {"slope_change_in_sd_per_year", {k.slope_lo, k.slope_hi}}};
    }
    j["null_kinds"] = nulls;
    j["kinds"] = kinds_json;
    ordered_json controls = ordered_json::array();
    ordered_json gaps = ordered_json::array();
    for (const auto& s : p.states) {
        if (s.control) controls.push_back(s.iso3);
        if (s.gap_from >= 0)
            gaps.push_back({{"state", s.iso3},
                            {"from", p.month_date(s.gap_from, 1).to_string()},
                            {"to", p.month_date(s.gap_to, 1).to_string()}});
    }
    j["control_states"] = controls;
    j["reporting_gaps"] = gaps;

    ordered_json links = ordered_json::array();
    for (std::size_t li = 0; li < p.links.size(); ++li) {
        const Link& l = p.links[li];
        const auto& iv = at(p.interventions, l.intervention);
        const auto& pr = at(p.projects, iv.project);
        const Series& s = p.series[p.key(l.indicator, l.state)];
        const Frequency f = p.frequency(l.indicator);
        const int n = p.periods(f);
        const int n_post = n - l.t0;
        const double avg = l.level_change + l.slope_change * (n_post - 1) / 2.0;
        ordered_json others = ordered_json::array();
        for (int o : s.links)
            if (static_cast<std::size_t>(o) != li) others.push_back(at(p.interventions, at(p.links, o).intervention).code);
        links.push_back({
            {"intervention", iv.code},
            {"kind", kinds[static_cast<std::size_t>(iv.kind)].code},
            {"project", pr.code},
            {"provider", provider_list[static_cast<std::size_t>(pr.provider)].code},
            {"indicator", at(p.indicators, l.indicator).code},
            {"state", at(p.states, l.state).iso3},
            {"frequency", std::string(indicators::to_string(f))},
            {"start_period", p.period_labels[static_cast<std::size_t>(f)][static_cast<std::size_t>(l.t0)]},
            {"level_change", l.level_change},
            {"slope_change", l.slope_change},
            {"noise_sd", s.sd},
            {"innovation_sd", s.sd * std::sqrt(1 - s.phi * s.phi)},
            {"phi", s.phi},
            {"n_pre", l.t0},
            {"n_post", n_post},
            {"n_pre_observed", l.n_pre_observed},
            {"n_post_observed", l.n_post_observed},
            {"short", l.t0 < 8 || n_post < 8},
            {"short_by_design", iv.short_by_design},
            {"average_post_effect", avg},
            {"average_post_effect_in_sd", avg / s.sd},
            {"other_interventions_on_series", others},
        });
    }
    j["links"] = links;
    ordered_json prereq = ordered_json::array();
    for (const auto& [a, b] : p.prerequisites)
        prereq.push_back({{"from", at(p.interventions, a).code}, {"to", at(p.interventions, b).code}});
    j["prerequisites"] = prereq;

    ordered_json series = ordered_json::array();
    for (int ind = 0; ind < p.opt.indicators; ++ind) {
        const Indicator& ii = at(p.indicators, ind);
        const Frequency f = ii.frequency;
        const auto& labels = p.period_labels[static_cast<std::size_t>(f)];
        for (int st = 0; st < p.opt.states; ++st) {
            const Series& s = p.series[p.key(ind, st)];
            ordered_json fed = ordered_json::array();
            for (int l : s.links) fed.push_back(at(p.interventions, at(p.links, l).intervention).code);
            ordered_json e = {{"indicator", ii.code},
                              {"state", at(p.states, st).iso3},
                              {"frequency", std::string(indicators::to_string(f))},
                              {"first_period", labels.front()},
                              {"last_period", labels.back()}};
            if (ii.share >= 0 && ind != ii.share && ind == at(p.indicators, ii.share).numerator) {
                e["derived"] = fmt::format("round({} * {} / 100)", at(p.indicators, at(p.indicators, ii.share).denominator).code,
                                           at(p.indicators, ii.share).code);
            } else {
                e["level"] = s.level;
                e["trend"] = s.trend;
                e["phi"] = s.phi;
                e["noise_sd"] = s.sd;
                e["innovation_sd"] = s.sd * std::sqrt(1 - s.phi * s.phi);
            }
            const int group = ii.share >= 0 ? ii.share : ind;
            e["missing_share"] = p.series[p.key(group, st)].missing;
            e["n_observed"] = s.n_observed;
            e["fed_by"] = fed;
            series.push_back(std::move(e));
        }
    }
    j["series"] = series;

    const auto path = dir / "truth.json";
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << j.dump(1) << '\n';
    out.close();
    if (!out) throw Error(ErrorCode::internal, "generate: cannot write " + path.string());
    return {path, p.links.size()};
}

}  // namespace

std::vector<std::string> null_intervention_kinds()
{
    std::vector<std::string> out;
    for (const auto& k : kinds)
        if (k.level_hi == 0 && k.slope_hi == 0) out.emplace_back(k.code);
    return out;
}

GeneratedPortfolio generate_portfolio(const GeneratorOptions& options, const std::filesystem::path& out_dir)
{
    Plan plan = make_plan(options);
    std::error_code ec;
    std::filesystem::create_directories(out_dir, ec);
    if (ec) throw Error(ErrorCode::internal, "generate: cannot create " + out_dir.string() + ": " + ec.message());

    GeneratedPortfolio r;
    r.files.push_back(write_states(plan, out_dir));
    r.files.push_back(write_providers(out_dir));
    r.files.push_back(write_projects(plan, out_dir));
    r.files.push_back(write_interventions(plan, out_dir));
    r.files.push_back(write_indicators(plan, out_dir));
    r.files.push_back(write_targets(plan, out_dir));
    r.files.push_back(write_observations(plan, out_dir));
    r.files.push_back(write_links(plan, out_dir));
    r.files.push_back(write_truth(plan, out_dir));
    r.states = r.files[0].rows;
    r.providers = r.files[1].rows;
    r.projects = r.files[2].rows;
    r.interventions = r.files[3].rows;
    r.indicators = r.files[4].rows;
    r.targets = r.files[5].rows;
    r.observations = r.files[6].rows;
    r.links = r.files[7].rows;
    r.planted_links = plan.links.size();
    return r;
}

}  // namespace taeval::engine
