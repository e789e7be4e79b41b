#pragma once
// The estimator study: runs estimate_link_effects on every planted
// intervention -> indicator@state link of a generated portfolio bundle
// (observations.csv, indicators.csv, truth.json) and measures coverage of the
// level change, false flags of the null links and power on the large
// effects. Shared by tests/engine/evaluation/link_estimator_test.cpp and
// bench/estimator_study_bench.cpp.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/study_bundle.hpp"
#include "datasets/synthetic/generator.hpp"
#include "engine/evaluation/link_estimator.hpp"
#include "engine/io/csv_reader.hpp"
#include "indicators/period.hpp"
#include "models/fdr.hpp"

#ifndef TAEVAL_SOURCE_DIR
#define TAEVAL_SOURCE_DIR "."
#endif

namespace taeval::test {

/// One planted link with its truth and its estimate.
struct StudyLink {
    std::string intervention;
    std::string kind;
    std::string series;  ///< indicator@state
    bool null = false;
    double level_change = 0;
    double slope_change = 0;
    double average_in_sd = 0;
    bool two_breaks = false;  ///< the series carries another planted intervention
    engine::LinkEffect effect;
    bool enough = false;  ///< n_pre >= min_pre, n_post >= min_post and an estimate
};

/// The three figures of the requirement.
struct StudyFigures {
    std::size_t links = 0;      ///< links with enough data
    std::size_t covered = 0;    ///< level-change interval covers the planted value
    std::size_t nulls = 0;      ///< links of null kinds
    std::size_t null_flagged = 0;
    std::size_t large = 0;      ///< |planted average effect| > 3 noise SD
    std::size_t large_flagged = 0;
    double coverage = 0, null_rate = 0, power = 0;
    double seconds = 0;
};

inline std::filesystem::path demo_bundle()
{
    const std::filesystem::path committed = std::filesystem::path(TAEVAL_SOURCE_DIR) / "datasets" / "demo";
    if (std::filesystem::exists(committed / "truth.json") && std::filesystem::exists(committed / "observations.csv"))
        return committed;
    return {};
}

/// The demo portfolio: the committed one when present, else generated with
/// the default seed (the same files).
inline std::filesystem::path demo_or_generated()
{
    auto d = demo_bundle();
    return d.empty() ? generated_bundle(synthetic::GeneratorOptions{}.seed) : d;
}

/// Estimates every planted link of the bundle in `dir`.
/// `seasons` false fits every series without seasonal terms (the generator
/// plants none).
inline std::vector<StudyLink> run_study(const std::filesystem::path& dir, const engine::EstimatorOptions& opt,
                                        bool seasons = true)
{
    using nlohmann::json;
    std::ifstream tin(dir / "truth.json");
    const json truth = json::parse(tin);

    std::map<std::string, indicators::Direction> direction;
    std::map<std::string, indicators::Frequency> frequency;
    {
        engine::CsvReader r(dir / "indicators.csv");
        const auto c_code = *r.column("code"), c_dir = *r.column("direction"), c_freq = *r.column("frequency");
        engine::CsvRecord rec;
        while (r.next(rec)) {
            direction[rec.fields[c_code]] = *indicators::parse_direction(rec.fields[c_dir]);
            frequency[rec.fields[c_code]] = *indicators::parse_frequency(rec.fields[c_freq]);
        }
    }
    // Grids of the fed series.
    struct Grid {
        indicators::Period first;
        Eigen::VectorXd y;
        std::vector<std::size_t> links;  // indices into out, by start
    };
    std::map<std::string, Grid> grids;
    std::vector<StudyLink> out;
    std::vector<std::size_t> starts;
    const auto null_kinds = truth["null_kinds"].get<std::vector<std::string>>();
    for (const auto& s : truth["series"]) {
        if (s["fed_by"].empty()) continue;
        Grid g;
        g.first = *indicators::Period::parse(s["first_period"].get<std::string>());
        const auto last = *indicators::Period::parse(s["last_period"].get<std::string>());
        g.y = Eigen::VectorXd::Constant(last.minus(g.first) + 1, std::numeric_limits<double>::quiet_NaN());
        grids[s["indicator"].get<std::string>() + "@" + s["state"].get<std::string>()] = std::move(g);
    }
    for (const auto& l : truth["links"]) {
        StudyLink s;
        s.intervention = l["intervention"].get<std::string>();
        s.kind = l["kind"].get<std::string>();
        s.series = l["indicator"].get<std::string>() + "@" + l["state"].get<std::string>();
        s.null = std::find(null_kinds.begin(), null_kinds.end(), s.kind) != null_kinds.end();
        s.level_change = l["level_change"].get<double>();
        s.slope_change = l["slope_change"].get<double>();
        s.average_in_sd = l["average_post_effect_in_sd"].get<double>();
        s.two_breaks = !l["other_interventions_on_series"].empty();
        auto& g = grids.at(s.series);
        starts.push_back(static_cast<std::size_t>(
            indicators::Period::parse(l["start_period"].get<std::string>())->minus(g.first)));
        g.links.push_back(out.size());
        out.push_back(std::move(s));
    }
    {
        engine::CsvReader r(dir / "observations.csv");
        const auto c_ind = *r.column("indicator"), c_st = *r.column("state"), c_per = *r.column("period"),
                   c_val = *r.column("value");
        engine::CsvRecord rec;
        while (r.next(rec)) {
            const auto it = grids.find(rec.fields[c_ind] + "@" + rec.fields[c_st]);
            if (it == grids.end()) continue;
            const auto t = indicators::Period::parse(rec.fields[c_per])->minus(it->second.first);
            it->second.y[t] = std::stod(rec.fields[c_val]);
        }
    }
    for (auto& [key, g] : grids) {
        if (g.links.empty()) continue;
        std::sort(g.links.begin(), g.links.end(), [&](std::size_t a, std::size_t b) { return starts[a] < starts[b]; });
        engine::SeriesForEstimation s;
        s.y = g.y;
        const std::string ind = key.substr(0, key.find('@'));
        const auto f = frequency.at(ind);
        s.season_period = !seasons                          ? 0
                          : f == indicators::Frequency::month   ? 12
                          : f == indicators::Frequency::quarter ? 4
                                                                : 0;
        s.direction = direction.at(ind);
        for (const auto l : g.links) s.breaks.push_back(starts[l]);
        const auto effects = engine::estimate_link_effects(s, opt);
        for (std::size_t i = 0; i < g.links.size(); ++i) {
            auto& sl = out[g.links[i]];
            sl.effect = effects[i];
            sl.enough = sl.effect.n_pre >= opt.min_pre && sl.effect.n_post >= opt.min_post &&
                        std::isfinite(sl.effect.level_change.se) && std::isfinite(sl.effect.level_change.p) &&
                        sl.effect.detection && std::isfinite(sl.effect.detection->p);
        }
    }
    return out;
}

/// The three figures from the counts (NaN where a count is zero).
inline void set_ratios(StudyFigures& f)
{
    const auto ratio = [](std::size_t a, std::size_t b) {
        return b > 0 ? static_cast<double>(a) / static_cast<double>(b) : std::numeric_limits<double>::quiet_NaN();
    };
    f.coverage = ratio(f.covered, f.links);
    f.null_rate = ratio(f.null_flagged, f.nulls);
    f.power = ratio(f.large_flagged, f.large);
}

/// Which test flags a link: the detection test (joint level and slope
/// change, what the evidence grade reads) or the level change alone (the
/// rule before it, for comparison).
enum class StudyTest { detection, level };

/// The p-value a link is flagged by under `test`.
inline double study_p(const engine::LinkEffect& e, StudyTest test)
{
    if (test == StudyTest::level) return e.level_change.p;
    return e.detection ? e.detection->p : std::numeric_limits<double>::quiet_NaN();
}

/// Fills q-values (over the p-values of `test` of the links with enough
/// data, by `fdr` as the pipeline does) and counts the three figures.
inline StudyFigures study_figures(std::vector<StudyLink>& links, double alpha = 0.05,
                                  models::FdrMethod fdr = models::FdrMethod::bky,
                                  StudyTest test = StudyTest::detection)
{
    std::vector<double> p;
    std::vector<std::size_t> idx;
    for (std::size_t i = 0; i < links.size(); ++i)
        if (links[i].enough) {
            p.push_back(study_p(links[i].effect, test));
            idx.push_back(i);
        }
    const auto q = models::fdr_control(p, alpha, fdr).q;
    StudyFigures f;
    for (std::size_t j = 0; j < idx.size(); ++j) {
        auto& l = links[idx[j]];
        if (test == StudyTest::level) l.effect.level_change.q = q[j];
        else l.effect.detection->q = q[j];
        const auto& lc = l.effect.level_change;
        ++f.links;
        if (lc.ci_low <= l.level_change && l.level_change <= lc.ci_high) ++f.covered;
        const bool flagged = q[j] < alpha;
        if (l.null) {
            ++f.nulls;
            if (flagged) ++f.null_flagged;
        }
        if (std::abs(l.average_in_sd) > 3) {
            ++f.large;
            if (flagged) ++f.large_flagged;
        }
    }
    set_ratios(f);
    return f;
}

/// Adds the counts of `f` to `total` (seconds too) and recomputes its three
/// figures: the study pooled over several portfolios.
inline void pool(StudyFigures& total, const StudyFigures& f)
{
    total.links += f.links;
    total.covered += f.covered;
    total.nulls += f.nulls;
    total.null_flagged += f.null_flagged;
    total.large += f.large;
    total.large_flagged += f.large_flagged;
    total.seconds += f.seconds;
    set_ratios(total);
}

/// run_study + study_figures, timed.
inline StudyFigures measure(const std::filesystem::path& dir, const engine::EstimatorOptions& opt,
                            std::vector<StudyLink>* keep = nullptr, models::FdrMethod fdr = models::FdrMethod::bky,
                            StudyTest test = StudyTest::detection)
{
    const auto t0 = std::chrono::steady_clock::now();
    auto links = run_study(dir, opt);
    auto f = study_figures(links, opt.alpha, fdr, test);
    f.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (keep) *keep = std::move(links);
    return f;
}

}  // namespace taeval::test
