#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <vector>

#include <Eigen/Dense>
#include <boost/math/distributions/normal.hpp>

#include "models/error.hpp"
#include "models/local_level.hpp"
#include "reference_files.hpp"

using namespace taeval;

namespace {

struct Nile {
    Eigen::VectorXd flow = test::csv_column("kalman_nile/data.csv", "flow");
    nlohmann::json mle = test::reference_json("kalman_nile/expected.json")["nile_level_full"]["mle"];
    nlohmann::json ref = test::reference_json("kalman_nile/expected.json")["nile_level_full"];
    [[nodiscard]] models::LocalLevelSpec fixed() const
    {
        models::LocalLevelSpec spec;
        spec.sigma2_epsilon = mle["sigma2_epsilon"].get<double>();
        spec.sigma2_level = mle["sigma2_eta"].get<double>();
        return spec;
    }
};

/// The diffuse log-likelihood of a local level model evaluated directly: with
/// mu_1 ~ N(0, kappa), y_obs ~ N(0, Sigma + kappa 11') where Sigma is the
/// covariance given mu_1 = 0 (noise plus the random walk since period 1).
/// D&K's diffuse loglik is the limit of log L + (1/2) log kappa, which is
///   -(n/2) log 2pi - (1/2) log|Sigma| - (1/2) log(1'S1) - (1/2)(y'Sy - (1'Sy)^2 / 1'S1),  S = Sigma^-1.
struct DirectLocalLevel {
    std::vector<Eigen::Index> periods;  // observed periods, 0-based
    Eigen::VectorXd yo;
    Eigen::MatrixXd sigma;
    double se, sl;

    DirectLocalLevel(const Eigen::VectorXd& y, double se_, double sl_) : se(se_), sl(sl_)
    {
        for (Eigen::Index t = 0; t < y.size(); ++t)
            if (!std::isnan(y[t])) periods.push_back(t);
        const auto m = static_cast<Eigen::Index>(periods.size());
        yo.resize(m);
        sigma.resize(m, m);
        for (Eigen::Index i = 0; i < m; ++i) {
            yo[i] = y[periods[static_cast<std::size_t>(i)]];
            for (Eigen::Index j = 0; j < m; ++j) {
                const auto ti = periods[static_cast<std::size_t>(i)], tj = periods[static_cast<std::size_t>(j)];
                sigma(i, j) = sl * static_cast<double>(std::min(ti, tj)) + (i == j ? se : 0.0);
            }
        }
    }
    [[nodiscard]] double loglik() const
    {
        const Eigen::LLT<Eigen::MatrixXd> llt(sigma);
        const Eigen::VectorXd ones = Eigen::VectorXd::Ones(yo.size());
        const Eigen::VectorXd s1 = llt.solve(ones), sy = llt.solve(yo);
        const double logdet = 2 * llt.matrixL().toDenseMatrix().diagonal().array().log().sum();
        const double a = ones.dot(s1), b = ones.dot(sy);
        return -0.5 * static_cast<double>(yo.size()) * std::log(2 * std::numbers::pi) - 0.5 * logdet -
               0.5 * std::log(a) - 0.5 * (yo.dot(sy) - b * b / a);
    }
    /// E and Var of mu_t given all observations under the flat prior on mu_1.
    [[nodiscard]] std::pair<double, double> smoothed(Eigen::Index t) const
    {
        const Eigen::LLT<Eigen::MatrixXd> llt(sigma);
        const Eigen::VectorXd ones = Eigen::VectorXd::Ones(yo.size());
        Eigen::VectorXd c(yo.size());
        for (Eigen::Index i = 0; i < yo.size(); ++i)
            c[i] = sl * static_cast<double>(std::min(t, periods[static_cast<std::size_t>(i)]));
        const Eigen::VectorXd s1 = llt.solve(ones), sy = llt.solve(yo), sc = llt.solve(c);
        const double a = ones.dot(s1);
        const double mu1 = ones.dot(sy) / a;
        const double g = 1 - c.dot(s1);
        return {c.dot(sy) + mu1 * g, sl * static_cast<double>(t) - c.dot(sc) + g * g / a};
    }
};

}  // namespace

