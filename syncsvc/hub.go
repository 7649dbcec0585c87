package syncsvc

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// HubOptions are the hub's limits and settings. The zero value of each
// field means its default.
type HubOptions struct {
	// MaxSkew: changes stamped further ahead of the hub's clock are
	// refused. Default 10 minutes.
	MaxSkew time.Duration
	// MaxBatch is the most changes one push or pull carries. Default 5,000.
	MaxBatch int
	// MaxRequestBytes bounds one request's size. Default 16 MiB.
	MaxRequestBytes int
	// MinSchemaVersion is the oldest office schema the hub syncs with.
	// Default 1.
	MinSchemaVersion int
	// Logger receives the hub's messages; nil uses the replica's.
	Logger *slog.Logger
}

func (o HubOptions) withDefaults() HubOptions {
	if o.MaxSkew == 0 {
		o.MaxSkew = 10 * time.Minute
	}
	if o.MaxBatch == 0 {
		o.MaxBatch = 5000
	}
	if o.MaxRequestBytes == 0 {
		o.MaxRequestBytes = 16 << 20
	}
	if o.MinSchemaVersion == 0 {
		o.MinSchemaVersion = 1
	}
	return o
}

// Errors of the sync protocol.
var (
	// ErrSchemaTooOld: the office runs a schema older than the hub supports.
	ErrSchemaTooOld = errors.New("office program is too old for this hub; upgrade wanxia")
	// ErrBatchTooLarge: a push carries more changes than the hub accepts.
	ErrBatchTooLarge = errors.New("batch too large")
	// ErrPermission: a call outside what the caller may do.
	ErrPermission = errors.New("not permitted")
)

// Hub is the district hub's side of sync, over its storage (HubStore).
// Its methods take the office a token was mapped to, in plain Go; the
// transport (package syncsvc/transport) maps tokens to offices, calls them
// and chooses the wire codes.
type Hub struct {
	s    HubStore
	opts HubOptions
	log  *slog.Logger
	// touched is what this hub last recorded of each node's syncs.
	touched touchMarks
}

// NewHub returns the hub over its storage: a RoleHub replica, or another
// HubStore. A store that says its role (as a *Replica does) must be the
// hub's.
func NewHub(s HubStore, opts HubOptions) (*Hub, error) {
	if r, ok := s.(interface{ Role() Role }); ok && r.Role() != RoleHub {
		return nil, ErrNotHub
	}
	opts = opts.withDefaults()
	log := opts.Logger
	if log == nil {
		if l, ok := s.(interface{ Logger() *slog.Logger }); ok {
			log = l.Logger()
		} else {
			log = slog.Default()
		}
	}
	return &Hub{s: s, opts: opts, log: log}, nil
}

// Options returns the hub's settings with defaults filled in.
func (h *Hub) Options() HubOptions { return h.opts }

// Store returns the hub's storage.
func (h *Hub) Store() HubStore { return h.s }

// Now is the hub's clock.
func (h *Hub) Now() time.Time { return h.s.Now() }

// Logger is where the hub logs.
func (h *Hub) Logger() *slog.Logger { return h.log }

// HelloInfo is what Hello tells an office.
type HelloInfo struct {
	SchemaVersion    int
	MinSchemaVersion int
	HubTime          time.Time
	// ClockOffset is hub time minus office time.
	ClockOffset  time.Duration
	Office       Office
	Scopes       []string
	Acknowledged int64
	// AcknowledgedTip is the fingerprint of the node's change at
	// Acknowledged, nil when the hub keeps none for that position.
	AcknowledgedTip []byte
	// Epoch is the hub's epoch, renewed whenever its database is restored;
	// LastSeq is the district sequence now.
	Epoch    string
	LastSeq  int64
	MaxBatch int
	MaxSkew  time.Duration
	// DistrictKey derives a cadre's record id from the ID number.
	DistrictKey []byte
}

func pushKey(node NodeID) string { return "push/" + node.String() }

// OfficeHello is what an office says in Hello.
type OfficeHello struct {
	// Schema is the office's schema version; OfficeTime its clock.
	Schema     int
	OfficeTime time.Time
	// Pulled and Acknowledged are how far the office has pulled the
	// district sequence and holds its own log acknowledged; Epoch is the
	// hub epoch it last synced in.
	Pulled, Acknowledged int64
	Epoch                string
}

