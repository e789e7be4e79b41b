#pragma once
// Seeded mutations of portfolio bundles for the import fuzzer: byte-level
// (flip, insert, delete, duplicate, truncate) and CSV-aware (lines, cells,
// columns, quotes, interesting values). The same (seed, input index) always
// gives the same mutant, on every platform: the generator is a 64-bit
// SplitMix, and no std distribution (whose output differs between standard
// libraries) is used.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace taeval::fuzz {

/// A bundle in memory: file name (as in engine::bundle_files()) -> bytes.
using Bundle = std::map<std::string, std::string>;

/// SplitMix64: small, fast, well mixed, and the same everywhere.
class Rng {
public:
    explicit Rng(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next() noexcept
    {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    /// Uniform in [0, n); 0 when n is 0.
    std::size_t below(std::size_t n) noexcept { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
    bool chance(unsigned percent) noexcept { return below(100) < percent; }

private:
    std::uint64_t m_state;
};

/// The seed of input `index` of a run seeded with `seed`: each input can be
/// replayed on its own.
[[nodiscard]] std::uint64_t input_seed(std::uint64_t seed, std::uint64_t index) noexcept;

/// A mutant of one of `corpus` (chosen by the generator), with the names of
/// the mutations applied appended to `log`. `donor` supplies files and lines
/// to splice in (the valid bundle).
[[nodiscard]] Bundle mutate(const std::vector<Bundle>& corpus, const Bundle& donor, Rng& rng,
                            std::vector<std::string>& log);

/// One mutation of a file's bytes (exposed for the mutator's own tests).
void mutate_file(std::string& text, const Bundle& donor, Rng& rng, std::vector<std::string>& log);

}  // namespace taeval::fuzz
