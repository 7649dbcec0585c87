package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

func TestOfficeRecordsAndSyncs(t *testing.T) {
	ctx := context.Background()
	hubReplica, err := store.Open(ctx, filepath.Join(t.TempDir(), "hub.db"), syncsvc.Options{Role: syncsvc.RoleHub})
	require.NoError(t, err)
	defer hubReplica.Close()
	_, token, err := hubReplica.AddOffice(ctx, "sy", "舜园社区办公室", []string{"sy"})
	require.NoError(t, err)
	hub, err := syncsvc.NewHub(hubReplica, syncsvc.HubOptions{})
	require.NoError(t, err)
	srv := httptest.NewServer(transport.Handler(hub))
	defer srv.Close()

	var out bytes.Buffer
	db := filepath.Join(t.TempDir(), "office.db")
	require.NoError(t, run(ctx, []string{"--hub", srv.URL, "--token", token, "--db", db}, &out))
	assert.Contains(t, out.String(), "recorded 王秀兰")
	assert.Contains(t, out.String(), "pushed 1")

	got, err := hubReplica.CadreByIDNumber(ctx, "370102194403150020")
	require.NoError(t, err)
	assert.Equal(t, "王秀兰", got.Name)

	out.Reset()
	require.NoError(t, run(ctx, []string{"--hub", srv.URL, "--token", token, "--db", db}, &out))
	assert.Contains(t, out.String(), "pushed 0", "running it again changes nothing")
}
