package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wanxia/wanxia/syncsvc/testkit"

	"github.com/stretchr/testify/require"
)

// result is what one run of the command did.
type result struct {
	code           int
	stdout, stderr string
}

// wx runs the command in-process, as a person would type it, on the day of
// testkit.FixedNow (2026-11-28 10:00 in Shanghai, a Saturday), so that no
// test depends on the day it runs.
func wx(t *testing.T, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := runAt(context.Background(), testkit.FixedNow, args, strings.NewReader(""), &out, &errOut)
	return result{code, out.String(), errOut.String()}
}

// newHubDB starts a hub's database in dir with hub init, the one hub verb
// that creates one, and returns its path.
func newHubDB(t *testing.T, dir string) string {
	t.Helper()
	db := filepath.Join(dir, "hub.db")
	ok(t, "hub", "init", "--db", db)
	return db
}

// okAt runs the command on a clock that reads at, and requires that it
// succeeded: what it writes is stamped, and so known, from that instant.
func okAt(t *testing.T, at time.Time, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	code := runAt(context.Background(), func() time.Time { return at }, args, strings.NewReader(""), &out, &errOut)
	require.Equal(t, 0, code, "wanxia %s\nstdout: %s\nstderr: %s", strings.Join(args, " "), out.String(), errOut.String())
	return out.String()
}

// ok runs the command and requires that it succeeded.
func ok(t *testing.T, args ...string) string {
	t.Helper()
	res := wx(t, args...)
	require.Equal(t, 0, res.code, "wanxia %s\nstdout: %s\nstderr: %s", strings.Join(args, " "), res.stdout, res.stderr)
	return res.stdout
}

// okJSON runs the command and decodes its JSON output into v.
func okJSON(t *testing.T, v any, args ...string) {
	t.Helper()
	out := ok(t, append(args, "--json")...)
	require.NoError(t, json.Unmarshal([]byte(out), v), out)
}

// cadreArgs are the flags of a valid cadre, then extra ones.
func cadreArgs(name, idNumber, community string, extra ...string) []string {
	return append([]string{"--name", name, "--id-number", idNumber, "--category", "退休", "--retired-on", "2004-04-01",
		"--rank", "section", "--party", "正式党员", "--health", "chronic", "--living", "独居", "--community", community}, extra...)
}

// office is an office replica for a test.
type office struct {
	t  *testing.T
	db string
}

// newOffice initialises an office replica; hub is its hub's URL.
func newOffice(t *testing.T, id, token, hub string) *office {
	t.Helper()
	o := &office{t: t, db: filepath.Join(t.TempDir(), id+".db")}
	ok(t, "office", "init", "--db", o.db, "--hub", hub, "--office", id, "--token", token)
	return o
}

// run runs an office verb on this office's replica.
func (o *office) run(args ...string) result {
	o.t.Helper()
	return wx(o.t, append(append([]string{"office"}, args...), "--db", o.db)...)
}

func (o *office) ok(args ...string) string {
	o.t.Helper()
	return ok(o.t, append(append([]string{"office"}, args...), "--db", o.db)...)
}

func (o *office) okJSON(v any, args ...string) {
	o.t.Helper()
	okJSON(o.t, v, append(append([]string{"office"}, args...), "--db", o.db)...)
}

// okAt runs an office verb on this office's replica on a clock that reads
// at: the day a clerk entered it.
func (o *office) okAt(at string, args ...string) string {
	o.t.Helper()
	return okAt(o.t, testAt(at), append(append([]string{"office"}, args...), "--db", o.db)...)
}

// testAt is 10:00 in Shanghai on the day "YYYY-MM-DD".
func testAt(day string) time.Time { return testkit.At(day + " 10:00") }

// addCadre registers a cadre and returns its id.
func (o *office) addCadre(name, idNumber, community string, extra ...string) string {
	o.t.Helper()
	var c map[string]any
	o.okJSON(&c, append([]string{"cadre", "add"}, cadreArgs(name, idNumber, community, extra...)...)...)
	return c["id"].(string)
}

// names returns the names of the cadres a list or search printed as JSON.
func names(t *testing.T, list []map[string]any) []string {
	t.Helper()
	out := []string{}
	for _, c := range list {
		out = append(out, c["name"].(string))
	}
	return out
}

// lockedBuffer is a buffer a running command writes while a test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
