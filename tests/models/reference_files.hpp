#pragma once
// Reading the reference cases under datasets/reference/ in tests: numeric CSV
// columns (quoted header names and text fields allowed) and expected.json.
#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

namespace taeval::test {

inline std::string reference_path(const std::string& relative)
{
    return std::string(TAEVAL_SOURCE_DIR) + "/datasets/reference/" + relative;
}

inline std::vector<std::string> split_csv_line(const std::string& line)
{
    std::vector<std::string> out;
    std::string cur;
    bool quoted = false;
    for (char c : line) {
        if (c == '"') quoted = !quoted;
        else if (c == ',' && !quoted) {
            out.push_back(cur);
            cur.clear();
        } else if (c != '\r') cur += c;
    }
    out.push_back(cur);
    return out;
}

/// One column of a CSV file as numbers; empty cells and "NA" become NaN.
inline Eigen::VectorXd csv_column(const std::string& relative, const std::string& name)
{
    std::ifstream in(reference_path(relative));
    if (!in) throw std::runtime_error("cannot open " + relative);
    std::string line;
    std::getline(in, line);
    const auto header = split_csv_line(line);
    std::size_t col = header.size();
    for (std::size_t i = 0; i < header.size(); ++i)
        if (header[i] == name) col = i;
    if (col == header.size()) throw std::runtime_error("no column " + name + " in " + relative);
    std::vector<double> values;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const auto f = split_csv_line(line);
        const std::string& cell = f.at(col);
        values.push_back(cell.empty() || cell == "NA" || cell == "nan" ? std::nan("") : std::stod(cell));
    }
    return Eigen::Map<Eigen::VectorXd>(values.data(), static_cast<Eigen::Index>(values.size()));
}

inline nlohmann::json reference_json(const std::string& relative)
{
    std::ifstream in(reference_path(relative));
    if (!in) throw std::runtime_error("cannot open " + relative);
    return nlohmann::json::parse(in);
}

/// Seeded pseudo-random draws for simulation tests (an LCG with Box-Muller),
/// the same on every platform and standard library.
class Rng {
public:
    explicit Rng(std::uint64_t seed) : m_state(seed * 2862933555777941757ULL + 3037000493ULL) {}
    double uniform()
    {
        m_state = m_state * 6364136223846793005ULL + 1442695040888963407ULL;
        return (static_cast<double>(m_state >> 11) + 0.5) / 9007199254740992.0;
    }
    double normal()
    {
        return std::sqrt(-2 * std::log(uniform())) * std::cos(6.283185307179586 * uniform());
    }

private:
    std::uint64_t m_state;
};

}  // namespace taeval::test
