package transport_test

import (
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/testkit"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// TestAConnectionIsKeptInTheOfficeReplica: what office init is given is
// checked, kept in the replica's meta under hub_url, token and ca, read
// back by the next program, and syncs through the CA it names.
func TestAConnectionIsKeptInTheOfficeReplica(t *testing.T) {
	h := startHub(t, nil, syncsvc.HubOptions{})
	_, token, err := h.r.AddOffice(ctx, "sy", "舜园", []string{"sy"})
	require.NoError(t, err)

	_, err = transport.NewConnection("hub.example:8080", token, "")
	assert.ErrorIs(t, err, transport.ErrBadHubURL, "no scheme")
	_, err = transport.NewConnection("ftp://hub.example", token, "")
	assert.ErrorIs(t, err, transport.ErrBadHubURL)
	_, err = transport.NewConnection(h.srv.URL, token, filepath.Join(t.TempDir(), "missing.pem"))
	var caErr *transport.CAError
	require.ErrorAs(t, err, &caErr)
	assert.ErrorIs(t, err, os.ErrNotExist)
	notPEM := filepath.Join(t.TempDir(), "ca.txt")
	require.NoError(t, os.WriteFile(notPEM, []byte("not a certificate"), 0o600))
	_, err = transport.NewConnection(h.srv.URL, token, notPEM)
	require.ErrorAs(t, err, &caErr)
	assert.Equal(t, notPEM, caErr.File)

	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	require.NoError(t, os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: h.srv.Certificate().Raw}), 0o600))
	t.Chdir(dir)
	conn, err := transport.NewConnection(h.srv.URL+"/", token, "ca.pem")
	require.NoError(t, err)
	assert.Equal(t, h.srv.URL, conn.HubURL, "the trailing slash is dropped")
	assert.Equal(t, ca, conn.CAFile, "the CA is kept by its absolute path")

	r := openReplica(t, syncsvc.RoleOffice, h.clk.Now)
	_, err = transport.LoadConnection(ctx, r)
	assert.ErrorIs(t, err, transport.ErrNoConnection)
	require.NoError(t, conn.Save(ctx, r, map[string]string{"office_id": "sy"}))
	for k, want := range map[string]string{"hub_url": h.srv.URL, "token": token, "ca": ca, "office_id": "sy"} {
		got, err := r.Meta(ctx, k)
		require.NoError(t, err)
		assert.Equal(t, want, got, k)
	}
	back, err := transport.LoadConnection(ctx, r)
	require.NoError(t, err)
	assert.Equal(t, conn, back)

	agent, err := back.NewAgent(r.Replica, 0, syncsvc.AgentOptions{Retries: -1})
	require.NoError(t, err)
	x := testkit.Cadre(1, "sy")
	_, err = r.PutCadre(ctx, &x)
	require.NoError(t, err)
	rep := syncOK(t, agent)
	assert.Equal(t, 1, rep.Pushed, "the hub's certificate is trusted through the kept CA")

	back.CAFile = ""
	require.NoError(t, back.Save(ctx, r, nil))
	got, err := r.Meta(ctx, "ca")
	require.NoError(t, err)
	assert.Empty(t, got, "a CA no longer given is dropped")
	agent, err = back.NewAgent(r.Replica, 0, syncsvc.AgentOptions{Retries: -1})
	require.NoError(t, err)
	_, err = agent.Sync(ctx)
	require.Error(t, err, "without the CA the hub's certificate is not trusted")
}
