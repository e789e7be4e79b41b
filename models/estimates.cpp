#include "models/estimates.hpp"

#include <algorithm>

#include "models/error.hpp"

namespace taeval::models {

std::size_t Estimates::index(const std::string& name) const
{
    const auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) throw Error(ErrorCode::not_found, "no parameter named '" + name + "'");
    return static_cast<std::size_t>(it - names.begin());
}

}  // namespace taeval::models
