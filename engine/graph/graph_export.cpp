// The impact graph's exports: Graphviz DOT, GraphML and JSON.
#include <boost/graph/graphviz.hpp>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <ostream>
#include <string>
#include <string_view>

#include "engine/graph/graph_impl.hpp"
#include "engine/graph/impact_graph.hpp"

namespace taeval::engine {

namespace {

std::string format_effect(double value)
{
    if (!std::isfinite(value)) return "n/a";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%+.3g", value);
    return buf;
}

std::string format_number(double value)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", value);
    return buf;
}

std::string_view grade_colour(Grade grade)
{
    switch (grade) {
    case Grade::strong: return "darkgreen";
    case Grade::moderate: return "green3";
    case Grade::weak: return "orange";
    case Grade::none: return "grey50";
    case Grade::insufficient_data: return "lightgrey";
    }
    return "lightgrey";
}

// A DOT double-quoted string: quotes and backslashes escaped, so that no
// name can close the string or start an escape sequence.
std::string dot_quote(std::string_view text)
{
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out + "\"";
}

struct DotVertexWriter {
    const Graph* g;
    void operator()(std::ostream& out, Vertex v) const
    {
        const auto& p = (*g)[v];
        if (p.is_intervention) {
            std::string label = p.name + "\n" + p.kind;
            if (!p.provider.empty()) label += " · " + p.provider;
            out << " [shape=box, label=" << dot_quote(label) << ", tooltip=" << dot_quote(p.title) << "]";
        } else {
            out << " [shape=ellipse, label=" << dot_quote(p.name) << "]";
        }
    }
};

struct DotEdgeWriter {
    const Graph* g;
    void operator()(std::ostream& out, EdgeDesc e) const
    {
        const auto& p = (*g)[e];
        std::string colour;
        std::string style = "solid";
        std::string label;
        if (p.kind == EdgeKind::prerequisite) {
            colour = "black";
            label = "prerequisite";
            if (p.weight != 1) label += " (weight " + format_number(p.weight) + ")";
        } else if (!p.effect) {
            colour = std::string(grade_colour(Grade::insufficient_data));
            style = "dashed";
            label = "not evaluated";
        } else {
            colour = std::string(grade_colour(p.effect->grade));
            if (p.effect->grade == Grade::insufficient_data) style = "dashed";
            label = format_effect(p.effect->average_effect) + " (" + std::string(to_string(p.effect->grade)) + ")";
        }
        if (p.kind == EdgeKind::suggested) {
            style = "dotted";
            label = "suggested: " + label;
        }
        out << "[color=" << dot_quote(colour) << ", fontcolor=" << dot_quote(colour) << ", style=" << style
            << ", label=" << dot_quote(label) << "]";
    }
};

struct DotGraphWriter {
    void operator()(std::ostream& out) const
    {
        out << "rankdir=LR;\n"
               "node [fontname=\"Helvetica\", fontsize=10];\n"
               "edge [fontname=\"Helvetica\", fontsize=9];\n";
    }
};

nlohmann::json number_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

nlohmann::json text_or_null(const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); }

void write_json(std::ostream& out, const Graph& g)
{
    auto vertices = nlohmann::json::array();
    for (auto [v, end] = boost::vertices(g); v != end; ++v) {
        const auto& p = g[*v];
        if (p.is_intervention)
            vertices.push_back({{"id", p.name},
                                {"type", "intervention"},
                                {"kind", p.kind},
                                {"title", p.title},
                                {"project", p.project},
                                {"provider", text_or_null(p.provider)},
                                {"area", text_or_null(p.area)},
                                {"state", text_or_null(p.state)},
                                {"cost", p.cost ? number_or_null(*p.cost) : nlohmann::json(nullptr)}});
        else
            vertices.push_back({{"id", p.name},
                                {"type", "improvement"},
                                {"indicator", p.indicator},
                                {"state", p.state},
                                {"area", text_or_null(p.area)}});
    }
    auto edges = nlohmann::json::array();
    for (auto [e, end] = boost::edges(g); e != end; ++e) {
        const auto& p = g[*e];
        nlohmann::json edge{{"from", g[boost::source(*e, g)].name},
                            {"to", g[boost::target(*e, g)].name},
                            {"link", std::string(to_string(p.kind))},
                            {"weight", p.kind == EdgeKind::suggested ? nlohmann::json(nullptr) : number_or_null(p.weight)}};
        if (p.effect) {
            edge["grade"] = std::string(to_string(p.effect->grade));
            edge["average_effect"] = number_or_null(p.effect->average_effect);
            edge["relative_effect"] = number_or_null(p.effect->relative_effect);
            edge["improvement"] = number_or_null(p.effect->improvement);
            edge["improved"] = p.effect->improved;
            edge["counted"] = p.effect->counted;
        } else {
            for (const char* k : {"grade", "average_effect", "relative_effect", "improvement", "improved"})
                edge[k] = nullptr;
            edge["counted"] = false;
        }
        edges.push_back(std::move(edge));
    }
    out << nlohmann::json{{"vertices", vertices}, {"edges", edges}}.dump(2) << '\n';
}