TEST_CASE("local level ML on the Nile matches the exact-diffuse reference variances", "[models][local_level]")
{
    const Nile nile;
    const auto r = models::fit_local_level(nile.flow);
    REQUIRE(r.diag.ok);
    CHECK(r.diag.converged);
    CHECK(r.sigma2_epsilon == Approx(nile.mle["sigma2_epsilon"].get<double>()).epsilon(1e-4));
    CHECK(r.sigma2_level == Approx(nile.mle["sigma2_eta"].get<double>()).epsilon(1e-4));
    CHECK(r.loglik == Approx(nile.mle["loglik_diffuse_DK"].get<double>()).epsilon(1e-9));
    CHECK(r.diag.n == 100);
    // Standard errors exist and the intervals bracket the estimates.
    CHECK(r.est.se[0] > 0);
    CHECK(r.est.ci_low[1] < r.sigma2_level);
    CHECK(r.est.ci_high[1] > r.sigma2_level);
}

TEST_CASE("local level filter and smoother on the Nile match the reference at fixed variances",
          "[models][local_level]")
{
    const Nile nile;
    const auto r = models::fit_local_level(nile.flow, nile.fixed());
    CHECK(r.loglik == Approx(nile.mle["loglik_diffuse_DK"].get<double>()).epsilon(1e-9));
    const char* file = "kalman_nile/filter_full.csv";
    const Eigen::VectorXd a_pred = test::csv_column(file, "a_pred"), p_pred = test::csv_column(file, "P_pred"),
                          v = test::csv_column(file, "v"), f = test::csv_column(file, "F"),
                          a_filt = test::csv_column(file, "a_filt"), p_filt = test::csv_column(file, "P_filt"),
                          a_smooth = test::csv_column(file, "a_smooth"), v_smooth = test::csv_column(file, "V_smooth");
    REQUIRE(a_pred.size() == 100);
    for (Eigen::Index t = 0; t < 100; ++t) {
        INFO("t = " << t);
        if (t > 0) {
            CHECK(r.predicted[t] == Approx(a_pred[t]).epsilon(1e-9));
            CHECK(r.predicted_var[t] == Approx(p_pred[t]).epsilon(1e-9));
            CHECK(r.innovation[t] == Approx(v[t]).epsilon(1e-9).margin(1e-9));
            CHECK(r.innovation_var[t] == Approx(f[t]).epsilon(1e-9));
        } else {
            CHECK(std::isinf(r.predicted_var[t]));
            CHECK(std::isnan(r.innovation[t]));
        }
        CHECK(r.filtered[t] == Approx(a_filt[t]).epsilon(1e-9));
        CHECK(r.filtered_var[t] == Approx(p_filt[t]).epsilon(1e-9));
        CHECK(r.smoothed[t] == Approx(a_smooth[t]).epsilon(1e-9));
        CHECK(r.smoothed_var[t] == Approx(v_smooth[t]).epsilon(1e-9));
    }
    // Standardised residuals are v / sqrt(F).
    CHECK(r.std_resid[10] == Approx(v[10] / std::sqrt(f[10])).epsilon(1e-9));
}

