package syncsvc_test

import (
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"pgregory.net/rapid"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// longRun reports whether the long versions of property, crash and load
// tests were asked for.
func longRun() bool { return os.Getenv("WANXIA_LONG") == "1" }

// rapidChecksExplicit reports whether the command line or RAPID_CHECKS
// gave rapid's case count. It is read once, before any test sets the flag:
// flag.Visit cannot tell a count a test set from one given on the command
// line, so asking again would keep the first test's count for all the
// others.
var rapidChecksExplicit = sync.OnceValue(func() bool {
	explicit := os.Getenv("RAPID_CHECKS") != ""
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "rapid.checks" })
	return explicit
})

// setRapidChecks sets rapid's case count unless the command line or
// RAPID_CHECKS already did. The count is one flag for the whole package,
// so a test that sets it must not run in parallel with another rapid test.
func setRapidChecks(t *testing.T, normal, long int) {
	t.Helper()
	if rapidChecksExplicit() {
		return
	}
	n := normal
	if longRun() {
		n = long
	}
	if err := flag.Set("rapid.checks", strconv.Itoa(n)); err != nil {
		t.Fatal(err)
	}
}

// itemsType is a small record type with a scope column, plain fields and a
// register, for the merge property.
var itemsType = syncsvc.RecordType{
	Name: "items",
	Fields: []syncsvc.Field{
		syncsvc.Col("community", syncsvc.Text),
		syncsvc.Col("a", syncsvc.Text),
		syncsvc.Col("b", syncsvc.Integer),
		syncsvc.Register("place", syncsvc.Column{Name: "place", Type: syncsvc.Text}, syncsvc.Column{Name: "lat", Type: syncsvc.Real}),
	},
	Scope: syncsvc.ScopeByColumn("community"),
}

var propScopes = []string{"sy", "gsq"}

// TestMergeConverges checks the merge on random histories: 2–4 offices and
// a hub; random writes, voids and clock jumps on overlapping records;
// pushes and pulls whose batches arrive split, reordered, duplicated and
// repeated. At the end every replica holds the same records (equal dump
// hashes) and no write is lost: each one is the winning value, or was
// replaced by a write that saw it, or is in a conflict record. 200 cases,
// 5,000 with WANXIA_LONG=1: a merge without the node tie-break of equal
// clocks fails about one case in 20, one that records a conflict only when
// the incoming write wins fails the first.
func TestMergeConverges(t *testing.T) {
	setRapidChecks(t, 200, 5000)
	dir := t.TempDir()
	empty := newEmptyReplicas(t, []syncsvc.RecordType{itemsType}, 4)
	var run int
	rapid.Check(t, func(rt *rapid.T) {
		run++
		base := time.Date(2026, 11, 28, 9, 0, 0, 0, syncsvc.Shanghai())
		open := func(name string, role syncsvc.Role, clk *testkit.Clock) *store.Replica {
			return empty.open(rt, name, filepath.Join(dir, fmt.Sprintf("%d-%s.db", run, name)), role, clk.Now)
		}
		hub := open("hub", syncsvc.RoleHub, testkit.NewClock(base))
		defer hub.Close()
		nOffices := rapid.IntRange(2, 4).Draw(rt, "offices")
		offices := make([]*store.Replica, nOffices)
		clocks := make([]*testkit.Clock, nOffices)
		for i := range offices {
			skew := time.Duration(rapid.IntRange(-3000, 3000).Draw(rt, "skew")) * time.Millisecond
			clocks[i] = testkit.NewClock(base.Add(skew))
			offices[i] = open(fmt.Sprintf("office%d", i), syncsvc.RoleOffice, clocks[i])
			defer offices[i].Close()
		}
		ids := make([]uuid.UUID, rapid.IntRange(1, 4).Draw(rt, "records"))
		for i := range ids {
			ids[i] = uuid.NewSHA1(uuid.NameSpaceOID, fmt.Appendf(nil, "%d", i))
		}

		steps := rapid.IntRange(5, 40).Draw(rt, "steps")
		for range steps {
			o := rapid.IntRange(0, nOffices-1).Draw(rt, "office")
			switch rapid.IntRange(0, 9).Draw(rt, "op") {
			case 0, 1, 2, 3:
				propWrite(rt, offices[o], ids)
			case 4:
				id := ids[rapid.IntRange(0, len(ids)-1).Draw(rt, "void")]
				if _, err := offices[o].Get(ctx, "items", id); err == nil {
					if err := offices[o].Void(ctx, "items", id, "mistake"); err != nil {
						rt.Fatal(err)
					}
				}
			case 5:
				clocks[o].Advance(time.Duration(rapid.IntRange(-500, 5000).Draw(rt, "tick")) * time.Millisecond)
			case 6, 7:
				propPush(rt, offices[o], hub, false)
			default:
				propPull(rt, hub, offices[o])
			}
		}
		// Then every office syncs once over a link that loses nothing.
		for _, o := range offices {
			propPush(rt, o, hub, true)
		}
		for _, o := range offices {
			propPull(rt, hub, o)
		}

		want := dumpHash(rt, hub)
		for i, o := range offices {
			if got := dumpHash(rt, o); got != want {
				rt.Fatalf("office %d diverged from the hub", i)
			}
		}
		checkNoLostWrite(rt, hub, offices)
	})
}

