-- The replica's own bookkeeping; record types' tables are created from
-- their declarations (see RecordType).
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- The change log. On an office it holds the office's own writes (the outbox
-- is the part above the acknowledged position); on the hub it holds the
-- departures of records that left a scope, numbered in the district
-- sequence (the records themselves carry their number in _seq).
CREATE TABLE changes (
  seq   INTEGER PRIMARY KEY AUTOINCREMENT,
  tbl   TEXT NOT NULL,
  id    TEXT NOT NULL,
  scope TEXT NOT NULL,
  local INTEGER NOT NULL,
  data  BLOB NOT NULL
);
CREATE INDEX changes_scope_seq ON changes(scope, seq);

-- Positions in other replicas' logs: what the hub has applied from each
-- node, what an office has pulled, what the hub has acknowledged.
CREATE TABLE positions (
  key TEXT PRIMARY KEY,
  seq INTEGER NOT NULL
);
