#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include <Eigen/Dense>

#include "models/counterfactual.hpp"
#include "models/error.hpp"
#include "reference_files.hpp"

using namespace taeval;

namespace {

/// A local level series (sigma_eps, sigma_eta) plus beta * control plus a
/// step of size `effect` from period t0 on; the control is a smooth random walk.
struct Simulated {
    Eigen::VectorXd y;
    Eigen::MatrixXd x;
};

Simulated simulate(test::Rng& rng, Eigen::Index n, Eigen::Index t0, double effect, double beta, double se = 1.0,
                   double sl = 0.3)
{
    Simulated s;
    s.y.resize(n);
    s.x.resize(n, 1);
    double level = 10, c = 5;
    for (Eigen::Index t = 0; t < n; ++t) {
        c += 0.5 * rng.normal();
        s.x(t, 0) = c;
        s.y[t] = level + beta * c + se * rng.normal() + (t >= t0 ? effect : 0.0);
        level += sl * rng.normal();
    }
    return s;
}

}  // namespace

TEST_CASE("counterfactual forecasts equal universal kriging of the post period given the pre period",
          "[models][counterfactual]")
{
    // Under the model with a flat prior on (initial level, beta), the
    // post-period observations given the pre-period ones are Gaussian with
    // mean X_p b + S_po S_oo^-1 (y_o - X_o b) and covariance
    // S_pp - S_po S_oo^-1 S_op + G (X_o' S_oo^-1 X_o)^-1 G', G = X_p - S_po S_oo^-1 X_o.
    test::Rng rng(7);
    const Eigen::Index n = 60, t0 = 45;
    Simulated s = simulate(rng, n, t0, 3.0, 0.8);
    for (Eigen::Index t : {3, 17, 18, 50}) s.y[t] = std::nan("");
    models::CounterfactualSpec spec;
    spec.intervention_index = static_cast<std::size_t>(t0);
    spec.integrate_level_variance = false;  // plug-in variances: the kriging formula holds exactly
    const auto r = models::fit_counterfactual(s.y, s.x, spec);
    REQUIRE(r.diag.ok);
    const double se = r.pre_fit.sigma2.epsilon, sl = r.pre_fit.sigma2.level;

    std::vector<Eigen::Index> pre, post;
    for (Eigen::Index t = 0; t < n; ++t) {
        if (std::isnan(s.y[t])) continue;
        (t < t0 ? pre : post).push_back(t);
    }
    auto cov = [&](Eigen::Index a, Eigen::Index b) { return sl * static_cast<double>(std::min(a, b)) + (a == b ? se : 0.0); };
    const auto no = static_cast<Eigen::Index>(pre.size()), np = static_cast<Eigen::Index>(post.size());
    Eigen::MatrixXd soo(no, no), spo(np, no), spp(np, np), xo(no, 2), xp(np, 2);
    Eigen::VectorXd yo(no), yp(np);
    for (Eigen::Index i = 0; i < no; ++i) {
        const auto ti = pre[static_cast<std::size_t>(i)];
        yo[i] = s.y[ti];
        xo.row(i) << 1.0, s.x(ti, 0);
        for (Eigen::Index j = 0; j < no; ++j) soo(i, j) = cov(ti, pre[static_cast<std::size_t>(j)]);
    }
    for (Eigen::Index i = 0; i < np; ++i) {
        const auto ti = post[static_cast<std::size_t>(i)];
        yp[i] = s.y[ti];
        xp.row(i) << 1.0, s.x(ti, 0);
        for (Eigen::Index j = 0; j < no; ++j) spo(i, j) = cov(ti, pre[static_cast<std::size_t>(j)]);
        for (Eigen::Index j = 0; j < np; ++j) spp(i, j) = cov(ti, post[static_cast<std::size_t>(j)]);
    }
    const Eigen::LLT<Eigen::MatrixXd> llt(soo);
    const Eigen::MatrixXd sx = llt.solve(xo);
    const Eigen::MatrixXd info = xo.transpose() * sx;
    const Eigen::Vector2d b = info.ldlt().solve(sx.transpose() * yo);
    const Eigen::MatrixXd kr = llt.solve(spo.transpose()).transpose();
    const Eigen::VectorXd mean = xp * b + kr * (yo - xo * b);
    const Eigen::MatrixXd g = xp - kr * xo;
    const Eigen::MatrixXd pcov = spp - kr * spo.transpose() + g * info.ldlt().solve(g.transpose());

    CHECK(r.pre_fit.est.params[2] == Approx(b[1]).epsilon(1e-8));
    for (Eigen::Index i = 0; i < np; ++i) {
        const auto step = post[static_cast<std::size_t>(i)] - t0;
        INFO("post step " << step);
        CHECK(r.counterfactual[step] == Approx(mean[i]).epsilon(1e-9));
        CHECK(r.counterfactual_var[step] == Approx(pcov(i, i)).epsilon(1e-8));
        CHECK(r.point_effect[step] == Approx(yp[i] - mean[i]).epsilon(1e-8).margin(1e-9));
    }
    CHECK(std::isnan(r.point_effect[50 - t0]));
    CHECK(r.n_post == static_cast<std::size_t>(np));
    const double var_sum = pcov.sum();
    CHECK(r.cumulative.estimate == Approx((yp - mean).sum()).epsilon(1e-9));
    CHECK(r.cumulative.se == Approx(std::sqrt(var_sum)).epsilon(1e-8));
    CHECK(r.average.se == Approx(std::sqrt(var_sum) / static_cast<double>(np)).epsilon(1e-8));
    // The correlation across the post period matters: summing variances alone would be wrong.
    CHECK(std::abs(var_sum - pcov.trace()) > 0.1 * var_sum);
}

