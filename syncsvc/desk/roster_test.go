package desk_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/cadre/roster"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
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
