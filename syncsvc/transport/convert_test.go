package transport

import (
	"reflect"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/wanxia/wanxia/syncsvc"
	syncv1 "github.com/wanxia/wanxia/syncsvc/internal/gen/wanxia/sync/v1"
)

// FuzzChangeFromProto: whatever a client sends decodes to a change or an
// error; a decoded change survives the wire in both forms unchanged.
func FuzzChangeFromProto(f *testing.F) {
	n := uuid.MustParse("01a2231f-90dd-7689-b8ed-4a465f2a8d50")
	ch := syncsvc.Change{Seq: 3, Table: "cadres", ID: uuid.MustParse("01a2231f-90dd-7689-b8ed-4a465f2a8d50"), Scope: "sy", Fields: []syncsvc.FieldChange{
		{Name: "name", Value: "王建国", Stamp: syncsvc.Stamp{HLC: 1 << 40, Node: n}},
		{Name: "address", Value: []any{"舜园", 36.6, nil}, Stamp: syncsvc.Stamp{HLC: 1<<40 + 1, Node: n}, Prev: syncsvc.Stamp{HLC: 1 << 40, Node: n}},
		{Name: "flag", Value: true, Stamp: syncsvc.Stamp{HLC: 6, Node: n}},
	}}
	for _, compact := range []bool{false, true} {
		b, err := proto.Marshal(changeToProto(ch, compact))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		var p syncv1.Change
		if proto.Unmarshal(b, &p) != nil {
			return
		}
		ch, err := changeFromProto(&p)
		if err != nil {
			return
		}
		for _, compact := range []bool{false, true} {
			back, err := changeFromProto(changeToProto(ch, compact))
			if err != nil {
				t.Fatalf("a decoded change does not survive the wire (compact %v): %v", compact, err)
			}
			if !reflect.DeepEqual(back, ch) {
				t.Fatalf("round trip (compact %v) changed the change: %+v → %+v", compact, ch, back)
			}
		}
	})
}

// changesToProto, which takes a page's messages from shared slices, gives
// each change the message valueToProto and stampToProto build alone, and
// the changes of a page share nothing another change could alter.
func TestChangesToProtoAsOneByOne(t *testing.T) {
	n := uuid.MustParse("01a2231f-90dd-7689-b8ed-4a465f2a8d50")
	m := uuid.MustParse("01a2231f-90dd-7689-b8ed-4a465f2a8d51")
	chs := []syncsvc.Change{
		{Seq: 3, Table: "cadres", ID: n, Scope: "sy", Fields: []syncsvc.FieldChange{
			{Name: "name", Value: "王建国", Stamp: syncsvc.Stamp{HLC: 1 << 40, Node: n}},
			{Name: "born", Value: int64(1940), Stamp: syncsvc.Stamp{HLC: 1<<40 + 1, Node: m}, Prev: syncsvc.Stamp{HLC: 1 << 40, Node: n}},
			{Name: "address", Value: []any{"舜园", 36.6, nil}, Stamp: syncsvc.Stamp{HLC: 7, Node: m}},
			{Name: "flag", Value: true, Stamp: syncsvc.Stamp{HLC: 6, Node: n}},
			{Name: "gone", Value: nil, Stamp: syncsvc.Stamp{HLC: 8, Node: n}},
			{Name: "real", Value: 2.5, Stamp: syncsvc.Stamp{HLC: 9, Node: n}},
		}},
		{Seq: 4, Table: "visits", ID: m, Scope: "sy", MovedTo: "gsq"},
		{Seq: 5, Table: "cadres", ID: m, Scope: "gsq", Fields: []syncsvc.FieldChange{
			{Name: "name", Value: "李秀英", Stamp: syncsvc.Stamp{HLC: 10, Node: m}, Prev: syncsvc.Stamp{HLC: 9, Node: n}},
		}},
	}
	got := changesToProto(chs, false)
	if len(got) != len(chs) {
		t.Fatalf("%d messages for %d changes", len(got), len(chs))
	}
	for i, ch := range chs {
		want := &syncv1.Change{Seq: ch.Seq, Table: ch.Table, Id: ch.ID[:], Scope: ch.Scope, MovedTo: ch.MovedTo}
		for _, f := range ch.Fields {
			want.Fields = append(want.Fields, &syncv1.FieldChange{Name: f.Name, Value: valueToProto(f.Value), Stamp: stampToProto(f.Stamp), Prev: stampToProto(f.Prev)})
		}
		if !proto.Equal(want, got[i]) {
			t.Errorf("change %d: got %v, want %v", i, got[i], want)
		}
	}
	got[0].Fields[0].Stamp.Node[0] ^= 0xff
	got[0].Fields = append(got[0].Fields, &syncv1.FieldChange{Name: "x"})
	if again := changesToProto(chs[1:], false); !proto.Equal(again[1], got[2]) {
		t.Errorf("changing one message changed another: %v, want %v", got[2], again[1])
	}
}

