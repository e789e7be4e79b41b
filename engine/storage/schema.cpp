#include "engine/storage/schema.hpp"

#include <array>

namespace taeval::engine::storage {

namespace {

// Version 1: the portfolio bundle. Every row carries the batch (and source
// line) that brought it. Surrogate integer keys for states and indicators keep
// the observation table, by far the largest, small and fast to fill.
constexpr std::string_view v1 = R"sql(
CREATE TABLE import_batches (
  id INTEGER PRIMARY KEY,
  file TEXT NOT NULL,
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  rows INTEGER NOT NULL,
  imported_at TEXT NOT NULL
);
CREATE INDEX import_batches_sha ON import_batches(file, sha256);

CREATE TABLE states (
  id INTEGER PRIMARY KEY,
  iso3 TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  region TEXT NOT NULL,
  batch_id INTEGER NOT NULL REFERENCES import_batches(id),
  line INTEGER NOT NULL
);

CREATE TABLE providers (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('donor','agency','ngo','government')),
  batch_id INTEGER NOT NULL REFERENCES import_batches(id),
  line INTEGER NOT NULL
);

CREATE TABLE projects (
  code TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  provider TEXT NOT NULL REFERENCES providers(code),
  area TEXT NOT NULL,
  start TEXT NOT NULL,
  end TEXT NOT NULL,
  batch_id INTEGER NOT NULL REFERENCES import_batches(id),
  line INTEGER NOT NULL
);

CREATE TABLE project_recipients (
  project TEXT NOT NULL REFERENCES projects(code) ON DELETE CASCADE,
  state_id INTEGER NOT NULL REFERENCES states(id),
  PRIMARY KEY (project, state_id)
) WITHOUT ROWID;

CREATE TABLE interventions (
  code TEXT PRIMARY KEY,
  project TEXT NOT NULL REFERENCES projects(code),
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  state_id INTEGER REFERENCES states(id),
  start TEXT NOT NULL,
  end TEXT,
  cost REAL,
  participants INTEGER,
  batch_id INTEGER NOT NULL REFERENCES import_batches(id),
  line INTEGER NOT NULL
);

CREATE TABLE indicators (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  level TEXT NOT NULL,
  measure TEXT NOT NULL,
  direction TEXT NOT NULL,
  unit TEXT NOT NULL,
  frequency TEXT NOT NULL,
  area TEXT NOT NULL,
  instrument TEXT,
  article TEXT,
  numerator TEXT,
  denominator TEXT,
  project TEXT REFERENCES projects(code),
  aggregation TEXT NOT NULL,
  cumulative INTEGER NOT NULL DEFAULT 0,
  batch_id INTEGER NOT NULL REFERENCES import_batches(id),
  line INTEGER NOT NULL
);

CREATE TABLE targets (
  indicator_id INTEGER NOT NULL REFERENCES indicators(id),
  state_id INTEGER REFERENCES states(id),
  kind TEXT NOT NULL CHECK (kind IN ('baseline','target')),
  date TEXT NOT NULL,
  value REAL NOT NULL,
  batch_id INTEGER NOT NULL REFERENCES import_batches(id),
  line INTEGER NOT NULL
);
-- A NULL state (all states) is its own key: use 0 in the index.
CREATE UNIQUE INDEX targets_key ON targets(indicator_id, IFNULL(state_id, 0), kind, date);

CREATE TABLE observations (
  indicator_id INTEGER NOT NULL REFERENCES indicators(id),
  state_id INTEGER NOT NULL REFERENCES states(id),
  period TEXT NOT NULL,
  -- '' for a total; else the canonical breakdown 'age_group=18-24;sex=female'
  -- (keys sorted), so totals and breakdowns are kept apart.
  breakdown TEXT NOT NULL DEFAULT '',
  value REAL NOT NULL,
  source TEXT,
  batch_id INTEGER NOT NULL REFERENCES import_batches(id),
  line INTEGER NOT NULL,
  PRIMARY KEY (indicator_id, state_id, period, breakdown)
) WITHOUT ROWID;

CREATE TABLE links (
  id INTEGER PRIMARY KEY,
  from_intervention TEXT NOT NULL REFERENCES interventions(code),
  to_intervention TEXT REFERENCES interventions(code),
  to_indicator_id INTEGER REFERENCES indicators(id),
  to_state_id INTEGER REFERENCES states(id),
  weight REAL NOT NULL DEFAULT 1,
  rationale TEXT,
  batch_id INTEGER NOT NULL REFERENCES import_batches(id),
  line INTEGER NOT NULL,
  CHECK ((to_intervention IS NULL) != (to_indicator_id IS NULL))
);
CREATE UNIQUE INDEX links_key ON links(from_intervention, IFNULL(to_intervention, ''),
                                       IFNULL(to_indicator_id, 0), IFNULL(to_state_id, 0));
)sql";

