-- The scope sets in use: a record that belongs to several communities at
-- once (a joint branch) has a scope naming them all, "gsq+sy". The hub reads
-- this short list to find the scope sets that overlap an office's
-- communities, so that their records reach every office holding one of them.
CREATE TABLE scope_sets (
  scope TEXT PRIMARY KEY
) WITHOUT ROWID;
