package syncsvc_test

import (
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

func putCadres(t *testing.T, r *store.Replica, cs ...*cadre.Cadre) {
	t.Helper()
	for _, c := range cs {
		_, err := r.PutCadre(ctx, c)
		require.NoError(t, err)
	}
}

func putHelper(t *testing.T, r *store.Replica, h *care.Helper) {
	t.Helper()
	_, err := r.PutHelper(ctx, h)
	require.NoError(t, err)
	require.NotEqual(t, uuid.Nil, h.ID, "a new helper gets an id")
}

func lastSeq(t *testing.T, r *store.Replica) int64 {
	t.Helper()
	n, err := r.LastSeq(ctx)
	require.NoError(t, err)
	return n
}

// careLists reads every care record of a replica through the typed API.
type careLists struct {
	Helpers []care.Helper
	Pairs   []care.Pair
	Visits  []care.Visit
	Stays   []care.HospitalStay
	Cases   []care.HelpCase
}

func readCare(t *testing.T, r *store.Replica) careLists {
	t.Helper()
	var l careLists
	var err error
	l.Helpers, err = r.Helpers(ctx, store.HelperFilter{})
	require.NoError(t, err)
	l.Pairs, err = r.Pairs(ctx, store.PairFilter{})
	require.NoError(t, err)
	l.Visits, err = r.Visits(ctx, store.VisitFilter{})
	require.NoError(t, err)
	l.Stays, err = r.HospitalStays(ctx, uuid.Nil)
	require.NoError(t, err)
	l.Cases, err = r.HelpCases(ctx, store.HelpFilter{})
	require.NoError(t, err)
	return l
}

func TestCareRecordsRoundTrip(t *testing.T) {
	t.Parallel()
	clk := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	hub := openReplica(t, syncsvc.RoleHub, clk.Now)
	a, b := testkit.Cadre(1, "sy"), testkit.Cadre(2, "sy")
	putCadres(t, hub, &a, &b)

	h := care.Helper{Name: "王局长", Base: &cadre.Location{Lat: 36.6612, Lng: 117.0213}, Capacity: 3,
		ActiveFrom: cadre.NewDate(2024, 1, 1), ActiveTo: cadre.NewDate(2027, 1, 1)}
	gone := care.Helper{Name: "李处长", ActiveFrom: cadre.NewDate(2020, 1, 1), ActiveTo: cadre.NewDate(2025, 1, 1)}
	putHelper(t, hub, &h)
	putHelper(t, hub, &gone)
	got, err := hub.Helper(ctx, h.ID)
	require.NoError(t, err)
	assert.Equal(t, h, got)
	hs, err := hub.Helpers(ctx, store.HelperFilter{})
	require.NoError(t, err)
	assert.Equal(t, []care.Helper{gone, h}, hs, "by name")
	hs, err = hub.Helpers(ctx, store.HelperFilter{ActiveOn: cadre.NewDate(2026, 11, 28)})
	require.NoError(t, err)
	assert.Equal(t, []care.Helper{h}, hs)

	ended := care.Pair{HelperID: h.ID, CadreID: a.ID, From: cadre.NewDate(2025, 3, 1), To: cadre.NewDate(2026, 11, 1),
		Reason: cadre.NeedAloneElderly, EndReason: care.EndNotNeeded}
	open := care.Pair{HelperID: h.ID, CadreID: b.ID, From: cadre.NewDate(2026, 1, 1), Reason: cadre.NeedElderly}
	for _, p := range []*care.Pair{&ended, &open} {
		_, err := hub.PutPair(ctx, p)
		require.NoError(t, err)
		require.NotEqual(t, uuid.Nil, p.ID)
	}
	gotP, err := hub.Pair(ctx, ended.ID)
	require.NoError(t, err)
	assert.Equal(t, ended, gotP)
	ps, err := hub.Pairs(ctx, store.PairFilter{CadreID: a.ID})
	require.NoError(t, err)
	assert.Equal(t, []care.Pair{ended}, ps)
	ps, err = hub.Pairs(ctx, store.PairFilter{HelperID: h.ID, OpenOn: cadre.NewDate(2026, 11, 1)})
	require.NoError(t, err)
	assert.Equal(t, []care.Pair{open}, ps, "a pair is not in force on its end date")
	ps, err = hub.Pairs(ctx, store.PairFilter{OpenOn: cadre.NewDate(2026, 10, 31)})
	require.NoError(t, err)
	assert.ElementsMatch(t, []care.Pair{ended, open}, ps)
	ps, err = hub.Pairs(ctx, store.PairFilter{HelperID: gone.ID})
	require.NoError(t, err)
	assert.NotNil(t, ps, "an empty list is [], not null")
	assert.Empty(t, ps)

	home := care.Visit{CadreID: a.ID, By: h.ID, Kind: care.VisitHome, On: cadre.NewDate(2026, 11, 20), Notes: "身体尚好，需要轮椅"}
	call := care.Visit{CadreID: b.ID, Kind: care.VisitCall, On: cadre.NewDate(2026, 10, 5), Notes: "社区网格员电话联系"}
	for _, v := range []*care.Visit{&home, &call} {
		_, err := hub.PutVisit(ctx, v)
		require.NoError(t, err)
	}
	vs, err := hub.Visits(ctx, store.VisitFilter{})
	require.NoError(t, err)
	assert.Equal(t, []care.Visit{call, home}, vs, "by day")
	for _, f := range []store.VisitFilter{{CadreID: a.ID}, {By: h.ID}, {From: cadre.NewDate(2026, 11, 20), To: cadre.NewDate(2026, 11, 20)}} {
		vs, err = hub.Visits(ctx, f)
		require.NoError(t, err)
		assert.Equal(t, []care.Visit{home}, vs, "%+v", f)
	}
	vs, err = hub.Visits(ctx, store.VisitFilter{To: cadre.NewDate(2026, 11, 19)})
	require.NoError(t, err)
	assert.Equal(t, []care.Visit{call}, vs)
	vs, err = hub.Visits(ctx, store.VisitFilter{From: cadre.NewDate(2026, 11, 21)})
	require.NoError(t, err)
	assert.NotNil(t, vs)
	assert.Empty(t, vs)

	stay := care.HospitalStay{CadreID: a.ID, Admitted: cadre.NewDate(2026, 10, 10), Discharged: cadre.NewDate(2026, 10, 24)}
	_, err = hub.PutHospitalStay(ctx, &stay)
	require.NoError(t, err)
	stays, err := hub.HospitalStays(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, []care.HospitalStay{stay}, stays)
	stays, err = hub.HospitalStays(ctx, b.ID)
	require.NoError(t, err)
	assert.NotNil(t, stays)
	assert.Empty(t, stays)

	// An instant in any zone is kept to the nanosecond and read back in
	// Asia/Shanghai.
	opened := time.Date(2026, 11, 20, 0, 30, 15, 123456789, time.UTC)
	resolved := care.HelpCase{CadreID: a.ID, Kind: care.HelpMedical, Opened: opened, Urgent: true, Status: care.HelpResolved,
		FirstActionAt: opened.Add(2 * time.Hour), Note: "需要陪同复查；2026-11-20 10:30 已联系社区医院", Resolution: "联系医院安排复查",
		Closed: opened.Add(48 * time.Hour)}
	waiting := care.HelpCase{CadreID: b.ID, Kind: care.HelpHousekeeping, Opened: time.Date(2026, 11, 27, 10, 0, 0, 0, syncsvc.Shanghai()), Status: care.HelpOpen}
	for _, c := range []*care.HelpCase{&resolved, &waiting} {
		_, err := hub.PutHelpCase(ctx, c)
		require.NoError(t, err)
	}
	assert.True(t, resolved.Opened.Equal(opened))
	assert.Equal(t, syncsvc.Shanghai(), resolved.Opened.Location())
	gotC, err := hub.HelpCase(ctx, resolved.ID)
	require.NoError(t, err)
	assert.Equal(t, resolved, gotC)
	cs, err := hub.HelpCases(ctx, store.HelpFilter{})
	require.NoError(t, err)
	assert.Equal(t, []care.HelpCase{resolved, waiting}, cs, "by opening time")
	cs, err = hub.HelpCases(ctx, store.HelpFilter{Open: true})
	require.NoError(t, err)
	assert.Equal(t, []care.HelpCase{waiting}, cs)
	cs, err = hub.HelpCases(ctx, store.HelpFilter{CadreID: a.ID, Open: true})
	require.NoError(t, err)
	assert.NotNil(t, cs)
	assert.Empty(t, cs)

	// Fields that only make sense together are one register each.
	registers := []struct {
		table, field string
		id           uuid.UUID
		want         []any
	}{
		{store.HelpersTable, "base", h.ID, []any{36.6612, 117.0213}},
		{store.HelpersTable, "active", h.ID, []any{"2024-01-01", "2027-01-01"}},
		{store.PairsTable, "span", ended.ID, []any{"2025-03-01", "2026-11-01", "not_needed"}},
		{store.HospitalStaysTable, "stay", stay.ID, []any{"2026-10-10", "2026-10-24"}},
		{store.HelpCasesTable, "outcome", resolved.ID, []any{"resolved", "联系医院安排复查", "2026-11-22T08:30:15.123456789+08:00"}},
	}
	for _, reg := range registers {
		rec, err := hub.Get(ctx, reg.table, reg.id)
		require.NoError(t, err)
		assert.Equal(t, reg.want, rec.Values[reg.field], "%s.%s", reg.table, reg.field)
	}
	// A help case's note is a field of its own, outside the outcome.
	rec, err := hub.Get(ctx, store.HelpCasesTable, resolved.ID)
	require.NoError(t, err)
	assert.Equal(t, "需要陪同复查；2026-11-20 10:30 已联系社区医院", rec.Values["note"])
	rec, err = hub.Get(ctx, store.HelpCasesTable, waiting.ID)
	require.NoError(t, err)
	assert.Nil(t, rec.Values["note"], "no note is stored as nothing")

	// The same records reach an office of the community whole.
	office := openReplica(t, syncsvc.RoleOffice, clk.Now)
	pull(t, hub, office, "sy", "district")
	want := careLists{Helpers: []care.Helper{gone, h}, Visits: []care.Visit{call, home}, Stays: []care.HospitalStay{stay}, Cases: []care.HelpCase{resolved, waiting}}
	want.Pairs, err = hub.Pairs(ctx, store.PairFilter{})
	require.NoError(t, err)
	assert.Equal(t, want, readCare(t, office))
}

// TestHelpNoteAndClosingAreBothKept: one office adds to a case's note
// while another closes it; after both sync, every replica has both.
func TestHelpNoteAndClosingAreBothKept(t *testing.T) {
	t.Parallel()
	clk := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	hub := openReplica(t, syncsvc.RoleHub, clk.Now)
	a, b := openReplica(t, syncsvc.RoleOffice, clk.Now), openReplica(t, syncsvc.RoleOffice, clk.Now)
	c := testkit.Cadre(1, "sy")
	putCadres(t, a, &c)
	hc := care.HelpCase{CadreID: c.ID, Kind: care.HelpMedical, Opened: clk.Now().Add(-time.Hour), Status: care.HelpOpen, Note: "需要陪同复查"}
	_, err := a.PutHelpCase(ctx, &hc)
	require.NoError(t, err)
	push(t, a, hub)
	pull(t, hub, b, "sy", "district")

	noted, closed := hc, hc
	noted.Note += "；2026-11-28 09:30 已联系社区医院"
	noted.Status, noted.FirstActionAt = care.HelpInProgress, clk.Now()
	_, err = a.PutHelpCase(ctx, &noted)
	require.NoError(t, err)
	clk.Advance(time.Minute)
	closed.Status, closed.Resolution, closed.Closed = care.HelpResolved, "已安排志愿者陪同", clk.Now()
	_, err = b.PutHelpCase(ctx, &closed)
	require.NoError(t, err)
	push(t, a, hub)
	push(t, b, hub)
	pull(t, hub, a, "sy", "district")
	pull(t, hub, b, "sy", "district")

	want := closed
	want.Note, want.FirstActionAt = noted.Note, noted.FirstActionAt
	for name, r := range map[string]*store.Replica{"hub": hub, "office a": a, "office b": b} {
		got, err := r.HelpCase(ctx, hc.ID)
		require.NoError(t, err, name)
		assert.Equal(t, want, got, name)
	}
}

// TestHelpCasesGainTheNoteColumn: a replica made before help cases had a
// note gains the column when opened, and its cases read and take notes.
func TestHelpCasesGainTheNoteColumn(t *testing.T) {
	t.Parallel()
	clk := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	path := filepath.Join(t.TempDir(), "office.db")
	r, err := store.Open(ctx, path, syncsvc.Options{Now: clk.Now})
	require.NoError(t, err)
	c := testkit.Cadre(1, "sy")
	putCadres(t, r, &c)
	hc := care.HelpCase{CadreID: c.ID, Kind: care.HelpEconomic, Opened: clk.Now().Add(-time.Hour), Status: care.HelpOpen}
	_, err = r.PutHelpCase(ctx, &hc)
	require.NoError(t, err)
	require.NoError(t, r.Close())

	// What an older program left: no column, no field number.
	db, err := sql.Open("sqlite3", path)
	require.NoError(t, err)
	for _, q := range []string{
		"ALTER TABLE help_cases DROP COLUMN note",
		"DELETE FROM field_numbers WHERE tbl = 'help_cases' AND field = 'note'",
	} {
		_, err = db.Exec(q)
		require.NoError(t, err, q)
	}
	require.False(t, hasColumn(t, db, "help_cases", "note"))
	require.NoError(t, db.Close())

	r, err = store.Open(ctx, path, syncsvc.Options{Now: clk.Now})
	require.NoError(t, err)
	defer r.Close()
	got, err := r.HelpCase(ctx, hc.ID)
	require.NoError(t, err)
	assert.Equal(t, hc, got)
	hc.Note = "医药费负担重"
	_, err = r.PutHelpCase(ctx, &hc)
	require.NoError(t, err)
	got, err = r.HelpCase(ctx, hc.ID)
	require.NoError(t, err)
	assert.Equal(t, hc, got)

	db, err = sql.Open("sqlite3", path)
	require.NoError(t, err)
	defer db.Close()
	assert.True(t, hasColumn(t, db, "help_cases", "note"))
}

func hasColumn(t *testing.T, db *sql.DB, table, column string) bool {
	t.Helper()
	var n int
	require.NoError(t, db.QueryRow("SELECT count(*) FROM pragma_table_info(?) WHERE name = ?", table, column).Scan(&n))
	return n == 1
}

func TestCareRecordsRefused(t *testing.T) {
	t.Parallel()
	clk := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	hub := openReplica(t, syncsvc.RoleHub, clk.Now)
	office := openReplica(t, syncsvc.RoleOffice, clk.Now)
	var verr *cadre.ValidationError

	_, err := hub.PutHelper(ctx, &care.Helper{Name: " ", Capacity: -1, ActiveFrom: cadre.NewDate(2024, 1, 1)})
	require.ErrorAs(t, err, &verr)
	_, err = office.PutHelper(ctx, &care.Helper{Name: "王局长", ActiveFrom: cadre.NewDate(2024, 1, 1)})
	require.ErrorIs(t, err, syncsvc.ErrNotHub, "helpers are written at the hub")
	n, err := office.OutboxLen(ctx)
	require.NoError(t, err)
	assert.Zero(t, n)

	c := testkit.Cadre(1, "sy")
	putCadres(t, hub, &c)
	h := care.Helper{Name: "王局长", ActiveFrom: cadre.NewDate(2024, 1, 1)}
	putHelper(t, hub, &h)
	stranger := uuid.Must(uuid.NewV7())
	before := lastSeq(t, hub)
	since := cadre.NewDate(2026, 1, 1)
	today := cadre.NewDate(2026, 11, 28)

	invalid := map[string]func() error{
		"pair ends before it starts": func() error {
			_, err := hub.PutPair(ctx, &care.Pair{HelperID: h.ID, CadreID: c.ID, From: since, To: since.AddDays(-1), Reason: cadre.NeedElderly})
			return err
		},
		"pair without a reason": func() error {
			_, err := hub.PutPair(ctx, &care.Pair{HelperID: h.ID, CadreID: c.ID, From: since})
			return err
		},
		"visit tomorrow": func() error {
			_, err := hub.PutVisit(ctx, &care.Visit{CadreID: c.ID, Kind: care.VisitHome, On: today.AddDays(1)})
			return err
		},
		"visit of no kind": func() error {
			_, err := hub.PutVisit(ctx, &care.Visit{CadreID: c.ID, On: today})
			return err
		},
		"discharged before admitted": func() error {
			_, err := hub.PutHospitalStay(ctx, &care.HospitalStay{CadreID: c.ID, Admitted: today, Discharged: today.AddDays(-3)})
			return err
		},
		"resolved without a resolution": func() error {
			at := clk.Now().Add(-time.Hour)
			_, err := hub.PutHelpCase(ctx, &care.HelpCase{CadreID: c.ID, Kind: care.HelpEconomic, Opened: at, Status: care.HelpResolved, Closed: at})
			return err
		},
	}
	for name, put := range invalid {
		assert.ErrorAs(t, put(), &verr, name)
	}
	missing := map[string]func() error{
		"pair of a cadre not here": func() error {
			_, err := hub.PutPair(ctx, &care.Pair{HelperID: h.ID, CadreID: stranger, From: since, Reason: cadre.NeedElderly})
			return err
		},
		"pair with a helper not here": func() error {
			_, err := hub.PutPair(ctx, &care.Pair{HelperID: stranger, CadreID: c.ID, From: since, Reason: cadre.NeedElderly})
			return err
		},
		"visit to a cadre not here": func() error {
			_, err := hub.PutVisit(ctx, &care.Visit{CadreID: stranger, Kind: care.VisitHome, On: today})
			return err
		},
		"visit by a helper not here": func() error {
			_, err := hub.PutVisit(ctx, &care.Visit{CadreID: c.ID, By: stranger, Kind: care.VisitHome, On: today})
			return err
		},
		"stay of a cadre not here": func() error {
			_, err := hub.PutHospitalStay(ctx, &care.HospitalStay{CadreID: stranger, Admitted: today})
			return err
		},
		"case of a cadre not here": func() error {
			_, err := hub.PutHelpCase(ctx, &care.HelpCase{CadreID: stranger, Kind: care.HelpSpiritual, Opened: clk.Now(), Status: care.HelpOpen})
			return err
		},
	}
	for name, put := range missing {
		assert.ErrorIs(t, put(), store.ErrParentMissing, name)
	}

	// In one transaction, a refusal takes the valid writes with it.
	err = hub.Update(ctx, func(tx *store.Tx) error {
		if _, err := tx.PutVisit(&care.Visit{CadreID: c.ID, Kind: care.VisitCall, On: today}); err != nil {
			return err
		}
		_, err := tx.PutHelpCase(&care.HelpCase{CadreID: c.ID, Kind: care.HelpMedical, Opened: clk.Now(), Status: care.HelpExplained})
		return err
	})
	require.ErrorAs(t, err, &verr)

	assert.Equal(t, before, lastSeq(t, hub), "nothing written")
	assert.Equal(t, careLists{Helpers: []care.Helper{h}, Pairs: []care.Pair{}, Visits: []care.Visit{}, Stays: []care.HospitalStay{}, Cases: []care.HelpCase{}},
		readCare(t, hub))

	// A helper voided as entered by mistake takes no new pair, but a pair
	// made before can still be ended.
	twice := care.Helper{Name: "王局长", ActiveFrom: cadre.NewDate(2024, 1, 1)}
	putHelper(t, hub, &twice)
	p := care.Pair{HelperID: twice.ID, CadreID: c.ID, From: since, Reason: cadre.NeedElderly}
	_, err = hub.PutPair(ctx, &p)
	require.NoError(t, err)
	require.NoError(t, hub.Void(ctx, store.HelpersTable, twice.ID, "entered twice"))
	_, err = hub.PutPair(ctx, &care.Pair{HelperID: twice.ID, CadreID: c.ID, From: today, Reason: cadre.NeedElderly})
	require.ErrorIs(t, err, store.ErrParentMissing)
	p.To, p.EndReason = today, care.EndHelperInactive
	_, err = hub.PutPair(ctx, &p)
	require.NoError(t, err)
}

// pairingDistrict is a hub with two helpers of capacity 2 and five cadres
// aged over 80 who live with their spouse only (tier 3): one stays unpaired.
func pairingDistrict(t *testing.T) (*store.Replica, []care.Helper, []cadre.Cadre) {
	t.Helper()
	hub := openReplica(t, syncsvc.RoleHub, testkit.NewClock(testkit.At("2026-11-28 09:00")).Now)
	helpers := []care.Helper{
		{Name: "王局长", Base: &cadre.Location{Lat: 36.66, Lng: 117.00}, Capacity: 2, ActiveFrom: cadre.NewDate(2020, 1, 1)},
		{Name: "李副局长", Base: &cadre.Location{Lat: 36.70, Lng: 117.10}, Capacity: 2, ActiveFrom: cadre.NewDate(2020, 1, 1)},
	}
	for i := range helpers {
		putHelper(t, hub, &helpers[i])
	}
	var cadres []cadre.Cadre
	for i := range 5 {
		c := testkit.Cadre(i+1, "sy")
		c.Location = &cadre.Location{Lat: 36.66 + float64(i)*0.01, Lng: 117.00 + float64(i)*0.02}
		putCadres(t, hub, &c)
		require.Equal(t, 3, c.NeedTier(cadre.NewDate(2026, 11, 28), cadre.DefaultPolicy()))
		cadres = append(cadres, c)
	}
	return hub, helpers, cadres
}

func TestApplyPairing(t *testing.T) {
	t.Parallel()
	hub, helpers, cadres := pairingDistrict(t)
	on := cadre.NewDate(2026, 11, 28)
	s := care.DefaultAssignSettings()

	in, err := hub.AssignInput(ctx, on)
	require.NoError(t, err)
	assert.Equal(t, on, in.On)
	assert.Len(t, in.Cadres, len(cadres))
	assert.ElementsMatch(t, helpers, in.Helpers)
	assert.Empty(t, in.Pairs)
	res := care.Assign(in, s)
	require.Len(t, res.Pairs, 4)
	require.Len(t, res.Unpaired, 1)

	applied, err := hub.ApplyPairing(ctx, res)
	require.NoError(t, err)
	assert.Equal(t, store.PairingApplied{PairsCreated: 4}, applied)
	for _, a := range res.Pairs {
		ps, err := hub.Pairs(ctx, store.PairFilter{CadreID: a.CadreID})
		require.NoError(t, err)
		require.Len(t, ps, 1)
		assert.Equal(t, a.HelperID, ps[0].HelperID)
		assert.Equal(t, on, ps[0].From)
		assert.Equal(t, a.Reason, ps[0].Reason)
	}

	seq := lastSeq(t, hub)
	applied, err = hub.ApplyPairing(ctx, res)
	require.NoError(t, err)
	assert.Zero(t, applied)
	assert.Equal(t, seq, lastSeq(t, hub), "the same result applied twice writes nothing the second time")

	in, err = hub.AssignInput(ctx, on)
	require.NoError(t, err)
	assert.Len(t, in.Pairs, 4)
	again := care.Assign(in, s)
	assert.Empty(t, again.Ended)
	for _, a := range again.Pairs {
		assert.False(t, a.New, "what was applied is kept as it is")
	}
	assert.Len(t, again.Pairs, 4)
	applied, err = hub.ApplyPairing(ctx, again)
	require.NoError(t, err)
	assert.Zero(t, applied)
	assert.Equal(t, seq, lastSeq(t, hub))

	// The first helper leaves on 1 December; a third one joins.
	leaves := cadre.NewDate(2026, 12, 1)
	helpers[0].ActiveTo = leaves
	putHelper(t, hub, &helpers[0])
	third := care.Helper{Name: "张处长", Capacity: 5, ActiveFrom: cadre.NewDate(2026, 11, 30)}
	putHelper(t, hub, &third)
	in, err = hub.AssignInput(ctx, leaves)
	require.NoError(t, err)
	res = care.Assign(in, s)
	require.Len(t, res.Ended, 2)
	// Meanwhile someone ends one of the two pairs a day earlier.
	earlier, err := hub.Pair(ctx, res.Ended[0].ID)
	require.NoError(t, err)
	earlier.To, earlier.EndReason = leaves.AddDays(-1), care.EndNotNeeded
	_, err = hub.PutPair(ctx, &earlier)
	require.NoError(t, err)
	applied, err = hub.ApplyPairing(ctx, res)
	require.NoError(t, err)
	assert.Equal(t, store.PairingApplied{PairsEnded: 1, PairsCreated: 3}, applied, "the first helper's two cadres and the one unpaired")
	seq = lastSeq(t, hub)
	applied, err = hub.ApplyPairing(ctx, res)
	require.NoError(t, err)
	assert.Zero(t, applied)
	assert.Equal(t, seq, lastSeq(t, hub))

	got, err := hub.Pair(ctx, earlier.ID)
	require.NoError(t, err)
	assert.Equal(t, earlier, got, "a pair that ended earlier keeps its end")
	got, err = hub.Pair(ctx, res.Ended[1].ID)
	require.NoError(t, err)
	assert.Equal(t, leaves, got.To)
	assert.Equal(t, care.EndHelperInactive, got.EndReason)
	ps, err := hub.Pairs(ctx, store.PairFilter{OpenOn: leaves})
	require.NoError(t, err)
	assert.Len(t, ps, 5, "every cadre is paired once")
	ps, err = hub.Pairs(ctx, store.PairFilter{HelperID: third.ID, OpenOn: leaves})
	require.NoError(t, err)
	assert.Len(t, ps, 3)
}

func TestDeathOrMoveEndsPairs(t *testing.T) {
	t.Parallel()
	hub, helpers, cadres := pairingDistrict(t)
	h := helpers[0]
	dies, moves := cadres[0], cadres[1]
	before := care.Pair{HelperID: h.ID, CadreID: dies.ID, From: cadre.NewDate(2024, 1, 1), To: cadre.NewDate(2025, 1, 1), Reason: cadre.NeedElderly, EndReason: care.EndNotNeeded}
	current := care.Pair{HelperID: h.ID, CadreID: dies.ID, From: cadre.NewDate(2025, 6, 1), Reason: cadre.NeedAloneElderly}
	other := care.Pair{HelperID: h.ID, CadreID: moves.ID, From: cadre.NewDate(2025, 6, 1), Reason: cadre.NeedAloneElderly}
	for _, p := range []*care.Pair{&before, &current, &other} {
		_, err := hub.PutPair(ctx, p)
		require.NoError(t, err)
	}

	seq := lastSeq(t, hub)
	dies.Status, dies.StatusOn = cadre.StatusDeceased, cadre.NewDate(2026, 11, 2)
	putCadres(t, hub, &dies)
	assert.Equal(t, seq+2, lastSeq(t, hub), "the status and the pair's end are written together")
	ps, err := hub.Pairs(ctx, store.PairFilter{CadreID: dies.ID})
	require.NoError(t, err)
	current.To, current.EndReason = dies.StatusOn, care.EndCadreDied
	assert.ElementsMatch(t, []care.Pair{before, current}, ps, "the pair in force ends on the date of death; the one ended before is untouched")

	moves.Status, moves.StatusOn = cadre.StatusMoved, cadre.NewDate(2026, 11, 10)
	putCadres(t, hub, &moves)
	got, err := hub.Pair(ctx, other.ID)
	require.NoError(t, err)
	assert.Equal(t, moves.StatusOn, got.To)
	assert.Equal(t, care.EndCadreMoved, got.EndReason)

	// Pairing finds nothing left to end.
	in, err := hub.AssignInput(ctx, cadre.NewDate(2026, 11, 28))
	require.NoError(t, err)
	assert.Empty(t, care.Assign(in, care.DefaultAssignSettings()).Ended)
}

func TestScheduleRecords(t *testing.T) {
	t.Parallel()
	hub, helpers, cadres := pairingDistrict(t)
	a, b := cadres[0], cadres[1]
	on := cadre.NewDate(2026, 11, 28)
	pair := care.Pair{HelperID: helpers[0].ID, CadreID: a.ID, From: cadre.NewDate(2026, 1, 1), Reason: cadre.NeedAloneElderly}
	_, err := hub.PutPair(ctx, &pair)
	require.NoError(t, err)
	stay := care.HospitalStay{CadreID: a.ID, Admitted: on.AddDays(-1)}
	_, err = hub.PutHospitalStay(ctx, &stay)
	require.NoError(t, err)
	seen := care.Visit{CadreID: a.ID, By: helpers[0].ID, Kind: care.VisitHospital, On: on, Notes: "住院探望"}
	called := care.Visit{CadreID: b.ID, Kind: care.VisitCall, On: on}
	for _, v := range []*care.Visit{&seen, &called} {
		_, err := hub.PutVisit(ctx, v)
		require.NoError(t, err)
	}

	rec, err := hub.ScheduleRecords(ctx, a.ID)
	require.NoError(t, err)
	today := cadre.NewDate(2026, 11, 28) // the hub's clock: when everything was written
	assert.Equal(t, care.Records{
		Pairs: []care.Pair{pair}, Visits: []care.Visit{seen}, Stays: []care.HospitalStay{stay},
		Registered: today, StatusRecorded: today,
		StaysRecorded: map[uuid.UUID]care.StayRecorded{stay.ID: {Admission: today}},
	}, rec)
	var admission *care.Due
	for _, d := range care.Schedule(a, rec, on, care.DefaultScheduleSettings()) {
		if d.Kind == care.DueAdmission {
			admission = &d
		}
	}
	require.NotNil(t, admission, "the admission is owed a visit")
	require.NotNil(t, admission.SatisfiedBy)
	assert.Equal(t, seen.ID, admission.SatisfiedBy.ID)

	recB, err := hub.ScheduleRecords(ctx, b.ID)
	require.NoError(t, err)
	assert.Equal(t, care.Records{Pairs: []care.Pair{}, Visits: []care.Visit{called}, Stays: []care.HospitalStay{}, Registered: today, StatusRecorded: today}, recB)
	_, err = hub.ScheduleRecords(ctx, uuid.Must(uuid.NewV7()))
	require.ErrorIs(t, err, syncsvc.ErrNotFound)

	all, err := hub.ScheduleRecordsByCadre(ctx)
	require.NoError(t, err)
	assert.Len(t, all, len(cadres), "every live cadre, with the day it was registered")
	assert.Equal(t, rec, all[a.ID])
	assert.Equal(t, recB.Visits, all[b.ID].Visits)
	assert.Empty(t, all[b.ID].Pairs)

	// Read a table at a time, as the office desk keeps them, and put
	// together, the parts are the same records.
	parts, err := hub.ScheduleRecordsParts(ctx, store.ScheduleTables...)
	require.NoError(t, err)
	var each []map[uuid.UUID]care.Records
	for _, table := range store.ScheduleTables {
		each = append(each, parts[table])
	}
	assert.Equal(t, all, store.MergeScheduleRecords(each...))
	assert.Equal(t, []care.Visit{seen}, parts[store.VisitsTable][a.ID].Visits, "the visits' part")
	assert.Empty(t, parts[store.VisitsTable][a.ID].Pairs, "holds the visits only")
	_, err = hub.ScheduleRecordsParts(ctx, store.HelpersTable)
	assert.Error(t, err, "the helpers are no part of the schedule records")
}

// TestHelpersAreDistrictData: every office reads the helpers; an office's
// write to one is refused, by its replica and by the hub.
func TestHelpersAreDistrictData(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, p []connect.ClientOption) {
		h := startHub(t, p, syncsvc.HubOptions{})
		sy, agentSY := h.office(t, "sy", "sy")
		gsq, agentGSQ := h.office(t, "gsq", "gsq")
		helper := care.Helper{Name: "王局长", Base: &cadre.Location{Lat: 36.66, Lng: 117.02}, Capacity: 5, ActiveFrom: cadre.NewDate(2024, 1, 1)}
		putHelper(t, h.r, &helper)
		syncOK(t, agentSY)
		syncOK(t, agentGSQ)
		for _, o := range []*store.Replica{sy, gsq} {
			hs, err := o.Helpers(ctx, store.HelperFilter{})
			require.NoError(t, err)
			assert.Equal(t, []care.Helper{helper}, hs)
		}

		renamed := helper
		renamed.Name = "改名"
		_, err := sy.PutHelper(ctx, &renamed)
		require.ErrorIs(t, err, syncsvc.ErrNotHub)
		_, err = sy.Put(ctx, store.HelpersTable, helper.ID, map[string]any{"name": "改名"})
		require.NoError(t, err, "a write around the typed API")
		rep := syncOK(t, agentSY)
		assert.Equal(t, 1, rep.Refused, "the hub refuses an office's write to a helper")
		got, err := h.r.Helper(ctx, helper.ID)
		require.NoError(t, err)
		assert.Equal(t, helper, got)
		syncOK(t, agentGSQ)
		got, err = gsq.Helper(ctx, helper.ID)
		require.NoError(t, err)
		assert.Equal(t, helper, got)

		// The hub's edit reaches every office.
		helper.ActiveTo = cadre.NewDate(2027, 1, 1)
		putHelper(t, h.r, &helper)
		syncOK(t, agentGSQ)
		got, err = gsq.Helper(ctx, helper.ID)
		require.NoError(t, err)
		assert.Equal(t, helper, got)
	})
}

