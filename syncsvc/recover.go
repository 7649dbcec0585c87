package syncsvc

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strconv"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	syncv1 "github.com/wanxia/wanxia/syncsvc/gen/wanxia/sync/v1"
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
	h, err := a.hello(ctx)
	if err != nil {
		return HelloResult{}, err
	}
	return helloResult(h), nil
}

func helloResult(h *syncv1.HelloResponse) HelloResult {
	return HelloResult{Office: h.GetOfficeId(), OfficeName: h.GetOfficeName(), Scopes: h.GetScopes(),
		ClockOffset: time.Duration(h.GetClockOffsetMs()) * time.Millisecond, MaxSkew: time.Duration(h.GetMaxSkewMs()) * time.Millisecond,
		Epoch: h.GetHubEpoch(), DistrictKey: h.GetDistrictKey()}
}

func (a *Agent) hello(ctx context.Context) (*syncv1.HelloResponse, error) {
	node := a.r.node
	pulled, err := a.r.Position(ctx, pullKey)
	if err != nil {
		return nil, err
	}
	acked, err := a.r.Position(ctx, ackKey)
	if err != nil {
		return nil, err
	}
	epoch, err := a.r.Meta(ctx, officeEpochKey)
	if err != nil {
		return nil, err
	}
	hello, err := call(ctx, a, a.client.Hello, &syncv1.HelloRequest{
		SchemaVersion: int32(SchemaVersion()), Node: node[:], OfficeTime: timestamppb.New(a.r.now()),
		Pulled: pulled, Acknowledged: acked, HubEpoch: epoch,
	})
	if err != nil {
		return nil, fmt.Errorf("hello: %w", err)
	}
	if err := a.r.checkHelloOffice(ctx, hello.GetOfficeId()); err != nil { // refused_office.go
		return nil, fmt.Errorf("hello: %w", err)
	}
	if err := a.r.SetMeta(ctx, map[string]string{"office_id": hello.GetOfficeId(), "scopes": fmt.Sprint(hello.GetScopes()),
		"clock_offset_ms": strconv.FormatInt(hello.GetClockOffsetMs(), 10)}); err != nil {
		return nil, err
	}
	if err := a.r.SetDistrictKey(ctx, hello.GetDistrictKey()); err != nil {
		return nil, err
	}
	return hello, nil
}

// checkHistory compares what the hub says at Hello with this file: has
// either side gone back in time since the last sync?
func (a *Agent) checkHistory(ctx context.Context, hello *syncv1.HelloResponse) (Recovery, error) {
	stored, err := a.r.Meta(ctx, officeEpochKey)
	if err != nil {
		return RecoveryNone, err
	}
	pulled, err := a.r.Position(ctx, pullKey)
	if err != nil {
		return RecoveryNone, err
	}
	acked, err := a.r.Position(ctx, ackKey)
	if err != nil {
		return RecoveryNone, err
	}
	epoch := hello.GetHubEpoch()
	switch {
	case stored != "" && epoch != "" && stored != epoch,
		pulled > hello.GetLastSeq(),
		hello.GetAcknowledged() < acked:
		return RecoveryHubRestored, nil
	}
	hubAcked := hello.GetAcknowledged()
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
	tip := hello.GetAcknowledgedTip()
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
func (a *Agent) recover(ctx context.Context, kind Recovery, hello *syncv1.HelloResponse, batch int, rep *SyncReport) error {
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
		req := &syncv1.PushRequest{Node: node[:], Changes: changesToProto(recs), Reconcile: true}
		if page.Done {
			req.ReconciledThrough, req.ReconciledTip = through, tip
		}
		res, err := call(ctx, a, a.client.Push, req)
		if err != nil {
			return err
		}
		if err := a.keepReconcileRefusals(ctx, rep.Office, res.GetRefused()); err != nil {
			return err
		}
		rep.Reconciled += len(recs)
		rep.Refused += len(res.GetRefused())
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
	return a.r.SetMeta(ctx, map[string]string{officeEpochKey: hello.GetHubEpoch()})
}

// keepReconcileRefusals keeps the refusals of a reconciling push. Whole
// records carry no log position, so each is kept under a position of its
// own below zero, fixed by the record: refused again, it is kept once.
func (a *Agent) keepReconcileRefusals(ctx context.Context, office string, refused []*syncv1.Refusal) error {
	for _, f := range refused {
		h := sha256.Sum256(append([]byte(f.GetTable()+"\x00"), f.GetId()...))
		f.Seq = -int64(binary.BigEndian.Uint64(h[:8]) >> 1)
		if f.Seq == 0 {
			f.Seq = -1
		}
	}
	return a.keepRefusals(ctx, office, refused)
}

// storeEpoch remembers the hub's epoch after a sync that needed no
// recovery (the first sync, or an old hub that has none).
func (a *Agent) storeEpoch(ctx context.Context, epoch string) error {
	if epoch == "" {
		return nil
	}
	stored, err := a.r.Meta(ctx, officeEpochKey)
	if err != nil || stored == epoch {
		return err
	}
	return a.r.SetMeta(ctx, map[string]string{officeEpochKey: epoch})
}
