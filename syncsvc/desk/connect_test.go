package desk_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// servedHub is a hub with two offices registered, served on loopback.
func servedHub(t *testing.T) (url string, tokens map[string]string) {
	t.Helper()
	return hubOf(t, map[string]string{"s1": "sy", "s2": "gsq"})
}

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

func TestConnectOfficeChecksTheTokenBeforeKeepingIt(t *testing.T) {
	url, tokens := servedHub(t)
	r := openReplica(t, syncsvc.RoleOffice)

	_, err := desk.ConnectOffice(ctx, r, desk.ConnectInput{HubURL: url, OfficeID: "s1", Token: tokens["s2"]})
	var wrong *syncsvc.WrongOfficeError
	require.ErrorAs(t, err, &wrong)
	assert.Equal(t, "s2", wrong.Got)
	_, err = desk.ConnectOffice(ctx, r, desk.ConnectInput{HubURL: url, OfficeID: "s1", Token: "s1.not-the-secret"})
	require.ErrorIs(t, err, desk.ErrTokenRefused)
	assert.ErrorIs(t, err, syncsvc.ErrUnauthenticated)
	_, err = desk.ConnectOffice(ctx, r, desk.ConnectInput{HubURL: "hub:8080", OfficeID: "s1", Token: tokens["s1"]})
	require.ErrorIs(t, err, transport.ErrBadHubURL)
	st, err := desk.OfficeSyncState(ctx, r)
	require.NoError(t, err)
	assert.Empty(t, st.HubURL, "nothing kept from a refused token")
	assert.Empty(t, st.OfficeID)

	got, err := desk.ConnectOffice(ctx, r, desk.ConnectInput{HubURL: url + "/", OfficeID: "s1", Token: tokens["s1"]})
	require.NoError(t, err)
	assert.True(t, got.Checked)
	assert.Equal(t, "s1 办公室", got.Hello.OfficeName)
	assert.Contains(t, got.Hello.Scopes, "sy")
	st, err = desk.OfficeSyncState(ctx, r)
	require.NoError(t, err)
	assert.Equal(t, url, st.HubURL)
	assert.Equal(t, "s1", st.OfficeID)
	name, err := r.Meta(ctx, desk.MetaOfficeName)
	require.NoError(t, err)
	assert.Equal(t, "s1 办公室", name)
	_, err = desk.Sync(ctx, r, desk.SyncOptions{Retries: -1})
	require.NoError(t, err, "the kept connection syncs")

	_, err = desk.ConnectOffice(ctx, r, desk.ConnectInput{HubURL: url, OfficeID: "s2", Token: tokens["s2"]})
	var other *desk.OtherOfficeError
	require.ErrorAs(t, err, &other, "a replica stays its own office's")
	assert.Equal(t, "s1", other.Have)
}

func TestConnectOfficeKeepsAnUncheckedTokenWhenTheHubIsAway(t *testing.T) {
	srv := httptest.NewServer(nil)
	away := srv.URL
	srv.Close()
	r := openReplica(t, syncsvc.RoleOffice)
	got, err := desk.ConnectOffice(ctx, r, desk.ConnectInput{HubURL: away, OfficeID: "s1", Token: "s1.secret", Timeout: 2 * time.Second})
	require.NoError(t, err)
	assert.False(t, got.Checked)
	require.Error(t, got.Unchecked)
	assert.True(t, syncsvc.IsUnavailable(got.Unchecked), got.Unchecked)
	st, err := desk.OfficeSyncState(ctx, r)
	require.NoError(t, err)
	assert.Equal(t, away, st.HubURL, "kept, to be checked at the first sync")
}
