package syncsvc_test

import (
	"bufio"
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// The crash test re-runs the test binary as a child (TestCrashChild) that
// writes to a replica until the parent kills it with SIGKILL; the parent
// then reopens the file and checks that every write committed with its log
// entry and its stored position, then lets a new child carry on.
const (
	crashPathEnv  = "WANXIA_CRASH_CHILD" // the database the child writes
	crashRoleEnv  = "WANXIA_CRASH_ROLE"
	crashBaseEnv  = "WANXIA_CRASH_BASE" // the fake remote node's first HLC
	crashReady    = "crash-child: running"
	crashSource   = "push/remote"
	crashMaxBatch = 12
)

var (
	crashRemote      = uuid.MustParse("0193a5b0-0000-7000-8000-00000000c0de")
	crashNamespace   = uuid.MustParse("4e0c7d0a-52b1-4c44-9a7e-2f1d7b3c9a01")
	crashCommunities = []string{"c1", "c2", "c3"}
	crashScopes      = []string{"c1", "c2", "c3", "district"}
)

// crashCadreValues is the cadre as the store writes it.
func crashCadreValues(c cadre.Cadre) map[string]any { return store.CadreValues(&c) }

// crashCadre is testkit.Cadre with an ID number unique for any n >= 0 (the
// helper's numbers repeat every 36,000): the region digits count the cycles.
func crashCadre(tb testing.TB, n int, community string) cadre.Cadre {
	tb.Helper()
	c := testkit.Cadre(n%36000, community)
	if n >= 36000 {
		seq, err := strconv.Atoi(c.IDNumber[14:17])
		require.NoError(tb, err)
		c.IDNumber = testkit.IDNumberFor(fmt.Sprintf("37%04d", n/36000), c.IDNumber[6:14], seq)
	}
	return c
}

// crashCreation is a change creating a cadre whole, every field stamped st.
func crashCreation(id uuid.UUID, c cadre.Cadre, st syncsvc.Stamp) syncsvc.Change {
	vals := crashCadreValues(c)
	ch := syncsvc.Change{Table: store.CadresTable, ID: id, Scope: c.Community}
	for _, f := range store.CadreType().Fields {
		ch.Fields = append(ch.Fields, syncsvc.FieldChange{Name: f.Name, Value: vals[f.Name], Stamp: st})
	}
	return ch
}

// crashStamp is the stamp of the fake remote node's k-th change.
func crashStamp(base, k int64) syncsvc.Stamp {
	return syncsvc.Stamp{HLC: base + k<<16, Node: crashRemote}
}

// crashRemoteID is the id of the cadre the remote node creates in group g.
func crashRemoteID(g int64) uuid.UUID {
	return uuid.NewSHA1(crashNamespace, strconv.AppendInt(nil, g, 10))
}

// crashRemoteChange is the remote node's k-th change (k from 1). Changes
// come in groups of four: a new cadre, an edit of its name (having seen
// it), an edit of the previous group's cadre's phone (having seen its
// creation), and a blind edit of the name of the cadre pick chooses (any
// cadre the child knows; on the hub a concurrent write, so a conflict when
// it meets another). The first three are the same in every run of the
// child, so the parent can check them (crashRemoteWrites).
func crashRemoteChange(tb testing.TB, base, k int64, pick func() (id uuid.UUID, scope string, ok bool)) syncsvc.Change {
	tb.Helper()
	g := (k - 1) / 4
	st := crashStamp(base, k)
	edit := func(g int64, field string, v any, prev syncsvc.Stamp) syncsvc.Change {
		return syncsvc.Change{Seq: k, Table: store.CadresTable, ID: crashRemoteID(g), Scope: crashCommunities[g%3],
			Fields: []syncsvc.FieldChange{{Name: field, Value: v, Stamp: st, Prev: prev}}}
	}
	switch (k - 1) % 4 {
	case 0:
		ch := crashCreation(crashRemoteID(g), crashCadre(tb, 1_000_000+int(g), crashCommunities[g%3]), st)
		ch.Seq = k
		return ch
	case 1:
		return edit(g, "name", fmt.Sprintf("远程%d", k), crashStamp(base, 4*g+1))
	case 2:
		prev := max(g-1, 0)
		return edit(prev, "phone", fmt.Sprintf("139%08d", k), crashStamp(base, 4*prev+1))
	}
	ch := edit(g, "name", fmt.Sprintf("盲改%d", k), syncsvc.Stamp{})
	if id, scope, ok := pick(); ok {
		ch.ID, ch.Scope = id, scope
	}
	return ch
}

// crashCadreFields are the names of the cadre fields, in declaration order.
var crashCadreFields = func() []string {
	var names []string
	for _, f := range store.CadreType().Fields {
		names = append(names, f.Name)
	}
	return names
}()

// crashRemoteWrites lists the field writes of the remote node's k-th change
// when they are the same in every run of the child, and nil for a blind
// edit, whose record the child picks at random.
func crashRemoteWrites(base, k int64) []crashWrite {
	g := (k - 1) / 4
	st := crashStamp(base, k)
	one := func(g int64, field string) []crashWrite {
		return []crashWrite{{crashField{store.CadresTable, crashRemoteID(g), field}, st}}
	}
	switch (k - 1) % 4 {
	case 0:
		out := make([]crashWrite, len(crashCadreFields))
		for i, name := range crashCadreFields {
			out[i] = crashWrite{crashField{store.CadresTable, crashRemoteID(g), name}, st}
		}
		return out
	case 1:
		return one(g, "name")
	case 2:
		return one(max(g-1, 0), "phone")
	}
	return nil
}

// TestCrashChild is the child process of TestCrashRecovery: it writes to the
// replica named by WANXIA_CRASH_CHILD until it is killed.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashPathEnv)
	if path == "" {
		t.Skip("the child process of TestCrashRecovery")
	}
	role := syncsvc.Role(os.Getenv(crashRoleEnv))
	base, err := strconv.ParseInt(os.Getenv(crashBaseEnv), 10, 64)
	require.NoError(t, err)
	// The parent holds stdin open; when it dies, so does the child.
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		os.Exit(3)
	}()

	r, err := store.Open(ctx, path, syncsvc.Options{Role: role})
	require.NoError(t, err)
	live, err := r.Cadres(ctx, store.CadreFilter{})
	require.NoError(t, err)
	ids := make([]uuid.UUID, 0, len(live))
	for _, c := range live {
		ids = append(ids, c.ID)
	}
	pos, err := r.Position(ctx, crashSource)
	require.NoError(t, err)
	fmt.Println(crashReady)

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(os.Getpid())))
	pick := func() (uuid.UUID, string, bool) {
		if len(ids) == 0 {
			return uuid.Nil, "", false
		}
		c, err := r.Cadre(ctx, ids[rng.IntN(len(ids))])
		require.NoError(t, err)
		return c.ID, c.Community, true
	}
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); {
		switch op := rng.IntN(100); {
		case op < 30: // a new cadre
			c := crashCadre(t, rng.IntN(500_000), crashCommunities[rng.IntN(3)])
			_, err := r.PutCadre(ctx, &c)
			if errors.Is(err, syncsvc.ErrDuplicateIDNumber) {
				continue
			}
			require.NoError(t, err)
			ids = append(ids, c.ID)
		case op < 55: // an edit of a name or a phone
			id, _, ok := pick()
			if !ok {
				continue
			}
			c, err := r.Cadre(ctx, id)
			require.NoError(t, err)
			if rng.IntN(2) == 0 {
				c.Name = fmt.Sprintf("改名%d", rng.IntN(1_000_000))
			} else {
				c.Phone = fmt.Sprintf("138%08d", rng.IntN(100_000_000))
			}
			_, err = r.PutCadre(ctx, &c)
			require.NoError(t, err)
		case op < 60: // a void
			i := rng.IntN(len(ids) + 1)
			if i == len(ids) {
				continue
			}
			require.NoError(t, r.VoidCadre(ctx, ids[i], "录入错误"))
			ids = append(ids[:i], ids[i+1:]...)
		case op < 62 && role == syncsvc.RoleOffice: // the hub acknowledges part of the outbox
			last, err := r.LastSeq(ctx)
			require.NoError(t, err)
			require.NoError(t, r.Acknowledge(ctx, last/2))
		default: // a batch from the remote node
			n := 1 + rng.IntN(crashMaxBatch)
			batch := make([]syncsvc.Change, 0, n)
			var created []uuid.UUID
			for k := pos + 1; k <= pos+int64(n); k++ {
				ch := crashRemoteChange(t, base, k, pick)
				if want := crashRemoteWrites(base, k); want != nil {
					var got []crashWrite
					for _, f := range ch.Fields {
						got = append(got, crashWrite{crashField{ch.Table, ch.ID, f.Name}, f.Stamp})
					}
					require.Equal(t, want, got, "the parent checks remote change %d by what crashRemoteWrites says", k)
				}
				if len(ch.Fields) > 1 {
					created = append(created, ch.ID)
				}
				batch = append(batch, ch)
			}
			res, err := r.Apply(ctx, batch, syncsvc.ApplyOptions{Source: crashSource, Contiguous: true})
			require.NoError(t, err)
			require.Empty(t, res.Refused)
			require.Equal(t, pos+int64(n), res.Position)
			pos = res.Position
			ids = append(ids, created...)
		}
	}
	t.Fatal("the child was not killed within its deadline")
}

