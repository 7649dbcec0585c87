-- A mark that changes whenever the hub's registry of offices does: an
-- office added, its token rotated or revoked, any row of offices written,
-- by this process or another (wanxia hub office add while hub serve runs).
-- The hub keeps the offices it has authenticated in memory and reads this
-- one row on every call: a new mark empties what it kept. The mark is
-- random rather than counted, so that a file put back from an older copy
-- never shows a mark the hub kept for other contents.
CREATE TABLE office_registry (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  version TEXT NOT NULL
);
INSERT INTO office_registry(id, version) VALUES (1, lower(hex(randomblob(8))));
CREATE TRIGGER offices_inserted AFTER INSERT ON offices
BEGIN UPDATE office_registry SET version = lower(hex(randomblob(8))); END;
CREATE TRIGGER offices_updated AFTER UPDATE ON offices
BEGIN UPDATE office_registry SET version = lower(hex(randomblob(8))); END;
CREATE TRIGGER offices_deleted AFTER DELETE ON offices
BEGIN UPDATE office_registry SET version = lower(hex(randomblob(8))); END;