// Hello checks the office's schema, its clock and the node it syncs from,
// and writes nothing: the push and the pull that follow record the node's
// sync. An office too old to sync gets ErrSchemaTooOld and syncs nothing.
//
// An office of the current epoch that has pulled further than the district
// sequence, or holds more of its log acknowledged than the hub does, shows
// that the hub's database went back in time without `hub restore` (a file
// copied back by hand): the hub then begins a new epoch itself, so that
// every office notices, not only the first one to sync.
func (h *Hub) Hello(ctx context.Context, o Office, node NodeID, req OfficeHello) (HelloInfo, error) {
	schema, officeTime := req.Schema, req.OfficeTime
	if schema < h.opts.MinSchemaVersion {
		return HelloInfo{}, fmt.Errorf("%w: office schema %d, hub needs at least %d", ErrSchemaTooOld, schema, h.opts.MinSchemaVersion)
	}
	now := h.s.Now()
	st, err := h.s.HelloState(ctx, node) // with the node's office: CheckNode in the same read
	if err != nil {
		return HelloInfo{}, err
	}
	if st.NodeOffice != "" && st.NodeOffice != o.ID {
		return HelloInfo{}, h.nodeRefused(o, node, fmt.Errorf("node %s, office %s: %w", node, o.ID, ErrNodeOfOtherOffice))
	}
	acked, tip, epoch, last := st.Acknowledged, st.AcknowledgedTip, st.Epoch, st.LastSeq
	// Hello writes nothing: the node's sync is recorded by the calls that
	// follow, the push with its batch and the pull with its record of the
	// sync (touchPulled), so that a sync writes once for each of them and
	// not once more for saying Hello.
	if req.Epoch == epoch && (req.Pulled > last || req.Acknowledged > acked) {
		h.log.Warn("an office has synced further than this hub holds: the hub's database went back in time without hub restore; a new epoch begins",
			"office", o.ID, "pulled", req.Pulled, "last_seq", last, "acknowledged", req.Acknowledged, "hub_acknowledged", acked)
		if epoch, err = h.s.RenewEpoch(ctx, epoch); err != nil {
			return HelloInfo{}, err
		}
	}
	key, err := h.s.DistrictKey(ctx)
	if err != nil {
		return HelloInfo{}, err
	}
	info := HelloInfo{DistrictKey: key,
		SchemaVersion: SchemaVersion(), MinSchemaVersion: h.opts.MinSchemaVersion,
		HubTime: now, Office: o, Scopes: o.Scopes(), Acknowledged: acked, AcknowledgedTip: tip,
		Epoch: epoch, LastSeq: last, MaxBatch: h.opts.MaxBatch, MaxSkew: h.opts.MaxSkew,
	}
	if !officeTime.IsZero() {
		info.ClockOffset = now.Sub(officeTime)
	}
	return info, nil
}

// touchPulled records that a node of the office synced now, pulling from
// position pulled, unless that would record nothing new (this process
// recorded the node's sync less than touchFresh ago, and at least that
// position): an office polling with nothing to pull costs the hub at most
// one write a minute.
func (h *Hub) touchPulled(ctx context.Context, o Office, node NodeID, pulled int64) error {
	if h.touched.covers(node, pulled, h.s.Now()) {
		return nil
	}
	if err := h.s.RecordNodeSync(ctx, o.ID, node, pulled); err != nil {
		return err
	}
	h.touched.note(node, pulled, h.s.Now())
	return nil
}

// touchFresh is how old a node's recorded sync may be for a pull not to
// record it again.
const touchFresh = time.Minute

// touchMarks remembers, per node, what this process last recorded of its
// syncs (RecordNodeSync): when, and the highest position pulled (-1 for
// none). Positions only grow in the store (it keeps the larger), so a mark
// never says more than the store holds.
type touchMarks struct {
	mu    sync.Mutex
	marks map[NodeID]touchMark
}

type touchMark struct {
	at     time.Time
	pulled int64
}

