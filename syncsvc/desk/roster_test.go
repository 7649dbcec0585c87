package desk_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/cadre/roster"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// rosterCSV is a roster without phone or address columns: a row that
// updates a cadre must keep them.
func rosterCSV(t *testing.T, rows ...cadre.Cadre) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("姓名,身份证号,类别,离退休时间,职级,党员,健康状况,居住情况,社区\n")
	for _, c := range rows {
		b.WriteString(strings.Join([]string{c.Name, c.IDNumber, string(c.Category), c.RetiredOn.String(), string(c.Rank),
			string(c.Party), string(c.Health), string(c.Living), c.Community}, ",") + "\n")
	}
	return b.String()
}

func TestImportRosterKeepsTheColumnsItHasNot(t *testing.T) {
	r := openReplica(t, syncsvc.RoleOffice)
	old := testkit.Cadre(10, "shunyuan")
	old.Phone, old.Address = "0531-88880010", "舜园街 10 号"
	in := allFields(old)
	saved, err := desk.RegisterCadre(ctx, r, in)
	require.NoError(t, err)

	renamed := testkit.Cadre(10, "shunyuan")
	renamed.Name = "改名"
	added := testkit.Cadre(11, "shunyuan")
	bad := testkit.Cadre(12, "shunyuan")
	bad.IDNumber = bad.IDNumber[:17] + "0" // a wrong check character
	if bad.IDNumber == testkit.IDNumber(12) {
		bad.IDNumber = bad.IDNumber[:17] + "1"
	}
	csv := rosterCSV(t, renamed, added, bad)

	var progress []int
	res, err := desk.ImportRoster(ctx, r, testNow, desk.RosterImport{File: strings.NewReader(csv), Format: desk.RosterCSV, Batch: 1,
		Progress: func(done, total int) { progress = append(progress, done) }})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Added)
	assert.Equal(t, 1, res.Updated)
	assert.Equal(t, 1, res.BadRows)
	require.NotEmpty(t, res.Problems)
	assert.Equal(t, 4, res.Problems[0].Line, "the bad row is the fourth line of the file")
	assert.Equal(t, []int{0, 1}, progress, "one batch of one row after another")

	got, err := r.Cadre(ctx, saved.Cadre.ID)
	require.NoError(t, err)
	assert.Equal(t, "改名", got.Name, "a column the roster has is updated")
	assert.Equal(t, "0531-88880010", got.Phone, "a column the roster has not is kept")
	assert.Equal(t, "舜园街 10 号", got.Address)

	again, err := desk.ImportRoster(ctx, r, testNow, desk.RosterImport{File: strings.NewReader(csv), Format: desk.RosterCSV})
	require.NoError(t, err)
	assert.Equal(t, 2, again.Unchanged, "the same roster again changes nothing")
}

func TestImportRosterReadsAnExcelWorkbook(t *testing.T) {
	r := openReplica(t, syncsvc.RoleOffice)
	cs := []cadre.Cadre{testkit.Cadre(20, "shunyuan"), testkit.Cadre(21, "shunyuan")}
	var book bytes.Buffer
	require.NoError(t, roster.WriteXLSX(&book, cs))

	res, err := desk.ImportRoster(ctx, r, testNow, desk.RosterImport{File: bytes.NewReader(book.Bytes()), Format: desk.RosterXLSX})
	require.NoError(t, err)
	assert.Equal(t, 2, res.Added)
	got, err := r.CadreByIDNumber(ctx, cs[1].IDNumber)
	require.NoError(t, err)
	assert.Equal(t, cs[1].Name, got.Name)

	_, err = desk.ImportRoster(ctx, r, testNow, desk.RosterImport{File: strings.NewReader("not a workbook"), Format: desk.RosterXLSX})
	assert.ErrorIs(t, err, desk.ErrUnreadableRoster)
	assert.ErrorIs(t, err, roster.ErrNotWorkbook)
	_, err = desk.ImportRoster(ctx, r, testNow, desk.RosterImport{File: strings.NewReader("姓名\n王\n"), Format: desk.RosterCSV})
	assert.ErrorIs(t, err, roster.ErrMissingColumn)
}

// An import that stops keeps exactly what its committed transactions
// stored, says how many rows that was, and the same file imported again
// goes on from there. A transaction of several steps is stored whole or
// not at all: stopping in its second step undoes its first.
func TestImportRosterThatStopsKeepsWhatItCommitted(t *testing.T) {
	cs := make([]cadre.Cadre, 4500)
	for i := range cs {
		cs[i] = testkit.Cadre(100+i, "shunyuan")
	}
	file := rosterCSV(t, cs...)
	count := func(r *store.Replica) int {
		t.Helper()
		got, err := r.Cadres(ctx, store.CadreFilter{})
		require.NoError(t, err)
		return len(got)
	}
	stopAt := func(at int) (context.Context, func(done, total int)) {
		c, cancel := context.WithCancel(ctx)
		t.Cleanup(cancel)
		return c, func(done, total int) {
			assert.Equal(t, 4500, total)
			if done >= at {
				cancel()
			}
		}
	}

	r := openReplica(t, syncsvc.RoleOffice)
	c, progress := stopAt(1500)
	res, err := desk.ImportRoster(c, r, testNow, desk.RosterImport{File: strings.NewReader(file), Batch: 1500, Progress: progress})
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 1500, res.Done(), "the first transaction")
	assert.Equal(t, 1500, count(r), "what it says it stored")
	again, err := desk.ImportRoster(ctx, r, testNow, desk.RosterImport{File: strings.NewReader(file)})
	require.NoError(t, err)
	assert.Equal(t, 3000, again.Added)
	assert.Equal(t, 1500, again.Unchanged)

	r = openReplica(t, syncsvc.RoleOffice)
	c, progress = stopAt(2000) // the second step of the first transaction
	res, err = desk.ImportRoster(c, r, testNow, desk.RosterImport{File: strings.NewReader(file), Progress: progress})
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 0, res.Done())
	assert.Equal(t, 0, count(r), "the first step undone with the transaction")
	again, err = desk.ImportRoster(ctx, r, testNow, desk.RosterImport{File: strings.NewReader(file)})
	require.NoError(t, err)
	assert.Equal(t, 4500, again.Added)
	assert.Equal(t, 4500, count(r))
}
