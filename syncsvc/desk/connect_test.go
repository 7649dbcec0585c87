package desk_test

import (
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// hubOf is a hub with the offices given (id → community), served on
// loopback.
func hubOf(t *testing.T, offices map[string]string) (url string, tokens map[string]string) {
	t.Helper()
	h := openReplica(t, syncsvc.RoleHub)
	tokens = map[string]string{}
	for id, community := range offices {
		_, tok, err := h.AddOffice(ctx, id, id+" 办公室", []string{community})
		require.NoError(t, err)
		tokens[id] = tok
	}
	hub, err := syncsvc.NewHub(h, syncsvc.HubOptions{})
	require.NoError(t, err)
	srv := httptest.NewServer(transport.Handler(hub))
	t.Cleanup(srv.Close)
	return srv.URL, tokens
}

// A new token is checked with the hub before it is kept: another office's
// or one the hub does not accept is refused and nothing is kept; the
// office's own is kept with what the hub says of the office.
func TestReconnectChecksTheTokenBeforeKeepingIt(t *testing.T) {
	url, tokens := hubOf(t, map[string]string{"s1": "sy", "s2": "gsq"})
	r := openReplica(t, syncsvc.RoleOffice)
	require.NoError(t, r.SetMeta(ctx, map[string]string{desk.MetaOfficeID: "s1"}), "office init named the office")

	_, err := desk.Reconnect(ctx, r, url, tokens["s2"])
	var wrong *syncsvc.WrongOfficeError
	require.ErrorAs(t, err, &wrong)
	assert.Equal(t, "s2", wrong.Got)
	_, err = desk.Reconnect(ctx, r, url, "s1.not-the-secret")
	require.ErrorIs(t, err, syncsvc.ErrUnauthenticated)
	_, err = desk.Reconnect(ctx, r, "hub:8080", tokens["s1"])
	require.ErrorIs(t, err, transport.ErrBadHubURL)
	st, err := desk.OfficeSyncState(ctx, r)
	require.NoError(t, err)
	assert.Empty(t, st.HubURL, "nothing kept from a refused token")

	got, err := desk.Reconnect(ctx, r, url+"/", tokens["s1"])
	require.NoError(t, err)
	assert.True(t, got.Checked)
	assert.Equal(t, "s1 办公室", got.Hello.OfficeName)
	st, err = desk.OfficeSyncState(ctx, r)
	require.NoError(t, err)
	assert.Equal(t, url, st.HubURL)
	name, err := r.Meta(ctx, desk.MetaOfficeName)
	require.NoError(t, err)
	assert.Equal(t, "s1 办公室", name)
	_, err = desk.Sync(ctx, r, desk.SyncOptions{Retries: -1})
	require.NoError(t, err, "the kept connection syncs")
}

// A hub that cannot be reached leaves the token to be checked at the
// first sync, and keeps it.
func TestReconnectKeepsAnUncheckedTokenWhenTheHubIsAway(t *testing.T) {
	srv := httptest.NewServer(nil)
	away := srv.URL
	srv.Close()
	r := openReplica(t, syncsvc.RoleOffice)
	require.NoError(t, r.SetMeta(ctx, map[string]string{desk.MetaOfficeID: "s1"}))
	got, err := desk.Reconnect(ctx, r, away, "s1.secret")
	require.NoError(t, err)
	assert.False(t, got.Checked)
	assert.True(t, syncsvc.IsUnavailable(got.Unchecked), got.Unchecked)
	st, err := desk.OfficeSyncState(ctx, r)
	require.NoError(t, err)
	assert.Equal(t, away, st.HubURL, "kept, to be checked at the first sync")
}