// TestCareRecordsFollowTheCadre: records about a cadre reach the hub and
// the other offices of the cadre's community, and no other office.
func TestCareRecordsFollowTheCadre(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, p []connect.ClientOption) {
		h := startHub(t, p, syncsvc.HubOptions{})
		syA, agentA := h.office(t, "sy-a", "sy")
		syB, agentB := h.office(t, "sy-b", "sy")
		gsq, agentGSQ := h.office(t, "gsq", "gsq")
		helper := care.Helper{Name: "王局长", ActiveFrom: cadre.NewDate(2024, 1, 1)}
		putHelper(t, h.r, &helper)
		syncOK(t, agentA)

		c := testkit.Cadre(1, "sy")
		putCadres(t, syA, &c)
		visit := care.Visit{CadreID: c.ID, By: helper.ID, Kind: care.VisitHome, On: cadre.NewDate(2026, 11, 20), Notes: "身体尚好"}
		stay := care.HospitalStay{CadreID: c.ID, Admitted: cadre.NewDate(2026, 11, 1), Discharged: cadre.NewDate(2026, 11, 9)}
		hc := care.HelpCase{CadreID: c.ID, Kind: care.HelpHousekeeping, Opened: h.clk.Now().Add(-time.Hour), Status: care.HelpInProgress, FirstActionAt: h.clk.Now()}
		pair := care.Pair{HelperID: helper.ID, CadreID: c.ID, From: cadre.NewDate(2026, 11, 1), Reason: cadre.NeedAloneElderly}
		err := syA.Update(ctx, func(tx *store.Tx) error {
			for _, put := range []func() (bool, error){
				func() (bool, error) { return tx.PutVisit(&visit) },
				func() (bool, error) { return tx.PutHospitalStay(&stay) },
				func() (bool, error) { return tx.PutHelpCase(&hc) },
				func() (bool, error) { return tx.PutPair(&pair) },
			} {
				if _, err := put(); err != nil {
					return err
				}
			}
			return nil
		})
		require.NoError(t, err)
		want := readCare(t, syA)
		require.Len(t, want.Visits, 1)

		rep := syncOK(t, agentA)
		assert.Zero(t, rep.Refused)
		syncOK(t, agentB)
		syncOK(t, agentGSQ)
		assert.Equal(t, want, readCare(t, h.r), "the hub has them")
		assert.Equal(t, want, readCare(t, syB), "so has the other office of sy")
		assert.Equal(t, careLists{Helpers: want.Helpers, Pairs: []care.Pair{}, Visits: []care.Visit{}, Stays: []care.HospitalStay{}, Cases: []care.HelpCase{}},
			readCare(t, gsq), "an office of another community has the helpers only")

		// And the other way: gsq's visit stays out of sy.
		g := testkit.Cadre(2, "gsq")
		putCadres(t, gsq, &g)
		gv := care.Visit{CadreID: g.ID, Kind: care.VisitCall, On: cadre.NewDate(2026, 11, 27)}
		_, err = gsq.PutVisit(ctx, &gv)
		require.NoError(t, err)
		syncOK(t, agentGSQ)
		syncOK(t, agentB)
		vs, err := h.r.Visits(ctx, store.VisitFilter{CadreID: g.ID})
		require.NoError(t, err)
		assert.Equal(t, []care.Visit{gv}, vs)
		vs, err = syB.Visits(ctx, store.VisitFilter{})
		require.NoError(t, err)
		assert.Equal(t, want.Visits, vs)
	})
}

