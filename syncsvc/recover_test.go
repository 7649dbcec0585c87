package syncsvc_test

import (
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	syncv1 "github.com/wanxia/wanxia/syncsvc/internal/gen/wanxia/sync/v1"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// restorableHub is a hub whose database file can be swapped for a backup
// while its server keeps its address, as an operator's `hub restore`
// between two runs of `hub serve` does.
type restorableHub struct {
	t       *testing.T
	path    string
	clk     *testkit.Clock
	r       *store.Replica
	handler atomic.Pointer[http.Handler]
	srv     *httptest.Server
}

func startRestorableHub(t *testing.T) *restorableHub {
	t.Helper()
	h := &restorableHub{t: t, path: filepath.Join(t.TempDir(), "hub.db"), clk: testkit.NewClock(testkit.At("2026-11-28 09:00"))}
	h.open()
	h.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		(*h.handler.Load()).ServeHTTP(w, req)
	}))
	h.srv.EnableHTTP2 = true
	h.srv.StartTLS()
	t.Cleanup(func() { h.srv.Close(); h.r.Close() })
	return h
}

func (h *restorableHub) open() {
	r, err := store.Open(ctx, h.path, syncsvc.Options{Role: syncsvc.RoleHub, Now: h.clk.Now})
	require.NoError(h.t, err)
	hub, err := syncsvc.NewHub(r, syncsvc.HubOptions{})
	require.NoError(h.t, err)
	handler := transport.Handler(hub)
	h.r = r
	h.handler.Store(&handler)
}

// restore puts the backup in place of the hub's file. With newEpoch, as
// `hub restore` does, the restored file gets a new epoch; without, it is a
// copy put back by hand.
func (h *restorableHub) restore(backup string, newEpoch bool) {
	require.NoError(h.t, h.r.Close())
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(h.path + suffix)
	}
	copyFile(h.t, backup, h.path)
	if newEpoch {
		db, err := sql.Open("sqlite3", h.path)
		require.NoError(h.t, err)
		_, err = syncsvc.NewHubEpoch(ctx, db)
		require.NoError(h.t, err)
		require.NoError(h.t, db.Close())
	}
	h.open()
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	require.NoError(t, err)
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	require.NoError(t, err)
	_, err = io.Copy(out, in)
	require.NoError(t, err)
	require.NoError(t, out.Close())
}

// officeFile is an office computer whose replica file can be copied aside
// and put back.
type officeFile struct {
	t     *testing.T
	path  string
	token string
	h     *restorableHub
	r     *store.Replica
	a     *syncsvc.Agent
}

func (h *restorableHub) office(t *testing.T, id, token string) *officeFile {
	o := &officeFile{t: t, path: filepath.Join(t.TempDir(), id+".db"), token: token, h: h}
	o.open()
	t.Cleanup(func() { o.r.Close() })
	return o
}

func (o *officeFile) open() {
	r, err := store.Open(ctx, o.path, syncsvc.Options{Now: o.h.clk.Now})
	require.NoError(o.t, err)
	a, err := transport.NewAgent(r.Replica, transport.ClientConfig{HubURL: o.h.srv.URL, Token: o.token, HTTPClient: o.h.srv.Client()}, syncsvc.AgentOptions{RetryDelay: 10 * time.Millisecond})
	require.NoError(o.t, err)
	o.r, o.a = r, a
}

// copyAside closes the replica, copies its file, and opens it again.
func (o *officeFile) copyAside() string {
	require.NoError(o.t, o.r.Close())
	to := filepath.Join(o.t.TempDir(), "copy.db")
	copyFile(o.t, o.path, to)
	o.open()
	return to
}

// putBack closes the replica and puts an older copy of its file in place.
func (o *officeFile) putBack(copy string) {
	require.NoError(o.t, o.r.Close())
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(o.path + suffix)
	}
	copyFile(o.t, copy, o.path)
	o.open()
}

func (o *officeFile) add(n int) {
	o.t.Helper()
	c := testkit.Cadre(n, "sy")
	_, err := o.r.PutCadre(ctx, &c)
	require.NoError(o.t, err)
}

func (o *officeFile) sync() syncsvc.SyncReport {
	o.t.Helper()
	rep, err := o.a.Sync(ctx)
	require.NoError(o.t, err)
	return rep
}

