package syncsvc

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Recovery says what an office found, at Hello, about the history it
// shares with the hub, and so what its sync did first.
type Recovery string

// The recoveries.
const (
	// RecoveryNone: the hub and the office agree on what was synced.
	RecoveryNone Recovery = ""
	// RecoveryHubRestored: the hub went back in time (it was restored
	// from a backup: a new epoch, a district sequence below the office's
	// cursor, or less of the office's log acknowledged than before). The
	// office sent its records whole and pulled again from the start.
	RecoveryHubRestored Recovery = "hub_restored"
	// RecoveryReplicaRestored: this office's file went back in time (put
	// back from an older copy): the hub acknowledged a change that the file
	// does not hold. The office sent its records whole, so that its writes
	// made since are not taken for ones the hub already has.
	RecoveryReplicaRestored Recovery = "replica_restored"
)

// officeEpochKey keeps, on an office, the hub epoch of its last sync.
const officeEpochKey = "hub_epoch"

// HelloResult is what the hub said at Hello, as the office stored it.
type HelloResult struct {
	Office      string
	OfficeName  string
	Scopes      []string
	ClockOffset time.Duration
	MaxSkew     time.Duration
	Epoch       string
	// DistrictKey is the district's key for cadre ids (CadreIDFor), which
	// office init stores with SetDistrictKey.
	DistrictKey []byte
}

// Hello greets the hub with this office's token and stores what the hub
// says of the office (its id, communities and clock offset). It writes no
// record: `office init` uses it to check a token before trusting it.
func (a *Agent) Hello(ctx context.Context) (HelloResult, error) {
	h, _, err := a.hello(ctx)
	if err != nil {
		return HelloResult{}, err
	}
	return helloResult(h), nil
}

func helloResult(h HelloInfo) HelloResult {
	return HelloResult{Office: h.Office.ID, OfficeName: h.Office.Name, Scopes: h.Scopes,
		ClockOffset: h.ClockOffset, MaxSkew: h.MaxSkew, Epoch: h.Epoch, DistrictKey: h.DistrictKey}
}

// syncState is what a sync reads of the file before it says Hello: how
// far it has pulled and holds its log acknowledged, and the settings
// Hello's answer is compared with. Nothing but the sync itself changes
// them while it runs.
type syncState struct {
	pulled, acked int64
	meta          map[string]string // officeEpochKey, "office_id", "scopes", metaClockOffset, tokenOKKey, "last_sync"
	districtKey   string            // as stored: hex, "" for none
}

// readSyncState reads the sync's state in one query.
func (r *Replica) readSyncState(ctx context.Context) (syncState, error) {
	rows, err := r.rdb.QueryContext(ctx, `SELECT key, CAST(seq AS TEXT) FROM positions WHERE key IN (?, ?)
		UNION ALL SELECT key, value FROM meta WHERE key IN (?, ?, ?, ?, ?, ?, ?)`,
		pullKey, ackKey, "x:"+officeEpochKey, "x:office_id", "x:scopes", "x:"+metaClockOffset, "x:"+tokenOKKey, "x:last_sync", districtKeyMeta)
	if err != nil {
		return syncState{}, fmt.Errorf("read the sync's state: %w", err)
	}
	defer rows.Close()
	st := syncState{meta: map[string]string{}}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return syncState{}, fmt.Errorf("read the sync's state: %w", err)
		}
		switch k {
		case pullKey, ackKey:
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return syncState{}, fmt.Errorf("read the sync's state: position %s: %w", k, err)
			}
			if k == pullKey {
				st.pulled = n
			} else {
				st.acked = n
			}
		case districtKeyMeta:
			st.districtKey = v
		default:
			st.meta[strings.TrimPrefix(k, "x:")] = v
		}
	}
	if err := rows.Err(); err != nil {
		return syncState{}, fmt.Errorf("read the sync's state: %w", err)
	}
	return st, nil
}

func (a *Agent) hello(ctx context.Context) (HelloInfo, syncState, error) {
	st, err := a.r.readSyncState(ctx)
	if err != nil {
		return HelloInfo{}, st, err
	}
	return a.helloFrom(ctx, st)
}

