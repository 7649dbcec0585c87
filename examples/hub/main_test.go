package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHubServesItsOwnRoutesAndSync(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	var out bytes.Buffer
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "hub.db")}, &out, ready)
	}()
	addr := <-ready

	res, err := http.Get("http://" + addr + "/healthz")
	require.NoError(t, err)
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	assert.Equal(t, "ok\n", string(body))

	res, err = http.Post("http://"+addr+"/wanxia.sync.v1.SyncService/Hello", "application/json", bytes.NewBufferString("{}"))
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode, "the sync service answers, and wants a token")

	cancel()
	require.NoError(t, <-done)
	assert.Contains(t, out.String(), "token (shown once): sy.")
}
