// The CSV files of a generated bundle.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "datasets/synthetic/csv_out.hpp"
#include "datasets/synthetic/random.hpp"
#include "datasets/synthetic/simulate.hpp"
#include "datasets/synthetic/write_files.hpp"

namespace taeval::synthetic::detail {

namespace {

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

}  // namespace

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

GeneratedFile write_targets(const Plan& p, const std::filesystem::path& dir)
{
    CsvOut out(dir / "targets.csv", {"indicator", "state", "kind", "date", "value", "rollup"});
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
            out.num(baseline).empty();
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
                out.num(valid_value(t.measure, target)).empty();
                out.end_row();
            }
        }
    }
    // Each region's baseline and target for the counts (their roll-ups are
    // sums: `taeval score --rollup region`): the sum of the region's
    // expected values at the baseline, and a target due at the end of the
    // last year, a share of the change expected by then (else a rise of a
    // noise SD or two).
    const Date base_date{p.opt.first_year, 12, 31};
    const Date due{last_year, 12, 31};
    for (int ind = 0; ind < p.opt.indicators; ++ind) {
        const auto& t = p.tpl(ind);
        if (t.measure != Measure::count) continue;
        const Frequency f = p.frequency(ind);
        const int tb = p.period_of(f, base_date);
        const int td = p.period_of(f, due);
        for (std::size_t r = 0; r < regions.size(); ++r) {
            double base = 0, then = 0, variance = 0;
            int members = 0;
            for (int st = 0; st < p.opt.states; ++st) {
                if (at(p.states, st).region != regions[r]) continue;
                base += written_mean(p, ind, st, tb);
                then += written_mean(p, ind, st, td);
                variance += std::pow(written_sd(p, ind, st), 2);
                ++members;
            }
            if (members == 0) continue;
            Rng rng(stream_seed(p.opt.seed, 6, ind, static_cast<int>(r)));
            const double change = then - base;
            const double target = sign_of(t) * change > 0 ? base + rng.uniform(0.6, 1.2) * change
                                                          : base + sign_of(t) * rng.uniform(1.0, 2.0) * std::sqrt(variance);
            const std::string rollup = std::string("region:") + regions[r];
            out.field(at(p.indicators, ind).code).empty().field("baseline").field(base_date.to_string());
            out.num(valid_value(t.measure, base)).field(rollup);
            out.end_row();
            out.field(at(p.indicators, ind).code).empty().field("target").field(due.to_string());
            out.num(valid_value(t.measure, target)).field(rollup);
            out.end_row();
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

}  // namespace taeval::synthetic::detail
