package syncsvc_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"pgregory.net/rapid"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// Record types for the feed marks' tests, beside the store's own (whose
// communities are the registry): members by community or scope set, their
// notes following them, and district-wide halls.
var (
	marksMembers = syncsvc.RecordType{
		Name:   "mk_members",
		Fields: []syncsvc.Field{syncsvc.Col("community", syncsvc.Text), syncsvc.Col("name", syncsvc.Text)},
		Scope:  syncsvc.ScopeByColumn("community"),
	}
	marksNotes = syncsvc.RecordType{
		Name:   "mk_notes",
		Fields: []syncsvc.Field{syncsvc.Col("member_id", syncsvc.Text), syncsvc.Col("text", syncsvc.Text)},
		Scope:  syncsvc.ScopeByParent("mk_members", "member_id"),
	}
	marksHalls = syncsvc.RecordType{
		Name:   "mk_halls",
		Fields: []syncsvc.Field{syncsvc.Col("name", syncsvc.Text)},
		Scope:  syncsvc.ScopeDistrict(),
	}
	marksTypes       = []syncsvc.RecordType{marksMembers, marksNotes, marksHalls}
	marksCommunities = []string{"ma", "mb", "mc"}
)

// marksScopes are the scopes a member may have: a community or a scope set.
func marksScopes() []string {
	return append(slices.Clone(marksCommunities), syncsvc.ScopeSet("ma", "mb"), syncsvc.ScopeSet("mb", "mc"))
}

// checkFeedMarks compares, on hub handle r, the feed read with its marks
// against the feed read without them (every table and scope probed), for
// the cursor, scopes, page size and held ranges given.
func checkFeedMarks(t fataler, r *syncsvc.Replica, cursor int64, scopes []string, limit int, held ...syncsvc.SeqRange) {
	t.Helper()
	with, errWith := r.ChangesSinceWithin(ctx, cursor, scopes, limit, 0, held...)
	syncsvc.SetFeedMarksOff(r, true)
	without, errWithout := r.ChangesSinceWithin(ctx, cursor, scopes, limit, 0, held...)
	syncsvc.SetFeedMarksOff(r, false)
	if errWith != nil || errWithout != nil {
		t.Fatalf("changes since %d in %v: with marks: %v; without: %v", cursor, scopes, errWith, errWithout)
	}
	if !reflect.DeepEqual(with, without) {
		t.Fatalf("changes since %d in %v (limit %d): with marks %d changes, next %d, more %v; without %d changes, next %d, more %v\nwith:    %v\nwithout: %v",
			cursor, scopes, limit, len(with.Changes), with.Next, with.More, len(without.Changes), without.Next, without.More, seqsOf(with.Changes), seqsOf(without.Changes))
	}
}

func seqsOf(chs []syncsvc.Change) []string {
	var out []string
	for _, ch := range chs {
		out = append(out, fmt.Sprintf("%d:%s/%s", ch.Seq, ch.Table, ch.Scope))
	}
	return out
}