// phones lists each live cadre's phone by ID number.
func phones(t *testing.T, r *store.Replica) map[string]string {
	t.Helper()
	all, err := r.Cadres(ctx, store.CadreFilter{})
	require.NoError(t, err)
	out := map[string]string{}
	for _, c := range all {
		require.NotEmpty(t, c.Name, "a cadre with no name")
		require.NotEmpty(t, c.IDNumber, "a cadre with no ID number")
		out[c.IDNumber] = c.Phone
	}
	return out
}

func scaled(short, long int) int {
	if os.Getenv("WANXIA_LONG") == "1" {
		return long
	}
	return short
}

// TestRestoredHubLeavesNoOfficeBehind is point 1 of issue 12: three offices
// of one community sync; the hub is restored from the backup taken half way;
// one office edits phones and syncs. Every office receives the edits, and
// the records written after the backup come back to the hub from the
// offices that hold them. Run for `hub restore` (a new epoch) and for a
// file copied back by hand (no new epoch: the district sequence went back).
func TestRestoredHubLeavesNoOfficeBehind(t *testing.T) {
	for _, newEpoch := range []bool{true, false} {
		t.Run(fmt.Sprintf("new_epoch=%v", newEpoch), func(t *testing.T) {
			n := scaled(200, 2000)
			h := startRestorableHub(t)
			_, token, err := h.r.AddOffice(ctx, "sy", "舜园", []string{"sy"})
			require.NoError(t, err)
			offices := []*officeFile{h.office(t, "o1", token), h.office(t, "o2", token), h.office(t, "o3", token)}
			for i := range n / 2 {
				offices[i%3].add(i)
			}
			for _, o := range offices {
				o.sync()
			}
			for _, o := range offices {
				o.sync()
			}
			backup, err := h.r.Backup(ctx, t.TempDir())
			require.NoError(t, err)
			for i := n / 2; i < n; i++ {
				offices[i%2].add(i) // o3 writes nothing after the backup
			}
			for _, o := range offices {
				o.sync()
			}
			for _, o := range offices {
				o.sync()
			}
			require.Len(t, phones(t, offices[1].r), n)

			h.restore(backup, newEpoch)
			require.Len(t, phones(t, h.r), n/2, "the hub went back to the backup")

			// One office edits 20 phones and syncs.
			o1 := offices[0]
			all, err := o1.r.Cadres(ctx, store.CadreFilter{})
			require.NoError(t, err)
			want := map[string]string{}
			for i, c := range all[:20] {
				c.Phone = fmt.Sprintf("1380000%04d", i)
				_, err := o1.r.PutCadre(ctx, &c)
				require.NoError(t, err)
				want[c.IDNumber] = c.Phone
			}
			// And registers as many new cadres as the hub lost, so that the
			// district sequence passes every other office's cursor: those
			// must still notice (the hub begins a new epoch itself when the
			// first office shows it went back).
			for i := n; i < n+n/2+10; i++ {
				o1.add(i)
			}
			n += n/2 + 10
			rep := o1.sync()
			assert.Equal(t, syncsvc.RecoveryHubRestored, rep.Recovery)
			assert.Positive(t, rep.Reconciled)
			for _, o := range offices[1:] {
				rep := o.sync()
				assert.Equal(t, syncsvc.RecoveryHubRestored, rep.Recovery, "each office notices on its own")
			}
			for _, o := range offices {
				rep := o.sync()
				assert.Equal(t, syncsvc.RecoveryNone, rep.Recovery, "once is enough")
			}
			hub := phones(t, h.r)
			require.Len(t, hub, n, "every cadre written after the backup came back")
			for _, o := range offices {
				got := phones(t, o.r)
				require.Len(t, got, n)
				for id, phone := range want {
					assert.Equal(t, phone, got[id])
				}
				assert.Equal(t, hub, got)
				assert.Equal(t, dump(t, h.r, "sy"), dump(t, o.r, "sy"))
			}
		})
	}
}