// TestCrashRecovery kills a writing child process with SIGKILL at random
// moments and checks, after each kill, that the replica opens, passes
// SQLite's integrity check, and that its data, change log and positions
// agree: every committed write has its change and its change its write.
// WANXIA_LONG=1 makes it kill 100 times per role instead of 10; that took
// about 8 minutes on a 2-core machine, so give go test -timeout 30m.
func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	kills := 10
	if os.Getenv("WANXIA_LONG") == "1" {
		kills = 100
	}
	for _, role := range []syncsvc.Role{syncsvc.RoleOffice, syncsvc.RoleHub} {
		t.Run(string(role), func(t *testing.T) {
			seed := uint64(time.Now().UnixNano())
			t.Logf("seed %d", seed)
			rng := rand.New(rand.NewPCG(seed, 0))
			path := filepath.Join(t.TempDir(), string(role)+".db")
			base := syncsvc.HLCFromTime(time.Now())
			for i := range kills {
				runCrashChild(t, path, role, base, time.Duration(50+rng.IntN(351))*time.Millisecond)
				checkAfterCrash(t, path, role, base)
				if t.Failed() {
					t.Fatalf("stopped after kill %d", i+1)
				}
			}
		})
	}
}

// crashOutput collects a child's output from two goroutines.
type crashOutput struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *crashOutput) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *crashOutput) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// runCrashChild starts a child writing to path, lets it run for wait once
// it says it is running, and kills it with SIGKILL.
func runCrashChild(t *testing.T, path string, role syncsvc.Role, base int64, wait time.Duration) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$")
	cmd.Env = append(os.Environ(), crashPathEnv+"="+path, crashRoleEnv+"="+string(role), crashBaseEnv+"="+strconv.FormatInt(base, 10))
	var output crashOutput
	cmd.Stderr = &output
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	defer stdin.Close()
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())

	ready, drained := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(drained)
		sc := bufio.NewScanner(stdout)
		signalled := false
		for sc.Scan() {
			fmt.Fprintln(&output, sc.Text())
			if !signalled && sc.Text() == crashReady {
				close(ready)
				signalled = true
			}
		}
	}()
	select {
	case <-ready:
		time.Sleep(wait)
	case <-drained: // it stopped before it was running; Wait says why
	case <-time.After(60 * time.Second):
		t.Errorf("the child did not say it was running within a minute")
	}
	// An error here means the child is gone already; Wait says why.
	_ = cmd.Process.Signal(syscall.SIGKILL)
	<-drained
	err = cmd.Wait()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "the child stopped on its own:\n%s", output.String())
	require.True(t, killed(exit, output.String()), "the child stopped on its own (%v) before it was killed:\n%s", err, output.String())
}