// TestFeedMarksMatchFullProbe checks the hub's feed marks on random
// histories: two handles on one hub file (two processes, as hub serve and
// an admin command) write members in communities and scope sets, edit them,
// move them (their notes follow), write notes, district halls and
// registry records, in single writes, in transactions of several, and in
// transactions that roll back. After each step, both handles' feeds read
// with their marks equal the feeds read without them, for random cursors,
// scope lists, page sizes and held ranges. 20 cases (a few seconds), 1,000 with
// WANXIA_LONG=1.
func TestFeedMarksMatchFullProbe(t *testing.T) {
	setRapidChecks(t, 20, 1000)
	dir := t.TempDir()
	empty := newEmptyReplicas(t, marksTypes, 0)
	var run int
	rapid.Check(t, func(rt *rapid.T) {
		run++
		clk := testkit.NewClock(time.Date(2026, 11, 28, 9, 0, 0, 0, syncsvc.Shanghai()))
		path := filepath.Join(dir, fmt.Sprintf("%d-hub.db", run))
		first := empty.open(rt, "hub", path, syncsvc.RoleHub, clk.Now)
		defer first.Close()
		second, err := store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleHub, Now: clk.Now, Types: marksTypes})
		if err != nil {
			rt.Fatal(err)
		}
		defer second.Close()
		handles := []*syncsvc.Replica{first.Replica, second.Replica}
		var members, notes, halls []uuid.UUID
		scopeLists := [][]string{nil, {"district"}}
		for _, c := range marksCommunities {
			scopeLists = append(scopeLists, []string{c}, []string{c, "district"})
		}
		scopeLists = append(scopeLists, []string{"ma", "mb", "district"}, []string{"mc", "ma", "district"}, []string{"nowhere"})

		// write is one step's writes, on handle r in one transaction.
		write := func(tx *syncsvc.Tx, rt *rapid.T) error {
			put := func(typ string, id uuid.UUID, values map[string]any) {
				if _, err := tx.Put(typ, id, values); err != nil {
					rt.Fatalf("put %s: %v", typ, err)
				}
			}
			switch kind := rapid.IntRange(0, 6).Draw(rt, "kind"); {
			case kind == 0 || len(members) == 0:
				id := newID()
				put(marksMembers.Name, id, map[string]any{"community": rapid.SampledFrom(marksScopes()).Draw(rt, "scope"), "name": "new"})
				members = append(members, id)
			case kind == 1:
				put(marksMembers.Name, rapid.SampledFrom(members).Draw(rt, "member"), map[string]any{"name": rapid.StringMatching(`[a-z]{1,4}`).Draw(rt, "name")})
			case kind == 2: // a move: the member's notes follow
				put(marksMembers.Name, rapid.SampledFrom(members).Draw(rt, "member"), map[string]any{"community": rapid.SampledFrom(marksScopes()).Draw(rt, "to")})
			case kind == 3:
				id := newID()
				if len(notes) > 0 && rapid.Bool().Draw(rt, "edit note") {
					id = rapid.SampledFrom(notes).Draw(rt, "note")
				} else {
					notes = append(notes, id)
				}
				put(marksNotes.Name, id, map[string]any{"member_id": rapid.SampledFrom(members).Draw(rt, "of").String(), "text": rapid.StringMatching(`[a-z]{1,4}`).Draw(rt, "text")})
			case kind == 4:
				id := newID()
				if len(halls) > 0 && rapid.Bool().Draw(rt, "edit hall") {
					id = rapid.SampledFrom(halls).Draw(rt, "hall")
				} else {
					halls = append(halls, id)
				}
				put(marksHalls.Name, id, map[string]any{"name": rapid.StringMatching(`[a-z]{1,4}`).Draw(rt, "hall name")})
			case kind == 5:
				code := rapid.SampledFrom(marksCommunities).Draw(rt, "code")
				put(store.CommunitiesTable, store.CommunityID(code), map[string]any{"code": code, "name": rapid.StringMatching(`[a-z]{1,4}`).Draw(rt, "community name")})
			default: // nothing stored
			}
			return nil
		}
		errRollBack := errors.New("rolled back")
		steps := rapid.IntRange(1, 30).Draw(rt, "steps")
		for range steps {
			r := handles[rapid.IntRange(0, 1).Draw(rt, "handle")]
			n := rapid.IntRange(1, 4).Draw(rt, "writes")
			rollBack := rapid.IntRange(0, 9).Draw(rt, "roll back") == 0
			// The ids a rolled-back transaction added are not kept.
			m, o, h := len(members), len(notes), len(halls)
			err := r.Update(ctx, func(tx *syncsvc.Tx) error {
				for range n {
					if err := write(tx, rt); err != nil {
						return err
					}
				}
				if rollBack {
					return errRollBack
				}
				return nil
			})
			if rollBack {
				if !errors.Is(err, errRollBack) {
					rt.Fatalf("rolled back: %v", err)
				}
				members, notes, halls = members[:m], notes[:o], halls[:h]
			} else if err != nil {
				rt.Fatal(err)
			}
			last, err := r.LastSeq(ctx)
			if err != nil {
				rt.Fatal(err)
			}
			for range 3 {
				h := handles[rapid.IntRange(0, 1).Draw(rt, "reader")]
				cursor := rapid.Int64Range(0, last).Draw(rt, "cursor")
				scopes := rapid.SampledFrom(scopeLists).Draw(rt, "scopes")
				limit := rapid.SampledFrom([]int{1, 2, 5, 1000}).Draw(rt, "limit")
				var held []syncsvc.SeqRange
				if rapid.Bool().Draw(rt, "held") {
					from := rapid.Int64Range(0, last).Draw(rt, "held from")
					held = append(held, syncsvc.SeqRange{From: from, Through: from + rapid.Int64Range(0, 3).Draw(rt, "held length")})
				}
				checkFeedMarks(rt, h, cursor, scopes, limit, held...)
			}
		}
	})
}

