-- What became of a refused change at the office (issue 12, point 11): a
-- refusal stays "open" until a person resends the record ("resent") or
-- discards it ("discarded"); a record with an open refusal is never
-- dropped by a sync. On the hub the columns stay at their defaults.
ALTER TABLE refusals ADD COLUMN state TEXT NOT NULL DEFAULT 'open';
ALTER TABLE refusals ADD COLUMN settled_at TEXT;
ALTER TABLE refusals ADD COLUMN note TEXT;
CREATE INDEX refusals_record ON refusals(tbl, record_id);
