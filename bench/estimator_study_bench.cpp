// The estimator study behind docs/evaluation.md: for each estimator and each
// generated portfolio, the coverage of the level change's 95% interval, the
// share of null links flagged (q < 0.05) and the power on links whose planted
// average effect exceeds 3 noise SDs. A driver with its own main (no timing
// loop): `estimator_study_bench [seed ...]`, default the demo seed and two
// others.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "tests/engine/evaluation/estimator_study.hpp"

int main(int argc, char** argv)
{
    using namespace taeval;
    std::vector<std::uint64_t> seeds;
    for (int i = 1; i < argc; ++i) seeds.push_back(std::strtoull(argv[i], nullptr, 10));
    if (seeds.empty()) seeds = {20261128, 1, 2};
    std::printf("| estimator | seed | links | coverage | nulls flagged | power (>3 SD) | seconds |\n");
    std::printf("| --- | --- | --- | --- | --- | --- | --- |\n");
    for (const auto kind : {engine::EstimatorKind::ar1_reml, engine::EstimatorKind::ols_newey_west,
                            engine::EstimatorKind::ar1_prais_winsten}) {
        test::StudyFigures total;
        for (const auto seed : seeds) {
            engine::EstimatorOptions o;
            o.kind = kind;
            o.counterfactual = false;
            const auto f = test::measure(test::generated_bundle(seed), o);
            std::printf("| %s | %llu | %zu | %.3f (%zu/%zu) | %.3f (%zu/%zu) | %.3f (%zu/%zu) | %.2f |\n",
                        std::string(engine::to_string(kind)).c_str(), static_cast<unsigned long long>(seed), f.links,
                        f.coverage, f.covered, f.links, f.null_rate, f.null_flagged, f.nulls, f.power,
                        f.large_flagged, f.large, f.seconds);
            total.links += f.links;
            total.covered += f.covered;
            total.nulls += f.nulls;
            total.null_flagged += f.null_flagged;
            total.large += f.large;
            total.large_flagged += f.large_flagged;
            total.seconds += f.seconds;
        }
        const auto r = [](std::size_t a, std::size_t b) { return static_cast<double>(a) / static_cast<double>(b); };
        std::printf("| %s | all | %zu | %.3f | %.3f | %.3f | %.2f |\n", std::string(engine::to_string(kind)).c_str(),
                    total.links, r(total.covered, total.links), r(total.null_flagged, total.nulls),
                    r(total.large_flagged, total.large), total.seconds);
    }
    return 0;
}
