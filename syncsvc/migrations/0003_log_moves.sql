-- When each change was logged (Unix milliseconds), for the retention of
-- the hub's log; and departures: a record that left scope for moved_to.
ALTER TABLE changes ADD COLUMN at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE changes ADD COLUMN moved_to TEXT;