// TestScheduleRecordsSayWhenEachWasRecorded: the store tells care.Schedule
// the day the cadre was registered, its death recorded, and each stay's
// admission and discharge entered, from the stamps of the records' fields,
// for one cadre and for all; a later edit does not move the registration.
func TestScheduleRecordsSayWhenEachWasRecorded(t *testing.T) {
	t.Parallel()
	clock := testkit.NewClock(testkit.At("2026-09-01 10:00"))
	r := openReplica(t, syncsvc.RoleOffice, clock.Now)
	c := testkit.Cadre(1, "sy")
	putCadres(t, r, &c)
	clock.Set(testkit.At("2026-10-05 10:00"))
	c.Phone = "0531-1234567"
	putCadres(t, r, &c)

	clock.Set(testkit.At("2026-11-20 10:00"))
	stay := care.HospitalStay{CadreID: c.ID, Admitted: cadre.NewDate(2026, 11, 1)}
	_, err := r.PutHospitalStay(ctx, &stay)
	require.NoError(t, err)
	clock.Set(testkit.At("2026-11-26 10:00"))
	stay.Discharged = cadre.NewDate(2026, 11, 22)
	_, err = r.PutHospitalStay(ctx, &stay)
	require.NoError(t, err)

	clock.Set(testkit.At("2026-11-27 10:00"))
	c.Status, c.StatusOn = cadre.StatusDeceased, cadre.NewDate(2026, 11, 25)
	putCadres(t, r, &c)

	rec, err := r.ScheduleRecords(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, cadre.NewDate(2026, 9, 1), rec.Registered, "the phone edited later does not move it")
	assert.Equal(t, cadre.NewDate(2026, 11, 27), rec.StatusRecorded)
	assert.Equal(t, map[uuid.UUID]care.StayRecorded{stay.ID: {
		Admission: cadre.NewDate(2026, 11, 20), Discharge: cadre.NewDate(2026, 11, 26),
	}}, rec.StaysRecorded)

	all, err := r.ScheduleRecordsByCadre(ctx)
	require.NoError(t, err)
	got := all[c.ID]
	assert.Equal(t, rec.Registered, got.Registered, "the same for all cadres at once")
	assert.Equal(t, rec.StatusRecorded, got.StatusRecorded)
	assert.Equal(t, rec.StaysRecorded, got.StaysRecorded)

	// The condolence is due three days from the entry of the death, not
	// from the death.
	ds := care.Schedule(c, rec, cadre.NewDate(2026, 11, 28), care.DefaultScheduleSettings())
	require.Len(t, ds, 1)
	assert.Equal(t, care.DueCondolence, ds[0].Kind)
	assert.Equal(t, cadre.NewDate(2026, 11, 30), ds[0].DueOn)
	assert.False(t, ds[0].Overdue)
}
