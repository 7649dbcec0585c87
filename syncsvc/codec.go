package syncsvc

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// The binary layout of a field list, used for the stamps kept beside each
// row and for the change log. Nodes are listed once up front because one
// write stamps all its fields with the same node:
//
//	uvarint count of nodes, then each node's 16 bytes
//	uvarint count of fields, then for each field:
//	  uvarint name length, name bytes
//	  uvarint stamp HLC, uvarint stamp node index (absent when the HLC is 0)
//	  uvarint prev HLC,  uvarint prev node index  (absent when the HLC is 0)
//	  value (only in the change log)
//
// A value is a tag byte and its payload: 0 nil, 1 int64 (zig-zag varint),
// 2 float64 (8 bytes little-endian), 3 string (uvarint length, bytes),
// 4 true, 5 false, 6 list (uvarint count, values) for a register.

const (
	tagNil byte = iota
	tagInt
	tagFloat
	tagString
	tagTrue
	tagFalse
	tagList
)

// errCorrupt is returned for bytes that are not a valid encoding.
var errCorrupt = errors.New("corrupt encoding")

func encodeFields(fs []FieldChange, withValues bool) ([]byte, error) {
	var nodes []NodeID
	index := func(n NodeID) uint64 {
		for i, m := range nodes {
			if m == n {
				return uint64(i)
			}
		}
		nodes = append(nodes, n)
		return uint64(len(nodes) - 1)
	}
	body := make([]byte, 0, 32*len(fs))
	body = binary.AppendUvarint(body, uint64(len(fs)))
	for _, f := range fs {
		body = appendString(body, f.Name)
		body = appendStamp(body, f.Stamp, index)
		body = appendStamp(body, f.Prev, index)
		if withValues {
			var err error
			if body, err = appendValue(body, f.Value); err != nil {
				return nil, fmt.Errorf("field %s: %w", f.Name, err)
			}
		}
	}
	out := make([]byte, 0, len(body)+1+16*len(nodes))
	out = binary.AppendUvarint(out, uint64(len(nodes)))
	for _, n := range nodes {
		out = append(out, n[:]...)
	}
	return append(out, body...), nil
}

func appendStamp(b []byte, s Stamp, index func(NodeID) uint64) []byte {
	b = binary.AppendUvarint(b, uint64(s.HLC))
	if s.HLC == 0 {
		return b
	}
	return binary.AppendUvarint(b, index(s.Node))
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendValue(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(b, tagNil), nil
	case int64:
		return binary.AppendVarint(append(b, tagInt), x), nil
	case float64:
		return binary.LittleEndian.AppendUint64(append(b, tagFloat), math.Float64bits(x)), nil
	case string:
		return appendString(append(b, tagString), x), nil
	case bool:
		if x {
			return append(b, tagTrue), nil
		}
		return append(b, tagFalse), nil
	case []any:
		b = binary.AppendUvarint(append(b, tagList), uint64(len(x)))
		for _, e := range x {
			var err error
			if b, err = appendValue(b, e); err != nil {
				return nil, err
			}
		}
		return b, nil
	}
	return nil, fmt.Errorf("%w: values are nil, int64, float64, string, bool or []any, not %T", ErrInvalidChange, v)
}

// decoder reads the layout above and remembers the first error.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errCorrupt
	}
	d.b = nil
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) take(n uint64) []byte {
	if n > uint64(len(d.b)) {
		d.fail()
		return nil
	}
	p := d.b[:n]
	d.b = d.b[n:]
	return p
}

func (d *decoder) stamp(nodes []NodeID) Stamp {
	h := d.uvarint()
	if h == 0 || d.err != nil {
		return Stamp{}
	}
	i := d.uvarint()
	if i >= uint64(len(nodes)) || h > math.MaxInt64 {
		d.fail()
		return Stamp{}
	}
	return Stamp{HLC: int64(h), Node: nodes[i]}
}

func (d *decoder) value(depth int) any {
	t := d.take(1)
	if d.err != nil {
		return nil
	}
	switch t[0] {
	case tagNil:
		return nil
	case tagInt:
		v, n := binary.Varint(d.b)
		if n <= 0 {
			d.fail()
			return nil
		}
		d.b = d.b[n:]
		return v
	case tagFloat:
		p := d.take(8)
		if d.err != nil {
			return nil
		}
		return math.Float64frombits(binary.LittleEndian.Uint64(p))
	case tagString:
		return string(d.take(d.uvarint()))
	case tagTrue:
		return true
	case tagFalse:
		return false
	case tagList:
		n := d.uvarint()
		if depth > 0 || n > uint64(len(d.b)) {
			d.fail()
			return nil
		}
		list := make([]any, n)
		for i := range list {
			list[i] = d.value(depth + 1)
		}
		return list
	}
	d.fail()
	return nil
}

func decodeFields(b []byte, withValues bool) ([]FieldChange, error) {
	d := &decoder{b: b}
	nn := d.uvarint()
	if nn > uint64(len(d.b))/16 {
		return nil, errCorrupt
	}
	nodes := make([]NodeID, nn)
	for i := range nodes {
		copy(nodes[i][:], d.take(16))
	}
	nf := d.uvarint()
	if nf > uint64(len(d.b)) {
		return nil, errCorrupt
	}
	fs := make([]FieldChange, 0, nf)
	for range nf {
		f := FieldChange{Name: string(d.take(d.uvarint()))}
		f.Stamp = d.stamp(nodes)
		f.Prev = d.stamp(nodes)
		if withValues {
			f.Value = d.value(0)
		}
		if d.err != nil {
			return nil, d.err
		}
		fs = append(fs, f)
	}
	if len(d.b) != 0 {
		return nil, errCorrupt
	}
	return fs, d.err
}
