package desk_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// heldRoster is a roster with phone, status and name columns: the rows as
// they stood when it was written.
func heldRoster(cs ...cadre.Cadre) string {
	var b strings.Builder
	b.WriteString("姓名,身份证号,社区,电话,状态,状态日期\n")
	for _, c := range cs {
		b.WriteString(strings.Join([]string{c.Name, c.IDNumber, c.Community, c.Phone, c.Status.Label(cadre.Chinese), c.StatusOn.String()}, ",") + "\n")
	}
	return b.String()
}

// An old roster must not bring a cadre who died back to 在册, nor an old
// phone number back over a new one: both are held back and listed, the
// other rows imported, until the import is told to overwrite.
func TestImportRosterHoldsBackWhatWouldUndoNewerWork(t *testing.T) {
	clock := testkit.NewClock(testkit.At("2026-11-01 09:00"))
	r, err := store.Open(ctx, filepath.Join(t.TempDir(), "office.db"), syncsvc.Options{Role: syncsvc.RoleOffice, Now: clock.Now})
	require.NoError(t, err)
	t.Cleanup(func() { r.Close() })

	dead, moved, other := testkit.Cadre(1, "sy"), testkit.Cadre(2, "sy"), testkit.Cadre(3, "sy")
	for _, c := range []*cadre.Cadre{&dead, &moved, &other} {
		c.Phone, c.Status = "0531-80000001", cadre.StatusActive
		saved, err := desk.RegisterCadre(ctx, r, allFields(*c))
		require.NoError(t, err)
		c.ID = saved.Cadre.ID
	}
	file := heldRoster(dead, moved, other) // as of 2026-11-10: all 在册, the old phone
	written := testkit.At("2026-11-10 18:00")

	clock.Set(testkit.At("2026-11-20 10:00"))
	_, err = desk.EditCadre(ctx, r, dead.ID, desk.CadreInput{Values: cadre.Cadre{Status: cadre.StatusDeceased, StatusOn: testkit.Date("2026-11-18")}, Set: []string{"status", "status_on"}})
	require.NoError(t, err)
	_, err = desk.EditCadre(ctx, r, moved.ID, desk.CadreInput{Values: cadre.Cadre{Phone: "13905310002"}, Set: []string{"phone"}})
	require.NoError(t, err)
	clock.Set(testkit.At("2026-11-28 10:00"))
	// The third row changes a phone edited before the roster: imported.
	fileOther := strings.Replace(file, other.Name+","+other.IDNumber+",sy,0531-80000001", other.Name+","+other.IDNumber+",sy,0531-80000003", 1)

	dry, err := desk.ImportRoster(ctx, r, clock.Now(), desk.RosterImport{File: strings.NewReader(fileOther), AsOf: written, DryRun: true})
	require.NoError(t, err)
	assert.Equal(t, 2, dry.HeldBack())
	assert.Equal(t, 1, dry.Updated, "the third row would update")
	require.Len(t, dry.Changes, 1)
	assert.Equal(t, []string{"phone"}, dry.Changes[0].Fields)
	assert.Equal(t, "0531-80000001", dry.Changes[0].Old.Phone)
	assert.Equal(t, "0531-80000003", dry.Changes[0].New.Phone)
	got, err := r.Cadre(ctx, other.ID)
	require.NoError(t, err)
	assert.Equal(t, "0531-80000001", got.Phone, "a dry run writes nothing")

	res, err := desk.ImportRoster(ctx, r, clock.Now(), desk.RosterImport{File: strings.NewReader(fileOther), AsOf: written})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Updated)
	assert.Equal(t, 2, res.HeldBack())
	require.Len(t, res.Held, 2)
	assert.Equal(t, 2, res.Held[0].Line)
	var fields []string
	for _, n := range res.Held[0].Newer {
		fields = append(fields, n.Field)
		assert.Equal(t, testkit.At("2026-11-20 10:00"), n.ChangedAt, "when the death was recorded")
	}
	assert.Equal(t, []string{"status", "status_on"}, fields)
	assert.True(t, res.Held[0].Newer[0].Revives)
	assert.Equal(t, "phone", res.Held[1].Newer[0].Field)
	assert.False(t, res.Held[1].Written)

	got, err = r.Cadre(ctx, dead.ID)
	require.NoError(t, err)
	assert.Equal(t, cadre.StatusDeceased, got.Status, "still 去世")
	got, err = r.Cadre(ctx, moved.ID)
	require.NoError(t, err)
	assert.Equal(t, "13905310002", got.Phone, "the new phone stays")
	got, err = r.Cadre(ctx, other.ID)
	require.NoError(t, err)
	assert.Equal(t, "0531-80000003", got.Phone, "a field edited before the roster is updated")

	// A roster written after the edits holds back only the revival.
	late, err := desk.ImportRoster(ctx, r, clock.Now(), desk.RosterImport{File: strings.NewReader(fileOther), AsOf: testkit.At("2026-11-25 00:00"), DryRun: true})
	require.NoError(t, err)
	require.Len(t, late.Held, 1)
	assert.Equal(t, dead.Name, late.Held[0].New.Name)

	over, err := desk.ImportRoster(ctx, r, clock.Now(), desk.RosterImport{File: strings.NewReader(fileOther), AsOf: written, Overwrite: true})
	require.NoError(t, err)
	assert.Equal(t, 0, over.HeldBack())
	assert.Equal(t, 2, over.Updated)
	require.Len(t, over.Held, 2)
	assert.True(t, over.Held[0].Written)
	got, err = r.Cadre(ctx, dead.ID)
	require.NoError(t, err)
	assert.Equal(t, cadre.StatusActive, got.Status, "written over as told")
	got, err = r.Cadre(ctx, moved.ID)
	require.NoError(t, err)
	assert.Equal(t, "0531-80000001", got.Phone)
}
