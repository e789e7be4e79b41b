#pragma once
// Argument checks for the public functions of models/, in the manner of
// stan-dev/math: each names the function and the argument in its message and
// throws taeval::Error(bad_input).
#include <cstddef>
#include <string_view>

#include <Eigen/Core>

namespace taeval::models {

/// Throws unless `value` is finite and > 0.
void check_positive(std::string_view function, std::string_view name, double value);
/// Throws unless `value` is finite.
void check_finite(std::string_view function, std::string_view name, double value);
/// Throws unless every element is finite (NaN marks nothing here).
void check_finite(std::string_view function, std::string_view name, const Eigen::Ref<const Eigen::VectorXd>& v);
/// Throws unless lo < value < hi.
void check_open_interval(std::string_view function, std::string_view name, double value, double lo, double hi);
/// Throws unless `actual == expected`.
void check_size(std::string_view function, std::string_view name, std::size_t actual, std::size_t expected);

}  // namespace taeval::models
