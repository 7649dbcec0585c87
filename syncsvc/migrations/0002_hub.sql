-- The hub's registry of offices, their nodes and credentials. Tokens are
-- kept only as SHA-256 hashes. These tables are the hub's own: they are not
-- replicated (an office's copy has them, empty).
CREATE TABLE offices (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  communities TEXT NOT NULL,          -- comma-separated community codes
  token_hash  BLOB NOT NULL,
  created_at  TEXT NOT NULL,
  revoked_at  TEXT
);

-- Every node (installation) an office has synced from: positions are kept
-- per node, so a reinstalled computer's writes are never taken for old ones.
CREATE TABLE office_nodes (
  node         TEXT PRIMARY KEY,
  office_id    TEXT NOT NULL REFERENCES offices(id),
  first_seen   TEXT NOT NULL,
  last_sync_at TEXT NOT NULL,
  pulled       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX office_nodes_office ON office_nodes(office_id);

CREATE TABLE admin_tokens (
  token_hash BLOB PRIMARY KEY,
  created_at TEXT NOT NULL
);

-- Changes the hub refused, kept for the office to list and for the nightly
-- summary.
CREATE TABLE refusals (
  rowid      INTEGER PRIMARY KEY,
  office_id  TEXT NOT NULL,
  node       TEXT NOT NULL,
  seq        INTEGER NOT NULL,
  tbl        TEXT NOT NULL,
  record_id  TEXT NOT NULL,
  code       TEXT NOT NULL,
  reason     TEXT NOT NULL,
  at         TEXT NOT NULL,
  UNIQUE (node, seq)
);
