package desk_test

import (
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// connected is an office replica connected to the hub at url as office
// init connects it.
func connected(t *testing.T, url, id, token string) *store.Replica {
	t.Helper()
	r, err := store.Open(ctx, filepath.Join(t.TempDir(), id+".db"), syncsvc.Options{Role: syncsvc.RoleOffice, Now: testkit.FixedNow})
	require.NoError(t, err)
	t.Cleanup(func() { r.Close() })
	_, err = desk.ConnectOffice(ctx, r, desk.ConnectInput{HubURL: url, OfficeID: id, Token: token, Timeout: 2 * time.Second})
	require.NoError(t, err)
	return r
}

func TestRefusedRecordDescribedCorrectedAndAccepted(t *testing.T) {
	url, tokens := hubOf(t, map[string]string{"s1": "sy"})
	down := httptest.NewServer(nil)
	down.Close()
	// Set up while the hub is away, the office does not know its
	// communities yet, and takes a cadre of community zzz.
	r := connected(t, down.URL, "s1", tokens["s1"])
	c := testkit.Cadre(5, "zzz")
	c.Phone = "0531-1234"
	saved, err := desk.RegisterCadre(ctx, r, desk.CadreInput{Values: c, Set: desk.CadreFields})
	require.NoError(t, err)
	_, err = desk.ConnectOffice(ctx, r, desk.ConnectInput{HubURL: url, OfficeID: "s1", Token: tokens["s1"]})
	require.NoError(t, err)
	res, err := desk.Sync(ctx, r, desk.SyncOptions{Retries: -1})
	require.NoError(t, err)
	require.Equal(t, 1, res.Report.Refused)

	list, err := desk.ListRefused(ctx, r, false, testNow)
	require.NoError(t, err)
	require.Len(t, list, 1)
	v := list[0]
	assert.Equal(t, desk.CauseOutsideOffice, v.Cause)
	assert.Equal(t, "zzz", v.Community)
	assert.Equal(t, []string{"sy"}, v.Scopes)
	assert.Equal(t, c.Name, v.Name)
	require.NotNil(t, v.Cadre)
	assert.Equal(t, "0531-1234", v.Fields["phone"])
	assert.NotEqual(t, c.IDNumber, v.Fields["id_number"], "masked")
	assert.Equal(t, "scope", v.Latest.Code)

	fixed, err := desk.FixRefusedCadre(ctx, r, v.Refused, desk.CadreInput{Values: testkit.Cadre(5, "sy"), Set: []string{"community"}})
	require.NoError(t, err)
	assert.Equal(t, saved.Cadre.ID, fixed.Cadre.ID)
	_, err = desk.Sync(ctx, r, desk.SyncOptions{Retries: -1})
	require.NoError(t, err)
	list, err = desk.ListRefused(ctx, r, false, testNow)
	require.NoError(t, err)
	assert.Empty(t, list, "accepted")
	all, err := desk.ListRefused(ctx, r, true, testNow)
	require.NoError(t, err)
	require.Len(t, all, 1)
	assert.Equal(t, syncsvc.RefusalResent, all[0].Refused.State)
}

func TestConflictListedWithWhoWroteEach(t *testing.T) {
	url, tokens := hubOf(t, map[string]string{"a": "sy", "b": "sy"})
	a, b := connected(t, url, "a", tokens["a"]), connected(t, url, "b", tokens["b"])
	saved, err := desk.RegisterCadre(ctx, a, desk.CadreInput{Values: testkit.Cadre(6, "sy"), Set: desk.CadreFields})
	require.NoError(t, err)
	for _, r := range []*store.Replica{a, b} {
		_, err := desk.Sync(ctx, r, desk.SyncOptions{Retries: -1})
		require.NoError(t, err)
	}
	for phone, r := range map[string]*store.Replica{"0531-1111": a, "0531-2222": b} {
		_, err := desk.EditCadre(ctx, r, saved.Cadre.ID, desk.CadreInput{Values: cadrePhone(phone), Set: []string{"phone"}})
		require.NoError(t, err)
	}
	for _, r := range []*store.Replica{a, b, a} {
		_, err := desk.Sync(ctx, r, desk.SyncOptions{Retries: -1})
		require.NoError(t, err)
	}
	cs, err := desk.ListConflicts(ctx, a, false)
	require.NoError(t, err)
	require.Len(t, cs, 1)
	v := cs[0]
	assert.Equal(t, "phone", v.Conflict.Field)
	assert.Equal(t, saved.Cadre.Name, v.Name)
	assert.True(t, v.CurrentHere != v.OtherHere, "office a wrote one of the two values")
	mine := v.Conflict.Current.Value
	if v.OtherHere {
		mine = v.Conflict.Other.Value
	}
	assert.Equal(t, "0531-1111", mine)
}

// cadrePhone is a cadre whose phone is phone, for an edit of the phone.
func cadrePhone(phone string) cadre.Cadre { return cadre.Cadre{Phone: phone} }
