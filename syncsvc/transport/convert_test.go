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