// mixedChanges are changes of every shape the two forms must carry alike:
// a write (one stamp for all its fields), whole records whose fields have
// several stamps (most sharing one, a tie, all different), fields with and
// without a prev, a departure, and a field with no stamp at all.
func mixedChanges() (chs []syncsvc.Change, commons []syncsvc.Stamp) {
	n := uuid.MustParse("01a2231f-90dd-7689-b8ed-4a465f2a8d50")
	m := uuid.MustParse("01a2231f-90dd-7689-b8ed-4a465f2a8d51")
	s1 := syncsvc.Stamp{HLC: 1 << 40, Node: n}
	s2 := syncsvc.Stamp{HLC: 1<<40 + 5, Node: m}
	s3 := syncsvc.Stamp{HLC: 1<<40 + 5, Node: n} // s2's clock, another node
	chs = []syncsvc.Change{
		// A write: every field has its stamp, the first also a prev.
		{Seq: 1, Table: "cadres", ID: n, Scope: "sy", Fields: []syncsvc.FieldChange{
			{Name: "name", Value: "王建国", Stamp: s2, Prev: s1},
			{Name: "born", Value: int64(1944), Stamp: s2},
			{Name: "address", Value: []any{"舜园", 36.6, nil}, Stamp: s2, Prev: s1},
		}},
		// A whole record: most fields share s1, which is not the first's;
		// the others keep their own, one with a zero prev.
		{Seq: 2, Table: "cadres", ID: m, Scope: "sy", Fields: []syncsvc.FieldChange{
			{Name: "name", Value: "李秀英", Stamp: s2, Prev: s1},
			{Name: "born", Value: int64(1950), Stamp: s1},
			{Name: "flag", Value: true, Stamp: s3},
			{Name: "gone", Value: nil, Stamp: s1},
			{Name: "real", Value: 2.5, Stamp: s1, Prev: syncsvc.Stamp{}},
		}},
		// A tie: the first of the stamps shared by most.
		{Seq: 3, Table: "visits", ID: n, Scope: "sy", Fields: []syncsvc.FieldChange{
			{Name: "a", Value: "x", Stamp: s3},
			{Name: "b", Value: "y", Stamp: s1},
			{Name: "c", Value: "z", Stamp: s1, Prev: s3},
			{Name: "d", Value: "w", Stamp: s3},
		}},
		// All different: the first.
		{Seq: 4, Table: "visits", ID: m, Scope: "gsq", Fields: []syncsvc.FieldChange{
			{Name: "a", Value: int64(1), Stamp: s1},
			{Name: "b", Value: int64(2), Stamp: s2},
			{Name: "c", Value: int64(3), Stamp: s3},
		}},
		// A departure has no fields and no stamp.
		{Seq: 5, Table: "visits", ID: m, Scope: "sy", MovedTo: "gsq", Fields: []syncsvc.FieldChange{}},
		// A field with no stamp: no change stamp either, or it would take it.
		{Seq: 6, Table: "cadres", ID: n, Scope: "sy", Fields: []syncsvc.FieldChange{
			{Name: "name", Value: "x", Stamp: s1},
			{Name: "born", Value: int64(1), Stamp: s1},
			{Name: "bad", Value: int64(2)},
		}},
	}
	return chs, []syncsvc.Stamp{s2, s1, s3, s1, {}, {}}
}