// helloFrom says Hello from the sync's state st, read before.
func (a *Agent) helloFrom(ctx context.Context, st syncState) (HelloInfo, syncState, error) {
	hello, err := call(ctx, a, a.hub.Hello, HelloRequest{Node: a.r.node, OfficeHello: OfficeHello{
		Schema: SchemaVersion(), OfficeTime: a.r.now(), Pulled: st.pulled, Acknowledged: st.acked, Epoch: st.meta[officeEpochKey],
	}})
	if err != nil {
		return HelloInfo{}, st, fmt.Errorf("hello: %w", err)
	}
	if want := st.meta["office_id"]; want != "" && hello.Office.ID != want { // refused_office.go
		return HelloInfo{}, st, fmt.Errorf("hello: %w", &WrongOfficeError{Want: want, Got: hello.Office.ID})
	}
	if err := a.noteHello(ctx, hello, st); err != nil {
		return HelloInfo{}, st, err
	}
	return hello, st, nil
}

// metaClockOffset is the setting that keeps the hub's clock minus the
// office's, in milliseconds, as the last Hello found it.
const metaClockOffset = "clock_offset_ms"

// noteHello stores what Hello said (the office's id, its scopes, how far
// its clock is off, the district key), writing only what changed, in one
// write: a sync with nothing to do writes once, with its last pull. The clock's offset is
// stored here when it moved by a second or more, so that a sync that
// fails after Hello still shows a wrong clock; the sync's end stores it
// exactly.
func (a *Agent) noteHello(ctx context.Context, hello HelloInfo, st syncState) error {
	want := map[string]string{"office_id": hello.Office.ID, "scopes": fmt.Sprint(hello.Scopes)}
	stored := st.meta
	for k, v := range want {
		if stored[k] == v {
			delete(want, k)
		}
	}
	offset := hello.ClockOffset.Milliseconds()
	if was, err := strconv.ParseInt(stored[metaClockOffset], 10, 64); err != nil || max(offset-was, was-offset) >= 1000 {
		want[metaClockOffset] = strconv.FormatInt(offset, 10)
	}
	if len(want) == 0 && (len(hello.DistrictKey) == 0 || st.districtKey == hex.EncodeToString(hello.DistrictKey)) {
		return nil // as stored: nothing to write (and no read of the key again)
	}
	if err := a.r.setDistrictKeyAndMeta(ctx, hello.DistrictKey, want); err != nil {
		return fmt.Errorf("store what the hub said: %w", err)
	}
	return nil
}

// checkHistory compares what the hub says at Hello with this file: has
// either side gone back in time since the last sync?
func (a *Agent) checkHistory(ctx context.Context, hello HelloInfo, st syncState) (Recovery, error) {
	stored, pulled, acked := st.meta[officeEpochKey], st.pulled, st.acked
	epoch := hello.Epoch
	switch {
	case stored != "" && epoch != "" && stored != epoch,
		pulled > hello.LastSeq,
		hello.Acknowledged < acked:
		return RecoveryHubRestored, nil
	}
	hubAcked := hello.Acknowledged
	if hubAcked == 0 {
		return RecoveryNone, nil
	}
	last, err := a.r.LastSeq(ctx)
	if err != nil {
		return RecoveryNone, err
	}
	if hubAcked > last {
		return RecoveryReplicaRestored, nil
	}
	tip := hello.AcknowledgedTip
	if len(tip) == 0 {
		return RecoveryNone, nil
	}
	entry, ok, err := a.r.logEntry(ctx, hubAcked)
	if err != nil {
		return RecoveryNone, err
	}
	if ok && !bytes.Equal(changeTip(entry), tip) {
		return RecoveryReplicaRestored, nil
	}
	return RecoveryNone, nil
}

