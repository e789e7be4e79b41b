#include <iostream>
#include <memory>

#include <boost/algorithm/string/join.hpp>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "engine/storage/database.hpp"
#include "engine/storage/portfolio_store.hpp"

namespace taeval::cli {

namespace {

nlohmann::json optional_text(const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); }

void list(const GlobalOptions& global, const std::string& what, Format format)
{
    const auto database = global.open(engine::storage::Access::read);
    auto& db = *database;
    engine::storage::PortfolioStore store(db);
    TextTable t;
    auto json = nlohmann::json::array();
    if (what == "states") {
        t.header = {"iso3", "name", "region"};
        for (const auto& s : store.states()) {
            t.rows.push_back({s.iso3, s.name, s.region});
            json.push_back({{"iso3", s.iso3}, {"name", s.name}, {"region", s.region}});
        }
    } else if (what == "providers") {
        t.header = {"code", "name", "kind"};
        for (const auto& p : store.providers()) {
            t.rows.push_back({p.code, p.name, p.kind});
            json.push_back({{"code", p.code}, {"name", p.name}, {"kind", p.kind}});
        }
    } else if (what == "projects") {
        t.header = {"code", "title", "provider", "area", "start", "end", "recipients"};
        for (const auto& p : store.projects()) {
            t.rows.push_back({p.code, p.title, p.provider, p.area, p.start, p.end, boost::algorithm::join(p.recipients, ";")});
            json.push_back({{"code", p.code},
                            {"title", p.title},
                            {"provider", p.provider},
                            {"area", p.area},
                            {"start", p.start},
                            {"end", p.end},
                            {"recipients", p.recipients}});
        }
    } else if (what == "interventions") {
        t.header = {"code", "project", "kind", "state", "start", "end", "cost", "participants", "title"};
        t.right = {false, false, false, false, false, false, true, true, false};
        for (const auto& i : store.interventions()) {
            t.rows.push_back({i.code, i.project, i.kind, i.state, i.start, i.end, i.cost ? fmt_number(*i.cost, 10) : "",
                              i.participants ? std::to_string(*i.participants) : "", i.title});
            json.push_back({{"code", i.code},
                            {"project", i.project},
                            {"kind", i.kind},
                            {"title", i.title},
                            {"state", optional_text(i.state)},
                            {"start", i.start},
                            {"end", optional_text(i.end)},
                            {"cost", i.cost ? nlohmann::json(*i.cost) : nlohmann::json(nullptr)},
                            {"participants", i.participants ? nlohmann::json(*i.participants) : nlohmann::json(nullptr)}});
        }
    } else {  // indicators
        namespace ind = taeval::indicators;
        t.header = {"code", "level", "measure", "direction", "frequency", "area", "unit", "name"};
        for (const auto& i : store.indicators()) {
            t.rows.push_back({i.code, std::string(ind::to_string(i.level)), std::string(ind::to_string(i.measure)),
                              std::string(ind::to_string(i.direction)), std::string(ind::to_string(i.frequency)),
                              i.area, i.unit, i.name});
            json.push_back({{"code", i.code},
                            {"name", i.name},
                            {"level", ind::to_string(i.level)},
                            {"measure", ind::to_string(i.measure)},
                            {"direction", ind::to_string(i.direction)},
                            {"unit", i.unit},
                            {"frequency", ind::to_string(i.frequency)},
                            {"area", i.area},
                            {"instrument", optional_text(i.instrument)},
                            {"article", optional_text(i.article)},
                            {"numerator", optional_text(i.numerator)},
                            {"denominator", optional_text(i.denominator)},
                            {"project", optional_text(i.project)},
                            {"aggregation", ind::to_string(i.aggregation)},
                            {"cumulative", i.cumulative}});
        }
    }
    print_listing(std::cout, format, t, json);
}

}  // namespace

void add_list_command(CLI::App& app, const GlobalOptions& global)
{
    auto* cmd = app.add_subcommand("list", "List what the database holds");
    cmd->require_subcommand(1);
    for (const auto* what : {"states", "providers", "projects", "interventions", "indicators"}) {
        auto format = std::make_shared<Format>(Format::table);
        auto* sub = cmd->add_subcommand(what, std::string("List the ") + what);
        add_format_option(*sub, *format);
        sub->callback([&global, name = std::string(what), format] { list(global, name, *format); });
    }
}

}  // namespace taeval::cli
