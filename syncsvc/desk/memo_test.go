package desk_test

import (
	"database/sql"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// TestMemoAnswersAsTheFunctions: a Memo's lists are the package
// functions' lists, before and after a write by this program and after a
// write by another opening of the file (another process), which it sees.
func TestMemoAnswersAsTheFunctions(t *testing.T) {
	r := openReplica(t, "office")
	var ids []care.Visit
	var early []cadre.Cadre
	for n := range 6 {
		c := register(t, r, n, "sy")
		early = append(early, c)
		if n%2 == 0 {
			_, err := desk.AdmitToHospital(ctx, r, testNow, desk.StayInput{CadreID: c.ID, On: desk.Today(testNow).AddDays(-n - 1)})
			require.NoError(t, err)
		}
	}
	m := desk.NewMemo(r)
	on := desk.Today(testNow)
	same := func(msg string) {
		t.Helper()
		for _, all := range []bool{false, true} {
			want, err := desk.VisitsDue(ctx, r, on, all)
			require.NoError(t, err)
			got, err := m.VisitsDue(ctx, on, all)
			require.NoError(t, err)
			assert.Equal(t, want, got, "%s: visits due, all=%v", msg, all)
		}
		for _, q := range []desk.CadreQuery{
			{Tier: desk.AnyTier, On: on}, {Text: "cs", Tier: desk.AnyTier, On: on},
			{Text: "测试00", Tier: desk.AnyTier, On: on, Limit: 2, Offset: 1}, {Tier: 5, On: on},
		} {
			want, err := desk.ListCadres(ctx, r, q)
			require.NoError(t, err)
			got, err := m.ListCadres(ctx, q)
			require.NoError(t, err)
			assert.Equal(t, want, got, "%s: list %+v", msg, q)
		}
		in := desk.ReportRequest{Kinds: desk.ReportKinds(r.Role()), On: on, Now: testNow}
		want, err := desk.BuildReports(ctx, r, in)
		require.NoError(t, err)
		got, err := m.BuildReports(ctx, in)
		require.NoError(t, err)
		assert.Equal(t, want, got, "%s: reports", msg)
	}
	due, err := m.VisitsDue(ctx, on, false)
	require.NoError(t, err)
	require.NotEmpty(t, due.Dues, "the admissions make visits due")
	same("at first")
	same("asked again")

	c := register(t, r, 7, "sy")
	same("after a cadre is registered here")
	got, err := m.ListCadres(ctx, desk.CadreQuery{Text: c.Name, Tier: desk.AnyTier, On: on})
	require.NoError(t, err)
	assert.Equal(t, 1, got.Total, "the new cadre is found")

	v, err := desk.RecordVisit(ctx, r, testNow, desk.VisitInput{CadreID: c.ID, Kind: care.VisitHome, On: on})
	require.NoError(t, err)
	ids = append(ids, v.Visit)
	same("after a visit is recorded here")

	other, err := store.Open(ctx, r.Path(), syncsvc.Options{Role: syncsvc.RoleOffice, Now: func() time.Time { return testNow }})
	require.NoError(t, err)
	_, err = desk.RecordVisit(ctx, other, testNow, desk.VisitInput{CadreID: ids[0].CadreID, Kind: care.VisitCall, On: on})
	require.NoError(t, err)
	c.Name = "改名字"
	_, err = other.PutCadre(ctx, &c)
	require.NoError(t, err)
	require.NoError(t, other.Close())
	same("after another process wrote")
	got, err = m.ListCadres(ctx, desk.CadreQuery{Text: "gmz", Tier: desk.AnyTier, On: on})
	require.NoError(t, err)
	assert.Equal(t, 1, got.Total, "the name another process wrote is found by its initials")

	// A cadre edited here: the memo is told the cadres changed.
	_, err = desk.EditCadre(ctx, r, c.ID, desk.CadreInput{Values: cadre.Cadre{Name: "新名字"}, Set: []string{"name"}})
	require.NoError(t, err)
	same("after a cadre is edited here")
	got, err = m.ListCadres(ctx, desk.CadreQuery{Text: "xmz", Tier: desk.AnyTier, On: on})
	require.NoError(t, err)
	assert.Equal(t, 1, got.Total, "the name edited here is found by its initials")

	// A name edited here that moves the cadre from the end of the list
	// to its start, while a name of another stays: the memo reads the one
	// cadre again and puts it in its place.
	first := register(t, r, 8, "sy")
	same("after a cadre is registered here, between others")
	_, err = desk.EditCadre(ctx, r, first.ID, desk.CadreInput{Values: cadre.Cadre{Name: "阿一"}, Set: []string{"name"}})
	require.NoError(t, err)
	same("after a name edited here moves the cadre to the start")
	_, err = desk.EditCadre(ctx, r, first.ID, desk.CadreInput{Values: cadre.Cadre{Name: "左一", Phone: "13900001111"}, Set: []string{"name", "phone"}})
	require.NoError(t, err)
	same("after a name edited here moves the cadre to the end")
	list, err := m.ListCadres(ctx, desk.CadreQuery{Tier: desk.AnyTier, On: on})
	require.NoError(t, err)
	require.NotEmpty(t, list.Cadres)

	// Two edits here with no request between, one of a phone only.
	_, err = desk.EditCadre(ctx, r, first.ID, desk.CadreInput{Values: cadre.Cadre{Phone: "13900002222"}, Set: []string{"phone"}})
	require.NoError(t, err)
	_, err = desk.EditCadre(ctx, r, c.ID, desk.CadreInput{Values: cadre.Cadre{Name: "中间"}, Set: []string{"name"}})
	require.NoError(t, err)
	same("after two cadres are edited here between two requests")

	// A phone edited here, which leaves the pairing (report.Cache keeps
	// care.Assign's answer), then a health, which changes a need tier (it
	// works it out again), and a phone and a category between two
	// requests.
	_, err = desk.EditCadre(ctx, r, early[1].ID, desk.CadreInput{Values: cadre.Cadre{Phone: "13900004444"}, Set: []string{"phone"}})
	require.NoError(t, err)
	same("after a phone is edited here")
	_, err = desk.EditCadre(ctx, r, early[1].ID, desk.CadreInput{Values: cadre.Cadre{Health: cadre.HealthSerious}, Set: []string{"health"}})
	require.NoError(t, err)
	same("after a health (a need tier) is edited here")
	_, err = desk.EditCadre(ctx, r, early[3].ID, desk.CadreInput{Values: cadre.Cadre{Phone: "13900005555"}, Set: []string{"phone"}})
	require.NoError(t, err)
	_, err = desk.EditCadre(ctx, r, early[5].ID, desk.CadreInput{Values: cadre.Cadre{Category: cadre.Lixiu}, Set: []string{"category"}})
	require.NoError(t, err)
	same("after a phone and a category are edited here between two requests")

	// A cadre owed visits (admitted to hospital) renamed, and then dead:
	// the status and its day written here.
	_, err = desk.EditCadre(ctx, r, early[2].ID, desk.CadreInput{Values: cadre.Cadre{Name: "改名"}, Set: []string{"name"}})
	require.NoError(t, err)
	same("after a cadre owed visits is renamed here")
	owed, err := m.VisitsDue(ctx, on, false)
	require.NoError(t, err)
	_, err = desk.EditCadre(ctx, r, early[2].ID, desk.CadreInput{
		Values: cadre.Cadre{Status: cadre.StatusDeceased, StatusOn: on.AddDays(-2)}, Set: []string{"status", "status_on"}})
	require.NoError(t, err)
	same("after a cadre's status is set to 去世 here")
	now, err := m.VisitsDue(ctx, on, false)
	require.NoError(t, err)
	assert.NotEqual(t, len(owed.Dues), len(now.Dues), "the dead cadre's visits due change")
	_, err = desk.EditCadre(ctx, r, first.ID, desk.CadreInput{
		Values: cadre.Cadre{Status: cadre.StatusDeceased, StatusOn: on.AddDays(-2)}, Set: []string{"status", "status_on"}})
	require.NoError(t, err)
	same("after a cadre's status is set to 去世 here")

	// A cadre voided here (the store's delete): gone from the lists.
	gone := register(t, r, 9, "sy")
	same("before a cadre is voided")
	require.NoError(t, r.VoidCadre(ctx, gone.ID, "登记错了"))
	same("after a cadre is voided here")
	got, err = m.ListCadres(ctx, desk.CadreQuery{Text: gone.Name, Tier: desk.AnyTier, On: on})
	require.NoError(t, err)
	assert.Zero(t, got.Total, "the voided cadre is not found")

	// A batch of more cadres than a commit gives the ids of: the memo
	// reads the cadres whole.
	batch := make([]*cadre.Cadre, syncsvc.MaxCommitRecords+1)
	for i := range batch {
		b := testkit.Cadre(1000+i, "sy")
		batch[i] = &b
	}
	putAll(t, r, batch)
	same("after a batch of more cadres than a commit names is stored here")
	// And a batch edit of that many: a few renamed to move in the list.
	for i, b := range batch {
		if i%100 == 0 {
			b.Name = "甲" + b.Name
		}
		b.Phone = "13900003333"
	}
	putAll(t, r, batch)
	same("after a batch edit of more cadres than a commit names")
	// A batch of fewer: patched by id.
	for _, b := range batch[:300] {
		b.Name = "乙" + b.Name
	}
	putAll(t, r, batch[:300])
	same("after a batch edit of 300 cadres")

	// A hospital stay recorded here: the stays changed, not the cadres.
	_, err = desk.AdmitToHospital(ctx, r, testNow, desk.StayInput{CadreID: c.ID, On: on})
	require.NoError(t, err)
	same("after a stay is recorded here")

	// A visit recorded here and a cadre renamed by another process, with
	// no request between: the memo is told of its own write only, and must
	// still see the other's.
	_, err = desk.RecordVisit(ctx, r, testNow, desk.VisitInput{CadreID: c.ID, Kind: care.VisitCall, On: on})
	require.NoError(t, err)
	other, err = store.Open(ctx, r.Path(), syncsvc.Options{Role: syncsvc.RoleOffice, Now: func() time.Time { return testNow }})
	require.NoError(t, err)
	c.Name = "另一个"
	_, err = other.PutCadre(ctx, &c)
	require.NoError(t, err)
	require.NoError(t, other.Close())
	_, err = desk.RecordVisit(ctx, r, testNow, desk.VisitInput{CadreID: ids[0].CadreID, Kind: care.VisitHome, On: on})
	require.NoError(t, err)
	same("after writes here and by another process between two requests")
	got, err = m.ListCadres(ctx, desk.CadreQuery{Text: "lyg", Tier: desk.AnyTier, On: on})
	require.NoError(t, err)
	assert.Equal(t, 1, got.Total, "the name the other process wrote among this one's writes is found")

	// A write that counts no commit (a program older than the count, here
	// a statement of SQLite's own): the version moved, the count did not.
	db, err := sql.Open("sqlite3", r.Path())
	require.NoError(t, err)
	_, err = db.ExecContext(ctx, "UPDATE cadres SET name = ? WHERE id = ?", "老程序", c.ID.String())
	require.NoError(t, err)
	require.NoError(t, db.Close())
	same("after a write that counted no commit")
	got, err = m.ListCadres(ctx, desk.CadreQuery{Text: "lcx", Tier: desk.AnyTier, On: on})
	require.NoError(t, err)
	assert.Equal(t, 1, got.Total, "the name written without a count is found")
}

// putAll stores the cadres in one write, none refused.
func putAll(t *testing.T, r *store.Replica, cs []*cadre.Cadre) {
	t.Helper()
	require.NoError(t, r.Update(ctx, func(tx *store.Tx) error {
		res, err := tx.PutCadres(cs)
		for i, p := range res {
			require.NoError(t, p.Err, "cadre %d", i)
			require.True(t, p.Changed, "cadre %d", i)
		}
		return err
	}))
}

// TestMemoAnswerIsTheCallers: changing what a Memo returned does not
// change what it returns next.
func TestMemoAnswerIsTheCallers(t *testing.T) {
	r := openReplica(t, "office")
	c := register(t, r, 1, "sy")
	m := desk.NewMemo(r)
	on := desk.Today(testNow)
	_, err := desk.AdmitToHospital(ctx, r, testNow, desk.StayInput{CadreID: c.ID, On: on.AddDays(-1)})
	require.NoError(t, err)
	first, err := m.VisitsDue(ctx, on, false)
	require.NoError(t, err)
	require.NotEmpty(t, first.Dues)
	want := first.Dues[0]
	first.Dues[0] = desk.DueVisit{}
	again, err := m.VisitsDue(ctx, on, false)
	require.NoError(t, err)
	assert.Equal(t, want, again.Dues[0])
}