// killed reports whether a child ended by the parent's kill: on unix by
// SIGKILL. Windows has no signals — a kill is TerminateProcess, which ends
// the child with exit code 1 — so there it is a child that ended with 1
// without reporting a failure of its own.
func killed(exit *exec.ExitError, output string) bool {
	ws, ok := exit.Sys().(syscall.WaitStatus)
	if !ok {
		return false
	}
	if runtime.GOOS == "windows" {
		return ws.ExitStatus() == 1 && !strings.Contains(output, "--- FAIL")
	}
	return ws.Signaled() && ws.Signal() == syscall.SIGKILL
}

// crashField names one field of one record.
type crashField struct {
	table string
	id    uuid.UUID
	field string
}

// crashWrite names one write of one field.
type crashWrite struct {
	crashField
	stamp syncsvc.Stamp
}

// checkAfterCrash reopens the replica a child was killed writing and checks it.
func checkAfterCrash(t *testing.T, path string, role syncsvc.Role, base int64) {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	require.NoError(t, err)
	var integrity string
	require.NoError(t, db.QueryRow("PRAGMA integrity_check").Scan(&integrity))
	require.NoError(t, db.Close())
	require.Equal(t, "ok", integrity)

	r, err := store.Open(ctx, path, syncsvc.Options{Role: role})
	require.NoError(t, err, "the replica must open after a crash")
	defer func() { require.NoError(t, r.Close()) }()

	rows := map[crashField]syncsvc.FieldChange{}
	var liveCadres []uuid.UUID
	for cur := (syncsvc.SnapshotCursor{}); ; {
		page, err := r.Snapshot(ctx, crashScopes, cur, 100_000)
		require.NoError(t, err)
		for _, rec := range page.Records {
			voided := false
			for _, f := range rec.Fields {
				rows[crashField{rec.Table, rec.ID, f.Name}] = f
				voided = voided || (f.Name == "_void" && f.Value != nil)
			}
			if rec.Table == store.CadresTable && !voided {
				liveCadres = append(liveCadres, rec.ID)
			}
		}
		if page.Done {
			break
		}
		cur = page.Next
	}
	logged := map[crashWrite]syncsvc.FieldChange{}
	var entries []syncsvc.Change
	for seq := int64(0); ; {
		page, err := r.ChangesSince(ctx, seq, nil, 100_000)
		require.NoError(t, err)
		for _, ch := range page.Changes {
			for _, f := range ch.Fields {
				logged[crashWrite{crashField{ch.Table, ch.ID, f.Name}, f.Stamp}] = f
			}
		}
		entries = append(entries, page.Changes...)
		if !page.More {
			break
		}
		seq = page.Next
	}

	own := r.Node()
	var maxStamp syncsvc.Stamp
	var problems crashProblems
	// No write without its change: on an office every field it wrote itself
	// has the change that wrote it; on the hub every field does.
	for k, f := range rows {
		if f.Stamp.Compare(maxStamp) > 0 {
			maxStamp = f.Stamp
		}
		if f.Stamp.Node != own && f.Stamp.Node != crashRemote {
			problems.add("%v: stamped by an unknown node %v", k, f.Stamp)
		}
		if role == syncsvc.RoleOffice && f.Stamp.Node != own {
			continue
		}
		switch entry, found := logged[crashWrite{k, f.Stamp}]; {
		case !found:
			problems.add("%v: the write stamped %v has no change in the log", k, f.Stamp)
		case !reflect.DeepEqual(f.Value, entry.Value):
			problems.add("%v: stored %#v, but its change logged %#v", k, f.Value, entry.Value)
		}
	}
	// No change without its write: each logged field is what the record
	// holds, or was overwritten by a later stamp.
	for _, ch := range entries {
		for _, f := range ch.Fields {
			k := crashField{ch.Table, ch.ID, f.Name}
			if role == syncsvc.RoleOffice && f.Stamp.Node != own {
				problems.add("change %d %v: an office logged a write of node %v", ch.Seq, k, f.Stamp.Node)
			}
			cur, found := rows[k]
			switch order := cur.Stamp.Compare(f.Stamp); {
			case !found:
				problems.add("change %d %v: logged, but the record has no such field", ch.Seq, k)
			case order < 0:
				problems.add("change %d %v: logged %v, but the record holds the older %v", ch.Seq, k, f.Stamp, cur.Stamp)
			case order == 0 && !reflect.DeepEqual(cur.Value, f.Value):
				problems.add("change %d %v: logged %#v, but the record holds %#v under the same stamp", ch.Seq, k, f.Value, cur.Value)
			}
		}
	}
	pos := checkCrashPosition(r, rows, base, &problems)
	problems.report(t)
	checkClockAfterCrash(t, r, liveCadres, maxStamp)
	t.Logf("%d stamped fields, %d changes in the log, %d remote changes applied", len(rows), len(entries), pos)
}

