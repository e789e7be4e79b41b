#include "cli/fit_output.hpp"

#include <iostream>

namespace taeval::cli {

nlohmann::json params_json(const models::Estimates& est)
{
    auto params = nlohmann::json::array();
    for (std::size_t i = 0; i < est.size(); ++i) {
        const auto k = static_cast<Eigen::Index>(i);
        params.push_back({{"name", est.names[i]},
                          {"estimate", json_number(est.params[k])},
                          {"se", json_number(est.se[k])},
                          {"ci_low", json_number(est.ci_low[k])},
                          {"ci_high", json_number(est.ci_high[k])},
                          {"t", json_number(est.stat[k])},
                          {"p", json_number(est.p[k])}});
    }
    return params;
}

nlohmann::json fit_json(const std::string& model, const models::Estimates& est, const models::Diagnostics& diag,
                        const std::string& cov_type)
{
    return {{"model", model},
            {"n", diag.n},
            {"n_missing", diag.n_missing},
            {"df_resid", json_number(diag.df_resid)},
            {"params", params_json(est)},
            {"r2", json_number(diag.r2)},
            {"resid_sd", json_number(diag.resid_sd)},
            {"loglik", json_number(diag.loglik)},
            {"cov_type", cov_type},
            {"warnings", diag.warnings}};
}

TextTable params_table(const models::Estimates& est)
{
    TextTable t;
    const int level = static_cast<int>(100 * (1 - est.alpha) + 0.5);
    t.header = {"parameter", "estimate", "se", std::to_string(level) + "% low", std::to_string(level) + "% high",
                "t", "p"};
    t.right = {false, true, true, true, true, true, true};
    for (std::size_t i = 0; i < est.size(); ++i) {
        const auto k = static_cast<Eigen::Index>(i);
        t.rows.push_back({est.names[i], fmt_number(est.params[k]), fmt_number(est.se[k]), fmt_number(est.ci_low[k]),
                          fmt_number(est.ci_high[k]), fmt_number(est.stat[k], 4), fmt_number(est.p[k], 4)});
    }
    return t;
}

void print_warnings(const models::Diagnostics& diag)
{
    for (const auto& w : diag.warnings) std::cerr << "warning: " << w << '\n';
}

}  // namespace taeval::cli
