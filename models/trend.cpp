#include "models/trend.hpp"

#include <cmath>
#include <limits>


#include "models/check.hpp"
#include "models/error.hpp"
#include "models/ols.hpp"
#include "models/student_t.hpp"

namespace taeval::models {

TrendResult fit_trend(const Eigen::VectorXd& y, const TrendSpec& spec)
{
    return fit_trend(y, Eigen::VectorXd::LinSpaced(y.size(), 0.0, static_cast<double>(y.size() - 1)), spec);
}

TrendResult fit_trend(const Eigen::VectorXd& y, const Eigen::VectorXd& t, const TrendSpec& spec)
{
    constexpr std::string_view fn = "fit_trend";
    check_open_interval(fn, "alpha", spec.alpha, 0.0, 1.0);
    check_size(fn, "t", static_cast<std::size_t>(t.size()), static_cast<std::size_t>(y.size()));
    if (spec.predict_at) check_finite(fn, "predict_at", *spec.predict_at);
    OlsSpec ols;
    ols.cov = spec.cov;
    ols.alpha = spec.alpha;
    auto fit = fit_ols(y, t, {"slope"}, ols);

    TrendResult r;
    r.est = std::move(fit.est);
    r.diag = std::move(fit.diag);
    r.cov_type = fit.cov_type;
    r.hac_lags = fit.hac_lags;
    r.sigma2 = fit.sigma2;
    r.df_inference = fit.df_inference;
    r.slope = r.est.params[1];
    r.slope_se = r.est.se[1];
    if (spec.predict_at) r.prediction = predict(r, *spec.predict_at, spec.alpha);
    return r;
}

TrendPrediction predict(const TrendResult& fit, double t, double alpha)
{
    check_finite("predict", "t", t);
    check_open_interval("predict", "alpha", alpha, 0.0, 1.0);
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    TrendPrediction p;
    p.t = t;
    Eigen::Vector2d x0(1.0, t);
    p.estimate = fit.est.params.size() == 2 ? x0.dot(fit.est.params) : nan;
    p.se = p.pi_low = p.pi_high = nan;
    if (fit.est.cov.rows() != 2 || !fit.est.cov.allFinite() || !std::isfinite(fit.sigma2) || !(fit.df_inference > 0))
        return p;
    p.se = std::sqrt(x0.dot(fit.est.cov * x0) + fit.sigma2);
    const double q = boost::math::quantile(boost::math::complement(StudentT(fit.df_inference), alpha / 2));
    p.pi_low = p.estimate - q * p.se;
    p.pi_high = p.estimate + q * p.se;
    return p;
}

}  // namespace taeval::models
