// The estimator study behind docs/evaluation.md: for each estimator (with the
// FDR procedure of its q-values) and each generated portfolio, the coverage
// of the level change's 95% interval, the share of null links flagged
// (q < 0.05 of the detection test, or of the level change alone for
// comparison) and the power on links whose planted average effect exceeds 3
// noise SDs. A driver with its own main (no timing loop):
//   estimator_study_bench [--misses] [seed ...]
// default seeds: the demo seed and two others. --misses lists the large
// effects the chosen estimator does not flag.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench/estimator_study.hpp"

namespace {

using namespace taeval;

void print_misses(const std::vector<test::StudyLink>& links)
{
    for (const auto& l : links)
        if (l.enough && std::abs(l.average_in_sd) > 3 && !(l.effect.detection->q < 0.05))
            std::printf("  missed %s (%s) on %s: planted %.2f SD (level %.3g, slope %.3g); estimated level %.3g "
                        "(se %.3g), detection q %.3f; n_pre %zu, n_post %zu%s\n",
                        l.intervention.c_str(), l.kind.c_str(), l.series.c_str(), l.average_in_sd, l.level_change,
                        l.slope_change, l.effect.level_change.estimate, l.effect.level_change.se,
                        l.effect.detection->q, l.effect.n_pre, l.effect.n_post,
                        l.two_breaks ? ", another intervention on the series" : "");
}

}  // namespace

int main(int argc, char** argv)
{
    std::vector<std::uint64_t> seeds;
    bool misses = false;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--misses") == 0)
            misses = true;
        else
            seeds.push_back(std::strtoull(argv[i], nullptr, 10));
    }
    if (seeds.empty()) seeds = {20261128, 1, 2};
    struct Variant {
        engine::EstimatorKind kind;
        models::FdrMethod fdr;
        test::StudyTest test;
    };
    using test::StudyTest;
    const Variant variants[] = {{engine::EstimatorKind::ar1_reml, models::FdrMethod::bky, StudyTest::detection},
                                {engine::EstimatorKind::ar1_reml, models::FdrMethod::bky, StudyTest::level},
                                {engine::EstimatorKind::ar1_reml, models::FdrMethod::bh, StudyTest::detection},
                                {engine::EstimatorKind::ols_newey_west, models::FdrMethod::bky, StudyTest::detection},
                                {engine::EstimatorKind::ar1_prais_winsten, models::FdrMethod::bky, StudyTest::detection}};
    std::printf("| estimator | FDR | test | seed | links | coverage | nulls flagged | power (>3 SD) | seconds |\n");
    std::printf("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (const auto& v : variants) {
        const std::string label = std::string(engine::to_string(v.kind)) + " | " +
                                  std::string(models::to_string(v.fdr)) + " | " +
                                  (v.test == StudyTest::detection ? "detection" : "level");
        test::StudyFigures total;
        for (const auto seed : seeds) {
            engine::EstimatorOptions o;
            o.kind = v.kind;
            o.counterfactual = false;
            std::vector<test::StudyLink> links;
            const auto f = test::measure(test::generated_bundle(seed), o, &links, v.fdr, v.test);
            std::printf("| %s | %llu | %zu | %.3f (%zu/%zu) | %.3f (%zu/%zu) | %.3f (%zu/%zu) | %.2f |\n",
                        label.c_str(), static_cast<unsigned long long>(seed), f.links, f.coverage,
                        f.covered, f.links, f.null_rate, f.null_flagged, f.nulls, f.power, f.large_flagged, f.large,
                        f.seconds);
            if (misses && &v == &variants[0]) print_misses(links);
            test::pool(total, f);
        }
        std::printf("| %s | all | %zu | %.3f | %.3f | %.3f | %.2f |\n", label.c_str(), total.links,
                    total.coverage, total.null_rate, total.power, total.seconds);
    }
    return 0;
}
