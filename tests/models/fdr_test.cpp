#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "models/error.hpp"
#include "models/fdr.hpp"
#include "models/regression_reference.hpp"

using namespace taeval;

TEST_CASE("Benjamini-Hochberg q-values match R p.adjust on the 1995 paper's p-values", "[models][fdr]")
{
    const auto ref = test::read_json(test::reference_path("fdr_bh1995", "expected.json"));
    const auto cols = test::read_numeric_csv(test::reference_path("fdr_bh1995", "data.csv"));
    const auto q = models::bh_qvalues(cols.at("p"));
    const auto expected = ref["q"].get<std::vector<double>>();
    REQUIRE(q.size() == expected.size());
    for (std::size_t i = 0; i < q.size(); ++i) CHECK(test::rel_diff(q[i], expected[i]) < 1e-12);
    // The paper rejects the four smallest at FDR 0.05.
    const auto r = models::fdr_bh(cols.at("p"), 0.05);
    CHECK(r.m == 15);
    CHECK(r.n_rejected == 4);
    CHECK(r.rejected[3]);
    CHECK_FALSE(r.rejected[4]);

    const auto qm = models::bh_qvalues(cols.at("p_missing"));
    const auto& em = ref["q_missing"];
    for (std::size_t i = 0; i < qm.size(); ++i) {
        if (em[i].is_null())
            CHECK(std::isnan(qm[i]));
        else
            CHECK(test::rel_diff(qm[i], em[i].get<double>()) < 1e-12);
    }
}

TEST_CASE("Benjamini-Hochberg edge cases", "[models][fdr]")
{
    CHECK(models::bh_qvalues({}).empty());
    CHECK(models::bh_qvalues({0.3}) == std::vector<double>{0.3});
    const auto all_nan = models::fdr_bh({std::nan(""), std::nan("")});
    CHECK(all_nan.m == 0);
    CHECK(std::isnan(all_nan.q[0]));
    // Ties share a q-value; the order of the input is kept.
    const auto q = models::bh_qvalues({0.04, 0.01, 0.04});
    CHECK(q[0] == Approx(0.04));
    CHECK(q[1] == Approx(0.03));
    CHECK(q[2] == Approx(0.04));
    CHECK_THROWS_AS(models::bh_qvalues({0.2, 1.5}), Error);
    CHECK_THROWS_AS(models::bh_qvalues({-0.1}), Error);
    CHECK_THROWS_AS(models::fdr_bh({0.1}, 0.0), Error);
}

TEST_CASE("two-stage adaptive q-values match statsmodels' fdr_tsbky", "[models][fdr]")
{
    const auto ref = test::read_json(test::reference_path("fdr_bky", "expected.json"));
    REQUIRE(ref["cases"].size() == 8);
    for (const auto& [name, c] : ref["cases"].items()) {
        INFO(name);
        const auto p = c["p"].get<std::vector<double>>();
        const double alpha = c["alpha"].get<double>();
        const auto expected = c["q"].get<std::vector<double>>();
        const auto rejected = c["rejected"].get<std::vector<bool>>();
        const auto r = models::fdr_control(p, alpha, models::FdrMethod::bky);
        REQUIRE(r.q.size() == expected.size());
        for (std::size_t i = 0; i < p.size(); ++i) {
            CHECK(test::rel_diff(r.q[i], expected[i]) < 1e-12);
            CHECK(r.rejected[i] == rejected[i]);
        }
    }
    // On the 1995 paper's p-values the adaptive procedure finds 8 where BH
    // finds 4 (stage one rejects 4 of 15, so m0 = 11).
    const auto& bh1995 = ref["cases"]["bh1995_0.05"];
    const auto p = bh1995["p"].get<std::vector<double>>();
    CHECK(models::fdr_control(p, 0.05, models::FdrMethod::bky).n_rejected == 8);
    CHECK(models::fdr_control(p, 0.05, models::FdrMethod::bh).n_rejected == 4);
}

TEST_CASE("two-stage adaptive q-values: missing p-values, bounds and bad input", "[models][fdr]")
{
    // NaN stays NaN and is left out of m, as in BH.
    const auto q = models::bky_qvalues({0.001, std::nan(""), 0.5, 0.002}, 0.05);
    CHECK(std::isnan(q[1]));
    const auto q3 = models::bky_qvalues({0.001, 0.5, 0.002}, 0.05);
    CHECK(q[0] == q3[0]);
    CHECK(q[2] == q3[1]);
    CHECK(q[3] == q3[2]);
    // Capped at 1.
    for (const double v : models::bky_qvalues({0.99, 0.98, 1.0}, 0.1)) CHECK(v <= 1.0);
    CHECK(models::parse_fdr_method("bky") == models::FdrMethod::bky);
    CHECK(models::parse_fdr_method("bh") == models::FdrMethod::bh);
    CHECK_FALSE(models::parse_fdr_method("BH-adaptive"));
    CHECK_THROWS_AS(models::bky_qvalues({0.1}, 1.0), Error);
    CHECK_THROWS_AS(models::bky_qvalues({1.2}, 0.05), Error);
}