// crashProblems collects what checkAfterCrash finds wrong; a broken
// replica can have thousands, and the first few say enough.
type crashProblems []string

func (p *crashProblems) add(format string, args ...any) {
	*p = append(*p, fmt.Sprintf(format, args...))
}

func (p crashProblems) report(t *testing.T) {
	t.Helper()
	const shown = 20
	for i, msg := range p {
		if i == shown {
			t.Errorf("… and %d more", len(p)-shown)
			break
		}
		t.Error(msg)
	}
}

// checkCrashPosition checks that the stored position of the remote node's
// changes and the changes applied committed together: every change up to
// the position left its mark (its stamp, or a later one), none after it did.
// It returns the position.
func checkCrashPosition(r *store.Replica, rows map[crashField]syncsvc.FieldChange, base int64, problems *crashProblems) (position int64) {
	pos, err := r.Position(ctx, crashSource)
	if err != nil {
		problems.add("read the remote position: %v", err)
		return 0
	}
	for k := int64(1); k <= pos; k++ {
		for _, w := range crashRemoteWrites(base, k) {
			switch cur, found := rows[w.crashField]; {
			case !found:
				problems.add("remote change %d (position %d) %v is missing", k, pos, w.crashField)
			case cur.Stamp.Compare(w.stamp) < 0:
				problems.add("remote change %d (position %d) %v: the record holds the older %v", k, pos, w.crashField, cur.Stamp)
			}
		}
	}
	limit := crashStamp(base, pos).HLC
	for k, f := range rows {
		if f.Stamp.Node == crashRemote && f.Stamp.HLC > limit {
			problems.add("%v holds a remote write (%v) past the stored position %d", k, f.Stamp, pos)
		}
	}
	return pos
}

