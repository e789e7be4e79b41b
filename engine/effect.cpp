#include "engine/effect.hpp"

namespace taeval::engine {

std::string_view to_string(Grade g) noexcept
{
    switch (g) {
    case Grade::strong: return "strong";
    case Grade::moderate: return "moderate";
    case Grade::weak: return "weak";
    case Grade::none: return "none";
    case Grade::insufficient_data: return "insufficient_data";
    }
    return "insufficient_data";
}

std::optional<Grade> parse_grade(std::string_view t) noexcept
{
    for (Grade g : {Grade::strong, Grade::moderate, Grade::weak, Grade::none, Grade::insufficient_data})
        if (to_string(g) == t) return g;
    return std::nullopt;
}

std::string_view to_string(DetectionTest t) noexcept { return t == DetectionTest::F ? "F" : "chi2"; }

std::optional<DetectionTest> parse_detection_test(std::string_view t) noexcept
{
    for (DetectionTest d : {DetectionTest::F, DetectionTest::chi2})
        if (to_string(d) == t) return d;
    return std::nullopt;
}

}  // namespace taeval::engine
