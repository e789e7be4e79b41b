#include "models/check.hpp"

#include <cmath>
#include <string>

#include "models/error.hpp"

namespace taeval::models {

namespace {
[[noreturn]] void fail(std::string_view function, std::string_view name, const std::string& what)
{
    throw Error(ErrorCode::bad_input, std::string(function) + ": " + std::string(name) + " " + what);
}
}  // namespace

void check_positive(std::string_view function, std::string_view name, double value)
{
    if (!(std::isfinite(value) && value > 0)) fail(function, name, "must be positive and finite, got " + std::to_string(value));
}

void check_finite(std::string_view function, std::string_view name, double value)
{
    if (!std::isfinite(value)) fail(function, name, "must be finite, got " + std::to_string(value));
}

void check_finite(std::string_view function, std::string_view name, const Eigen::Ref<const Eigen::VectorXd>& v)
{
    for (Eigen::Index i = 0; i < v.size(); ++i)
        if (!std::isfinite(v[i]))
            fail(function, name, "must be finite; element " + std::to_string(i) + " is " + std::to_string(v[i]));
}

void check_open_interval(std::string_view function, std::string_view name, double value, double lo, double hi)
{
    if (!(value > lo && value < hi))
        fail(function, name,
             "must lie in (" + std::to_string(lo) + ", " + std::to_string(hi) + "), got " + std::to_string(value));
}

void check_size(std::string_view function, std::string_view name, std::size_t actual, std::size_t expected)
{
    if (actual != expected)
        fail(function, name, "has size " + std::to_string(actual) + ", expected " + std::to_string(expected));
}

}  // namespace taeval::models