// TestCopiedBackReplicaLosesNothing is points 2 and 13 of issue 12: an
// office's file is copied aside after a sync; 5 cadres are added and
// synced; the old copy is put back; new cadres are added and synced. All of
// them reach the hub, the 5 come back to the office, and a later edit of
// one of the 5 reaches the hub as an edit of a whole record. Run with
// fewer new writes than were lost (the hub acknowledged more than the file
// holds) and with more (the file's change at that position is another).
func TestCopiedBackReplicaLosesNothing(t *testing.T) {
	for _, fresh := range []int{6, 9} {
		t.Run(fmt.Sprintf("new=%d", fresh), func(t *testing.T) {
			h := startRestorableHub(t)
			_, token, err := h.r.AddOffice(ctx, "sy", "舜园", []string{"sy"})
			require.NoError(t, err)
			o2 := h.office(t, "o2", token)
			for i := range 3 {
				o2.add(i)
			}
			o2.sync()
			copy := o2.copyAside()
			for i := 100; i < 105; i++ {
				o2.add(i)
			}
			o2.sync()
			o2.putBack(copy)
			require.Len(t, phones(t, o2.r), 3)
			for i := 200; i < 200+fresh; i++ {
				o2.add(i)
			}
			rep := o2.sync()
			assert.Equal(t, syncsvc.RecoveryReplicaRestored, rep.Recovery)
			n, err := o2.r.OutboxLen(ctx)
			require.NoError(t, err)
			assert.Zero(t, n)
			hub := phones(t, h.r)
			assert.Len(t, hub, 3+5+fresh, "no write lost")
			assert.Len(t, phones(t, o2.r), 3+5+fresh, "the lost five came back to the office")

			// An edit of one of the five, later, is an edit of a whole record.
			lost, err := o2.r.CadreByIDNumber(ctx, testkit.IDNumber(102))
			require.NoError(t, err)
			lost.Phone = "13912345678"
			_, err = o2.r.PutCadre(ctx, &lost)
			require.NoError(t, err)
			assert.Equal(t, syncsvc.RecoveryNone, o2.sync().Recovery)
			hub = phones(t, h.r)
			assert.Equal(t, "13912345678", hub[testkit.IDNumber(102)])
			assert.Equal(t, dump(t, h.r, "sy"), dump(t, o2.r, "sy"))
		})
	}
}

// TestNodeBelongsToOneOffice is point 3 of issue 12: office o1, with its
// own token, cannot speak for o2's computer, and o2's writes all arrive.
func TestNodeBelongsToOneOffice(t *testing.T) {
	var logs lockedBuffer
	h := startHub(t, nil, syncsvc.HubOptions{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	_, tokenA, err := h.r.AddOffice(ctx, "a", "甲", []string{"sy"})
	require.NoError(t, err)
	_, tokenB, err := h.r.AddOffice(ctx, "b", "乙", []string{"sy"})
	require.NoError(t, err)
	rb, ab := h.install(t, "b", tokenB)
	x := testkit.Cadre(1, "sy")
	_, err = rb.PutCadre(ctx, &x)
	require.NoError(t, err)
	syncOK(t, ab)

	// Office a forges b's node with its own token, ahead of b's log.
	node := rb.Node()
	forged := h.client(tokenA)
	_, err = forged.Hello(ctx, connect.NewRequest(&syncv1.HelloRequest{SchemaVersion: int32(syncsvc.SchemaVersion()), Node: node[:]}))
	require.Error(t, err)
	assert.Equal(t, connect.CodePermissionDenied, connect.CodeOf(err))
	y := testkit.Cadre(50, "sy")
	ch := syncsvc.Change{Seq: 40, Table: "cadres", ID: newID(), Scope: "sy", Fields: []syncsvc.FieldChange{
		{Name: "name", Value: y.Name, Stamp: syncsvc.Stamp{HLC: syncsvc.HLCFromTime(h.clk.Now()), Node: node}}}}
	_, err = forged.Push(ctx, connect.NewRequest(&syncv1.PushRequest{Node: node[:], Changes: []*syncv1.Change{protoChange(ch)}}))
	assert.Equal(t, connect.CodePermissionDenied, connect.CodeOf(err))
	_, err = forged.Pull(ctx, connect.NewRequest(&syncv1.PullRequest{Node: node[:]}))
	assert.Equal(t, connect.CodePermissionDenied, connect.CodeOf(err))

	for i := 2; i < 12; i++ {
		c := testkit.Cadre(i, "sy")
		_, err := rb.PutCadre(ctx, &c)
		require.NoError(t, err)
	}
	rep := syncOK(t, ab)
	assert.Equal(t, 10, rep.Pushed)
	all, err := h.r.Cadres(ctx, store.CadreFilter{})
	require.NoError(t, err)
	assert.Len(t, all, 11, "none of b's writes was thrown away")
	assert.Equal(t, 3, strings.Count(logs.String(), "belongs to another office"), "each attempt is logged: %s", logs.String())
	assert.Contains(t, logs.String(), "office=a")
}
