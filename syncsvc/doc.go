// Package syncsvc owns every byte Wanxia keeps on disk: each node's SQLite
// replica, the change capture that records every write, and the merge that
// lets offices work offline and converge with the district hub.
//
// # Replica
//
// A Replica (Open) is one node's copy: an office computer's, or the hub's.
// Each record type (RecordType) is a typed table. Its fields are the unit of
// merge: a field is one column, or a register of columns that only make
// sense together (an address and its coordinates). Beside each field the
// replica keeps a Stamp — a hybrid logical clock value and the writing
// node — and the stamp of the value it replaced.
//
// # Change capture
//
// A local write (Put, PutCadre, Void, ResolveConflict) stamps each field
// whose value changes and, on an office, appends one Change to the log in
// the same SQLite transaction: no write without its log entry, no log entry
// without its write. Writing an unchanged value logs nothing. The office's
// log is its outbox (Outbox, Acknowledge).
//
// The hub numbers every change it makes durable with the district sequence,
// in commit order, and keeps the number on the record's row (_seq): its
// feed (ChangesSince) is the records whose last change lies above a cursor,
// each sent whole, plus the departures of records that moved out of a
// scope. A record written twice since the cursor is sent once; merging a
// whole record is idempotent, so a feed page read twice changes nothing.
//
// # Merge
//
// Apply merges changes from another replica: for each field the larger
// (HLC, node) stamp wins, so replicas converge whatever the order or
// repetition of what they receive. The hub, which sees every write, records
// a Conflict when two writes to one field were concurrent (neither replaced
// the other); conflicts sync to the offices of the record's scope and are
// resolved anywhere (ResolveConflict). A void is a field like the others: it
// wins over nothing but its own field, so a voided record stays voided
// while a concurrent edit of another field is kept underneath.
//
// Records belong to scopes — a community code, or "district" — by their
// type's ScopeRule; records about a cadre follow the cadre's community.
//
// # Hub and agent
//
// The hub (NewHub) is the district's side of sync over its storage, a
// HubStore (a RoleHub replica, or another database); its methods (Hello,
// Push, Reconcile, Pull, Snapshot) take the office a token was mapped to.
// An office's Agent syncs its replica through a HubClient: say Hello, push
// the outbox, pull (from a snapshot when needed), and recover when either
// side went back in time. Both speak plain Go: the wire, Connect codes and
// tokens on HTTP are package syncsvc/transport's, which hands the agent
// every failure as a *HubError wrapping this package's sentinels.
package syncsvc
