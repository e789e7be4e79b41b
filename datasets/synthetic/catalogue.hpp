#pragma once
// The generator's fixed content (private to datasets/synthetic): states,
// providers, indicator templates, areas, kinds of intervention and the
// effects planted for each kind.
#include <array>
#include <string_view>

#include "indicators/period.hpp"

namespace taeval::synthetic::detail {

using indicators::Frequency;


struct StateSeed {
    const char* iso3;
    const char* name;
    const char* region;
};

inline constexpr const char* africa = "Africa";
inline constexpr const char* americas = "Americas";
inline constexpr const char* asia = "Asia-Pacific";
inline constexpr const char* east = "Eastern Europe";
inline constexpr const char* west = "Western Europe and others";
inline constexpr std::array<const char*, 5> regions{africa, americas, asia, east, west};

// Interleaved by region so that any prefix spans the regions.
inline constexpr std::array<StateSeed, 43> state_list{{
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

inline constexpr std::array<ProviderSeed, 5> provider_list{{
    {"ALDF", "Alder Justice Fund", "donor"},
    {"NMDC", "Northmere Development Cooperation", "donor"},
    {"ILCA", "International Legal Cooperation Agency", "agency"},
    {"JWBI", "Justice Without Borders Initiative", "ngo"},
    {"MJRP", "Ministry of Justice of Rivaland, International Programme", "government"},
}};

enum class Measure { count, percent, days, score };
enum class Role { plain, share, numerator, denominator };

inline std::string_view to_string(Measure m)
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

inline constexpr int template_count = 12;
// Order matters: a share comes after its numerator (offset -1) and denominator (offset -2).
inline constexpr std::array<IndicatorTemplate, template_count> indicator_templates{{
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

inline constexpr std::array<const char*, 7> areas{"criminalization",    "international_cooperation",
                                           "central_authorities", "victims",
                                           "witness_protection",  "regional_cooperation",
                                           "firearms"};

inline constexpr std::array<const char*, 7> project_titles{
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

inline constexpr int kind_count = 7;
inline constexpr int regional_workshop = 3;
inline constexpr int training_of_trainers = 6;
inline constexpr std::array<KindSpec, kind_count> kinds{{
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
inline constexpr std::array<AreaKinds, 7> area_kinds{{
    {{2, 1, 3, -1}, {4, 3, 2, 0}},   // criminalization
    {{1, 0, 3, 6}, {4, 2, 3, 1}},    // international_cooperation
    {{0, 1, 6, 3}, {4, 3, 1, 2}},    // central_authorities
    {{5, 1, 3, -1}, {4, 2, 2, 0}},   // victims
    {{1, 2, 5, 3}, {3, 2, 1, 2}},    // witness_protection
    {{3, 1, 6, 0}, {4, 3, 1, 1}},    // regional_cooperation
    {{4, 2, 3, -1}, {4, 2, 2, 0}},   // firearms
}};

}  // namespace taeval::synthetic::detail