// TestFeedMarksSeeAnotherHandlesWrite: a record written through another
// handle on the hub's file (another process) is in the next pull of a
// handle whose marks were built before it, whether or not that handle
// writes in between; and the marks are in use again after that handle's
// next write.
func TestFeedMarksSeeAnotherHandlesWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hub.db")
	open := func() *store.Replica {
		r, err := store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleHub, Types: marksTypes})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close() })
		return r
	}
	serve, admin := open(), open()
	put := func(r *store.Replica, typ string, id uuid.UUID, values map[string]any) {
		t.Helper()
		if _, err := r.Put(ctx, typ, id, values); err != nil {
			t.Fatal(err)
		}
	}
	pullIDs := func(cursor int64, scopes ...string) ([]uuid.UUID, int64) {
		t.Helper()
		page, err := serve.ChangesSince(ctx, cursor, scopes, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var ids []uuid.UUID
		for _, ch := range page.Changes {
			ids = append(ids, ch.ID)
		}
		return ids, page.Next
	}
	a := newID()
	put(serve, marksMembers.Name, a, map[string]any{"community": "ma", "name": "a"})
	ids, cursor := pullIDs(0, "ma", "district")
	if !slices.Equal(ids, []uuid.UUID{a}) {
		t.Fatalf("first pull: %v, want %v", ids, a)
	}
	if valid, through := syncsvc.FeedMarks(serve.Replica); !valid || through != cursor {
		t.Fatalf("marks after the first pull: valid %v through %d, want through %d", valid, through, cursor)
	}

	// The admin command writes a member of another community, a hall, and
	// moves the first member: none of it is in serve's marks.
	b, hall := newID(), newID()
	put(admin, marksMembers.Name, b, map[string]any{"community": "mb", "name": "b"})
	put(admin, marksHalls.Name, hall, map[string]any{"name": "hall"})
	ids, next := pullIDs(cursor, "mb", "district")
	if !slices.Equal(ids, []uuid.UUID{b, hall}) {
		t.Fatalf("pull after the admin's writes: %v, want %v", ids, []uuid.UUID{b, hall})
	}

	// serve writes: its write finds the admin's numbers and drops its
	// marks; the next pull builds them again and uses them.
	put(serve, marksMembers.Name, a, map[string]any{"name": "a2"})
	put(admin, marksMembers.Name, b, map[string]any{"community": "mc"})
	put(serve, marksMembers.Name, newID(), map[string]any{"community": "ma", "name": "c"})
	if valid, _ := syncsvc.FeedMarks(serve.Replica); valid {
		t.Fatal("marks still valid after a write that found another process's numbers")
	}
	ids, _ = pullIDs(next, "mc")
	if !slices.Equal(ids, []uuid.UUID{b}) {
		t.Fatalf("pull of mc: %v, want %v", ids, b)
	}
	last, err := serve.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if valid, through := syncsvc.FeedMarks(serve.Replica); !valid || through != last {
		t.Fatalf("marks after the pull: valid %v through %d, want through %d", valid, through, last)
	}
	for _, scopes := range [][]string{{"ma"}, {"mb"}, {"mc"}, {"ma", "district"}, nil} {
		for cursor := range last + 1 {
			checkFeedMarks(t, serve.Replica, cursor, scopes, 1000)
		}
	}
}

