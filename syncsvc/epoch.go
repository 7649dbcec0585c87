package syncsvc

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// Keeping offices and the hub honest about history. Two things can go back
// in time: the hub's database (restored from a backup) and an office's file
// (put back from an older copy). Either way positions that one side stored
// no longer describe what the other holds, and trusting them loses writes
// without a word. The hub therefore has an epoch, which a restore renews,
// and keeps, for each office node, a fingerprint (tip) of the change at the
// position it acknowledged; Hello hands both to the office, which compares
// them with its own file and, when they disagree, reconciles: it sends its
// records whole, and pulls again from the start.

// hubEpochKey is the meta key of the hub's epoch. A restore writes a new
// one into the restored file (NewHubEpoch).
const hubEpochKey = "hub_epoch"

// tipKeyPrefix keys, in the hub's meta, the tip of each node's change at
// its acknowledged position: "tip/" + node, value "seq:hex".
const tipKeyPrefix = "tip/"

// ErrNodeOfOtherOffice: a call names a node that another office's computer
// holds. A node belongs to the office from whose token it first said Hello.
var ErrNodeOfOtherOffice = fmt.Errorf("%w: this computer's identity (node) belongs to another office", ErrPermission)

// HubEpoch returns the hub's epoch, creating it on first use.
func (r *Replica) HubEpoch(ctx context.Context) (string, error) {
	if err := r.requireHub(); err != nil {
		return "", err
	}
	var epoch string
	err := r.rdb.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", hubEpochKey).Scan(&epoch)
	if err == nil && epoch != "" {
		return epoch, nil
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("read hub epoch: %w", err)
	}
	err = r.write(ctx, func(w *writeTx) error {
		if err := w.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", hubEpochKey).Scan(&epoch); err == nil && epoch != "" {
			return nil
		}
		epoch = uuid.Must(uuid.NewV7()).String()
		_, err := w.exec("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value", hubEpochKey, epoch)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("create hub epoch: %w", err)
	}
	return epoch, nil
}

// renewEpoch begins a new epoch unless another call already replaced
// the one given, and returns the epoch now in force.
func (r *Replica) renewEpoch(ctx context.Context, old string) (string, error) {
	var epoch string
	err := r.write(ctx, func(w *writeTx) error {
		if err := w.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", hubEpochKey).Scan(&epoch); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if epoch != old {
			return nil
		}
		epoch = uuid.Must(uuid.NewV7()).String()
		_, err := w.exec("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value", hubEpochKey, epoch)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("renew hub epoch: %w", err)
	}
	return epoch, nil
}

// NewHubEpoch gives the hub's database at path a new epoch. Restoring a
// hub from a backup calls it on the restored copy before putting it in
// place, so that every office learns at its next Hello that the hub went
// back in time.
func NewHubEpoch(ctx context.Context, db *sql.DB) (string, error) {
	epoch := uuid.Must(uuid.NewV7()).String()
	_, err := db.ExecContext(ctx, "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value", hubEpochKey, epoch)
	if err != nil {
		return "", fmt.Errorf("new hub epoch: %w", err)
	}
	return epoch, nil
}

// changeTip is the fingerprint of one log entry: its record and each
// field's name and stamp. Two different writes never share one in practice;
// the same write read back from the office's log and from a push has the
// same one.
func changeTip(ch Change) []byte {
	h := sha256.New()
	var b [8]byte
	h.Write([]byte(ch.Table))
	h.Write([]byte{0})
	h.Write(ch.ID[:])
	for _, f := range ch.Fields {
		h.Write([]byte(f.Name))
		h.Write([]byte{0})
		binary.BigEndian.PutUint64(b[:], uint64(f.Stamp.HLC))
		h.Write(b[:])
		h.Write(f.Stamp.Node[:])
	}
	return h.Sum(nil)[:16]
}

// storeTip records, in a write, the tip of a node's change at pos.
func (w *writeTx) storeTip(source string, pos int64, tip []byte) error {
	node, ok := strings.CutPrefix(source, "push/")
	if !ok || len(tip) == 0 {
		return nil
	}
	_, err := w.exec("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
		tipKeyPrefix+node, strconv.FormatInt(pos, 10)+":"+hex.EncodeToString(tip))
	if err != nil {
		return fmt.Errorf("store tip of %s: %w", node, err)
	}
	return nil
}

// acknowledgedTip returns the tip stored for a node's change at pos, or
// nil when none is stored for that position.
func (r *Replica) acknowledgedTip(ctx context.Context, node NodeID, pos int64) ([]byte, error) {
	var v string
	err := r.rdb.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", tipKeyPrefix+node.String()).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read tip of %s: %w", node, err)
	}
	tip, err := parseTip(v, pos)
	if err != nil {
		return nil, fmt.Errorf("read tip of %s: %w", node, err)
	}
	return tip, nil
}

// parseTip returns the tip a stored "seq:hex" value keeps for pos, nil
// when it keeps one for another position or none ("").
func parseTip(v string, pos int64) ([]byte, error) {
	at, hx, ok := strings.Cut(v, ":")
	if !ok || at != strconv.FormatInt(pos, 10) {
		return nil, nil
	}
	return hex.DecodeString(hx)
}

