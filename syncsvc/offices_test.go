package syncsvc_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

func TestOfficeTokens(t *testing.T) {
	t.Parallel()
	hub := openReplica(t, syncsvc.RoleHub, testkit.NewClock(testkit.At("2026-11-28 09:00")).Now)
	o, token, err := hub.AddOffice(ctx, "sy-1", "舜园社区办公室", []string{"sy", "gsq", "sy"})
	require.NoError(t, err)
	assert.Equal(t, []string{"gsq", "sy"}, o.Communities)
	assert.True(t, strings.HasPrefix(token, "sy-1."))
	assert.GreaterOrEqual(t, len(token), len("sy-1.")+43, "256 bits of secret")

	got, err := hub.Authenticate(ctx, token)
	require.NoError(t, err)
	assert.Equal(t, "sy-1", got.ID)
	assert.Equal(t, []string{"gsq", "sy", "district"}, got.Scopes())

	for _, bad := range []string{"", "sy-1", "sy-1." + strings.Repeat("A", 43), token + "x", "nobody." + token[5:], "admin." + token[5:]} {
		_, err := hub.Authenticate(ctx, bad)
		assert.ErrorIs(t, err, syncsvc.ErrUnauthenticated, bad)
	}

	_, _, err = hub.AddOffice(ctx, "sy-1", "again", []string{"sy"})
	assert.ErrorIs(t, err, syncsvc.ErrOfficeExists)
	for _, bad := range [][2]string{{"Bad Id", "x"}, {"admin", "x"}, {"ok", ""}} {
		_, _, err = hub.AddOffice(ctx, bad[0], bad[1], []string{"sy"})
		assert.ErrorIs(t, err, syncsvc.ErrInvalidChange, bad[0])
	}
	_, _, err = hub.AddOffice(ctx, "x", "x", []string{"district"})
	assert.ErrorIs(t, err, cadre.ErrInvalid)

	fresh, err := hub.RotateToken(ctx, "sy-1")
	require.NoError(t, err)
	_, err = hub.Authenticate(ctx, token)
	assert.ErrorIs(t, err, syncsvc.ErrUnauthenticated, "the old token stops working")
	_, err = hub.Authenticate(ctx, fresh)
	require.NoError(t, err)

	require.NoError(t, hub.RevokeOffice(ctx, "sy-1"))
	_, err = hub.Authenticate(ctx, fresh)
	assert.ErrorIs(t, err, syncsvc.ErrUnauthenticated)
	assert.ErrorIs(t, hub.RevokeOffice(ctx, "nobody"), syncsvc.ErrNotFound)

	offices, err := hub.Offices(ctx)
	require.NoError(t, err)
	require.Len(t, offices, 1)
	assert.True(t, offices[0].Revoked())
}

func TestAdminTokens(t *testing.T) {
	t.Parallel()
	hub := openReplica(t, syncsvc.RoleHub, nil)
	token, err := hub.NewAdminToken(ctx)
	require.NoError(t, err)
	require.NoError(t, hub.AuthenticateAdmin(ctx, token))
	assert.ErrorIs(t, hub.AuthenticateAdmin(ctx, token+"x"), syncsvc.ErrUnauthenticated)
	_, office, err := hub.AddOffice(ctx, "a", "A", []string{"sy"})
	require.NoError(t, err)
	assert.ErrorIs(t, hub.AuthenticateAdmin(ctx, office), syncsvc.ErrUnauthenticated, "an office token is no admin credential")
	_, err = hub.Authenticate(ctx, token)
	assert.ErrorIs(t, err, syncsvc.ErrUnauthenticated, "an admin credential is no office token")

	office2 := openReplica(t, syncsvc.RoleOffice, nil)
	_, err = office2.NewAdminToken(ctx)
	assert.ErrorIs(t, err, syncsvc.ErrNotHub)
}

