package syncsvc

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// HubStore is what the hub needs of its storage: the district's records
// and sequence, the offices and their tokens, and what the hub remembers
// of each office's nodes. *Replica (a RoleHub replica) implements it over
// SQLite; another implementation (PostgreSQL, for a large district) gives
// the hub the same answers from another database. Every method is safe for
// concurrent use.
type HubStore interface {
	// Now is the hub's clock.
	Now() time.Time

	// Authenticate maps an office token to its office (its registration:
	// id, name, communities, when added; not its latest sync), at a cost
	// that does not grow with the number of offices, and sees at once a
	// token rotated or revoked, or an office added, by any process; any
	// failure is ErrUnauthenticated. AuthenticateAdmin checks an admin
	// credential.
	Authenticate(ctx context.Context, token string) (Office, error)
	AuthenticateAdmin(ctx context.Context, token string) error
	// AddOffice registers an office and returns its token, once; Offices
	// lists them; RotateToken and RevokeOffice change an office's token.
	AddOffice(ctx context.Context, id, name string, communities []string) (Office, string, error)
	Offices(ctx context.Context) ([]Office, error)
	RotateToken(ctx context.Context, id string) (string, error)
	RevokeOffice(ctx context.Context, id string) error

	// CheckNode refuses, with ErrNodeOfOtherOffice, a node that another
	// office's computer holds.
	CheckNode(ctx context.Context, o Office, node NodeID) error
	// RecordNodeSync records that a node of an office synced now, and how
	// far it has pulled when pulled is not negative.
	RecordNodeSync(ctx context.Context, officeID string, node NodeID, pulled int64) error
	// RecordSyncEvent records what one push or pull did, for the sync
	// summary, and, as RecordNodeSync does, that the node synced now and
	// how far it has pulled (e.Pulled): one write for both.
	RecordSyncEvent(ctx context.Context, e SyncEvent) error

	// Position is how far a source has been applied ("push/" and the node
	// for an office node's log); SetAcknowledged sets a node's position
	// and the fingerprint of its change there (after a reconciling push);
	// AcknowledgedTip returns that fingerprint, nil when none is stored for
	// pos.
	Position(ctx context.Context, key string) (int64, error)
	SetAcknowledged(ctx context.Context, node NodeID, through int64, tip []byte) error
	AcknowledgedTip(ctx context.Context, node NodeID, pos int64) ([]byte, error)
	// HubEpoch returns the hub's epoch; RenewEpoch begins a new one unless
	// another call already replaced old.
	HubEpoch(ctx context.Context) (string, error)
	RenewEpoch(ctx context.Context, old string) (string, error)
	// LastSeq is the district sequence now; DistrictKey the district's key
	// for cadre ids.
	LastSeq(ctx context.Context) (int64, error)
	DistrictKey(ctx context.Context) ([]byte, error)
	// HelloState reads, at one moment, what Hello needs: the node's
	// Position and AcknowledgedTip, the HubEpoch (created on first use),
	// the LastSeq, and the node's office, which Hello checks as
	// CheckNode does.
	HelloState(ctx context.Context, node NodeID) (HelloState, error)

	// Apply merges changes, in one transaction (see Replica.Apply), and
	// records opts.Event, when set, in the same one;
	// RecordHubRefusals keeps what it refused of an office node's push.
	Apply(ctx context.Context, changes []Change, opts ApplyOptions) (ApplyResult, error)
	RecordHubRefusals(ctx context.Context, officeID string, node NodeID, refused []Refusal) error
	// ChangesSinceWithin is the feed above a cursor in the given scopes,
	// without the records at the held positions (see Hub.Pull);
	// SnapshotWithin a chunk of the records of the scopes; both bounded in
	// count and bytes.
	ChangesSinceWithin(ctx context.Context, seq int64, scopes []string, limit, maxBytes int, held ...SeqRange) (ChangesPage, error)
	SnapshotWithin(ctx context.Context, scopes []string, cursor SnapshotCursor, limit, maxBytes int) (SnapshotPage, error)
}

var _ HubStore = (*Replica)(nil)

// SyncEvent is one push or pull of an office's node, as the hub records it.
type SyncEvent struct {
	Office string
	Node   NodeID
	// Kind is "push" or "pull".
	Kind                        string
	Changes, Refused, Conflicts int
	// Pulled is, for a pull, the position it pulled from, which the
	// node's record of syncs keeps as how far it has pulled; negative
	// (a push) records nothing of it.
	Pulled int64
}

