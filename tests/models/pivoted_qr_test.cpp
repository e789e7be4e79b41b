#include <catch2/catch.hpp>

#include <vector>

#include <Eigen/QR>

#include "models/pivoted_qr.hpp"

using namespace taeval;

namespace {

struct Factors {
    Eigen::MatrixXd qr;
    Eigen::VectorXd tau;
    std::vector<Eigen::Index> perm;
    Eigen::Index rank = 0;
};

Factors factor(const Eigen::MatrixXd& a)
{
    Factors f;
    f.qr = a;
    f.tau.resize(std::min(a.rows(), a.cols()));
    f.perm.resize(static_cast<std::size_t>(a.cols()));
    std::vector<double> work(static_cast<std::size_t>(2 * a.cols()));
    f.rank = models::detail::pivoted_qr_in_place(f.qr, f.tau.data(), f.perm.data(), work.data());
    return f;
}

// Q R P' rebuilt from the factors.
Eigen::MatrixXd rebuild(const Factors& f)
{
    const Eigen::Index n = f.qr.rows();
    const Eigen::Index k = f.qr.cols();
    Eigen::MatrixXd r = f.qr.triangularView<Eigen::Upper>();
    Eigen::MatrixXd qr = Eigen::MatrixXd::Zero(n, k);
    // Q = H_0 H_1 ... H_{s-1}: apply the reflectors in reverse to R.
    for (Eigen::Index s = static_cast<Eigen::Index>(f.tau.size()) - 1; s >= 0; --s) {
        Eigen::VectorXd v = Eigen::VectorXd::Zero(n);
        v[s] = 1;
        v.tail(n - s - 1) = f.qr.col(s).tail(n - s - 1);
        r -= f.tau[s] * v * (v.transpose() * r);
    }
    for (Eigen::Index i = 0; i < k; ++i) qr.col(f.perm[static_cast<std::size_t>(i)]) = r.col(i);
    return qr;
}

}  // namespace

TEST_CASE("the pivoted QR matches Eigen's ColPivHouseholderQR", "[models][pivoted_qr]")
{
    Eigen::MatrixXd a(7, 4);
    a << 1, 0, 3.5, 2, 1, 1, -1, 4, 1, 2, 0.25, 8, 1, 3, 7, 1, 1, 4, 2, 0, 1, 5, -3, 3, 1, 6, 1, 9;
    const auto f = factor(a);
    const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> eigen(a);
    CHECK(f.rank == eigen.rank());
    for (Eigen::Index i = 0; i < a.cols(); ++i) CHECK(f.perm[static_cast<std::size_t>(i)] == eigen.colsPermutation().indices()[i]);
    const Eigen::MatrixXd r = f.qr.triangularView<Eigen::Upper>();
    const Eigen::MatrixXd r_eigen = eigen.matrixQR().triangularView<Eigen::Upper>();
    CHECK((r - r_eigen).norm() <= 1e-12 * r_eigen.norm());
    CHECK((rebuild(f) - a).norm() <= 1e-12 * a.norm());

    Eigen::VectorXd y = Eigen::VectorXd::LinSpaced(7, -1, 2);
    Eigen::VectorXd qty = y;
    models::detail::apply_qt(f.qr, f.tau.data(), f.rank, qty);
    const Eigen::VectorXd qty_eigen = eigen.householderQ().adjoint() * y;
    CHECK((qty - qty_eigen).norm() <= 1e-12 * y.norm());
}

TEST_CASE("the pivoted QR reveals the rank of a deficient design", "[models][pivoted_qr]")
{
    SECTION("a column twice another")
    {
        Eigen::MatrixXd a(6, 3);
        a << 1, 1, 2, 1, 2, 4, 1, 3, 6, 1, 4, 8, 1, 5, 10, 1, 6, 12;
        const auto f = factor(a);
        CHECK(f.rank == 2);
        CHECK(f.rank == Eigen::ColPivHouseholderQR<Eigen::MatrixXd>(a).rank());
        CHECK((rebuild(f) - a).norm() <= 1e-12 * a.norm());
    }
    SECTION("a zero column and more columns than rows")
    {
        Eigen::MatrixXd a(2, 3);
        a << 1, 0, 2, 3, 0, 1;
        const auto f = factor(a);
        CHECK(f.rank == 2);
        CHECK(f.perm[2] == 1);
        CHECK((rebuild(f) - a).norm() <= 1e-12 * a.norm());
    }
    SECTION("all zeros")
    {
        const auto f = factor(Eigen::MatrixXd::Zero(4, 2));
        CHECK(f.rank == 0);
    }
}