// GraphML by pugixml rather than boost::write_graphml: that one writes every
// key on every element, so an unevaluated link would carry "nan", which
// GraphML readers (yEd, Gephi) reject; here a missing value is left out, as
// GraphML means it to be.
void write_graphml(std::ostream& out, const Graph& g)
{
    pugi::xml_document doc;
    auto decl = doc.append_child(pugi::node_declaration);
    decl.append_attribute("version") = "1.0";
    decl.append_attribute("encoding") = "UTF-8";
    auto root = doc.append_child("graphml");
    root.append_attribute("xmlns") = "http://graphml.graphdrawing.org/xmlns";
    root.append_attribute("xmlns:xsi") = "http://www.w3.org/2001/XMLSchema-instance";
    root.append_attribute("xsi:schemaLocation") =
        "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd";
    struct Key {
        const char* id;
        const char* for_;
        const char* type;
    };
    for (const Key& k : {Key{"type", "node", "string"}, Key{"kind", "node", "string"}, Key{"title", "node", "string"},
                         Key{"project", "node", "string"}, Key{"provider", "node", "string"},
                         Key{"area", "node", "string"}, Key{"state", "node", "string"},
                         Key{"indicator", "node", "string"}, Key{"cost", "node", "double"},
                         Key{"link", "edge", "string"}, Key{"weight", "edge", "double"},
                         Key{"grade", "edge", "string"}, Key{"average_effect", "edge", "double"},
                         Key{"relative_effect", "edge", "double"}, Key{"improvement", "edge", "double"},
                         Key{"improved", "edge", "boolean"}, Key{"counted", "edge", "boolean"}}) {
        auto key = root.append_child("key");
        key.append_attribute("id") = k.id;
        key.append_attribute("for") = k.for_;
        key.append_attribute("attr.name") = k.id;
        key.append_attribute("attr.type") = k.type;
    }
    auto graph = root.append_child("graph");
    graph.append_attribute("id") = "impact";
    graph.append_attribute("edgedefault") = "directed";
    auto data = [](pugi::xml_node node, const char* key, const std::string& value) {
        if (value.empty()) return;
        auto d = node.append_child("data");
        d.append_attribute("key") = key;
        d.text().set(value.c_str());
    };
    auto number = [&data](pugi::xml_node node, const char* key, double value) {
        if (std::isfinite(value)) data(node, key, format_number(value));
    };
    for (auto [v, end] = boost::vertices(g); v != end; ++v) {
        const auto& p = g[*v];
        auto node = graph.append_child("node");
        node.append_attribute("id") = p.name.c_str();
        data(node, "type", p.is_intervention ? "intervention" : "improvement");
        data(node, "kind", p.kind);
        data(node, "title", p.title);
        data(node, "project", p.project);
        data(node, "provider", p.provider);
        data(node, "area", p.area);
        data(node, "state", p.state);
        data(node, "indicator", p.indicator);
        if (p.cost) number(node, "cost", *p.cost);
    }
    std::size_t n = 0;
    for (auto [e, end] = boost::edges(g); e != end; ++e) {
        const auto& p = g[*e];
        auto edge = graph.append_child("edge");
        edge.append_attribute("id") = ("e" + std::to_string(n++)).c_str();
        edge.append_attribute("source") = g[boost::source(*e, g)].name.c_str();
        edge.append_attribute("target") = g[boost::target(*e, g)].name.c_str();
        data(edge, "link", std::string(to_string(p.kind)));
        if (p.kind != EdgeKind::suggested) number(edge, "weight", p.weight);
        if (p.effect) {
            data(edge, "grade", std::string(to_string(p.effect->grade)));
            number(edge, "average_effect", p.effect->average_effect);
            number(edge, "relative_effect", p.effect->relative_effect);
            number(edge, "improvement", p.effect->improvement);
            data(edge, "improved", p.effect->improved ? "true" : "false");
        }
        data(edge, "counted", counts(p) ? "true" : "false");
    }
    doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
}

}  // namespace

void write_impact_graph(std::ostream& out, const ImpactGraph& graph, ExportFormat format)
{
    const auto& g = check_built(graph).g;
    switch (format) {
    case ExportFormat::dot:
        boost::write_graphviz(out, g, DotVertexWriter{&g}, DotEdgeWriter{&g}, DotGraphWriter{},
                              boost::get(&VertexProps::name, g));
        return;
    case ExportFormat::graphml: write_graphml(out, g); return;
    case ExportFormat::json: write_json(out, g); return;
    }
}

}  // namespace taeval::engine
