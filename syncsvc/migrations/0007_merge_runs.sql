-- The hub's nightly merge runs: when each began and ended, how it went,
-- and its steps (JSON: name, start, end, outcome, detail, error). Local to
-- the hub: a run is a record of work done, not data that syncs.
CREATE TABLE merge_runs (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  started  TEXT NOT NULL,
  ended    TEXT,
  outcome  TEXT NOT NULL DEFAULT 'running',
  steps    TEXT NOT NULL DEFAULT '[]'
);