// checkNode refuses a node that another office's computer holds.
func (r *Replica) checkNode(ctx context.Context, o Office, node NodeID) error {
	if owner, ok := r.nodeOwners.Load(node); ok && owner == o.ID {
		return nil
	}
	var owner string
	err := r.rdb.QueryRowContext(ctx, "SELECT office_id FROM office_nodes WHERE node = ?", node.String()).Scan(&owner)
	if err == nil && owner == o.ID {
		// A node's office is written with its first sync and never changed:
		// every later call of the node is let through without a read.
		r.nodeOwners.Store(node, owner)
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("check node %s: %w", node, err)
	}
	return fmt.Errorf("node %s, office %s: %w", node, o.ID, ErrNodeOfOtherOffice)
}

// checkNode refuses, and logs as a warning, a call that names a node of
// another office: a misconfigured computer or a hostile office.
func (h *Hub) checkNode(ctx context.Context, o Office, node NodeID) error {
	return h.nodeRefused(o, node, h.s.CheckNode(ctx, o, node))
}

// nodeRefused logs err as checkNode does when it refuses the node.
func (h *Hub) nodeRefused(o Office, node NodeID, err error) error {
	if errors.Is(err, ErrNodeOfOtherOffice) {
		h.log.Warn("refused: an office named a computer (node) that belongs to another office", "office", o.ID, "node", node.String())
	}
	return err
}

// Reconcile applies an office node's records sent whole after history went
// back on one side (see ReconcileResult), with the same scope check as a
// push. With through > 0 (the last batch) the node's log counts as
// acknowledged exactly through it, even when the hub had counted further:
// the office's file is the truth about its own log.
func (h *Hub) Reconcile(ctx context.Context, o Office, node NodeID, records []Change, through int64, tip []byte) (PushResult, error) {
	if len(records) > h.opts.MaxBatch {
		return PushResult{}, fmt.Errorf("%w: %d records, at most %d", ErrBatchTooLarge, len(records), h.opts.MaxBatch)
	}
	if err := h.checkNode(ctx, o, node); err != nil {
		return PushResult{}, err
	}
	if err := h.checkSkew(records); err != nil {
		return PushResult{}, err
	}
	for i := range records {
		records[i].Seq = 0 // whole records carry no log position
	}
	res, err := h.s.Apply(ctx, records, ApplyOptions{
		Authorize: func(ch Change, current string, exists bool) error { return authorize(o, ch, current, exists) },
	})
	if err != nil {
		return PushResult{}, err
	}
	if through > 0 {
		if err := h.s.SetAcknowledged(ctx, node, through, tip); err != nil {
			return PushResult{}, fmt.Errorf("reconcile %s: %w", o.ID, err)
		}
	}
	if err := h.event(ctx, o, node, SyncEvent{Kind: "push", Changes: res.Applied, Refused: len(res.Refused), Conflicts: res.Conflicts, Pulled: -1}); err != nil {
		return PushResult{}, err
	}
	h.log.Info("reconcile", "office", o.ID, "records", len(records), "applied", res.Applied, "refused", len(res.Refused), "conflicts", res.Conflicts, "through", through)
	acked, err := h.s.Position(ctx, pushKey(node))
	if err != nil {
		return PushResult{}, err
	}
	return PushResult{Acknowledged: acked, Refused: res.Refused}, nil
}

// HelloState is what the hub's Hello reads of its store for a node, read
// at one moment (HubStore.HelloState).
type HelloState struct {
	// Acknowledged is how far the node's log is applied, and
	// AcknowledgedTip the fingerprint of its change there (nil when none
	// is kept for that position).
	Acknowledged    int64
	AcknowledgedTip []byte
	// Epoch is the hub's epoch, LastSeq the district sequence.
	Epoch   string
	LastSeq int64
	// NodeOffice is the office the node belongs to (CheckNode), "" for a
	// node the hub has not recorded yet.
	NodeOffice string
}

// helloStateQuery reads a node's position and tip, the hub's epoch, the
// node's office and the district sequence in one statement: one read transaction for Hello,
// where four cost a reader four times the locks and, after another
// connection's commit, four refills of its page cache.
const helloStateQuery = `SELECT
	(SELECT COALESCE(MAX(seq), 0) FROM positions WHERE key = ?),
	COALESCE((SELECT value FROM meta WHERE key = ?), ''),
	COALESCE((SELECT value FROM meta WHERE key = ?), ''),
	COALESCE((SELECT office_id FROM office_nodes WHERE node = ?), ''),
	` + lastSeqExpr

// HelloState returns, in one read, how far a node's log is applied and
// the fingerprint there, the hub's epoch (created on first use, as HubEpoch
// does), the node's office and the district sequence.
func (r *Replica) HelloState(ctx context.Context, node NodeID) (HelloState, error) {
	if err := r.requireHub(); err != nil {
		return HelloState{}, err
	}
	var s HelloState
	var tip string
	err := r.rdb.QueryRowContext(ctx, helloStateQuery, pushKey(node), tipKeyPrefix+node.String(), hubEpochKey, node.String()).
		Scan(&s.Acknowledged, &tip, &s.Epoch, &s.NodeOffice, &s.LastSeq)
	if err != nil {
		return HelloState{}, fmt.Errorf("read the state of %s: %w", node, err)
	}
	if s.AcknowledgedTip, err = parseTip(tip, s.Acknowledged); err != nil {
		return HelloState{}, fmt.Errorf("read tip of %s: %w", node, err)
	}
	if s.Epoch == "" { // a hub's first Hello
		if s.Epoch, err = r.HubEpoch(ctx); err != nil {
			return HelloState{}, err
		}
	}
	return s, nil
}
