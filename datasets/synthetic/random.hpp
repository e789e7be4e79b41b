#pragma once
// The generator's random numbers (private to datasets/synthetic).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace taeval::synthetic::detail {

// Random numbers. The engine is std::mt19937_64, whose output the standard
// fixes; the distributions are written here because the standard library's
// are not the same everywhere. Normals use Marsaglia's polar method (sqrt and
// log only; every value written is rounded, which hides last-bit libm
// differences).

inline std::uint64_t splitmix(std::uint64_t x) noexcept
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// An independent stream per (purpose, a, b): a series draws the same numbers
// whatever else is generated, and whatever order files are written in.
inline std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t purpose, int a = 0, int b = 0) noexcept
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

}  // namespace taeval::synthetic::detail