// Now is the replica's clock (Options.Now).
func (r *Replica) Now() time.Time { return r.now() }

// Logger is the replica's logger (Options.Logger).
func (r *Replica) Logger() *slog.Logger { return r.log }

// CheckNode refuses a node that another office's computer holds.
func (r *Replica) CheckNode(ctx context.Context, o Office, node NodeID) error {
	return r.checkNode(ctx, o, node)
}

// AcknowledgedTip returns the tip stored for a node's change at pos, or
// nil when none is stored for that position.
func (r *Replica) AcknowledgedTip(ctx context.Context, node NodeID, pos int64) ([]byte, error) {
	return r.acknowledgedTip(ctx, node, pos)
}

// RenewEpoch begins a new hub epoch, unless another call already replaced
// old, and returns the epoch now.
func (r *Replica) RenewEpoch(ctx context.Context, old string) (string, error) {
	return r.renewEpoch(ctx, old)
}

// RecordHubRefusals keeps, on the hub, what it refused of an office node's
// push; a refusal seen again (a resent batch) is kept once.
func (r *Replica) RecordHubRefusals(ctx context.Context, officeID string, node NodeID, refused []Refusal) error {
	return r.recordRefusals(ctx, officeID, node, refused)
}

// RecordNodeSync records that a node of an office synced now, and how far
// it has pulled when pulled is not negative. Records made at the same time
// by many calls are committed together (groupCommit).
func (r *Replica) RecordNodeSync(ctx context.Context, officeID string, node NodeID, pulled int64) error {
	now := r.now().UTC()
	err := r.writeGrouped(func(w *writeTx) error { return recordNodeSync(w, officeID, node, pulled, now) })
	if err != nil {
		return fmt.Errorf("record sync of %s: %w", officeID, err)
	}
	return nil
}

// recordNodeSync is RecordNodeSync's statement, in the write w.
func recordNodeSync(w *writeTx, officeID string, node NodeID, pulled int64, now time.Time) error {
	at := now.Format(time.RFC3339)
	var owner string
	err := w.QueryRowContext(w.ctx, `INSERT INTO office_nodes(node, office_id, first_seen, last_sync_at, pulled) VALUES(?, ?, ?, ?, MAX(?, 0))
			ON CONFLICT(node) DO UPDATE SET last_sync_at=excluded.last_sync_at, pulled=MAX(pulled, ?) RETURNING office_id`,
		node.String(), officeID, at, at, pulled, pulled).Scan(&owner)
	if err != nil {
		return err
	}
	if owner == officeID {
		// The node's office, written with its first record and never
		// changed: checkNode lets its calls through without a read.
		w.committed = append(w.committed, func() { w.r.nodeOwners.Store(node, owner) })
	}
	return nil
}

// RecordSyncEvent records what one push or pull did, for the sync summary,
// and that the node synced (RecordNodeSync), committed together with the
// records other calls make at the same time (groupCommit).
func (r *Replica) RecordSyncEvent(ctx context.Context, e SyncEvent) error {
	now := r.now().UTC()
	err := r.writeGrouped(func(w *writeTx) error { return recordSyncEvent(w, e, now) })
	if err != nil {
		return fmt.Errorf("record sync of %s: %w", e.Office, err)
	}
	return nil
}

// recordSyncEvent is RecordSyncEvent's statements, in the write w.
func recordSyncEvent(w *writeTx, e SyncEvent, now time.Time) error {
	if err := recordNodeSync(w, e.Office, e.Node, e.Pulled, now); err != nil {
		return err
	}
	_, err := w.exec("INSERT INTO sync_events(at, office_id, node, kind, changes, refused, conflicts) VALUES(?, ?, ?, ?, ?, ?, ?)",
		now.Format(time.RFC3339Nano), e.Office, e.Node.String(), e.Kind, e.Changes, e.Refused, e.Conflicts)
	return err
}

// SetAcknowledged counts a node's log as acknowledged exactly through
// through, even when the hub had counted further, and keeps the
// fingerprint of the node's change there.
func (r *Replica) SetAcknowledged(ctx context.Context, node NodeID, through int64, tip []byte) error {
	key := pushKey(node)
	return r.write(ctx, func(w *writeTx) error {
		if _, err := w.exec("INSERT INTO positions(key, seq) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET seq=excluded.seq", key, through); err != nil {
			return err
		}
		return w.storeTip(key, through, tip)
	})
}
