// `taeval fit fdr`: false-discovery-rate q-values on a CSV file.
// Reads the columns, calls models/, prints the result; no statistics here.
#include <cmath>
#include <iostream>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/fit_common.hpp"
#include "models/fdr.hpp"

namespace taeval::cli {

namespace {

struct FdrArgs {
    std::string csv, p;
    double alpha = 0.05;
    std::string method = "bh";
    Format format = Format::table;
};

void run_fdr(const FdrArgs& a)
{
    const auto table = engine::read_csv_table(a.csv);
    const auto p = table.numeric(a.p, true);
    const auto method = *models::parse_fdr_method(a.method);
    const auto r = models::fdr_control(p, a.alpha, method);
    TextTable t;
    t.header = {"row", "p", "q", "rejected"};
    t.right = {true, true, true, false};
    auto q_values = nlohmann::json::array();
    auto rejected = nlohmann::json::array();
    for (std::size_t i = 0; i < p.size(); ++i) {
        q_values.push_back(json_number(r.q[i]));
        rejected.push_back(r.rejected[i]);
        t.rows.push_back({std::to_string(i), fmt_number(p[i]), fmt_number(r.q[i]),
                          std::isnan(r.q[i]) ? "" : (r.rejected[i] ? "yes" : "no")});
    }
    const char* name = method == models::FdrMethod::bky ? "benjamini-krieger-yekutieli" : "benjamini-hochberg";
    const nlohmann::json json = {{"model", "fdr"},          {"method", name},   {"n", r.m},
                                 {"n_missing", p.size() - r.m}, {"alpha", a.alpha}, {"q_values", q_values},
                                 {"rejected", rejected},     {"n_rejected", r.n_rejected}};
    print_listing(std::cout, a.format, t, json);
    if (a.format == Format::table)
        std::cout << fmt::format("\n{} of {} p-values rejected at false discovery rate {}\n", r.n_rejected, r.m,
                                 fmt_number(a.alpha));
}

}  // namespace

void add_fit_fdr_command(CLI::App& fit)
{
    auto a = std::make_shared<FdrArgs>();
    auto* cmd = fit.add_subcommand("fdr", "False-discovery-rate q-values for a family of p-values");
    cmd->add_option("--csv", a->csv, "CSV file with a header row")->required();
    cmd->add_option("--p", a->p, "p-value column (empty or NA: left out of the family)")->required();
    cmd->add_option("--alpha", a->alpha, "False discovery rate for the rejected column, in (0, 1)")
        ->check(CLI::Range(0.0, 1.0))
        ->capture_default_str();
    cmd->add_option("--method", a->method,
                    "bh: Benjamini-Hochberg; bky: the two-stage adaptive procedure of Benjamini, Krieger and\n"
                    "Yekutieli (its q-values depend on --alpha)")
        ->check(CLI::IsMember({"bh", "bky"}))
        ->capture_default_str();
    add_format_option(*cmd, a->format);
    cmd->footer("Example: taeval fit fdr --csv effects.csv --p p --method bky --format json");
    cmd->callback([a] { run_fdr(*a); });
}

}  // namespace taeval::cli
