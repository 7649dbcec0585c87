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
)

// TestMemoAnswersAsTheFunctions: a Memo's lists are the package
// functions' lists, before and after a write by this program and after a
// write by another opening of the file (another process), which it sees.
func TestMemoAnswersAsTheFunctions(t *testing.T) {
	r := openReplica(t, "office")
	var ids []care.Visit
	for n := range 6 {
		c := register(t, r, n, "sy")
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
