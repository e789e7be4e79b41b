#include "models/structural_filter.hpp"

#include <cmath>
#include <limits>

namespace taeval::models::structural_detail {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// out = T x, row by row: T of a Layout is sparse (level, slope, the
/// seasonal sum row and a shift), so this costs O(m) per column where a
/// dense product costs O(m^2). The filter's hot spot; `out` must not alias
/// `x`.
template <class In, class Out>
void transition_rows(const Layout& l, const In& x, Out& out)
{
    out.row(0) = x.row(0);
    if (l.slope >= 0) {
        out.row(0) += x.row(l.slope);
        out.row(l.slope) = x.row(l.slope);
    }
    if (l.season >= 0) {
        const Eigen::Index s1 = l.m - l.season;
        out.row(l.season) = -x.middleRows(l.season, s1).colwise().sum();
        for (Eigen::Index i = 1; i < s1; ++i) out.row(l.season + i) = x.row(l.season + i - 1);
    }
}

/// out = x T' = (T x')': transition_rows on the transposes (Eigen's
/// transpose views, no copies); `out` must not alias `x`.
template <class In, class Out>
void transition_cols(const Layout& l, const In& x, Out& out)
{
    auto out_t = out.transpose();
    transition_rows(l, x.transpose(), out_t);
}

/// sqrt(a^2 + b^2), as std::hypot but without its cost where the squares
/// neither overflow nor underflow (nearly always here: the filter's values
/// are scaled by 1/sqrt(F)); std::hypot guards the rest.
double givens_norm(double a, double b)
{
    const double h2 = a * a + b * b;
    if (h2 > std::numeric_limits<double>::min() && h2 < std::numeric_limits<double>::max()) return std::sqrt(h2);
    return std::hypot(a, b);
}

/// P = (P + P') / 2 in place.
void symmetrise(Eigen::MatrixXd& p)
{
    for (Eigen::Index j = 0; j < p.cols(); ++j)
        for (Eigen::Index i = j + 1; i < p.rows(); ++i) p(i, j) = p(j, i) = 0.5 * (p(i, j) + p(j, i));
}

void add_row(Sums& sums, const Eigen::RowVectorXd& w, double v0, double inv_sqrt_f)
{
    const Eigen::Index q1 = sums.R.rows();
    const Eigen::Index q = q1 - 1;
    Eigen::VectorXd& r = sums.row;
    r.head(q) = w.transpose() * inv_sqrt_f;
    r[q] = v0 * inv_sqrt_f;
    for (Eigen::Index j = 0; j < q1; ++j) {
        if (r[j] == 0) continue;
        const double rjj = sums.R(j, j);
        const double h = givens_norm(rjj, r[j]);
        const double c = rjj / h, sn = r[j] / h;
        sums.R(j, j) = h;
        r[j] = 0;
        for (Eigen::Index k = j + 1; k < q1; ++k) {
            const double rk = sums.R(j, k);
            sums.R(j, k) = c * rk + sn * r[k];
            r[k] = -sn * rk + c * r[k];
        }
    }
}

}  // namespace

void transition(const Layout& l, Eigen::MatrixXd& x, Eigen::MatrixXd& scratch)
{
    scratch.resize(x.rows(), x.cols());
    transition_rows(l, x, scratch);
    x.swap(scratch);
}

void transition(const Layout& l, Eigen::VectorXd& x, Eigen::VectorXd& scratch)
{
    scratch.resize(x.size());
    transition_rows(l, x, scratch);
    x.swap(scratch);
}

void propagate(const Layout& l, const Eigen::VectorXd& qdiag, Eigen::MatrixXd& p, Eigen::MatrixXd& scratch)
{
    scratch.resize(p.rows(), p.cols());
    transition_rows(l, p, scratch);
    transition_cols(l, scratch, p);
    p.diagonal() += qdiag;
}

Layout make_layout(const StructuralSpec& spec, Eigen::Index k)
{
    Layout l;
    l.m = 1;
    if (spec.trend == TrendKind::linear_trend) l.slope = l.m++;
    if (spec.season_period >= 2) {
        l.season = l.m;
        l.m += spec.season_period - 1;
    }
    l.k = k;
    l.q = l.m + k;
    return l;
}

System make_system(const Layout& l, const StateSpaceVariances& v)
{
    System s;
    s.T = Eigen::MatrixXd::Zero(l.m, l.m);
    s.Z = Eigen::RowVectorXd::Zero(l.m);
    s.qdiag = Eigen::VectorXd::Zero(l.m);
    s.T(0, 0) = 1;
    s.Z[0] = 1;
    s.qdiag[0] = v.level;
    if (l.slope >= 0) {
        s.T(0, l.slope) = 1;
        s.T(l.slope, l.slope) = 1;
        s.qdiag[l.slope] = std::isnan(v.slope) ? 0.0 : v.slope;
    }
    if (l.season >= 0) {
        const Eigen::Index s1 = l.m - l.season;  // s - 1 seasonal states
        s.T.block(l.season, l.season, 1, s1).setConstant(-1);
        for (Eigen::Index i = 1; i < s1; ++i) s.T(l.season + i, l.season + i - 1) = 1;
        s.Z[l.season] = 1;
        s.qdiag[l.season] = std::isnan(v.seasonal) ? 0.0 : v.seasonal;
    }
    s.h = v.epsilon;
    return s;
}

