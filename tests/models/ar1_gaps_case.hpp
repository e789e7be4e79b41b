#pragma once
// The nlme reference series of datasets/reference/ar1_regression_gaps (an
// AR(1) series with gaps) and its ITS design: intercept, trend, step and
// ramp at its break. Shared by the AR(1) regression and screening tests.
#include <Eigen/Core>

#include "models/regression_reference.hpp"

namespace taeval::test {

struct Ar1GapsCase {
    Eigen::VectorXd y;
    Eigen::MatrixXd x;
};

inline Ar1GapsCase load_ar1_gaps_case()
{
    const auto data = read_numeric_csv(reference_path("ar1_regression_gaps", "data.csv"));
    Ar1GapsCase c;
    c.y = to_vector(data.at("y"));
    c.x.resize(c.y.size(), 4);
    c.x.col(0).setOnes();
    c.x.col(1) = to_vector(data.at("t"));
    c.x.col(2) = to_vector(data.at("step"));
    c.x.col(3) = to_vector(data.at("ramp"));
    return c;
}

}  // namespace taeval::test
