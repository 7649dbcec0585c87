-- Short numbers for field names, so that the stamps kept beside each row
-- and the change log do not repeat names. A number, once given, is never
-- reused for another field of the table.
CREATE TABLE field_numbers (
  tbl   TEXT NOT NULL,
  field TEXT NOT NULL,
  num   INTEGER NOT NULL,
  PRIMARY KEY (tbl, field),
  UNIQUE (tbl, num)
);