func (m *touchMarks) note(node NodeID, pulled int64, at time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.marks == nil {
		m.marks = map[NodeID]touchMark{}
	}
	prev, ok := m.marks[node]
	if !ok {
		prev.pulled = -1
	}
	m.marks[node] = touchMark{at: at, pulled: max(prev.pulled, pulled)}
}

func (m *touchMarks) covers(node NodeID, pulled int64, now time.Time) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	mark, ok := m.marks[node]
	return ok && mark.pulled >= pulled && now.Sub(mark.at) < touchFresh && !now.Before(mark.at)
}

// PushResult is the hub's answer to a push.
type PushResult struct {
	// Acknowledged is the highest position of the node's log the hub has
	// made durable; the office drops what is at or below it from its outbox.
	Acknowledged int64
	Refused      []Refusal
	// Gap reports that the batch did not follow Acknowledged: resend from
	// there.
	Gap bool
	// Held are the district positions of the records the push created:
	// the office holds each as it stands, and names them in its pulls of
	// the same sync (Pull's held), which then leave them out instead of
	// sending the office its own records back.
	Held []SeqRange
}

// Push applies a batch of an office node's log in one transaction, with
// the node's position. A change outside the office's communities is refused
// alone, kept in the hub's list of refusals, and does not block the rest.
func (h *Hub) Push(ctx context.Context, o Office, node NodeID, changes []Change) (PushResult, error) {
	if len(changes) > h.opts.MaxBatch {
		return PushResult{}, fmt.Errorf("%w: %d changes, at most %d", ErrBatchTooLarge, len(changes), h.opts.MaxBatch)
	}
	if err := h.checkNode(ctx, o, node); err != nil {
		return PushResult{}, err
	}
	if err := h.checkSkew(changes); err != nil {
		return PushResult{}, err
	}
	res, err := h.s.Apply(ctx, changes, ApplyOptions{
		Source:     pushKey(node),
		Contiguous: true,
		Authorize:  func(ch Change, current string, exists bool) error { return authorize(o, ch, current, exists) },
		Event:      &SyncEvent{Office: o.ID, Node: node, Kind: "push", Pulled: -1},
	})
	if err != nil {
		return PushResult{}, err
	}
	h.touched.note(node, -1, h.s.Now())
	if err := h.s.RecordHubRefusals(ctx, o.ID, node, res.Refused); err != nil {
		return PushResult{}, err
	}
	if res.Conflicts > 0 || len(res.Refused) > 0 {
		h.log.Info("push", "office", o.ID, "applied", res.Applied, "refused", len(res.Refused), "conflicts", res.Conflicts)
	}
	return PushResult{Acknowledged: res.Position, Refused: res.Refused, Gap: res.Gap, Held: seqRanges(res.Created)}, nil
}

// checkSkew refuses a whole push stamped too far ahead of the hub's clock:
// the office's clock is wrong, not its data, so nothing is applied and
// nothing is lost; the office pushes again once its clock is set right.
func (h *Hub) checkSkew(changes []Change) error {
	now := h.s.Now()
	limit := HLCFromTime(now.Add(h.opts.MaxSkew + time.Millisecond))
	for _, ch := range changes {
		for _, f := range ch.Fields {
			if f.Stamp.HLC > limit {
				return fmt.Errorf("%w: change %d is stamped %s, the hub's clock says %s (at most %s ahead is accepted); set the office computer's clock",
					ErrClockSkew, ch.Seq, f.Stamp.Time().UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339), h.opts.MaxSkew)
			}
		}
	}
	return nil
}

// ErrOutOfScope: a change to a record outside the office's communities.
var ErrOutOfScope = errors.New("outside the office's communities")

// authorize is the per-change scope check: an office writes records of its
// own communities, and may move one of them to another community (the
// cadre moves, 组织关系随人走). District data is written by the hub only.
func authorize(o Office, ch Change, current string, exists bool) error {
	scope := ch.Scope
	if exists {
		scope = current
	}
	if !scopeOverlaps(scope, o.Communities) {
		return fmt.Errorf("%s %s is in %q: %w %v", ch.Table, ch.ID, scope, ErrOutOfScope, o.Communities)
	}
	if ch.Scope == districtScope {
		return fmt.Errorf("%s %s: %w: district data is written at the hub", ch.Table, ch.ID, ErrOutOfScope)
	}
	return nil
}

