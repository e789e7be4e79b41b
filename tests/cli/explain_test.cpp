// `taeval effects --explain` and `taeval series` through the executable, as a
// user runs them: the printed `fit its` command, run by the shell, gives the
// stored level change, its se and interval.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "support/explain_bundle.hpp"

namespace fs = std::filesystem;

namespace {

const std::string taeval_exe = TAEVAL_EXE;

struct Run {
    int status = -1;
    std::string out, err;
};

std::string slurp(const fs::path& p)
{
    std::ifstream f(p);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

// A fresh directory with the bundle imported into t.db.
struct Workspace {
    fs::path dir = fs::temp_directory_path() / ("taeval_cli_explain_" + std::to_string(::getpid()));
    Workspace()
    {
        fs::remove_all(dir);
        taeval::test::write_explain_bundle(dir / "bundle");
        REQUIRE(taeval("import " + (dir / "bundle").string()).status == 0);
    }
    ~Workspace() { fs::remove_all(dir); }

    // Runs a shell command line, its output captured.
    Run shell(const std::string& line) const
    {
        const auto out = dir / "stdout", err = dir / "stderr";
        const int raw = std::system((line + " >" + out.string() + " 2>" + err.string()).c_str());
        return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(out), slurp(err)};
    }
    Run taeval(const std::string& args) const
    {
        return shell(taeval_exe + " --db " + (dir / "t.db").string() + " " + args);
    }
};

void check_close(const nlohmann::json& a, const nlohmann::json& b)
{
    CHECK(a.get<double>() == Approx(b.get<double>()).epsilon(1e-6));
}

// Explains the link, runs the printed command, and checks that it gives the
// stored level change; returns the explanation.
nlohmann::json check_reproduces(const Workspace& w, const std::string& intervention, const std::string& series)
{
    const auto csv = w.dir / (intervention + ".csv");
    const auto x = w.taeval("effects --explain " + intervention + " " + series + " --out " + csv.string() +
                            " --format json");
    REQUIRE(x.status == 0);
    const auto j = nlohmann::json::parse(x.out);
    CHECK(j["reproduces"] == true);
    CHECK(fs::exists(csv));
    std::string command = j["command"];
    REQUIRE(command.rfind("taeval fit its ", 0) == 0);
    const auto fit = w.shell(taeval_exe + command.substr(6) + " --format json");
    REQUIRE(fit.status == 0);
    const auto params = nlohmann::json::parse(fit.out)["params"];
    const auto p = std::find_if(params.begin(), params.end(),
                                [&](const nlohmann::json& q) { return q["name"] == j["parameter"]; });
    REQUIRE(p != params.end());
    const auto& lc = j["level_change"];
    for (const char* field : {"estimate", "se", "ci_low", "ci_high"}) {
        CAPTURE(field);
        check_close((*p)[field], lc[field]);
    }
    // And the stored effect is the one `effects` lists.
    const auto listed = nlohmann::json::parse(w.taeval("effects --intervention " + intervention + " --format json").out);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["level_change"]["estimate"].get<double>() == lc["estimate"].get<double>());
    return j;
}

}  // namespace

