package transport

import (
	"testing"

	"github.com/google/uuid"
	"google.golang.org/protobuf/proto"

	"github.com/wanxia/wanxia/syncsvc"
	syncv1 "github.com/wanxia/wanxia/syncsvc/internal/gen/wanxia/sync/v1"
)

// FuzzChangeFromProto: whatever a client sends decodes to a change or an
// error; a decoded change converts back to the same message.
func FuzzChangeFromProto(f *testing.F) {
	n := uuid.MustParse("01a2231f-90dd-7689-b8ed-4a465f2a8d50")
	ch := syncsvc.Change{Seq: 3, Table: "cadres", ID: uuid.MustParse("01a2231f-90dd-7689-b8ed-4a465f2a8d50"), Scope: "sy", Fields: []syncsvc.FieldChange{
		{Name: "name", Value: "王建国", Stamp: syncsvc.Stamp{HLC: 1 << 40, Node: n}},
		{Name: "address", Value: []any{"舜园", 36.6, nil}, Stamp: syncsvc.Stamp{HLC: 1<<40 + 1, Node: n}, Prev: syncsvc.Stamp{HLC: 1 << 40, Node: n}},
		{Name: "flag", Value: true, Stamp: syncsvc.Stamp{HLC: 6, Node: n}},
	}}
	b, err := proto.Marshal(changeToProto(ch))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
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
		back, err := changeFromProto(changeToProto(ch))
		if err != nil {
			t.Fatalf("a decoded change does not survive the wire: %v", err)
		}
		if back.ID != ch.ID || len(back.Fields) != len(ch.Fields) || back.Scope != ch.Scope || back.MovedTo != ch.MovedTo {
			t.Fatalf("round trip changed the change: %+v → %+v", ch, back)
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
	got := changesToProto(chs)
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
	if again := changesToProto(chs[1:]); !proto.Equal(again[1], got[2]) {
		t.Errorf("changing one message changed another: %v, want %v", got[2], again[1])
	}
}
