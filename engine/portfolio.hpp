#pragma once
// The records of a portfolio bundle, as stored and as listed.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "indicators/indicator.hpp"

namespace taeval::engine {

/// Where a stored row came from: its import batch and source line.
struct Provenance {
    std::int64_t batch = 0;
    std::int64_t line = 0;
};

struct State {
    std::string iso3;
    std::string name;
    std::string region;
};

struct Provider {
    std::string code;
    std::string name;
    std::string kind;  ///< donor, agency, ngo, government
};

struct Project {
    std::string code;
    std::string title;
    std::string provider;
    std::string area;
    std::string start;  ///< ISO date
    std::string end;    ///< ISO date
    std::vector<std::string> recipients;  ///< ISO3 codes
};

struct Intervention {
    std::string code;
    std::string project;
    std::string kind;
    std::string title;
    std::string state;  ///< ISO3, or empty for a regional activity
    std::string start;
    std::string end;    ///< empty when open or a single day
    std::optional<double> cost;          ///< USD
    std::optional<std::int64_t> participants;
};

struct Target {
    std::string indicator;
    std::string state;  ///< empty: applies to every state (or, with `rollup`, to the roll-up)
    /// Empty for a state's row (or all states'); else the roll-up it is for:
    /// `region:NAME`, `area:CODE` or `all` (docs/scoring.md). Part of the key.
    std::string rollup;
    std::string kind;   ///< baseline or target
    std::string date;
    double value = 0;
};

struct Observation {
    std::string indicator;
    std::string state;
    std::string period;
    double value = 0;
    std::string source;
    /// Empty for a total; else `key=value` pairs joined by ';', keys sorted
    /// (`age_group=18-24;sex=female`).
    std::string breakdown;
};

/// A declared link: an intervention feeds another intervention or an
/// improvement (an indicator in a state).
struct Link {
    std::string from;
    std::string to_intervention;  ///< set for intervention → intervention
    std::string to_indicator;     ///< set with to_state for intervention → improvement
    std::string to_state;
    double weight = 1;
    std::string rationale;
};

/// The record of one imported file.
struct ImportBatch {
    std::int64_t id = 0;
    std::string file;    ///< the bundle file name (states.csv, ...)
    std::string path;    ///< the path it was read from
    std::string sha256;
    std::int64_t rows = 0;
    std::string imported_at;  ///< ISO 8601 UTC
};

}  // namespace taeval::engine