func propWrite(rt *rapid.T, r *store.Replica, ids []uuid.UUID) {
	id := ids[rapid.IntRange(0, len(ids)-1).Draw(rt, "record")]
	vals := map[string]any{}
	if _, err := r.Get(ctx, "items", id); err != nil {
		vals["community"] = rapid.SampledFrom(propScopes).Draw(rt, "community")
	}
	switch rapid.IntRange(0, 3).Draw(rt, "field") {
	case 0:
		vals["a"] = rapid.SampledFrom([]string{"x", "y", "z", ""}).Draw(rt, "a")
	case 1:
		vals["b"] = int64(rapid.IntRange(0, 3).Draw(rt, "b"))
	case 2:
		vals["place"] = []any{rapid.SampledFrom([]string{"p", "q"}).Draw(rt, "place"), float64(rapid.IntRange(0, 2).Draw(rt, "lat"))}
	default:
		vals["community"] = rapid.SampledFrom(propScopes).Draw(rt, "move")
	}
	if _, err := r.Put(ctx, "items", id, vals); err != nil {
		rt.Fatal(err)
	}
}

// propPush sends the outbox in chunks that arrive in random order, some
// twice, one perhaps lost unless reliable; the hub stops at a gap, and the
// office resends from the hub's position, as the sync agent does.
func propPush(rt *rapid.T, office, hub *store.Replica, reliable bool) {
	out, err := office.Outbox(ctx, 1000)
	if err != nil {
		rt.Fatal(err)
	}
	src := syncsvc.ApplyOptions{Source: "push/" + office.Node().String(), Contiguous: true}
	var chunks [][]syncsvc.Change
	for len(out) > 0 {
		n := rapid.IntRange(1, len(out)).Draw(rt, "chunk")
		chunks = append(chunks, out[:n])
		out = out[n:]
	}
	order := rapid.Permutation(chunks).Draw(rt, "order")
	repeat := rapid.IntRange(0, len(order)).Draw(rt, "repeat")
	order = append(order, order[:repeat]...)
	if !reliable && rapid.Bool().Draw(rt, "lost") && len(order) > 0 {
		order = order[1:] // a batch lost in transit: a later sync resends it
	}
	for _, batch := range order {
		res, err := hub.Apply(ctx, batch, src)
		if err != nil {
			rt.Fatal(err)
		}
		if err := office.Acknowledge(ctx, res.Position); err != nil {
			rt.Fatal(err)
		}
	}
	if reliable {
		// Resend what came after a gap until the outbox is empty.
		for {
			rest, err := office.Outbox(ctx, 1000)
			if err != nil {
				rt.Fatal(err)
			}
			if len(rest) == 0 {
				return
			}
			res, err := hub.Apply(ctx, rest, src)
			if err != nil {
				rt.Fatal(err)
			}
			if res.Gap {
				rt.Fatalf("gap when sending the whole outbox from the hub's position %d", res.Position)
			}
			if err := office.Acknowledge(ctx, res.Position); err != nil {
				rt.Fatal(err)
			}
		}
	}
}

