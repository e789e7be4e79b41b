#pragma once
// A small portfolio bundle with planted effects for the tests of `effects
// --explain` (tests/engine/evaluation/explain_test.cpp, tests/cli): in KEN,
// a yearly indicator with two interventions in the model (2008 and 2015, a
// missing year 2004) and a third starting in its last year (too few
// periods: no estimate); a quarterly indicator with a strong seasonal
// pattern and one intervention (2016-Q1).
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

namespace taeval::test {

inline void write_explain_bundle(const std::filesystem::path& dir)
{
    std::filesystem::create_directories(dir);
    const auto file = [&](const char* name, const std::string& text) { std::ofstream(dir / name) << text; };
    file("states.csv", "iso3,name,region\nKEN,Kenya,Africa\nMEX,Mexico,Americas\n");
    file("providers.csv", "code,name,kind\nUNODC,UN Office on Drugs and Crime,agency\n");
    file("projects.csv", "code,title,provider,area,start,end,recipients\n"
                         "P1,Central authorities,UNODC,international_cooperation,2000-01-01,2030-12-31,KEN\n");
    file("interventions.csv", "code,project,kind,title,state,start,end,cost,participants\n"
                              "I1,P1,mentoring,Mentoring,KEN,2008-03-01,,,\n"
                              "I2,P1,equipment,Case management system,KEN,2015-06-01,,,\n"
                              "I3,P1,training,Training of prosecutors,KEN,2016-02-01,,,\n"
                              "I4,P1,workshop,Late workshop,KEN,2023-07-01,,,\n");
    file("indicators.csv", "code,name,level,measure,direction,unit,frequency,area\n"
                           "CONV,Convictions score,outcome,score,up,points,year,international_cooperation\n"
                           "REQ,Requests answered score,outcome,score,up,points,quarter,international_cooperation\n");
    file("links.csv", "from,to,weight,rationale\nI1,CONV@KEN,1,\nI2,CONV@KEN,1,\nI4,CONV@KEN,1,\nI3,REQ@KEN,1,\n");
    std::mt19937 rng(11);
    std::normal_distribution<double> noise(0.0, 1.0);
    std::ostringstream obs;
    obs.precision(10);
    obs << "indicator,state,period,value,source\n";
    for (int t = 0; t < 24; ++t) {
        const double y = 50 + 1.0 * t + (t >= 8 ? 8 + 0.5 * (t - 8) : 0) + (t >= 15 ? -6 : 0) + noise(rng);
        if (t != 4) obs << "CONV,KEN," << 2000 + t << ',' << y << ",questionnaire\n";
    }
    constexpr double season[4] = {0, 6, -4, 3};
    for (int t = 0; t < 40; ++t) {
        const double y = 100 + 0.5 * t + season[t % 4] + (t >= 24 ? 5 : 0) + noise(rng);
        obs << "REQ,KEN," << 2010 + t / 4 << "-Q" << t % 4 + 1 << ',' << y << ",\n";
    }
    file("observations.csv", obs.str());
}

}  // namespace taeval::test
