#pragma once
// Simulation of one series of the plan (private to datasets/synthetic).
#include <vector>

#include "datasets/synthetic/plan.hpp"

namespace taeval::synthetic::detail {

/// Work vectors reused from series to series.
struct Scratch {
    std::vector<double> a;
    std::vector<double> b;
};

/// The values of indicator `ind` in state `st` as written, one per period
/// of the indicator's frequency; NaN where the period is not reported.
void simulate(const Plan& p, int ind, int st, std::vector<double>& out, Scratch& scratch);

}  // namespace taeval::synthetic::detail