TEST_CASE("counterfactual effect finds a planted step and none where there is none", "[models][counterfactual]")
{
    test::Rng rng(11);
    models::CounterfactualSpec spec;
    spec.intervention_index = 80;
    const auto with = simulate(rng, 100, 80, 4.0, 0.0, 1.0, 0.1);
    const auto r = models::fit_counterfactual(with.y, Eigen::MatrixXd(), spec);
    REQUIRE(r.diag.ok);
    CHECK(r.average.ci_low < 4.0);
    CHECK(r.average.ci_high > 4.0);
    CHECK(r.p < 0.01);
    CHECK(r.cumulative.estimate == Approx(20 * r.average.estimate));
    CHECK(r.relative.estimate == Approx(r.average.estimate / r.counterfactual.mean()).epsilon(1e-9));
    CHECK(r.relative.ci_low < r.relative.estimate);
    CHECK(r.relative.ci_high > r.relative.estimate);

    const auto without = simulate(rng, 100, 80, 0.0, 1.5, 1.0, 0.1);
    const auto r0 = models::fit_counterfactual(without.y, without.x, spec);
    REQUIRE(r0.diag.ok);
    CHECK(r0.average.ci_low < 0.0);
    CHECK(r0.average.ci_high > 0.0);
    CHECK(r0.p > 0.05);
    CHECK(r0.pre_fit.est.names.back() == "x1");
}

TEST_CASE("counterfactual reports degenerate input and rejects bad arguments", "[models][counterfactual]")
{
    Eigen::VectorXd y = Eigen::VectorXd::LinSpaced(20, 1, 20);
    models::CounterfactualSpec spec;
    spec.intervention_index = 2;  // too short a pre-period to fit
    const auto r = models::fit_counterfactual(y, Eigen::MatrixXd(), spec);
    CHECK_FALSE(r.diag.ok);
    CHECK(std::isnan(r.average.estimate));

    Eigen::VectorXd post_missing = y;
    post_missing.tail(5).setConstant(std::nan(""));
    post_missing[3] += 0.5;
    post_missing[8] -= 0.7;
    spec.intervention_index = 15;
    const auto r2 = models::fit_counterfactual(post_missing, Eigen::MatrixXd(), spec);
    CHECK_FALSE(r2.diag.ok);
    CHECK(r2.n_post == 0);

    spec.intervention_index = 0;
    CHECK_THROWS_AS(models::fit_counterfactual(y, Eigen::MatrixXd(), spec), Error);
    spec.intervention_index = 20;
    CHECK_THROWS_AS(models::fit_counterfactual(y, Eigen::MatrixXd(), spec), Error);
    spec.intervention_index = 10;
    CHECK_THROWS_AS(models::fit_counterfactual(y, Eigen::MatrixXd::Ones(19, 1), spec), Error);
}

TEST_CASE("counterfactual 95% interval of the average effect covers a planted step in >= 90% of 500 series",
          "[models][counterfactual][.slow]")
{
    const double effect = 2.0;
    int covered_level = 0, covered_controls = 0;
    const int reps = 500;
    for (int rep = 0; rep < reps; ++rep) {
        test::Rng rng(static_cast<std::uint64_t>(1000 + rep));
        Simulated s = simulate(rng, 70, 50, effect, 1.0);
        for (Eigen::Index t = 0; t < 70; ++t)
            if (rng.uniform() < 0.1) s.y[t] = std::nan("");  // missing reports
        models::CounterfactualSpec spec;
        spec.intervention_index = 50;
        // With the control as a regressor: the model is correctly specified.
        const auto rc = models::fit_counterfactual(s.y, s.x, spec);
        if (rc.diag.ok && rc.average.ci_low <= effect && effect <= rc.average.ci_high) ++covered_controls;
        // Without it the control's random walk is absorbed by the level.
        const auto rl = models::fit_counterfactual(s.y, Eigen::MatrixXd(), spec);
        if (rl.diag.ok && rl.average.ci_low <= effect && effect <= rl.average.ci_high) ++covered_level;
    }
    const double cov_c = static_cast<double>(covered_controls) / reps;
    const double cov_l = static_cast<double>(covered_level) / reps;
    INFO("coverage with controls " << cov_c << ", level only " << cov_l);
    CHECK(cov_c >= 0.90);
    CHECK(cov_l >= 0.90);
    WARN("counterfactual coverage (nominal 0.95): with controls " << cov_c << ", level only " << cov_l);
}