Gls solve_gls(const Sums& sums, bool want_inverse)
{
    Gls g;
    const Eigen::Index q = sums.R.rows() - 1;
    const auto r11 = sums.R.topLeftCorner(q, q);
    // Each diffuse element must be identified: the part of its column not
    // explained by the earlier ones must not vanish (scale-free test).
    for (Eigen::Index i = 0; i < q; ++i) {
        const double col = r11.col(i).head(i + 1).norm();
        if (!(std::abs(r11(i, i)) > 1e-9 * col) || col == 0) return g;
    }
    g.ok = true;
    g.log_det = 2 * r11.diagonal().array().abs().log().sum();
    g.delta = r11.triangularView<Eigen::Upper>().solve(sums.R.col(q).head(q));
    g.rss = sums.R(q, q) * sums.R(q, q);
    if (want_inverse) {
        const Eigen::MatrixXd rinv =
            r11.triangularView<Eigen::Upper>().solve(Eigen::MatrixXd::Identity(q, q));
        g.s_inv = rinv * rinv.transpose();
    }
    return g;
}

void pass(const System& sys, const Layout& l, const Eigen::VectorXd& y, const Eigen::MatrixXd& x, Sums& sums,
          Store* store, StructuralResult* r, StructuralEndState* end)
{
    const Eigen::Index n = y.size();
    Eigen::VectorXd a0 = Eigen::VectorXd::Zero(l.m), m_vec(l.m), kgain(l.m), tmp_v(l.m);
    Eigen::MatrixXd A = Eigen::MatrixXd::Zero(l.m, l.q), P = Eigen::MatrixXd::Zero(l.m, l.m);
    A.leftCols(l.m).setIdentity();
    Eigen::MatrixXd tmp_a(l.m, l.q), tmp_p(l.m, l.m);
    Eigen::RowVectorXd w(l.q);
    sums.R = Eigen::MatrixXd::Zero(l.q + 1, l.q + 1);
    sums.row.resize(l.q + 1);
    sums.sum_log_f = 0;
    sums.n_obs = 0;
    for (Eigen::Index t = 0; t < n; ++t) {
        w.noalias() = sys.Z * A;
        if (l.k > 0) w.tail(l.k) += x.row(t);
        const bool observed = !std::isnan(y[t]);
        double v0 = nan, f = nan;
        if (store != nullptr && r != nullptr) {
            // One-step prediction with delta estimated from y_1..y_{t-1}.
            const Gls before = solve_gls(sums, true);
            if (before.ok && observed) {
                const double pv = y[t] - sys.Z.dot(a0) - w.dot(before.delta);
                const double pf = sys.Z.dot(P * sys.Z.transpose()) + sys.h + w * before.s_inv * w.transpose();
                r->innovation[t] = pv;
                r->innovation_var[t] = pf;
                r->std_resid[t] = pv / std::sqrt(pf);
            }
        }
        if (observed) {
            m_vec.noalias() = P * sys.Z.transpose();
            f = sys.Z.dot(m_vec) + sys.h;
            v0 = y[t] - sys.Z.dot(a0);
            const double inv_f = 1 / f;
            add_row(sums, w, v0, std::sqrt(inv_f));
            sums.sum_log_f += std::log(f);
            ++sums.n_obs;
            tmp_v.noalias() = m_vec * inv_f;
            transition_rows(l, tmp_v, kgain);
            if (store != nullptr && r != nullptr) {
                const Gls after = solve_gls(sums, true);
                if (after.ok) {
                    // a_{t|t}(delta) = a0 + M v0/F + (A - M W/F) delta.
                    const Eigen::VectorXd b = a0 + m_vec * (v0 * inv_f);
                    const Eigen::RowVectorXd brow = A.row(0) - m_vec[0] * w * inv_f;
                    r->level_filtered[t] = b[0] + brow.dot(after.delta);
                    r->level_filtered_var[t] =
                        P(0, 0) - m_vec[0] * m_vec[0] * inv_f + brow * after.s_inv * brow.transpose();
                }
            }
            transition_rows(l, a0, tmp_v);
            a0 = tmp_v + kgain * v0;
            transition_rows(l, A, tmp_a);
            A = tmp_a;
            A.noalias() -= kgain * w;
            // m_vec / F as a plain vector: the outer product then needs no
            // temporary (P's m x m temporaries, freed every period, were a
            // third of a fit's time in the allocator).
            tmp_v.noalias() = m_vec * inv_f;
            P.noalias() -= tmp_v * m_vec.transpose();
        } else {
            if (store != nullptr && r != nullptr) {
                const Gls now = solve_gls(sums, true);
                if (now.ok) {
                    r->level_filtered[t] = a0[0] + A.row(0).dot(now.delta);
                    r->level_filtered_var[t] = P(0, 0) + A.row(0) * now.s_inv * A.row(0).transpose();
                }
            }
            transition_rows(l, a0, tmp_v);
            a0 = tmp_v;
            transition_rows(l, A, tmp_a);
            A = tmp_a;
        }
        if (store != nullptr) {
            store->v0.push_back(v0);
            store->f.push_back(f);
            store->w.push_back(w);
            store->k.push_back(observed ? kgain : Eigen::VectorXd::Zero(l.m));
            store->observed.push_back(observed ? 1 : 0);
        }
        // P_{t+1} = T P_{t|t} T' + Q (P already holds P_{t|t}).
        transition_rows(l, P, tmp_p);
        transition_cols(l, tmp_p, P);
        P.diagonal() += sys.qdiag;
        symmetrise(P);
        if (store != nullptr && t + 1 < n) {
            store->a0.push_back(a0);
            store->A.push_back(A);
            store->P.push_back(P);
        }
    }
    if (end != nullptr) {
        end->a0 = a0;
        end->A = A;
        end->P = P;
    }
}

double loglik_from(const Sums& sums, const Gls& g)
{
    return -0.5 * static_cast<double>(sums.n_obs) * log_2pi - 0.5 * sums.sum_log_f - 0.5 * g.rss -
           0.5 * g.log_det;
}

}  // namespace taeval::models::structural_detail
