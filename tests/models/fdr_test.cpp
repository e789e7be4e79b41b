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