// checkClockAfterCrash writes once more and checks that the clock restored
// from the file is past every stamp the replica holds, its own and those it
// applied, so that the new write orders after all of them.
func checkClockAfterCrash(t *testing.T, r *store.Replica, live []uuid.UUID, maxStamp syncsvc.Stamp) {
	t.Helper()
	var c cadre.Cadre
	if len(live) > 0 {
		var err error
		c, err = r.Cadre(ctx, live[0])
		require.NoError(t, err)
		c.Phone = strconv.FormatInt(time.Now().UnixNano()%100_000_000_000, 10)
	} else {
		c = crashCadre(t, 900_000, crashCommunities[0])
	}
	last, err := r.LastSeq(ctx)
	require.NoError(t, err)
	changed, err := r.PutCadre(ctx, &c)
	require.NoError(t, err)
	require.True(t, changed)
	page, err := r.ChangesSince(ctx, last, nil, 10)
	require.NoError(t, err)
	require.NotEmpty(t, page.Changes)
	written := page.Changes[len(page.Changes)-1]
	require.Equal(t, c.ID, written.ID)
	// On the hub the feed carries the record whole: the new write is its
	// newest stamp.
	var newest syncsvc.Stamp
	for _, f := range written.Fields {
		if f.Stamp.Compare(newest) > 0 {
			newest = f.Stamp
		}
	}
	assert.Positive(t, newest.Compare(maxStamp), "a write after the crash is stamped %v, not after %v", newest, maxStamp)
}
