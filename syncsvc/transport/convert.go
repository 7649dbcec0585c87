package transport

import (
	"fmt"
	"math"

	"github.com/google/uuid"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/wanxia/wanxia/syncsvc"
	syncv1 "github.com/wanxia/wanxia/syncsvc/internal/gen/wanxia/sync/v1"
)

// Converters between the replica's types and the wire's. Protobuf types
// stop here: nothing inside the package passes them on.

func stampToProto(s syncsvc.Stamp) *syncv1.Stamp {
	if s.IsZero() {
		return nil
	}
	return &syncv1.Stamp{Hlc: s.HLC, Node: s.Node[:]}
}

func stampFromProto(p *syncv1.Stamp) (syncsvc.Stamp, error) {
	if p == nil || (p.Hlc == 0 && len(p.Node) == 0) {
		return syncsvc.Stamp{}, nil
	}
	node, err := uuid.FromBytes(p.Node)
	if err != nil || p.Hlc <= 0 {
		return syncsvc.Stamp{}, fmt.Errorf("%w: stamp needs a positive hlc and a 16-byte node", syncsvc.ErrInvalidChange)
	}
	return syncsvc.Stamp{HLC: p.Hlc, Node: node}, nil
}

func valueToProto(v any) *syncv1.Value {
	switch x := v.(type) {
	case int64:
		return &syncv1.Value{Kind: &syncv1.Value_Int{Int: x}}
	case float64:
		return &syncv1.Value{Kind: &syncv1.Value_Real{Real: x}}
	case string:
		return &syncv1.Value{Kind: &syncv1.Value_Text{Text: x}}
	case bool:
		return &syncv1.Value{Kind: &syncv1.Value_Flag{Flag: x}}
	case []any:
		list := &syncv1.ValueList{Values: make([]*syncv1.Value, len(x))}
		for i, e := range x {
			list.Values[i] = valueToProto(e)
		}
		return &syncv1.Value{Kind: &syncv1.Value_List{List: list}}
	}
	return &syncv1.Value{Kind: &syncv1.Value_Null{Null: true}}
}

