-- What each sync did, for the hub's nightly summary per office.
CREATE TABLE sync_events (
  rowid     INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  office_id TEXT NOT NULL,
  node      TEXT NOT NULL,
  kind      TEXT NOT NULL,            -- push or pull
  changes   INTEGER NOT NULL,
  refused   INTEGER NOT NULL,
  conflicts INTEGER NOT NULL
);
CREATE INDEX sync_events_at ON sync_events(at);
