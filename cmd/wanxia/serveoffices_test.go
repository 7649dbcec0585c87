package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// TestWanxiaChild is the wanxia command run as a child process of a test:
// it runs the arguments in WANXIA_CMD_CHILD (JSON) on the day of
// testkit.FixedNow and exits with the command's code.
func TestWanxiaChild(t *testing.T) {
	encoded := os.Getenv("WANXIA_CMD_CHILD")
	if encoded == "" {
		t.Skip("run by tests that need the command in a process of its own")
	}
	var args []string
	require.NoError(t, json.Unmarshal([]byte(encoded), &args))
	os.Exit(runAt(context.Background(), testkit.FixedNow, args, strings.NewReader(""), os.Stdout, os.Stderr))
}

// wxChild runs the command in a process of its own and returns what it
// printed, requiring that it succeeded.
func wxChild(t *testing.T, args ...string) string {
	t.Helper()
	encoded, err := json.Marshal(args)
	require.NoError(t, err)
	cmd := exec.Command(os.Args[0], "-test.run=^TestWanxiaChild$")
	cmd.Env = append(os.Environ(), "WANXIA_CMD_CHILD="+string(encoded))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "wanxia %s: %s", strings.Join(args, " "), stderr.String())
	return string(out)
}

// TestOfficesChangedByAnotherProcessWhileServing: the hub keeps the
// offices it has authenticated in memory; an office added, a token rotated
// and an office revoked by another process (hub office … while hub serve
// runs) count from the next call.
func TestOfficesChangedByAnotherProcessWhileServing(t *testing.T) {
	db := newHubDB(t, t.TempDir())
	var first map[string]any
	require.NoError(t, json.Unmarshal([]byte(wxChild(t, hubArgs(db, "office", "add", "--id", "sy-1", "--name", "舜园", "--communities", "sy", "--json")...)), &first))
	hub := serveHubAt(t, db)
	sy1 := newOffice(t, "sy-1", first["token"].(string), hub.url())
	sy1.ok("sync") // the hub now keeps sy-1

	var added map[string]any
	require.NoError(t, json.Unmarshal([]byte(wxChild(t, hubArgs(db, "office", "add", "--id", "gsq-1", "--name", "杆石桥", "--communities", "gsq", "--json")...)), &added))
	gsq := newOffice(t, "gsq-1", added["token"].(string), hub.url())
	var rep map[string]any
	gsq.okJSON(&rep, "sync")
	assert.Equal(t, []any{"gsq", "district"}, rep["scopes"], "an office added while the hub serves syncs at once")

	var rotated map[string]string
	require.NoError(t, json.Unmarshal([]byte(wxChild(t, hubArgs(db, "office", "rotate-token", "sy-1", "--json")...)), &rotated))
	res := sy1.run("sync")
	assert.Equal(t, 1, res.code, "the old token stops working at once")
	assert.Contains(t, res.stderr, "令牌")
	sy1.ok("init", "--hub", hub.url(), "--office", "sy-1", "--token", rotated["token"])
	sy1.ok("sync")

	wxChild(t, hubArgs(db, "office", "revoke", "gsq-1")...)
	res = gsq.run("sync")
	assert.Equal(t, 1, res.code, "a revoked office is refused at once")
	assert.Contains(t, res.stderr, "令牌")
	sy1.ok("sync")
}
