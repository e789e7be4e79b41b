#include "engine/storage/run_store.hpp"

#include <nlohmann/json.hpp>

#include <cmath>

#include "engine/storage/connection.hpp"
#include "models/error.hpp"

namespace taeval::engine::storage {

namespace {

void bind_number(SQLite::Statement& s, int index, double v)
{
    if (std::isfinite(v))
        s.bind(index, v);
    else
        s.bind(index);  // NULL: JSON and SQL have no NaN
}

double number(const SQLite::Column& c)
{
    return c.isNull() ? std::numeric_limits<double>::quiet_NaN() : c.getDouble();
}

}  // namespace

std::int64_t RunStore::save_run(RunInfo run, const std::vector<LinkEffect>& effects)
{
    auto& db = m_db.connection().db;
    Database::Transaction tx(m_db);
    SQLite::Statement ins_run(db, "INSERT INTO runs(started_at, finished_at, code_version, spec, series, effects) "
                                  "VALUES (?,?,?,?,?,?)");
    ins_run.bind(1, run.started_at);
    ins_run.bind(2, run.finished_at);
    ins_run.bind(3, run.code_version);
    ins_run.bind(4, run.spec);
    ins_run.bind(5, run.series);
    ins_run.bind(6, static_cast<std::int64_t>(effects.size()));
    ins_run.exec();
    const std::int64_t id = db.getLastInsertRowid();

    SQLite::Statement ins(db,
                          "INSERT INTO effects(run_id, intervention, indicator_id, state_id, declared, start_period, "
                          "level_est, level_se, level_lo, level_hi, level_p, level_q, "
                          "slope_est, slope_se, slope_lo, slope_hi, slope_p, slope_q, "
                          "avg_est, avg_se, avg_lo, avg_hi, avg_p, avg_q, rel_est, rel_lo, rel_hi, "
                          "cf_est, cf_lo, cf_hi, cf_p, grade, improved, n_pre, n_post, warnings, "
                          "det_test, det_stat, det_df, det_df_resid, det_p, det_q) "
                          "SELECT ?, ?, i.id, s.id, ?, ?, ?,?,?,?,?,?, ?,?,?,?,?,?, ?,?,?,?,?,?, ?,?,?, ?,?,?,?, ?,?,?,?,?, "
                          "?,?,?,?,?,? "
                          "FROM indicators i, states s WHERE i.code = ? AND s.iso3 = ?");
    for (const auto& e : effects) {
        int k = 1;
        ins.bind(k++, id);
        ins.bind(k++, e.intervention);
        ins.bind(k++, e.declared ? 1 : 0);
        ins.bind(k++, e.start_period);
        for (const auto* est : {&e.level_change, &e.slope_change, &e.average_effect}) {
            bind_number(ins, k++, est->estimate);
            bind_number(ins, k++, est->se);
            bind_number(ins, k++, est->ci_low);
            bind_number(ins, k++, est->ci_high);
            bind_number(ins, k++, est->p);
            bind_number(ins, k++, est->q);
        }
        bind_number(ins, k++, e.relative_effect.estimate);
        bind_number(ins, k++, e.relative_effect.ci_low);
        bind_number(ins, k++, e.relative_effect.ci_high);
        const EffectInterval cf = e.counterfactual_average.value_or(EffectInterval{});
        bind_number(ins, k++, cf.estimate);
        bind_number(ins, k++, cf.ci_low);
        bind_number(ins, k++, cf.ci_high);
        bind_number(ins, k++, e.counterfactual_p);
        ins.bind(k++, std::string(to_string(e.grade)));
        ins.bind(k++, e.improved ? 1 : 0);
        ins.bind(k++, static_cast<std::int64_t>(e.n_pre));
        ins.bind(k++, static_cast<std::int64_t>(e.n_post));
        ins.bind(k++, nlohmann::json(e.warnings).dump());
        if (e.detection) {
            const Detection& d = *e.detection;
            ins.bind(k++, std::string(to_string(d.test)));
            for (const double v : {d.statistic, d.df, d.df_resid, d.p, d.q}) bind_number(ins, k++, v);
        } else {
            for (int i = 0; i < 6; ++i) ins.bind(k++);  // NULL
        }
        ins.bind(k++, e.indicator);
        ins.bind(k++, e.state);
        if (ins.exec() != 1)
            throw Error(ErrorCode::internal, "effect of " + e.intervention + " on " + e.indicator + "@" + e.state +
                                                 ": unknown indicator or state");
        ins.reset();
    }
    tx.commit();
    return id;
}

namespace {
RunInfo read_run(SQLite::Statement& s)
{
    return {s.getColumn(0).getInt64(),  s.getColumn(1).getString(), s.getColumn(2).isNull() ? "" : s.getColumn(2).getString(),
            s.getColumn(3).getString(), s.getColumn(4).getString(), s.getColumn(5).getInt64(),
            s.getColumn(6).getInt64()};
}
constexpr const char* run_columns = "SELECT id, started_at, finished_at, code_version, spec, series, effects FROM runs ";
}  // namespace

std::optional<RunInfo> RunStore::latest_run()
{
    SQLite::Statement s(m_db.connection().db, std::string(run_columns) + "ORDER BY id DESC LIMIT 1");
    if (!s.executeStep()) return std::nullopt;
    return read_run(s);
}

std::vector<RunInfo> RunStore::runs()
{
    SQLite::Statement s(m_db.connection().db, std::string(run_columns) + "ORDER BY id");
    std::vector<RunInfo> out;
    while (s.executeStep()) out.push_back(read_run(s));
    return out;
}

std::vector<LinkEffect> RunStore::effects(const EffectFilter& f)
{
    std::optional<std::int64_t> run = f.run;
    if (!run) {
        const auto latest = latest_run();
        if (!latest) return {};
        run = latest->id;
    }
    SQLite::Statement s(m_db.connection().db,
                        "SELECT e.run_id, e.intervention, v.kind, v.project, p.provider, i.code, s.iso3, e.start_period, "
                        "e.level_est, e.level_se, e.level_lo, e.level_hi, e.level_p, e.level_q, "
                        "e.slope_est, e.slope_se, e.slope_lo, e.slope_hi, e.slope_p, e.slope_q, "
                        "e.avg_est, e.avg_se, e.avg_lo, e.avg_hi, e.avg_p, e.avg_q, e.rel_est, e.rel_lo, e.rel_hi, "
                        "e.cf_est, e.cf_lo, e.cf_hi, e.cf_p, e.grade, e.improved, e.n_pre, e.n_post, e.warnings, "
                        "e.declared, e.det_test, e.det_stat, e.det_df, e.det_df_resid, e.det_p, e.det_q "
                        "FROM effects e JOIN interventions v ON v.code = e.intervention "
                        "JOIN projects p ON p.code = v.project JOIN indicators i ON i.id = e.indicator_id "
                        "JOIN states s ON s.id = e.state_id WHERE e.run_id = ? "
                        "AND (? = '' OR e.intervention = ?) AND (? = '' OR v.kind = ?) AND (? = '' OR i.code = ?) "
                        "AND (? = '' OR s.iso3 = ?) AND (? = '' OR e.grade = ?) AND (? OR e.declared = 1) "
                        "ORDER BY e.intervention, i.code, s.iso3");
    int k = 1;
    s.bind(k++, *run);
    for (const auto* v : {&f.intervention, &f.kind, &f.indicator, &f.state}) {
        s.bind(k++, *v);
        s.bind(k++, *v);
    }
    const std::string grade = f.grade ? std::string(to_string(*f.grade)) : "";
    s.bind(k++, grade);
    s.bind(k++, grade);
    s.bind(k++, f.include_suggested ? 1 : 0);
    std::vector<LinkEffect> out;
    while (s.executeStep()) {
        LinkEffect e;
        int c = 0;
        e.run = s.getColumn(c++).getInt64();
        e.intervention = s.getColumn(c++).getString();
        e.kind = s.getColumn(c++).getString();
        e.project = s.getColumn(c++).getString();
        e.provider = s.getColumn(c++).getString();
        e.indicator = s.getColumn(c++).getString();
        e.state = s.getColumn(c++).getString();
        e.start_period = s.getColumn(c++).getString();
        for (auto* est : {&e.level_change, &e.slope_change, &e.average_effect}) {
            est->estimate = number(s.getColumn(c++));
            est->se = number(s.getColumn(c++));
            est->ci_low = number(s.getColumn(c++));
            est->ci_high = number(s.getColumn(c++));
            est->p = number(s.getColumn(c++));
            est->q = number(s.getColumn(c++));
        }
        e.relative_effect = {number(s.getColumn(c)), number(s.getColumn(c + 1)), number(s.getColumn(c + 2))};
        c += 3;
        if (!s.getColumn(c).isNull())
            e.counterfactual_average = EffectInterval{number(s.getColumn(c)), number(s.getColumn(c + 1)),
                                                      number(s.getColumn(c + 2))};
        c += 3;
        e.counterfactual_p = number(s.getColumn(c++));
        e.grade = parse_grade(s.getColumn(c++).getString()).value_or(Grade::insufficient_data);
        e.improved = s.getColumn(c++).getInt() != 0;
        e.n_pre = static_cast<std::size_t>(s.getColumn(c++).getInt64());
        e.n_post = static_cast<std::size_t>(s.getColumn(c++).getInt64());
        e.warnings = nlohmann::json::parse(s.getColumn(c++).getString()).get<std::vector<std::string>>();
        e.declared = s.getColumn(c++).getInt() != 0;
        if (!s.getColumn(c).isNull()) {
            Detection d;
            d.test = parse_detection_test(s.getColumn(c).getString()).value_or(DetectionTest::F);
            d.statistic = number(s.getColumn(c + 1));
            d.df = number(s.getColumn(c + 2));
            d.df_resid = number(s.getColumn(c + 3));
            d.p = number(s.getColumn(c + 4));
            d.q = number(s.getColumn(c + 5));
            e.detection = d;
        }
        out.push_back(std::move(e));
    }
    return out;
}

}  // namespace taeval::engine::storage
