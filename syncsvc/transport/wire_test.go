package transport

import (
	"testing"

	"google.golang.org/protobuf/proto"

	syncv1 "github.com/wanxia/wanxia/syncsvc/internal/gen/wanxia/sync/v1"
)

// TestChangeRoundTrip checks that a Change carrying every Value kind survives
// the binary encoding, so the generated code and the protobuf runtime agree.
func TestChangeRoundTrip(t *testing.T) {
	node := []byte{0: 0x01, 15: 0x0f}
	stamp := func(hlc int64) *syncv1.Stamp { return &syncv1.Stamp{Hlc: hlc, Node: node} }
	field := func(name string, v *syncv1.Value) *syncv1.FieldChange {
		return &syncv1.FieldChange{Name: name, Value: v, Stamp: stamp(2), Prev: stamp(1)}
	}
	want := &syncv1.Change{
		Seq:   42,
		Table: "resident",
		Id:    []byte{0: 0xaa, 15: 0xbb},
		Scope: "community/3",
		Fields: []*syncv1.FieldChange{
			field("note", &syncv1.Value{Kind: &syncv1.Value_Null{Null: true}}),
			field("age", &syncv1.Value{Kind: &syncv1.Value_Int{Int: -81}}),
			field("pension", &syncv1.Value{Kind: &syncv1.Value_Real{Real: 2150.75}}),
			field("name", &syncv1.Value{Kind: &syncv1.Value_Text{Text: "王秀英"}}),
			field("lives_alone", &syncv1.Value{Kind: &syncv1.Value_Flag{Flag: false}}),
			field("phones", &syncv1.Value{Kind: &syncv1.Value_List{List: &syncv1.ValueList{
				Values: []*syncv1.Value{
					{Kind: &syncv1.Value_Text{Text: "13800000000"}},
					{Kind: &syncv1.Value_Int{Int: 0}},
					{Kind: &syncv1.Value_Null{Null: true}},
				},
			}}}),
		},
	}

	b, err := proto.Marshal(want)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	got := new(syncv1.Change)
	if err := proto.Unmarshal(b, got); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	if !proto.Equal(want, got) {
		t.Errorf("round trip changed the Change:\nwant %v\ngot  %v", want, got)
	}
	// A oneof set to its zero value must still be present after decoding,
	// or a written false/0 would read back as "no value".
	if _, ok := got.GetFields()[4].GetValue().GetKind().(*syncv1.Value_Flag); !ok {
		t.Errorf("flag=false decoded as %T, want *syncv1.Value_Flag", got.GetFields()[4].GetValue().GetKind())
	}
}