func TestCommunitiesAreRegisteredAndCompleted(t *testing.T) {
	t.Parallel()
	hub := openReplica(t, syncsvc.RoleHub, nil)
	_, _, err := hub.AddOffice(ctx, "a", "A", []string{"sy", "gsq"})
	require.NoError(t, err)
	cs, err := hub.Communities(ctx)
	require.NoError(t, err)
	assert.Equal(t, []store.Community{{Code: "gsq", Name: "gsq"}, {Code: "sy", Name: "sy"}}, cs)

	sy := store.Community{Code: "sy", Name: "舜园社区", Street: "舜玉路街道", Centre: &cadre.Location{Lat: 36.63, Lng: 117.01}}
	require.NoError(t, hub.SetCommunity(ctx, sy))
	_, _, err = hub.AddOffice(ctx, "b", "B", []string{"sy"})
	require.NoError(t, err)
	cs, err = hub.Communities(ctx)
	require.NoError(t, err)
	assert.Equal(t, sy, cs[1], "registering a known code again keeps its details")

	// The registry of communities is district data; an office reads the
	// records of its own communities, not the district's whole registry.
	office := openReplica(t, syncsvc.RoleOffice, nil)
	pull(t, hub, office, "sy", "district")
	got, err := office.Communities(ctx)
	require.NoError(t, err)
	assert.Equal(t, []store.Community{sy}, got)
	both := openReplica(t, syncsvc.RoleOffice, nil)
	pull(t, hub, both, "gsq", "sy", "district")
	got, err = both.Communities(ctx)
	require.NoError(t, err)
	assert.Equal(t, cs, got)
	assert.ErrorIs(t, office.SetCommunity(ctx, sy), syncsvc.ErrNotHub)
}

// TestAuthenticateSeesEveryWriterOfTheRegistry: Authenticate keeps the
// offices it has read in memory; a write to the registry by any connection
// (another replica on the file, or plain SQL) counts from the next call.
func TestAuthenticateSeesEveryWriterOfTheRegistry(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "hub.db")
	serving, err := store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleHub})
	require.NoError(t, err)
	defer serving.Close()
	admin, err := store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleHub})
	require.NoError(t, err)
	defer admin.Close()

	_, token, err := admin.AddOffice(ctx, "sy-1", "舜园", []string{"sy"})
	require.NoError(t, err)
	o, err := serving.Authenticate(ctx, token)
	require.NoError(t, err)
	assert.Equal(t, []string{"sy", "district"}, o.Scopes())

	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=5000")
	require.NoError(t, err)
	defer db.Close()
	_, err = db.Exec("UPDATE offices SET communities = 'gsq,sy', name = '舜园和杆石桥' WHERE id = 'sy-1'")
	require.NoError(t, err)
	o, err = serving.Authenticate(ctx, token)
	require.NoError(t, err)
	assert.Equal(t, "舜园和杆石桥", o.Name)
	assert.Equal(t, []string{"gsq", "sy", "district"}, o.Scopes(), "communities changed by plain SQL")

	fresh, err := admin.RotateToken(ctx, "sy-1")
	require.NoError(t, err)
	_, err = serving.Authenticate(ctx, token)
	assert.ErrorIs(t, err, syncsvc.ErrUnauthenticated, "rotated by another replica")
	_, err = serving.Authenticate(ctx, fresh)
	require.NoError(t, err)
	require.NoError(t, admin.RevokeOffice(ctx, "sy-1"))
	_, err = serving.Authenticate(ctx, fresh)
	assert.ErrorIs(t, err, syncsvc.ErrUnauthenticated, "revoked by another replica")

	again, err := admin.RotateToken(ctx, "sy-1")
	require.NoError(t, err)
	_, err = serving.Authenticate(ctx, again)
	require.NoError(t, err, "a rotation lifts the revocation")
	_, err = db.Exec("DELETE FROM offices WHERE id = 'sy-1'")
	require.NoError(t, err)
	_, err = serving.Authenticate(ctx, again)
	assert.ErrorIs(t, err, syncsvc.ErrUnauthenticated, "removed by plain SQL")
}

