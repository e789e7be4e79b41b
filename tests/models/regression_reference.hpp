#pragma once
// Helpers for the regression tests: read a reference case from
// datasets/reference/<case>/ (a plain numeric CSV and a JSON of expected
// values). The CSVs there are simple (no quoting), so a split on commas does.
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

namespace taeval::test {

inline std::string reference_path(const std::string& case_name, const std::string& file)
{
    return std::string(TAEVAL_SOURCE_DIR) + "/datasets/reference/" + case_name + "/" + file;
}

/// Columns by header name; "", "NA" and "nan" read as NaN.
inline std::map<std::string, std::vector<double>> read_numeric_csv(const std::string& path)
{
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::string line;
    std::getline(in, line);
    std::vector<std::string> header;
    {
        std::stringstream ss(line);
        std::string cell;
        while (std::getline(ss, cell, ',')) header.push_back(cell);
    }
    std::map<std::string, std::vector<double>> cols;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        std::stringstream ss(line);
        std::string cell;
        std::size_t c = 0;
        while (c < header.size()) {
            if (!std::getline(ss, cell, ',')) cell.clear();
            const bool missing = cell.empty() || cell == "NA" || cell == "nan" || cell == "NaN";
            cols[header[c]].push_back(missing ? std::numeric_limits<double>::quiet_NaN() : std::stod(cell));
            ++c;
        }
    }
    return cols;
}

inline nlohmann::json read_json(const std::string& path)
{
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    return nlohmann::json::parse(in);
}

inline Eigen::VectorXd to_vector(const std::vector<double>& v)
{
    return Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size()));
}

/// A JSON number or null (NaN).
inline double json_double(const nlohmann::json& j)
{
    return j.is_null() ? std::numeric_limits<double>::quiet_NaN() : j.get<double>();
}

/// Relative difference |a - b| / |b| (absolute when b is 0).
inline double rel_diff(double a, double b)
{
    return b == 0 ? std::abs(a) : std::abs(a - b) / std::abs(b);
}

}  // namespace taeval::test
