package syncsvc

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// The binary layout of a field list, used for the stamps kept beside each
// row and for the change log. Nodes and stamps are listed once up front,
// because one write stamps all its fields alike, and fields are named by
// their number in the replica's field_numbers table:
//
//	uvarint count of nodes, then each node's 16 bytes
//	uvarint count of stamps, then each: uvarint HLC, uvarint node index
//	uvarint count of fields, then for each field:
//	  uvarint key: the field's number × 2, or 1 followed by the name
//	    (uvarint length, bytes) for a field without a number
//	  uvarint stamp index, uvarint prev index (0 is the zero stamp;
//	    stamp i+1 is the i-th listed)
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

// encodeFields encodes a field list; t numbers the fields (nil: by name).
func encodeFields(t *table, fs []FieldChange, withValues bool) ([]byte, error) {
	var nodes []NodeID
	var stamps []Stamp
	stampIndex := func(s Stamp) uint64 {
		if s.IsZero() {
			return 0
		}
		for i, m := range stamps {
			if m == s {
				return uint64(i + 1)
			}
		}
		stamps = append(stamps, s)
		return uint64(len(stamps))
	}
	body := make([]byte, 0, 8*len(fs))
	body = binary.AppendUvarint(body, uint64(len(fs)))
	for _, f := range fs {
		if num, ok := t.number(f.Name); ok {
			body = binary.AppendUvarint(body, num<<1)
		} else {
			body = appendString(binary.AppendUvarint(body, 1), f.Name)
		}
		body = binary.AppendUvarint(body, stampIndex(f.Stamp))
		body = binary.AppendUvarint(body, stampIndex(f.Prev))
		if withValues {
			var err error
			if body, err = appendValue(body, f.Value); err != nil {
				return nil, fmt.Errorf("field %s: %w", f.Name, err)
			}
		}
	}
	head := make([]byte, 0, len(body)+16+12*len(stamps))
	nodeIndex := func(n NodeID) uint64 {
		for i, m := range nodes {
			if m == n {
				return uint64(i)
			}
		}
		nodes = append(nodes, n)
		return uint64(len(nodes) - 1)
	}
	var stampBytes []byte
	for _, s := range stamps {
		stampBytes = binary.AppendUvarint(stampBytes, uint64(s.HLC))
		stampBytes = binary.AppendUvarint(stampBytes, nodeIndex(s.Node))
	}
	head = binary.AppendUvarint(head, uint64(len(nodes)))
	for _, n := range nodes {
		head = append(head, n[:]...)
	}
	head = binary.AppendUvarint(head, uint64(len(stamps)))
	head = append(head, stampBytes...)
	return append(head, body...), nil
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

// decodeFields decodes a field list encoded by encodeFields with the same t.
func decodeFields(t *table, b []byte, withValues bool) ([]FieldChange, error) {
	d := &decoder{b: b}
	nn := d.uvarint()
	if nn > uint64(len(d.b))/16 {
		return nil, errCorrupt
	}
	nodes := make([]NodeID, nn)
	for i := range nodes {
		copy(nodes[i][:], d.take(16))
	}
	ns := d.uvarint()
	if ns > uint64(len(d.b)) {
		return nil, errCorrupt
	}
	stamps := make([]Stamp, ns+1)
	for i := uint64(1); i <= ns && d.err == nil; i++ {
		h, n := d.uvarint(), d.uvarint()
		if h == 0 || h > math.MaxInt64 || n >= uint64(len(nodes)) {
			return nil, errCorrupt
		}
		stamps[i] = Stamp{HLC: int64(h), Node: nodes[n]}
	}
	nf := d.uvarint()
	if nf > uint64(len(d.b)) {
		return nil, errCorrupt
	}
	fs := make([]FieldChange, 0, nf)
	for range nf {
		var f FieldChange
		key := d.uvarint()
		if key == 1 {
			f.Name = string(d.take(d.uvarint()))
		} else if name, ok := t.name(key >> 1); ok && key&1 == 0 {
			f.Name = name
		} else {
			d.fail()
		}
		si, pi := d.uvarint(), d.uvarint()
		if si >= uint64(len(stamps)) || pi >= uint64(len(stamps)) {
			d.fail()
		} else {
			f.Stamp, f.Prev = stamps[si], stamps[pi]
		}
		if withValues {
			f.Value = d.value(0)
		}
		if d.err != nil {
			return nil, d.err
		}
		fs = append(fs, f)
	}
	if len(d.b) != 0 || d.err != nil {
		return nil, errCorrupt
	}
	return fs, nil
}