// Pull returns changes above after in the office's scopes, at most MaxBatch
// (or limit, when smaller). ErrSnapshotRequired means the cursor is older
// than the departures the hub still keeps.
//
// Held names records the office holds as they stand here (the Held of
// its pushes in the same sync): a record whose place in the sequence lies
// in one of them is left out. Only a record a push created is ever named
// so, and a record changed since has another place, so leaving it out
// loses the office nothing; naming other places only keeps records from
// the caller's own page.
func (h *Hub) Pull(ctx context.Context, o Office, node NodeID, after int64, limit int, held ...SeqRange) (ChangesPage, error) {
	if limit <= 0 || limit > h.opts.MaxBatch {
		limit = h.opts.MaxBatch
	}
	if err := h.checkNode(ctx, o, node); err != nil {
		return ChangesPage{}, err
	}
	page, err := h.s.ChangesSinceWithin(ctx, after, o.Scopes(), limit, h.pageBytes(), held...)
	if err != nil {
		return ChangesPage{}, err
	}
	if len(page.Changes) > 0 {
		err = h.event(ctx, o, node, SyncEvent{Kind: "pull", Changes: len(page.Changes), Pulled: after})
	} else {
		err = h.touchPulled(ctx, o, node, after)
	}
	if err != nil {
		return ChangesPage{}, err
	}
	return page, nil
}

// Snapshot returns a chunk of the records in the office's scopes.
func (h *Hub) Snapshot(ctx context.Context, o Office, cursor SnapshotCursor, limit int) (SnapshotPage, error) {
	if limit <= 0 || limit > h.opts.MaxBatch {
		limit = h.opts.MaxBatch
	}
	return h.s.SnapshotWithin(ctx, o.Scopes(), cursor, limit, h.pageBytes())
}

// event records what one push or pull did, for the sync summary, and
// that the node synced now (as touchPulled does), in one write.
func (h *Hub) event(ctx context.Context, o Office, node NodeID, e SyncEvent) error {
	e.Office, e.Node = o.ID, node
	if err := h.s.RecordSyncEvent(ctx, e); err != nil {
		return err
	}
	h.touched.note(node, e.Pulled, h.s.Now())
	return nil
}

// OfficeSummary is what one office's syncs did over a period.
type OfficeSummary struct {
	Office    Office
	Synced    bool // false: the office did not sync in the period
	Pushes    int
	Pulled    int
	Applied   int
	Refused   int
	Conflicts int
	LastSync  time.Time
}

// SyncSummary sums up each office's syncs since the given time, offices
// that did not sync included, by office id.
func (r *Replica) SyncSummary(ctx context.Context, since time.Time) ([]OfficeSummary, error) {
	offices, err := r.Offices(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := r.rdb.QueryContext(ctx, `SELECT office_id, kind, COUNT(*), SUM(changes), SUM(refused), SUM(conflicts), MAX(at)
		FROM sync_events WHERE at >= ? GROUP BY office_id, kind`, since.UTC().Format(time.RFC3339Nano))
	if err != nil {
		return nil, fmt.Errorf("sync summary: %w", err)
	}
	defer rows.Close()
	byOffice := map[string]*OfficeSummary{}
	out := make([]OfficeSummary, len(offices))
	for i, o := range offices {
		out[i] = OfficeSummary{Office: o}
		byOffice[o.ID] = &out[i]
	}
	for rows.Next() {
		var id, kind, last string
		var n, changes, refused, conflicts int
		if err := rows.Scan(&id, &kind, &n, &changes, &refused, &conflicts, &last); err != nil {
			return nil, fmt.Errorf("sync summary: %w", err)
		}
		s, ok := byOffice[id]
		if !ok {
			continue
		}
		s.Synced = true
		if t, err := time.Parse(time.RFC3339Nano, last); err == nil && t.After(s.LastSync) {
			s.LastSync = t
		}
		if kind == "push" {
			s.Pushes, s.Applied, s.Refused, s.Conflicts = n, changes, refused, conflicts
		} else {
			s.Pulled = changes
		}
	}
	return out, rows.Err()
}