func TestCommonStamp(t *testing.T) {
	chs, commons := mixedChanges()
	for i, ch := range chs {
		assert.Equal(t, commons[i], commonStamp(ch.Fields), "change %d", ch.Seq)
	}
}

// The compact form carries the stamp most fields share once, on the
// change, and leaves it out of those fields; the others keep theirs, and
// every prev stays on its field.
func TestCompactChangesToProto(t *testing.T) {
	chs, commons := mixedChanges()
	full := changesToProto(chs, false)
	got := changesToProto(chs, true)
	require.Len(t, got, len(chs))
	for i, ch := range chs {
		want := proto.Clone(full[i]).(*syncv1.Change)
		if !commons[i].IsZero() {
			want.Stamp = stampToProto(commons[i])
			for j, f := range ch.Fields {
				if f.Stamp == commons[i] {
					want.Fields[j].Stamp = nil
				}
			}
		}
		assert.True(t, proto.Equal(want, got[i]), "change %d: got %v, want %v", ch.Seq, got[i], want)
		assert.Nil(t, full[i].GetStamp(), "the full form carries no change stamp")
		// The change's stamp is one a field leaves out, so the compact form
		// is never larger: the hub's bound of a change's bytes on the wire
		// (wireBytes in package syncsvc) holds for both.
		assert.LessOrEqual(t, proto.Size(got[i]), proto.Size(full[i]), "change %d", ch.Seq)
	}
	// The write's fields carry no stamp, the record's odd ones do.
	assert.Nil(t, got[0].GetFields()[1].GetStamp())
	assert.NotNil(t, got[1].GetFields()[0].GetStamp())
	assert.NotNil(t, got[1].GetFields()[0].GetPrev())
}

// Both forms, marshalled and read back, give the changes that were sent.
func TestBothFormsRoundTrip(t *testing.T) {
	chs, _ := mixedChanges()
	for _, compact := range []bool{false, true} {
		b, err := proto.Marshal(&syncv1.PullResponse{Changes: changesToProto(chs, compact)})
		require.NoError(t, err)
		var msg syncv1.PullResponse
		require.NoError(t, proto.Unmarshal(b, &msg))
		got, err := changesFromProto(msg.GetChanges())
		require.NoError(t, err, "compact %v", compact)
		assert.Equal(t, chs, got, "compact %v", compact)
	}
}

// A field without a stamp has its change's; one with its own keeps it; a
// change stamp that is no stamp fails the change as a field's would.
func TestChangeFromProtoStamps(t *testing.T) {
	n := uuid.MustParse("01a2231f-90dd-7689-b8ed-4a465f2a8d50")
	s := syncsvc.Stamp{HLC: 1 << 40, Node: n}
	own := syncsvc.Stamp{HLC: 1<<40 + 1, Node: n}
	p := &syncv1.Change{Seq: 7, Table: "cadres", Id: n[:], Stamp: stampToProto(s), Fields: []*syncv1.FieldChange{
		{Name: "a", Value: valueToProto("x")},
		{Name: "b", Value: valueToProto("y"), Stamp: stampToProto(own), Prev: stampToProto(s)},
	}}
	ch, err := changeFromProto(p)
	require.NoError(t, err)
	assert.Equal(t, []syncsvc.FieldChange{{Name: "a", Value: "x", Stamp: s}, {Name: "b", Value: "y", Stamp: own, Prev: s}}, ch.Fields)

	p.Stamp = &syncv1.Stamp{Hlc: 5, Node: n[:8]}
	_, err = changeFromProto(p)
	assert.ErrorIs(t, err, syncsvc.ErrInvalidChange)
	assert.ErrorContains(t, err, "change 7")

	p.Stamp = nil
	ch, err = changeFromProto(p)
	require.NoError(t, err)
	assert.True(t, ch.Fields[0].Stamp.IsZero(), "a field with neither stamp has none, and is refused where it is merged")
}
