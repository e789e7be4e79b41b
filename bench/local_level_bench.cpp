// Local-level ML on many short series with missing periods: series per
// second for models::fit_local_level (filter, ML, smoother, standard errors:
// the full fit the evaluation pipeline runs), and a sample of the same series
// written to CSV, with our estimates, for the statsmodels peer
// (bench/local_level_peer.py). A small driver with its own main; Google
// Benchmark's repetition machinery is not needed for one long timed loop.
//
// Usage: local_level_bench [--series N] [--length T] [--missing F]
//                          [--sample M] [--sample-out FILE]
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include "models/local_level.hpp"

namespace {

/// Seeded draws (LCG + Box-Muller): the same series on every run.
class Rng {
public:
    explicit Rng(std::uint64_t seed) : m_state(seed) {}
    double uniform()
    {
        m_state = m_state * 6364136223846793005ULL + 1442695040888963407ULL;
        return (static_cast<double>(m_state >> 11) + 0.5) / 9007199254740992.0;
    }
    double normal() { return std::sqrt(-2 * std::log(uniform())) * std::cos(6.283185307179586 * uniform()); }

private:
    std::uint64_t m_state;
};

}  // namespace

int main(int argc, char** argv)
{
    long series = 10000, length = 100, sample = 200;
    double missing = 0.10;
    std::string sample_out;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string key = argv[i], value = argv[i + 1];
        if (key == "--series") series = std::atol(value.c_str());
        else if (key == "--length") length = std::atol(value.c_str());
        else if (key == "--missing") missing = std::atof(value.c_str());
        else if (key == "--sample") sample = std::atol(value.c_str());
        else if (key == "--sample-out") sample_out = value;
        else {
            std::cerr << "unknown option " << key << '\n';
            return 1;
        }
    }
    // Level-to-noise ratios log-uniform on [0.01, 1], sigma2_epsilon = 1.
    Rng rng(20261128);
    std::vector<Eigen::VectorXd> data(static_cast<std::size_t>(series));
    for (auto& y : data) {
        y.resize(length);
        const double q = std::exp(std::log(0.01) + rng.uniform() * std::log(100.0));
        double level = 0;
        for (Eigen::Index t = 0; t < length; ++t) {
            y[t] = rng.uniform() < missing ? std::nan("") : level + rng.normal();
            level += std::sqrt(q) * rng.normal();
        }
    }

    std::vector<taeval::models::LocalLevelResult> fits(static_cast<std::size_t>(series));
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t s = 0; s < data.size(); ++s) fits[s] = taeval::models::fit_local_level(data[s]);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    long converged = 0;
    for (const auto& f : fits) converged += f.diag.ok && f.diag.converged ? 1 : 0;

    if (!sample_out.empty()) {
        // Long format: series, t, y (empty = missing), and our fit per series.
        std::ofstream out(sample_out);
        out << std::setprecision(17) << "series,t,y,sigma2_epsilon,sigma2_level,loglik\n";
        for (long s = 0; s < std::min(sample, series); ++s) {
            const auto& y = data[static_cast<std::size_t>(s)];
            const auto& f = fits[static_cast<std::size_t>(s)];
            for (Eigen::Index t = 0; t < y.size(); ++t) {
                out << s << ',' << t << ',';
                if (!std::isnan(y[t])) out << y[t];
                out << ',' << f.sigma2_epsilon << ',' << f.sigma2_level << ',' << f.loglik << '\n';
            }
        }
    }
    std::cout << "taeval local level: " << series << " series of " << length << " (" << missing * 100
              << "% missing), " << converged << " converged, " << std::fixed << std::setprecision(3) << seconds
              << " s, " << std::setprecision(1) << static_cast<double>(series) / seconds << " series/s\n";
    return converged == series ? 0 : 2;
}