TEST_CASE("effects --explain prints a fit its command that reproduces the stored level change", "[cli][explain]")
{
    Workspace w;
    const auto before = w.taeval("effects --explain I1 CONV@KEN");
    CHECK(before.status == 2);
    CHECK_THAT(before.err, Catch::Contains("no evaluation yet"));
    REQUIRE(w.taeval("evaluate --no-suggest").status == 0);

    SECTION("a yearly series with two breaks in the model and a gap")
    {
        for (const char* i : {"I1", "I2"}) {
            const auto j = check_reproduces(w, i, "CONV@KEN");
            CHECK(j["breaks"].size() == 2);
            CHECK(j["breaks"][1]["period"] == "2015");
            CHECK(j["season_period"] == 0);
            CHECK(j["errors"] == "ar1");
            CHECK(j["method"] == "reml");
            CHECK(j["parameter"] == (std::string(i) == "I1" ? "level_change_1" : "level_change_2"));
        }
        const auto csv = slurp(w.dir / "I1.csv");
        CHECK(csv.rfind("t,period,value,intercept,time,level_change_1,slope_change_1,level_change_2,"
                        "slope_change_2\n",
                        0) == 0);
        CHECK_THAT(csv, Catch::Contains("\n4,2004,,1,4,0,0,0,0\n"));  // the missing year keeps its row
    }
    SECTION("a quarterly series whose seasonal terms stay")
    {
        const auto j = check_reproduces(w, "I3", "REQ@KEN");
        CHECK(j["season_period"] == 4);
        CHECK_THAT(j["command"].get<std::string>(), Catch::Contains("--season 4 --errors ar1 --method reml"));
    }
    SECTION("the table names the design and the command")
    {
        const auto t = w.taeval("effects --explain I2 CONV@KEN --out " + (w.dir / "t.csv").string());
        CHECK(t.status == 0);
        CHECK_THAT(t.out, Catch::Contains("row 15 (2015) <- this link"));
        CHECK_THAT(t.out, Catch::Contains("--errors ar1 --method reml --phi-uncertainty integrated --alpha 0.05"));
        CHECK_THAT(t.out, Catch::Contains("and read level_change_2."));
    }
    SECTION("a series changed since the run")
    {
        fs::create_directories(w.dir / "more");
        std::ofstream(w.dir / "more" / "observations.csv") << "indicator,state,period,value,source\nCONV,KEN,2004,90,\n";
        REQUIRE(w.taeval("import " + (w.dir / "more").string()).status == 0);
        const auto r = w.taeval("effects --explain I2 CONV@KEN --format json --out " + (w.dir / "c.csv").string());
        CHECK(r.status == 0);
        CHECK(nlohmann::json::parse(r.out)["reproduces"] == false);
        CHECK_THAT(r.err, Catch::Contains("no longer gives the estimate stored by run 1"));
    }
    SECTION("how it fails")
    {
        const auto fails = [&](const std::string& args, int status, const std::string& words) {
            const auto r = w.taeval(args);
            CAPTURE(args, r.out, r.err);
            CHECK(r.status == status);
            CHECK_THAT(r.err, Catch::Contains(words));
        };
        fails("effects --explain I9 CONV@KEN", 2, "no intervention 'I9'");
        fails("effects --explain I1 NOPE@KEN", 2, "no indicator 'NOPE'");
        fails("effects --explain I1 CONV@XXX", 2, "no state 'XXX'");
        fails("effects --explain I3 CONV@KEN", 2, "run 1 has no effect of I3 -> CONV@KEN");
        fails("effects --explain I4 CONV@KEN", 2, "no estimate of I4 -> CONV@KEN (grade insufficient_data");
        fails("effects --explain I1 CONV@KEN --run 9", 2, "no evaluation run 9");
        fails("effects --explain I1 CONV", 1, "a series is IND@ISO3");
        fails("effects --explain I1 CONV@KEN --format csv", 1, "--format is table or json");
        fails("effects --out x.csv", 1, "--out goes with --explain");
    }
}

TEST_CASE("fit its takes the AR(1) method, prais by default", "[cli][explain]")
{
    Workspace w;
    REQUIRE(w.taeval("evaluate --no-suggest").status == 0);
    const auto csv = (w.dir / "s.csv").string();
    REQUIRE(w.taeval("effects --explain I2 CONV@KEN --out " + csv).status == 0);
    const auto fit = [&](const std::string& options) {
        const auto r = w.taeval("fit its --csv " + csv + " --y value --break 8,15 --format json " + options);
        CAPTURE(options, r.err);
        REQUIRE(r.status == 0);
        return nlohmann::json::parse(r.out);
    };
    const auto plain = fit("--errors ar1");
    CHECK(plain["cov_type"] == "AR1");
    CHECK(plain["method"] == "prais");
    CHECK(plain["params"] == fit("--errors ar1 --method prais")["params"]);
    CHECK(fit("--errors ar1 --method reml")["cov_type"] == "AR1-REML");
    const auto ml = fit("--errors ar1 --method ml");
    CHECK(ml["cov_type"] == "AR1-ML");
    CHECK(ml["params"] != plain["params"]);
    const auto bad = w.taeval("fit its --csv " + csv + " --y value --break 8 --method reml");
    CHECK(bad.status == 1);
    CHECK_THAT(bad.err, Catch::Contains("--method needs --errors ar1"));
}

TEST_CASE("series lists one series with the file and line of each value", "[cli][series]")
{
    Workspace w;
    const auto j = nlohmann::json::parse(w.taeval("series CONV@KEN --format json").out);
    REQUIRE(j.size() == 23);
    CHECK(j[0]["period"] == "2000");
    CHECK(j[0]["source"] == "questionnaire");
    CHECK(j[0]["file"] == "observations.csv");
    CHECK(j[0]["line"] == 2);
    CHECK(j[4]["period"] == "2005");  // 2004 was not reported
    const auto csv = w.taeval("series REQ@KEN --format csv");
    CHECK(csv.status == 0);
    CHECK(csv.out.rfind("period,value,source,file,line\n2010-Q1,", 0) == 0);
    const auto none = w.taeval("series CONV@MEX");
    CHECK(none.status == 0);
    CHECK_THAT(none.err, Catch::Contains("no reported value of CONV@MEX"));
    const auto bad = w.taeval("series CONV@XXX");
    CHECK(bad.status == 2);
    CHECK_THAT(bad.err, Catch::Contains("no state 'XXX'"));
    CHECK(w.taeval("series CONV").status == 1);
}
