package desk_test

import (
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// A cadre registered while the hub was away names a community that is not
// the office's: the hub refuses it, DescribeRefused says why, and once
// corrected (FixRefusedCadre) the next sync is accepted.
func TestRefusedRecordDescribedCorrectedAndAccepted(t *testing.T) {
	url, tokens := hubOf(t, map[string]string{"s1": "sy"})
	down := httptest.NewServer(nil)
	down.Close()
	r, err := store.Open(ctx, filepath.Join(t.TempDir(), "s1.db"), syncsvc.Options{Role: syncsvc.RoleOffice, Now: testkit.FixedNow})
	require.NoError(t, err)
	t.Cleanup(func() { r.Close() })
	require.NoError(t, r.SetMeta(ctx, map[string]string{desk.MetaOfficeID: "s1"}))
	_, err = desk.Reconnect(ctx, r, down.URL, tokens["s1"])
	require.NoError(t, err, "set up while the hub is away: the office's communities are not known yet")
	c := testkit.Cadre(5, "zzz")
	c.Phone = "0531-1234"
	saved, err := desk.RegisterCadre(ctx, r, desk.CadreInput{Values: c, Set: desk.CadreFields})
	require.NoError(t, err)
	_, err = desk.Reconnect(ctx, r, url, tokens["s1"])
	require.NoError(t, err)
	res, err := desk.Sync(ctx, r, desk.SyncOptions{Retries: -1})
	require.NoError(t, err)
	require.Equal(t, 1, res.Report.Refused)

	recs, err := r.RefusedRecords(ctx, false)
	require.NoError(t, err)
	require.Len(t, recs, 1)
	scopes, err := r.OfficeScopes(ctx)
	require.NoError(t, err)
	v := desk.DescribeRefused(ctx, r, recs[0], scopes, testNow)
	assert.Equal(t, desk.RefusalOutsideOffice, v.Kind)
	assert.Equal(t, "zzz", v.Community)
	assert.Equal(t, []string{"sy"}, v.Scopes)
	assert.Equal(t, c.Name, v.Name)
	require.NotNil(t, v.Cadre)
	assert.Equal(t, "0531-1234", v.Cadre.Phone)

	fixed, err := desk.FixRefusedCadre(ctx, r, recs[0], desk.CadreInput{Values: testkit.Cadre(5, "sy"), Set: []string{"community"}})
	require.NoError(t, err)
	assert.Equal(t, saved.Cadre.ID, fixed.Cadre.ID)
	_, err = desk.Sync(ctx, r, desk.SyncOptions{Retries: -1})
	require.NoError(t, err)
	open, err := r.RefusedRecords(ctx, false)
	require.NoError(t, err)
	assert.Empty(t, open, "accepted")
	all, err := r.RefusedRecords(ctx, true)
	require.NoError(t, err)
	require.Len(t, all, 1)
	assert.Equal(t, syncsvc.RefusalResent, all[0].State)
}
