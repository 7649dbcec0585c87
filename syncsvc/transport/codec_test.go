package transport_test

import (
	"bytes"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/timestamppb"
	"pgregory.net/rapid"

	"github.com/wanxia/wanxia/syncsvc"
	syncv1 "github.com/wanxia/wanxia/syncsvc/internal/gen/wanxia/sync/v1"
	"github.com/wanxia/wanxia/syncsvc/testkit"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// vtMessage is a message with the code vtprotobuf generates.
type vtMessage interface {
	proto.Message
	MarshalVT() ([]byte, error)
	UnmarshalVT([]byte) error
	SizeVT() int
}

// syncMessages are the message types of the sync service's proto file.
func syncMessages() []protoreflect.MessageType {
	var out []protoreflect.MessageType
	var walk func(protoreflect.MessageDescriptors)
	walk = func(mds protoreflect.MessageDescriptors) {
		for i := range mds.Len() {
			mt, err := protoregistry.GlobalTypes.FindMessageByName(mds.Get(i).FullName())
			if err != nil {
				panic(err)
			}
			out = append(out, mt)
			walk(mds.Get(i).Messages())
		}
	}
	walk(syncv1.File_wanxia_sync_v1_sync_proto.Messages())
	return out
}

// The wire codec is the generated one, under the name of Connect's binary
// protobuf codec, and every sync message has the generated code.
func TestWireCodecIsTheGeneratedOne(t *testing.T) {
	assert.Equal(t, transport.VTCodec, transport.WireCodec())
	assert.Equal(t, "proto", transport.WireCodec().Name())
	for _, mt := range syncMessages() {
		_, ok := mt.New().Interface().(vtMessage)
		assert.True(t, ok, "%s has MarshalVT, UnmarshalVT and SizeVT", mt.Descriptor().FullName())
	}
}

// assertCodecAgrees checks that the codec and package proto marshal m to
// the same bytes and read each other's back as m, also into a message
// that held other data, and that MarshalAppend appends.
func assertCodecAgrees(t require.TestingT, m proto.Message, held proto.Message) {
	codec := transport.VTCodec
	want, err := proto.Marshal(m)
	require.NoError(t, err)
	got, err := codec.Marshal(m)
	require.NoError(t, err)
	// Not promised by protobuf, but generated code and package proto both
	// write fields in number order: the same bytes.
	require.True(t, bytes.Equal(want, got), "the codec's bytes are proto.Marshal's:\n%x\n%x", want, got)

	prefix := []byte("prefix")
	appended, err := codec.(interface {
		MarshalAppend([]byte, any) ([]byte, error)
	}).MarshalAppend(slices.Clip(prefix), m)
	require.NoError(t, err)
	require.Equal(t, append(slices.Clone(prefix), want...), appended, "MarshalAppend appends")

	fromCodec := m.ProtoReflect().New().Interface()
	require.NoError(t, proto.Unmarshal(got, fromCodec), "an older peer reads the codec's bytes")
	require.True(t, proto.Equal(m, fromCodec), "proto.Unmarshal of the codec's bytes: %v, want %v", fromCodec, m)

	fromProto := m.ProtoReflect().New().Interface()
	require.NoError(t, codec.Unmarshal(want, fromProto), "the codec reads an older peer's bytes")
	require.True(t, proto.Equal(m, fromProto), "the codec's Unmarshal of proto's bytes: %v, want %v", fromProto, m)

	if held != nil {
		require.NoError(t, codec.Unmarshal(want, held))
		require.True(t, proto.Equal(m, held), "unmarshalled into a message holding data: %v, want %v", held, m)
	}
}

// Every sync message, filled at random (every field set or not, zero
// values included, every kind of a oneof, nested messages), marshals to
// proto.Marshal's bytes and is read back by both.
func TestCodecAgreesWithProtoOnEveryMessage(t *testing.T) {
	for _, mt := range syncMessages() {
		t.Run(string(mt.Descriptor().Name()), func(t *testing.T) {
			assertCodecAgrees(t, mt.New().Interface(), nil)
			rapid.Check(t, func(rt *rapid.T) {
				m := mt.New()
				drawMessage(rt, m, 3)
				held := mt.New()
				drawMessage(rt, held, 2)
				assertCodecAgrees(rt, m.Interface(), held.Interface())
			})
		})
	}
}

// drawMessage sets each field of m or leaves it unset, and one field of
// each oneof or none, with any value, zero ones included; messages nest
// depth levels more at most (a message field past that is set empty).
func drawMessage(t *rapid.T, m protoreflect.Message, depth int) {
	md := m.Descriptor()
	for i := range md.Fields().Len() {
		fd := md.Fields().Get(i)
		if fd.ContainingOneof() == nil && rapid.Bool().Draw(t, string(fd.Name())) {
			drawField(t, m, fd, depth)
		}
	}
	for i := range md.Oneofs().Len() {
		od := md.Oneofs().Get(i)
		if k := rapid.IntRange(-1, od.Fields().Len()-1).Draw(t, string(od.Name())); k >= 0 {
			drawField(t, m, od.Fields().Get(k), depth)
		}
	}
}

func drawField(t *rapid.T, m protoreflect.Message, fd protoreflect.FieldDescriptor, depth int) {
	switch {
	case fd.IsMap():
		t.Fatalf("%s: maps are not drawn", fd.FullName())
	case fd.IsList():
		l := m.Mutable(fd).List()
		for range rapid.IntRange(0, 4).Draw(t, "len") {
			if fd.Message() != nil {
				drawNested(t, l.AppendMutable().Message(), depth)
			} else {
				l.Append(drawScalar(t, fd))
			}
		}
	case fd.Message() != nil:
		drawNested(t, m.Mutable(fd).Message(), depth)
	default:
		m.Set(fd, drawScalar(t, fd))
	}
}

func drawNested(t *rapid.T, m protoreflect.Message, depth int) {
	if depth > 0 {
		drawMessage(t, m, depth-1)
	}
}

func drawScalar(t *rapid.T, fd protoreflect.FieldDescriptor) protoreflect.Value {
	name := string(fd.Name())
	switch fd.Kind() {
	case protoreflect.BoolKind:
		return protoreflect.ValueOfBool(rapid.Bool().Draw(t, name))
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return protoreflect.ValueOfInt32(rapid.Int32().Draw(t, name))
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return protoreflect.ValueOfInt64(rapid.Int64().Draw(t, name))
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return protoreflect.ValueOfUint32(rapid.Uint32().Draw(t, name))
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return protoreflect.ValueOfUint64(rapid.Uint64().Draw(t, name))
	case protoreflect.DoubleKind:
		// Any bits: NaN, infinities and -0 too.
		return protoreflect.ValueOfFloat64(math.Float64frombits(rapid.Uint64().Draw(t, name)))
	case protoreflect.StringKind:
		return protoreflect.ValueOfString(rapid.String().Draw(t, name))
	case protoreflect.BytesKind:
		return protoreflect.ValueOfBytes(rapid.SliceOfN(rapid.Byte(), 0, 20).Draw(t, name))
	}
	t.Fatalf("%s: kind %s is not drawn", fd.FullName(), fd.Kind())
	return protoreflect.Value{}
}

// value is a Value of every kind, by name.
var values = map[string]*syncv1.Value{
	"null":       {Kind: &syncv1.Value_Null{Null: true}},
	"null false": {Kind: &syncv1.Value_Null{}},
	"int":        {Kind: &syncv1.Value_Int{Int: -81}},
	"int 0":      {Kind: &syncv1.Value_Int{}},
	"real":       {Kind: &syncv1.Value_Real{Real: 2150.75}},
	"real 0":     {Kind: &syncv1.Value_Real{}},
	"real -0":    {Kind: &syncv1.Value_Real{Real: math.Copysign(0, -1)}},
	"text":       {Kind: &syncv1.Value_Text{Text: "王秀英"}},
	"text empty": {Kind: &syncv1.Value_Text{}},
	"flag":       {Kind: &syncv1.Value_Flag{Flag: true}},
	"flag false": {Kind: &syncv1.Value_Flag{}},
	"list":       {Kind: &syncv1.Value_List{List: &syncv1.ValueList{Values: []*syncv1.Value{{Kind: &syncv1.Value_Text{Text: "13800000000"}}, {Kind: &syncv1.Value_Int{}}, {Kind: &syncv1.Value_Null{Null: true}}}}}},
	"list empty": {Kind: &syncv1.Value_List{List: &syncv1.ValueList{}}},
	"list in list": {Kind: &syncv1.Value_List{List: &syncv1.ValueList{Values: []*syncv1.Value{
		{Kind: &syncv1.Value_List{List: &syncv1.ValueList{Values: []*syncv1.Value{{Kind: &syncv1.Value_Flag{}}}}}}}}}},
	"no kind": {},
}

// Each kind of value, zero ones and lists included, keeps its kind through
// the codec: a written false or 0 does not read back as no value.
func TestCodecKeepsEveryKindOfValue(t *testing.T) {
	for name, v := range values {
		t.Run(name, func(t *testing.T) {
			assertCodecAgrees(t, v, &syncv1.Value{Kind: &syncv1.Value_List{List: &syncv1.ValueList{Values: []*syncv1.Value{{}}}}})
			got := new(syncv1.Value)
			b, err := transport.VTCodec.Marshal(v)
			require.NoError(t, err)
			require.NoError(t, transport.VTCodec.Unmarshal(b, got))
			assert.IsType(t, v.GetKind(), got.GetKind())
		})
	}
}

// A push of 40 new cadres, in either form, and the pull answer and
// snapshot page carrying them, go through the codec as through proto.
func TestCodecAgreesOnAPushOf40Cadres(t *testing.T) {
	t.Parallel()
	r := openReplica(t, syncsvc.RoleOffice, nil)
	out := pushOf40(t, r)
	node := r.Node()
	for _, compact := range []bool{false, true} {
		changes := transport.ChangesToProto(out, compact)
		push := &syncv1.PushRequest{Node: node[:], Changes: changes, Reconcile: true, ReconciledThrough: 40, ReconciledTip: []byte{1, 2, 3}}
		assertCodecAgrees(t, push, &syncv1.PushRequest{Node: []byte("other"), Changes: changes[:3]})
		assertCodecAgrees(t, &syncv1.PullResponse{Changes: changes, Next: 40, More: true}, nil)
		assertCodecAgrees(t, &syncv1.SnapshotResponse{Seq: 40, Records: changes, Next: &syncv1.SnapshotCursor{Table: "cadres", Id: "x"}}, nil)

		b, err := transport.VTCodec.Marshal(push)
		require.NoError(t, err)
		var got syncv1.PushRequest
		require.NoError(t, transport.VTCodec.Unmarshal(b, &got))
		back, err := transport.ChangesFromProto(got.GetChanges())
		require.NoError(t, err)
		assert.Equal(t, out, back, "the changes read back as the office's")
	}
}

// Unmarshalling into a message that holds data replaces it, as
// proto.Unmarshal does: UnmarshalVT alone would merge, appending to lists
// and writing a bytes field into the slice the message held.
func TestCodecReplacesWhatAMessageHolds(t *testing.T) {
	node := [16]byte{0: 0xaa, 15: 0xbb}
	held := &syncv1.PushRequest{
		Node:      node[:],
		Changes:   []*syncv1.Change{{Seq: 1, Table: "cadres"}, {Seq: 2, Table: "cadres"}},
		Reconcile: true,
	}
	sent := &syncv1.PushRequest{Node: []byte{0: 0x01, 15: 0x0f}, Changes: []*syncv1.Change{{Seq: 7, Table: "visits"}}}
	b, err := transport.VTCodec.Marshal(sent)
	require.NoError(t, err)

	require.NoError(t, transport.VTCodec.Unmarshal(b, held))
	assert.True(t, proto.Equal(sent, held), "got %v, want %v", held, sent)
	assert.Equal(t, [16]byte{0: 0xaa, 15: 0xbb}, node, "the slice the message held is not written into")

	list := &syncv1.Value{Kind: &syncv1.Value_List{List: &syncv1.ValueList{Values: []*syncv1.Value{{}, {}, {}}}}}
	one := &syncv1.Value{Kind: &syncv1.Value_List{List: &syncv1.ValueList{Values: []*syncv1.Value{{Kind: &syncv1.Value_Int{Int: 1}}}}}}
	b, err = transport.VTCodec.Marshal(one)
	require.NoError(t, err)
	require.NoError(t, transport.VTCodec.Unmarshal(b, list))
	assert.True(t, proto.Equal(one, list), "got %v, want %v", list, one)

	// Without the reset, UnmarshalVT merges: what the test above catches.
	merged := proto.Clone(held).(*syncv1.PushRequest)
	require.NoError(t, merged.UnmarshalVT(b))
	assert.False(t, proto.Equal(one, merged))
}

// A string that is not UTF-8, in any string field of any sync message
// and deep in a push, is refused by the codec as by proto.Unmarshal, so a
// hub never takes in what it could not send on to an older office.
// UnmarshalVT alone takes it.
func TestCodecRefusesStringsThatAreNotUTF8(t *testing.T) {
	bad := "舜\xff园"
	for _, mt := range syncMessages() {
		fields := mt.Descriptor().Fields()
		for i := range fields.Len() {
			fd := fields.Get(i)
			if fd.Kind() != protoreflect.StringKind {
				continue
			}
			m := mt.New()
			if fd.IsList() {
				l := m.Mutable(fd).List()
				l.Append(protoreflect.ValueOfString("ok"))
				l.Append(protoreflect.ValueOfString(bad))
			} else {
				m.Set(fd, protoreflect.ValueOfString(bad))
			}
			assertRefusedAlike(t, string(fd.FullName()), m.Interface())
		}
	}
	deep := &syncv1.PushRequest{Changes: []*syncv1.Change{{Table: "cadres", Fields: []*syncv1.FieldChange{{Name: "phones",
		Value: &syncv1.Value{Kind: &syncv1.Value_List{List: &syncv1.ValueList{Values: []*syncv1.Value{{Kind: &syncv1.Value_Text{Text: bad}}}}}}}}}}}
	assertRefusedAlike(t, "a text in a list in a push", deep)
	b, err := deep.MarshalVT()
	require.NoError(t, err)
	require.NoError(t, new(syncv1.PushRequest).UnmarshalVT(b), "UnmarshalVT does not check")
}

// assertRefusedAlike marshals m with the generated code, which does not
// check strings, and checks that both proto.Unmarshal and the codec
// refuse the bytes.
func assertRefusedAlike(t *testing.T, what string, m proto.Message) {
	t.Helper()
	b, err := m.(vtMessage).MarshalVT()
	require.NoError(t, err)
	assert.Error(t, proto.Unmarshal(b, m.ProtoReflect().New().Interface()), "proto refuses %s", what)
	err = transport.VTCodec.Unmarshal(b, m.ProtoReflect().New().Interface())
	if assert.Error(t, err, "the codec refuses %s", what) {
		assert.Contains(t, err.Error(), "invalid UTF-8")
	}
}

// nestedValues returns the wire form of n messages each holding the
// next: a Value holding a list holding a Value, and so on, the innermost
// a Value with an int. The outermost is a Value when n is odd, a
// ValueList when even. It is built from the innermost out, backwards, so
// that each length is known when written.
func nestedValues(n int) []byte {
	rev := protowire.AppendVarint(protowire.AppendTag(nil, 2, protowire.VarintType), 1)
	slices.Reverse(rev)
	for i := 1; i < n; i++ {
		num := protowire.Number(1) // ValueList.values
		if i%2 == 0 {
			num = 6 // Value.list
		}
		prefix := protowire.AppendVarint(protowire.AppendTag(nil, num, protowire.BytesType), uint64(len(rev)))
		slices.Reverse(prefix)
		rev = append(rev, prefix...)
	}
	slices.Reverse(rev)
	return rev
}

// Messages nested as deep as proto.Unmarshal allows (10,000) are read,
// one more is refused, as by proto.Unmarshal. UnmarshalVT alone recurses
// as deep as the bytes go: about 2 million levels, a request of about
// 10 MB, overflow the stack, which crashes the whole hub.
func TestCodecRefusesMessagesNestedTooDeep(t *testing.T) {
	newMsg := func(n int) proto.Message {
		if n%2 == 1 {
			return new(syncv1.Value)
		}
		return new(syncv1.ValueList)
	}
	for _, n := range []int{9_999, 10_000} {
		b := nestedValues(n)
		require.NoError(t, proto.Unmarshal(b, newMsg(n)), "proto reads %d levels", n)
		require.NoError(t, transport.VTCodec.Unmarshal(b, newMsg(n)), "the codec reads %d levels", n)
	}
	for _, n := range []int{10_001, 10_002, 1_000_001} {
		b := nestedValues(n)
		require.Error(t, proto.Unmarshal(b, newMsg(n)), "proto refuses %d levels", n)
		err := transport.VTCodec.Unmarshal(b, newMsg(n))
		require.Error(t, err, "the codec refuses %d levels", n)
		assert.Contains(t, err.Error(), "recursion depth")
	}
	require.NoError(t, newMsg(10_001).(vtMessage).UnmarshalVT(nestedValues(10_001)), "UnmarshalVT does not check")
}

// A push cut short anywhere is refused by the codec exactly where
// proto.Unmarshal refuses it, and read alike where it is not (a cut
// between two changes).
func TestCodecReadsCutDataAsProto(t *testing.T) {
	t.Parallel()
	r := openReplica(t, syncsvc.RoleOffice, nil)
	node := r.Node()
	push := &syncv1.PushRequest{Node: node[:], Changes: transport.ChangesToProto(pushOf40(t, r)[:4], true)}
	b, err := proto.Marshal(push)
	require.NoError(t, err)
	for cut := range len(b) {
		var viaProto, viaCodec syncv1.PushRequest
		perr := proto.Unmarshal(b[:cut], &viaProto)
		cerr := transport.VTCodec.Unmarshal(b[:cut], &viaCodec)
		require.Equal(t, perr == nil, cerr == nil, "cut at %d: proto %v, codec %v", cut, perr, cerr)
		if perr == nil {
			require.True(t, proto.Equal(&viaProto, &viaCodec), "cut at %d", cut)
		}
	}
}

// The one difference left: a known field sent with another wire type than
// its own (here Change.table as a varint) is kept by proto.Unmarshal as
// an unknown field and refused by the codec. No peer sends one unless a
// field's type changed, which the wire never allows.
func TestCodecRefusesAFieldOfAnotherWireType(t *testing.T) {
	b := protowire.AppendVarint(protowire.AppendTag(nil, 2, protowire.VarintType), 5)
	require.NoError(t, proto.Unmarshal(b, new(syncv1.Change)))
	err := transport.VTCodec.Unmarshal(b, new(syncv1.Change))
	assert.ErrorContains(t, err, "wrong wireType")
}

// A message without the generated code (a gRPC error's details, for
// instance) goes through package proto; a value that is no message is
// refused.
func TestCodecFallsBackToProto(t *testing.T) {
	for _, m := range []proto.Message{timestamppb.New(testkit.At("2026-11-28 09:00")), durationpb.New(90e9), &emptypb.Empty{}} {
		_, ok := m.(vtMessage)
		require.False(t, ok)
		assertCodecAgrees(t, m, nil)
	}
	_, err := transport.VTCodec.Marshal("not a message")
	assert.Error(t, err)
	assert.Error(t, transport.VTCodec.Unmarshal(nil, new(string)))
}
