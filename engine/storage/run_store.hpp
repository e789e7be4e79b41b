#pragma once
// Evaluation runs and their effects. The only place their SQL lives.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/effect.hpp"
#include "engine/storage/database.hpp"

namespace taeval::engine::storage {

/// One evaluation run.
struct RunInfo {
    std::int64_t id = 0;
    std::string started_at;
    std::string finished_at;
    std::string code_version;
    std::string spec;  ///< JSON
    std::int64_t series = 0;
    std::int64_t effects = 0;
};

/// Which effects to list; empty fields match everything.
struct EffectFilter {
    std::optional<std::int64_t> run;  ///< default: the latest run
    std::string intervention, kind, indicator, state;
    std::optional<Grade> grade;
    bool include_suggested = true;
};

class RunStore {
public:
    explicit RunStore(Database& db) : m_db(db) {}

    /// Records a run and its effects (one transaction); returns the run id.
    std::int64_t save_run(RunInfo run, const std::vector<LinkEffect>& effects);
    [[nodiscard]] std::optional<RunInfo> latest_run();
    [[nodiscard]] std::vector<RunInfo> runs();
    /// Effects with the intervention's kind, project and provider filled in.
    [[nodiscard]] std::vector<LinkEffect> effects(const EffectFilter& filter);

private:
    Database& m_db;
};

}  // namespace taeval::engine::storage