// propPull fetches pages and delivers them in random order, some twice,
// then stores the cursor, as an office may after a failed pull.
func propPull(rt *rapid.T, hub, office *store.Replica) {
	pos, err := office.Position(ctx, "pull")
	if err != nil {
		rt.Fatal(err)
	}
	limit := rapid.IntRange(1, 8).Draw(rt, "page")
	var pages [][]syncsvc.Change
	for {
		page, err := hub.ChangesSince(ctx, pos, propScopes, limit)
		if err != nil {
			rt.Fatal(err)
		}
		pages = append(pages, page.Changes)
		pos = page.Next
		if !page.More {
			break
		}
	}
	order := rapid.Permutation(pages).Draw(rt, "pages")
	order = append(order, order[:rapid.IntRange(0, len(order)).Draw(rt, "again")]...)
	for _, p := range order {
		if _, err := office.Apply(ctx, p, syncsvc.ApplyOptions{}); err != nil {
			rt.Fatal(err)
		}
	}
	if _, err := office.Apply(ctx, nil, syncsvc.ApplyOptions{Source: "pull", Through: pos}); err != nil {
		rt.Fatal(err)
	}
}

func dumpHash(rt *rapid.T, r *store.Replica) [32]byte {
	page, err := r.Snapshot(ctx, append([]string{"district"}, propScopes...), syncsvc.SnapshotCursor{}, 1<<20)
	if err != nil {
		rt.Fatal(err)
	}
	for i := range page.Records {
		page.Records[i].Seq = 0
	}
	b, err := json.Marshal(page.Records)
	if err != nil {
		rt.Fatal(err)
	}
	return sha256.Sum256(b)
}

type propKey struct {
	id    uuid.UUID
	field string
}

// checkNoLostWrite: every field write in any office's log is the value
// the hub holds, or the write it replaced is named by a later write, or
// it is one side of a conflict record, or it wrote the same value as one
// of those (two concurrent writes of one value are no conflict).
func checkNoLostWrite(rt *rapid.T, hub *store.Replica, offices []*store.Replica) {
	final := map[propKey]syncsvc.Stamp{}
	finalValue := map[propKey]any{}
	page, err := hub.Snapshot(ctx, propScopes, syncsvc.SnapshotCursor{}, 1<<20)
	if err != nil {
		rt.Fatal(err)
	}
	for _, rec := range page.Records {
		for _, f := range rec.Fields {
			final[propKey{rec.ID, f.Name}] = f.Stamp
			finalValue[propKey{rec.ID, f.Name}] = f.Value
		}
	}
	replaced := map[propKey]map[syncsvc.Stamp]bool{}
	var writes []struct {
		k propKey
		s syncsvc.Stamp
		v any
	}
	for _, o := range offices {
		log, err := o.ChangesSince(ctx, 0, nil, 1<<20)
		if err != nil {
			rt.Fatal(err)
		}
		for _, ch := range log.Changes {
			for _, f := range ch.Fields {
				k := propKey{ch.ID, f.Name}
				if replaced[k] == nil {
					replaced[k] = map[syncsvc.Stamp]bool{}
				}
				replaced[k][f.Prev] = true
				writes = append(writes, struct {
					k propKey
					s syncsvc.Stamp
					v any
				}{k, f.Stamp, f.Value})
			}
		}
	}
	inConflict := map[propKey]map[syncsvc.Stamp]bool{}
	conflicts, err := hub.Conflicts(ctx, syncsvc.ConflictFilter{})
	if err != nil {
		rt.Fatal(err)
	}
	for _, c := range conflicts {
		k := propKey{c.RecordID, c.Field}
		if inConflict[k] == nil {
			inConflict[k] = map[syncsvc.Stamp]bool{}
		}
		inConflict[k][c.Current.Stamp], inConflict[k][c.Other.Stamp] = true, true
	}
	// A write of a value that another accounted-for write also wrote is no
	// conflict (the hub records none for two writes of the same value), and
	// the value was seen by whoever replaced it.
	accounted := map[propKey][]any{}
	for _, w := range writes {
		if final[w.k] == w.s || replaced[w.k][w.s] || inConflict[w.k][w.s] {
			accounted[w.k] = append(accounted[w.k], w.v)
		}
	}
	for _, w := range writes {
		if final[w.k] == w.s || replaced[w.k][w.s] || inConflict[w.k][w.s] {
			continue
		}
		seen := final[w.k] != (syncsvc.Stamp{}) && reflect.DeepEqual(finalValue[w.k], w.v)
		for _, v := range accounted[w.k] {
			seen = seen || reflect.DeepEqual(v, w.v)
		}
		if !seen {
			rt.Fatalf("write to %s.%s stamped %s was lost", w.k.id, w.k.field, w.s)
		}
	}
}
