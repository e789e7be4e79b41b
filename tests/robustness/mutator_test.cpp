#include <catch2/catch.hpp>

#include <set>

#include "fuzz/mutator.hpp"

using taeval::fuzz::Bundle;

namespace {

const std::vector<Bundle> corpus{
    {{"states.csv", "iso3,name,region\nKEN,Kenya,Africa\nMEX,Mexico,Americas\n"},
     {"providers.csv", "code,name,kind\nNORDF,Nordic Justice Fund,donor\n"}},
    {{"observations.csv", "indicator,state,period,value,source\nMLA_HANDLED,KEN,2020-Q1,11,\n"}},
};

Bundle mutant(std::uint64_t seed, std::uint64_t index)
{
    taeval::fuzz::Rng rng(taeval::fuzz::input_seed(seed, index));
    std::vector<std::string> log;
    return taeval::fuzz::mutate(corpus, corpus[0], rng, log);
}

}  // namespace

TEST_CASE("the fuzzer's input i of seed s is the same every time", "[fuzz]")
{
    for (std::uint64_t i = 0; i < 300; ++i) CHECK(mutant(42, i) == mutant(42, i));
}

TEST_CASE("the fuzzer's mutants differ from their seeds and from each other", "[fuzz]")
{
    int unchanged = 0;
    std::set<Bundle> seen;
    for (std::uint64_t i = 0; i < 300; ++i) {
        const Bundle m = mutant(42, i);
        if (m == corpus[0] || m == corpus[1]) ++unchanged;
        seen.insert(m);
    }
    // A mutation can undo another (swap a line with itself): rarely.
    CHECK(unchanged < 30);
    CHECK(seen.size() > 250);
    CHECK(mutant(42, 0) != mutant(43, 0));
}