TEST_CASE("local level forecasts and threshold probabilities from the end of the Nile", "[models][local_level]")
{
    const Nile nile;
    const auto r = models::fit_local_level(nile.flow, nile.fixed());
    const auto fc = models::forecast(r, 5);
    REQUIRE(fc.steps() == 5);
    const auto& expected = nile.ref["forecasts_from_1970"];
    int h = 0;
    for (const auto& year : {"1971", "1972", "1973", "1974", "1975"}) {
        const auto& e = expected[year];
        CHECK(fc.level_mean[h] == Approx(e["mean"].get<double>()).epsilon(1e-9));
        CHECK(fc.level_var[h] == Approx(e["var_level"].get<double>()).epsilon(1e-9));
        CHECK(fc.obs_mean[h] == Approx(e["mean"].get<double>()).epsilon(1e-9));
        CHECK(fc.obs_var[h] == Approx(e["var_obs"].get<double>()).epsilon(1e-9));
        ++h;
    }
    // P(level_{n+5} > 900) and P(y_{n+5} < 700) from the reference moments.
    const boost::math::normal z;
    const auto& e5 = expected["1975"];
    const double up = 1 - boost::math::cdf(z, (900 - e5["mean"].get<double>()) / std::sqrt(e5["var_level"].get<double>()));
    const double down = boost::math::cdf(z, (700 - e5["mean"].get<double>()) / std::sqrt(e5["var_obs"].get<double>()));
    CHECK(models::probability_passes(fc, 5, 900, models::Direction::up) == Approx(up).epsilon(1e-9));
    CHECK(models::probability_passes(fc, 5, 700, models::Direction::down, models::ForecastTarget::observation) ==
          Approx(down).epsilon(1e-9));
    // The two directions are complementary.
    CHECK(models::probability_passes(fc, 3, 800, models::Direction::up) +
              models::probability_passes(fc, 3, 800, models::Direction::down) ==
          Approx(1.0));
    CHECK_THROWS_AS(models::probability_passes(fc, 0, 800, models::Direction::up), Error);
    CHECK_THROWS_AS(models::probability_passes(fc, 6, 800, models::Direction::up), Error);
}

TEST_CASE("local level log-likelihood with missing periods equals a direct multivariate normal evaluation",
          "[models][local_level]")
{
    const Nile nile;
    Eigen::VectorXd y = nile.flow;
    // Leading, scattered, a run, and trailing missing periods.
    for (Eigen::Index t : {0, 1, 7, 14, 21, 40, 41, 42, 43, 60, 77, 98, 99}) y[t] = std::nan("");
    for (const auto& [se, sl] : {std::pair{15099.0, 1469.1}, std::pair{500.0, 8000.0}, std::pair{20000.0, 0.0}}) {
        models::LocalLevelSpec spec;
        spec.sigma2_epsilon = se;
        spec.sigma2_level = sl;
        const auto r = models::fit_local_level(y, spec);
        const DirectLocalLevel direct(y, se, sl);
        INFO("sigma2_epsilon " << se << " sigma2_level " << sl);
        CHECK(r.diag.n == 87);
        CHECK(r.diag.n_missing == 13);
        CHECK(r.loglik == Approx(direct.loglik()).epsilon(1e-10));
        // The smoother, through missing periods and before the first observation.
        for (Eigen::Index t : {0, 2, 14, 41, 50, 99}) {
            const auto [mean, var] = direct.smoothed(t);
            INFO("t = " << t);
            CHECK(r.smoothed[t] == Approx(mean).epsilon(1e-9));
            CHECK(r.smoothed_var[t] == Approx(var).epsilon(1e-8));
        }
    }
    // ML with missing data maximises that same likelihood: no nearby point is better.
    const auto ml = models::fit_local_level(y);
    REQUIRE(ml.diag.ok);
    for (const double f : {0.97, 1.03}) {
        CHECK(DirectLocalLevel(y, ml.sigma2_epsilon * f, ml.sigma2_level).loglik() < ml.loglik);
        CHECK(DirectLocalLevel(y, ml.sigma2_epsilon, ml.sigma2_level * f).loglik() < ml.loglik);
    }
}