func valueFromProto(p *syncv1.Value, depth int) (any, error) {
	switch k := p.GetKind().(type) {
	case *syncv1.Value_Null:
		if !k.Null {
			return nil, fmt.Errorf("%w: null must be true", syncsvc.ErrInvalidChange)
		}
		return nil, nil
	case *syncv1.Value_Int:
		return k.Int, nil
	case *syncv1.Value_Real:
		if math.IsNaN(k.Real) || math.IsInf(k.Real, 0) {
			return nil, fmt.Errorf("%w: a real value must be finite", syncsvc.ErrInvalidChange)
		}
		return k.Real, nil
	case *syncv1.Value_Text:
		return k.Text, nil
	case *syncv1.Value_Flag:
		return k.Flag, nil
	case *syncv1.Value_List:
		if depth > 0 {
			return nil, fmt.Errorf("%w: lists do not nest", syncsvc.ErrInvalidChange)
		}
		out := make([]any, len(k.List.GetValues()))
		for i, e := range k.List.GetValues() {
			v, err := valueFromProto(e, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	}
	return nil, fmt.Errorf("%w: a value has no kind", syncsvc.ErrInvalidChange)
}

// changeToProto converts one change, in the compact form (changesToProto)
// when compact is true.
func changeToProto(ch syncsvc.Change, compact bool) *syncv1.Change {
	return newProtoAlloc([]syncsvc.Change{ch}, compact).change(ch)
}

// commonStamp returns the stamp most of fs share, the first in field order
// of those shared by most, to be carried once by their change: every field
// of a write has its stamp, and most fields of a whole record have that of
// the write that created it. It returns the zero stamp when fs is empty or
// a field has the zero stamp, which a compact change could not tell from
// the change's: that field is sent without a stamp, as in the full form,
// and is refused at the other end.
func commonStamp(fs []syncsvc.FieldChange) syncsvc.Stamp {
	var best syncsvc.Stamp
	most := 0
	for i := range fs {
		if fs[i].Stamp.IsZero() {
			return syncsvc.Stamp{}
		}
	}
	for i := range fs {
		if len(fs)-i <= most {
			break // no stamp not yet counted can be shared by more
		}
		s := fs[i].Stamp
		counted := false
		for j := range i {
			if fs[j].Stamp == s {
				counted = true
				break
			}
		}
		if counted {
			continue
		}
		n := 1
		for j := i + 1; j < len(fs); j++ {
			if fs[j].Stamp == s {
				n++
			}
		}
		if n > most {
			best, most = s, n
		}
	}
	return best
}

// protoAlloc hands out the messages of the changes of one call from slices
// made once for all of them, instead of several allocations for each
// field: a page of a thousand changes has tens of thousands of fields.
type protoAlloc struct {
	// commons holds, in the compact form, the stamp each change carries
	// (commonStamp), in the order of the changes; nil in the full form.
	commons []syncsvc.Stamp
	changes []syncv1.Change
	fields  []syncv1.FieldChange
	fptrs   []*syncv1.FieldChange
	stamps  []syncv1.Stamp
	ids     []byte
	values  []syncv1.Value
	texts   []syncv1.Value_Text
	ints    []syncv1.Value_Int
	flags   []syncv1.Value_Flag
	reals   []syncv1.Value_Real
}

// null is the kind of every null value: a message never changed once
// built, so all share one.
var null = &syncv1.Value_Null{Null: true}

// newProtoAlloc makes the slices the messages of chs take, each as long
// as they need (a value for every field: a list's is left unused). When
// compact, each change carries the stamp most of its fields share
// (commonStamp) and those fields carry none; the changes must then be
// converted in the order of chs.
func newProtoAlloc(chs []syncsvc.Change, compact bool) *protoAlloc {
	var commons []syncsvc.Stamp
	if compact {
		commons = make([]syncsvc.Stamp, len(chs))
	}
	var fields, stamps, texts, ints, flags, reals int
	for i, ch := range chs {
		fields += len(ch.Fields)
		var common syncsvc.Stamp
		if compact {
			common = commonStamp(ch.Fields)
			commons[i] = common
			if !common.IsZero() {
				stamps++
			}
		}
		for _, f := range ch.Fields {
			if !f.Stamp.IsZero() && f.Stamp != common {
				stamps++
			}
			if !f.Prev.IsZero() {
				stamps++
			}
			switch f.Value.(type) {
			case string:
				texts++
			case int64:
				ints++
			case bool:
				flags++
			case float64:
				reals++
			}
		}
	}
	return &protoAlloc{
		commons: commons,
		changes: make([]syncv1.Change, len(chs)),
		fields:  make([]syncv1.FieldChange, fields),
		fptrs:   make([]*syncv1.FieldChange, fields),
		stamps:  make([]syncv1.Stamp, stamps),
		ids:     make([]byte, 16*(len(chs)+stamps)),
		values:  make([]syncv1.Value, fields),
		texts:   make([]syncv1.Value_Text, texts),
		ints:    make([]syncv1.Value_Int, ints),
		flags:   make([]syncv1.Value_Flag, flags),
		reals:   make([]syncv1.Value_Real, reals),
	}
}

// take returns the first element of *s and moves *s past it.
func take[T any](s *[]T) *T {
	p := &(*s)[0]
	*s = (*s)[1:]
	return p
}

// change converts ch; in the compact form it must be the next change of
// those newProtoAlloc was given.
func (a *protoAlloc) change(ch syncsvc.Change) *syncv1.Change {
	p := take(&a.changes)
	p.Seq, p.Table, p.Scope, p.MovedTo = ch.Seq, ch.Table, ch.Scope, ch.MovedTo
	p.Id = a.id(ch.ID)
	var common syncsvc.Stamp
	if a.commons != nil {
		common = *take(&a.commons)
		p.Stamp = a.stamp(common)
	}
	n := len(ch.Fields)
	p.Fields, a.fptrs = a.fptrs[:n:n], a.fptrs[n:]
	for i, f := range ch.Fields {
		fc := take(&a.fields)
		fc.Name, fc.Value, fc.Prev = f.Name, a.value(f.Value), a.stamp(f.Prev)
		if f.Stamp != common {
			fc.Stamp = a.stamp(f.Stamp)
		}
		p.Fields[i] = fc
	}
	return p
}

func (a *protoAlloc) id(id [16]byte) []byte {
	b := a.ids[:16:16]
	a.ids = a.ids[16:]
	copy(b, id[:])
	return b
}

func (a *protoAlloc) stamp(s syncsvc.Stamp) *syncv1.Stamp {
	if s.IsZero() {
		return nil
	}
	p := take(&a.stamps)
	p.Hlc, p.Node = s.HLC, a.id(s.Node)
	return p
}

// value is valueToProto, with every kind but lists from the slices.
func (a *protoAlloc) value(v any) *syncv1.Value {
	p := take(&a.values)
	switch x := v.(type) {
	case nil:
		p.Kind = null
	case bool:
		k := take(&a.flags)
		k.Flag, p.Kind = x, k
	case float64:
		k := take(&a.reals)
		k.Real, p.Kind = x, k
	case string:
		k := take(&a.texts)
		k.Text, p.Kind = x, k
	case int64:
		k := take(&a.ints)
		k.Int, p.Kind = x, k
	default:
		return valueToProto(v)
	}
	return p
}

// changeFromProto reads a change in either form: a field without a stamp
// has its change's (Change.stamp). A field with neither has the zero
// stamp, which the replica refuses as invalid, as it refused such a field
// before changes carried stamps.
func changeFromProto(p *syncv1.Change) (syncsvc.Change, error) {
	id, err := uuid.FromBytes(p.GetId())
	if err != nil {
		return syncsvc.Change{}, fmt.Errorf("change %d: %w: id must be 16 bytes", p.GetSeq(), syncsvc.ErrInvalidChange)
	}
	common, err := stampFromProto(p.GetStamp())
	if err != nil {
		return syncsvc.Change{}, fmt.Errorf("change %d: %w", p.GetSeq(), err)
	}
	ch := syncsvc.Change{Seq: p.GetSeq(), Table: p.GetTable(), ID: id, Scope: p.GetScope(), MovedTo: p.GetMovedTo(),
		Fields: make([]syncsvc.FieldChange, len(p.GetFields()))}
	for i, f := range p.GetFields() {
		fc := syncsvc.FieldChange{Name: f.GetName(), Stamp: common}
		if fc.Value, err = valueFromProto(f.GetValue(), 0); err != nil {
			return syncsvc.Change{}, fmt.Errorf("change %d field %s: %w", ch.Seq, fc.Name, err)
		}
		if s := f.GetStamp(); s != nil {
			if fc.Stamp, err = stampFromProto(s); err != nil {
				return syncsvc.Change{}, fmt.Errorf("change %d field %s: %w", ch.Seq, fc.Name, err)
			}
		}
		if fc.Prev, err = stampFromProto(f.GetPrev()); err != nil {
			return syncsvc.Change{}, fmt.Errorf("change %d field %s: %w", ch.Seq, fc.Name, err)
		}
		ch.Fields[i] = fc
	}
	return ch, nil
}

// changesToProto converts a page of changes. In the compact form, for a
// peer that reads Change.stamp, each change carries the stamp most of its
// fields share and only the others carry their own; in the full form
// every field carries its stamp, as an older peer expects.
func changesToProto(chs []syncsvc.Change, compact bool) []*syncv1.Change {
	out := make([]*syncv1.Change, len(chs))
	a := newProtoAlloc(chs, compact)
	for i, ch := range chs {
		out[i] = a.change(ch)
	}
	return out
}

func changesFromProto(ps []*syncv1.Change) ([]syncsvc.Change, error) {
	out := make([]syncsvc.Change, len(ps))
	for i, p := range ps {
		ch, err := changeFromProto(p)
		if err != nil {
			return nil, err
		}
		out[i] = ch
	}
	return out, nil
}

func officeToProto(o syncsvc.Office) *syncv1.Office {
	p := &syncv1.Office{Id: o.ID, Name: o.Name, Communities: o.Communities, Revoked: o.Revoked(),
		CreatedAt: timestamppb.New(o.CreatedAt), Acknowledged: o.Acknowledged, Pulled: o.Pulled}
	if !o.LastSyncAt.IsZero() {
		p.LastSyncAt = timestamppb.New(o.LastSyncAt)
		p.LastNode = o.LastNode[:]
	}
	return p
}

func nodeFromProto(b []byte) (syncsvc.NodeID, error) {
	n, err := uuid.FromBytes(b)
	if err != nil || n == uuid.Nil {
		return syncsvc.NodeID{}, fmt.Errorf("%w: node must be a 16-byte id", syncsvc.ErrInvalidChange)
	}
	return n, nil
}

// rangesToProto converts ranges of held records for the wire, at most
// syncsvc.MaxHeldRanges of them (the hub heeds no more).
func rangesToProto(rs []syncsvc.SeqRange) []*syncv1.SeqRange {
	var out []*syncv1.SeqRange
	for i, r := range rs {
		if i == syncsvc.MaxHeldRanges {
			break
		}
		out = append(out, &syncv1.SeqRange{From: r.From, Through: r.Through})
	}
	return out
}

// rangesFromProto reads ranges of held records from the wire, at most
// syncsvc.MaxHeldRanges of them: the rest are ignored, and their records
// are sent as usual.
func rangesFromProto(rs []*syncv1.SeqRange) []syncsvc.SeqRange {
	var out []syncsvc.SeqRange
	for i, r := range rs {
		if i == syncsvc.MaxHeldRanges {
			break
		}
		out = append(out, syncsvc.SeqRange{From: r.GetFrom(), Through: r.GetThrough()})
	}
	return out
}