// Version 2: evaluation runs and the effects they estimated. A run keeps its
// specification and code version so runs can be compared; effects reference
// the run, the intervention and the improvement.
constexpr std::string_view v2 = R"sql(
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  code_version TEXT NOT NULL,
  spec TEXT NOT NULL,            -- JSON: estimator, alpha, filters
  series INTEGER NOT NULL DEFAULT 0,
  effects INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE effects (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  intervention TEXT NOT NULL REFERENCES interventions(code),
  indicator_id INTEGER NOT NULL REFERENCES indicators(id),
  state_id INTEGER NOT NULL REFERENCES states(id),
  declared INTEGER NOT NULL,
  start_period TEXT NOT NULL,
  level_est REAL, level_se REAL, level_lo REAL, level_hi REAL, level_p REAL, level_q REAL,
  slope_est REAL, slope_se REAL, slope_lo REAL, slope_hi REAL, slope_p REAL, slope_q REAL,
  avg_est REAL, avg_se REAL, avg_lo REAL, avg_hi REAL, avg_p REAL, avg_q REAL,
  rel_est REAL, rel_lo REAL, rel_hi REAL,
  cf_est REAL, cf_lo REAL, cf_hi REAL, cf_p REAL,
  grade TEXT NOT NULL,
  improved INTEGER NOT NULL,
  n_pre INTEGER NOT NULL,
  n_post INTEGER NOT NULL,
  warnings TEXT NOT NULL,        -- JSON array of strings
  PRIMARY KEY (run_id, intervention, indicator_id, state_id)
) WITHOUT ROWID;
)sql";

// The detection test of each effect (docs/evaluation.md): NULL in runs
// made before it existed.
constexpr std::string_view v3 = R"sql(
ALTER TABLE effects ADD COLUMN det_test TEXT;  -- 'F' or 'chi2'
ALTER TABLE effects ADD COLUMN det_stat REAL;
ALTER TABLE effects ADD COLUMN det_df REAL;
ALTER TABLE effects ADD COLUMN det_df_resid REAL;
ALTER TABLE effects ADD COLUMN det_p REAL;
ALTER TABLE effects ADD COLUMN det_q REAL;
)sql";

// Baselines and targets of roll-ups (docs/scoring.md): '' for a state's row
// (or all states'), else 'region:NAME', 'area:CODE' or 'all', with no state.
// The roll-up is part of the key: a region's target and the all-states
// target of the same indicator and date are two rows.
constexpr std::string_view v4 = R"sql(
ALTER TABLE targets ADD COLUMN rollup TEXT NOT NULL DEFAULT '';
DROP INDEX targets_key;
CREATE UNIQUE INDEX targets_key ON targets(indicator_id, IFNULL(state_id, 0), rollup, kind, date);
)sql";

constexpr std::array<std::string_view, 4> all{v1, v2, v3, v4};

}  // namespace

std::span<const std::string_view> migrations() noexcept { return all; }

}  // namespace taeval::engine::storage