// TestFeedMarksConcurrentPulls: offices pull page by page from one hub
// handle while that handle and a second one on the same file (another
// process) write members, moves, notes, halls and registry records; only
// the second writes in community md. When
// the writes are done and each office has caught up, each holds every
// record of its scopes at the record's last number: no page read with the
// marks, however it interleaved with the writes, the builds and the raises,
// left a record out.
func TestFeedMarksConcurrentPulls(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hub.db")
	open := func() *store.Replica {
		r, err := store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleHub, Types: marksTypes})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close() })
		return r
	}
	serve, admin := open(), open()
	writes := 150
	if longRun() {
		writes = 1500
	}
	// writer writes n records through r, its members in scopes.
	writer := func(r *store.Replica, n int, seed int64, scopes []string, done chan<- error) {
		rng := rand.New(rand.NewPCG(uint64(seed), 17))
		var members []uuid.UUID
		pick := func(list []string) string { return list[rng.IntN(len(list))] }
		for i := range n {
			var err error
			switch k := rng.IntN(6); {
			case k == 0 || len(members) == 0:
				id := newID()
				members = append(members, id)
				_, err = r.Put(ctx, marksMembers.Name, id, map[string]any{"community": pick(scopes), "name": fmt.Sprint(i)})
			case k == 1:
				_, err = r.Put(ctx, marksMembers.Name, members[rng.IntN(len(members))], map[string]any{"community": pick(scopes)})
			case k == 2:
				_, err = r.Put(ctx, marksNotes.Name, newID(), map[string]any{"member_id": members[rng.IntN(len(members))].String(), "text": fmt.Sprint(i)})
			case k == 3:
				_, err = r.Put(ctx, marksHalls.Name, newID(), map[string]any{"name": fmt.Sprint(i)})
			case k == 4:
				code := pick(marksCommunities)
				_, err = r.Put(ctx, store.CommunitiesTable, store.CommunityID(code), map[string]any{"code": code, "name": fmt.Sprint(i)})
			default:
				_, err = r.Put(ctx, marksMembers.Name, members[rng.IntN(len(members))], map[string]any{"name": fmt.Sprint(i)})
			}
			if err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}
	// office pulls its scopes page by page until stop is closed and it
	// has caught up, and returns the last number it received of each
	// record.
	type office struct {
		scopes []string
		held   map[uuid.UUID]int64
		err    error
	}
	offices := []*office{{scopes: []string{"ma", "district"}}, {scopes: []string{"mb"}}, {scopes: []string{"mc", "ma"}}, {scopes: []string{"mb", "mc", "district"}}, {scopes: []string{"md"}}}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, o := range offices {
		o.held = map[uuid.UUID]int64{}
		wg.Go(func() {
			var cursor int64
			for {
				stopped := false
				select {
				case <-stop:
					stopped = true
				default:
				}
				page, err := serve.ChangesSince(ctx, cursor, o.scopes, 7)
				if err != nil {
					o.err = err
					return
				}
				for _, ch := range page.Changes {
					if ch.MovedTo == "" {
						o.held[ch.ID] = ch.Seq
					}
				}
				cursor = page.Next
				if stopped && !page.More {
					return
				}
			}
		})
	}
	done := make(chan error, 2)
	// Only the admin writes in md: its mark comes from builds alone.
	go writer(serve, writes, 1, marksScopes(), done)
	go writer(admin, writes/3, 2, append(marksScopes(), "md"), done)
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	syncsvc.SetFeedMarksOff(serve.Replica, true)
	for _, o := range offices {
		if o.err != nil {
			t.Fatal(o.err)
		}
		want, err := serve.ChangesSince(ctx, 0, o.scopes, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range want.Changes {
			if ch.MovedTo == "" && o.held[ch.ID] != ch.Seq {
				t.Errorf("office of %v: %s %s at %d, received at %d", o.scopes, ch.Table, ch.ID, ch.Seq, o.held[ch.ID])
			}
		}
	}
}