TEST_CASE("local level reports degenerate series in diagnostics and rejects bad arguments", "[models][local_level]")
{
    const Eigen::VectorXd all_missing = Eigen::VectorXd::Constant(10, std::nan(""));
    const auto r0 = models::fit_local_level(all_missing);
    CHECK_FALSE(r0.diag.ok);
    CHECK(r0.diag.n == 0);
    CHECK(r0.diag.n_missing == 10);
    CHECK(std::isnan(models::forecast(r0, 2).level_mean[0]));

    Eigen::VectorXd two = Eigen::VectorXd::Constant(6, std::nan(""));
    two[1] = 3;
    two[4] = 5;
    CHECK_FALSE(models::fit_local_level(two).diag.ok);

    const auto c = models::fit_local_level(Eigen::VectorXd::Constant(20, 4.5));
    CHECK_FALSE(c.diag.ok);
    CHECK(c.sigma2_epsilon == 0.0);
    CHECK(c.smoothed[7] == 4.5);
    const auto fc = models::forecast(c, 3);
    CHECK(fc.level_mean[2] == 4.5);
    CHECK(models::probability_passes(fc, 3, 4.0, models::Direction::up) == 1.0);

    Eigen::VectorXd y = Eigen::VectorXd::LinSpaced(10, 0, 9);
    y[3] = std::numeric_limits<double>::infinity();
    CHECK_THROWS_AS(models::fit_local_level(y), Error);
    y[3] = 3;
    models::LocalLevelSpec one;
    one.sigma2_epsilon = 1.0;
    CHECK_THROWS_AS(models::fit_local_level(y, one), Error);
    one.sigma2_level = -1.0;
    CHECK_THROWS_AS(models::fit_local_level(y, one), Error);
    models::LocalLevelSpec bad_alpha;
    bad_alpha.alpha = 0;
    CHECK_THROWS_AS(models::fit_local_level(y, bad_alpha), Error);
}

TEST_CASE("local level ML recovers the variances of a simulated series with 10% missing", "[models][local_level]")
{
    // Deterministic pseudo-normal draws (Box-Muller on an LCG) keep the test
    // independent of the standard library's distributions.
    std::uint64_t state = 12345;
    auto uniform = [&state] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return (static_cast<double>(state >> 11) + 0.5) / 9007199254740992.0;
    };
    auto normal = [&] { return std::sqrt(-2 * std::log(uniform())) * std::cos(2 * std::numbers::pi * uniform()); };
    const Eigen::Index n = 2000;
    Eigen::VectorXd y(n);
    double level = 10;
    for (Eigen::Index t = 0; t < n; ++t) {
        y[t] = uniform() < 0.1 ? std::nan("") : level + 2.0 * normal();  // sigma2_epsilon = 4
        level += 0.5 * normal();                                           // sigma2_level = 0.25
    }
    const auto r = models::fit_local_level(y);
    REQUIRE(r.diag.ok);
    CHECK(r.diag.converged);
    // Within three standard errors of the truth.
    CHECK(std::abs(r.sigma2_epsilon - 4.0) < 3 * r.est.se[0]);
    CHECK(std::abs(r.sigma2_level - 0.25) < 3 * r.est.se[1]);
}

TEST_CASE("The passing probability and interval of a Gaussian prediction", "[models][state_space]")
{
    // Phi(1) and the 97.5% normal quantile, from tables (Abramowitz & Stegun 26.2).
    const models::GaussianPrediction p{1000.0, 100.0 * 100.0};
    CHECK(models::probability_passes(p, 900, models::Direction::up) == Approx(0.8413447460685429).epsilon(1e-12));
    CHECK(models::probability_passes(p, 900, models::Direction::down) == Approx(1 - 0.8413447460685429).epsilon(1e-12));
    const auto [low, high] = models::prediction_interval(p, 0.05);
    CHECK(low == Approx(1000 - 1.959963984540054 * 100).epsilon(1e-12));
    CHECK(high == Approx(1000 + 1.959963984540054 * 100).epsilon(1e-12));
    // Without variance, reaching the threshold passes it.
    CHECK(models::probability_passes({5.0, 0.0}, 5.0, models::Direction::up) == 1.0);
    CHECK(models::probability_passes({5.0, 0.0}, 5.0, models::Direction::down) == 1.0);
    CHECK(models::probability_passes({4.9, 0.0}, 5.0, models::Direction::up) == 0.0);
    // What cannot be a prediction gives no probability.
    CHECK(std::isnan(models::probability_passes({1.0, -1.0}, 0.0, models::Direction::up)));
    CHECK(std::isnan(models::probability_passes({std::nan(""), 1.0}, 0.0, models::Direction::up)));
    CHECK_THROWS_AS(models::prediction_interval(p, 1.5), Error);
}