// TestAMoveGoesOnlyToARegisteredCommunity: the office holds its own
// communities' records only, so it takes a move to any community; the hub
// refuses, alone, one the district has not registered, and takes one it
// has.
func TestAMoveGoesOnlyToARegisteredCommunity(t *testing.T) {
	t.Parallel()
	clk := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	r := openReplica(t, syncsvc.RoleHub, clk.Now)
	sy, _, err := r.AddOffice(ctx, "sy", "舜园", []string{"sy"})
	require.NoError(t, err)
	_, _, err = r.AddOffice(ctx, "gsq", "杆石桥", []string{"gsq"})
	require.NoError(t, err)
	hub, err := syncsvc.NewHub(r, syncsvc.HubOptions{})
	require.NoError(t, err)
	office := openReplica(t, syncsvc.RoleOffice, clk.Now)
	pull(t, r, office, sy.Scopes()...)
	require.NoError(t, office.SetMeta(ctx, map[string]string{"scopes": "sy"}))
	known, err := office.Communities(ctx)
	require.NoError(t, err)
	assert.Equal(t, []store.Community{{Code: "sy", Name: "sy"}}, known, "its own community's record only")

	push := func() syncsvc.PushResult {
		t.Helper()
		out, err := office.Outbox(ctx, 100)
		require.NoError(t, err)
		res, err := hub.Push(ctx, sy, office.Node(), out)
		require.NoError(t, err)
		require.NoError(t, office.Acknowledge(ctx, res.Acknowledged))
		return res
	}
	a, b := testkit.Cadre(1, "sy"), testkit.Cadre(2, "sy")
	for _, c := range []*cadre.Cadre{&a, &b} {
		_, err := office.PutCadre(ctx, c)
		require.NoError(t, err)
	}
	require.Empty(t, push().Refused)

	a.Community, b.Community = "zzz", "gsq"
	for _, c := range []*cadre.Cadre{&a, &b} {
		_, err := office.PutCadre(ctx, c)
		require.NoError(t, err, "the office cannot tell a registered community it does not hold")
	}
	res := push()
	require.Len(t, res.Refused, 1)
	assert.Equal(t, a.ID, res.Refused[0].Change.ID)
	assert.ErrorIs(t, res.Refused[0].Err, syncsvc.ErrUnregisteredCommunity)
	assert.Equal(t, "scope", syncsvc.RefusalCode(res.Refused[0].Err))
	got, err := r.Cadre(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, "sy", got.Community, "the hub keeps the cadre where it was")
	got, err = r.Cadre(ctx, b.ID)
	require.NoError(t, err)
	assert.Equal(t, "gsq", got.Community, "a move to a registered community goes through")
}

func TestOneRecordTypeNamesTheCommunities(t *testing.T) {
	t.Parallel()
	code := []syncsvc.Field{syncsvc.Col("code", syncsvc.Text)}
	_, err := syncsvc.Open(ctx, filepath.Join(t.TempDir(), "a.db"), syncsvc.Options{Types: []syncsvc.RecordType{
		{Name: "places", Fields: code, Scope: syncsvc.ScopeRule{Column: "code", Names: "code"}},
	}})
	assert.ErrorIs(t, err, syncsvc.ErrInvalidType, "only district data names communities")
	_, err = syncsvc.Open(ctx, filepath.Join(t.TempDir(), "b.db"), syncsvc.Options{Types: []syncsvc.RecordType{
		{Name: "places", Fields: code, Scope: syncsvc.ScopeDistrictNaming("code")},
		{Name: "areas", Fields: code, Scope: syncsvc.ScopeDistrictNaming("code")},
	}})
	assert.ErrorIs(t, err, syncsvc.ErrInvalidType, "one registry")
	_, err = syncsvc.Open(ctx, filepath.Join(t.TempDir(), "c.db"), syncsvc.Options{Types: []syncsvc.RecordType{
		{Name: "places", Fields: code, Scope: syncsvc.ScopeDistrictNaming("nothing")},
	}})
	assert.ErrorIs(t, err, syncsvc.ErrInvalidType, "a column of the type")
}

// An office's pull finds its own communities in the district's registry
// through the index on the column that names them, which the hub gives a
// registry declared without one, instead of reading every community of
// the district in sequence order (500 offices pulling at once would read
// 250,000 records for 500).
func TestTheFeedFindsAnOfficesCommunitiesByTheirCode(t *testing.T) {
	t.Parallel()
	code := []syncsvc.Field{syncsvc.Col("code", syncsvc.Text), syncsvc.Col("name", syncsvc.Text)}
	r, err := syncsvc.Open(ctx, filepath.Join(t.TempDir(), "hub.db"), syncsvc.Options{Role: syncsvc.RoleHub, Types: []syncsvc.RecordType{
		{Name: "places", Fields: code, Scope: syncsvc.ScopeDistrictNaming("code")}, // no index declared
	}})
	require.NoError(t, err)
	t.Cleanup(func() { r.Close() })
	for i := range 50 {
		_, _, err := r.AddOffice(ctx, fmt.Sprintf("o%d", i), fmt.Sprintf("办公室%d", i), []string{fmt.Sprintf("c%d", i)})
		require.NoError(t, err)
	}
	plans, err := syncsvc.FeedPlans(r, "places", []string{"c7", "district"}, []string{"c7"})
	require.NoError(t, err)
	require.Len(t, plans, 2, "the district's records and the community's")
	assert.Contains(t, plans[0], "USING INDEX places_code (code=?)", "the registry's records by their code")
	assert.NotContains(t, plans[0], "places_feed")
	assert.Contains(t, plans[1], "USING INDEX places_feed (scope=?", "the community's records by scope and sequence")
}
