package syncsvc

import (
	"context"

	"github.com/google/uuid"
)

// HubClient is the hub as an office's agent calls it: the four calls of
// the sync protocol, in plain Go. Package syncsvc/transport implements it
// over Connect (transport.NewClient); every error it returns for what the
// hub answered, or did not, is a *HubError wrapping one of this package's
// sentinels, never the transport's own, so the agent and everything above
// it test errors.Is on sentinels. Each call is safe to repeat.
type HubClient interface {
	// Hello checks versions and clocks and tells the office its scopes and
	// how far the hub has acknowledged its log. The Office of the answer
	// carries the office's id and name only.
	Hello(ctx context.Context, req HelloRequest) (HelloInfo, error)
	// Push sends a batch of the office's log, or, with Reconcile, whole
	// records after history went back on one side.
	Push(ctx context.Context, req PushRequest) (PushResponse, error)
	// Pull returns changes above a cursor in the office's scopes, or
	// ErrSnapshotRequired when the cursor is older than the hub's log.
	Pull(ctx context.Context, req PullRequest) (ChangesPage, error)
	// Snapshot returns a chunk of the records of the office's scopes.
	Snapshot(ctx context.Context, req SnapshotRequest) (SnapshotPage, error)
}

// HelloRequest is what an office's node says in Hello.
type HelloRequest struct {
	// Node is the office replica's node id.
	Node NodeID
	OfficeHello
}

// PushRequest is one push of an office node.
type PushRequest struct {
	Node    NodeID
	Changes []Change
	// Reconcile marks a push of whole records (Seq 0), the office's state
	// as one read found it, instead of log entries (see Hub.Reconcile).
	// The last batch names ReconciledThrough, the office's last log
	// position at that read, and ReconciledTip, the fingerprint of its
	// change there.
	Reconcile         bool
	ReconciledThrough int64
	ReconciledTip     []byte
}

// PushResponse is the hub's answer to a push, as an office receives it.
type PushResponse struct {
	// Acknowledged is the highest position of the node's log the hub has
	// made durable.
	Acknowledged int64
	Refused      []RefusedChange
	// Gap reports that the batch did not follow Acknowledged: resend from
	// there.
	Gap bool
	// Held are the district positions of the records the push created at
	// the hub (PushResult.Held); the agent names them in the pulls of the
	// same sync.
	Held []SeqRange
}

// RefusedChange is one change the hub refused, as an office hears of it.
type RefusedChange struct {
	Seq   int64
	Table string
	ID    uuid.UUID
	// Code is RefusalCode's: "scope", "invalid", "skew", "unknown_type".
	Code   string
	Reason string
}

// PullRequest asks for the changes above After, at most Limit (0: the
// hub's maximum).
type PullRequest struct {
	Node  NodeID
	After int64
	Limit int
	// Held are records the office holds as they stand at the hub (the
	// Held of this sync's pushes): they are left out of the page.
	Held []SeqRange
}

// SnapshotRequest asks for the chunk of a snapshot that starts at Cursor,
// at most Limit records (0: the hub's maximum).
type SnapshotRequest struct {
	Node   NodeID
	Cursor SnapshotCursor
	Limit  int
}