// logEntry reads this office's own log entry at seq.
func (r *Replica) logEntry(ctx context.Context, seq int64) (Change, bool, error) {
	rows, err := r.rdb.QueryContext(ctx, "SELECT "+changeCols+" FROM changes WHERE seq = ? AND local = 1", seq)
	if err != nil {
		return Change{}, false, fmt.Errorf("read log entry %d: %w", seq, err)
	}
	chs, err := r.scanChanges(rows)
	if err != nil || len(chs) == 0 {
		return Change{}, false, err
	}
	return chs[0], true, nil
}

// recover brings the hub and this office back to one history after one of
// them went back in time: every record the office holds in its scopes is
// sent whole (the hub keeps, field by field, whichever write is later, as
// always, and records a conflict where two writes did not see each other),
// in batches; the last batch tells the hub how far this office's log is
// now reflected, and the office counts its log as acknowledged that far.
// When the hub went back, the office then pulls again from the start. A
// recovery cut off is started again at the next sync: every step is
// idempotent, and the office stores the hub's epoch only once it is done.
func (a *Agent) recover(ctx context.Context, kind Recovery, hello HelloInfo, batch int, rep *SyncReport) error {
	a.log.Warn("history went back; sending every record again", "recovery", string(kind), "office", rep.Office)
	rep.Recovery = kind
	node := a.r.node
	cursor := SnapshotCursor{}
	var through int64 = -1
	var tip []byte
	for {
		page, err := a.r.Snapshot(ctx, rep.Scopes, cursor, batch)
		if err != nil {
			return err
		}
		if through < 0 {
			through = page.Seq
			if entry, ok, err := a.r.logEntry(ctx, through); err != nil {
				return err
			} else if ok {
				tip = changeTip(entry)
			}
		}
		recs := page.Records[:0:0]
		for _, rec := range page.Records {
			if rec.Scope != districtScope { // district data is the hub's to write
				recs = append(recs, rec)
			}
		}
		req := PushRequest{Node: node, Changes: recs, Reconcile: true}
		if page.Done {
			req.ReconciledThrough, req.ReconciledTip = through, tip
		}
		res, err := call(ctx, a, a.hub.Push, req)
		if err != nil {
			return err
		}
		if err := a.keepReconcileRefusals(ctx, rep.Office, res.Refused); err != nil {
			return err
		}
		rep.Reconciled += len(recs)
		rep.Refused += len(res.Refused)
		a.progress(Progress{Phase: "reconcile", Done: rep.Reconciled})
		if page.Done {
			break
		}
		cursor = page.Next
	}
	if through > 0 {
		if err := a.r.resetAcknowledged(ctx, through); err != nil {
			return err
		}
	}
	if kind == RecoveryHubRestored {
		err := a.r.write(ctx, func(w *writeTx) error {
			_, err := w.exec("INSERT INTO positions(key, seq) VALUES(?, 0) ON CONFLICT(key) DO UPDATE SET seq=0", pullKey)
			return err
		})
		if err != nil {
			return fmt.Errorf("pull again from the start: %w", err)
		}
	}
	return a.r.SetMeta(ctx, map[string]string{officeEpochKey: hello.Epoch})
}

// keepReconcileRefusals keeps the refusals of a reconciling push. Whole
// records carry no log position, so each is kept under a position of its
// own below zero, fixed by the record: refused again, it is kept once.
func (a *Agent) keepReconcileRefusals(ctx context.Context, office string, refused []RefusedChange) error {
	for i := range refused {
		f := &refused[i]
		h := sha256.Sum256(append([]byte(f.Table+"\x00"), f.ID[:]...))
		f.Seq = -int64(binary.BigEndian.Uint64(h[:8]) >> 1)
		if f.Seq == 0 {
			f.Seq = -1
		}
	}
	return a.keepRefusals(ctx, office, refused)
}

// epochToStore adds to done the hub's epoch when this file does not hold
// it yet (the first sync, or an old hub that has none), so that a sync
// that needed no recovery remembers it with its last page.
func (a *Agent) epochToStore(epoch string, st syncState, done map[string]string) {
	if epoch != "" && st.meta[officeEpochKey] != epoch {
		done[officeEpochKey] = epoch
	}
}
