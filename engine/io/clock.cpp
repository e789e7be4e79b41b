#include "engine/io/clock.hpp"

#include <chrono>
#include <ctime>

namespace taeval::engine {

std::string now_utc()
{
    const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace taeval::engine
