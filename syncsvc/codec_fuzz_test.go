package syncsvc

import (
	"testing"

	"github.com/google/uuid"
)

// fuzzTable numbers two fields, as a replica's field_numbers would.
var fuzzTable = &table{nums: map[string]uint64{"name": 1, "address": 2}, names: map[uint64]string{1: "name", 2: "address"}}

func fuzzSeed() []FieldChange {
	n := uuid.MustParse("01a2231f-90dd-7689-b8ed-4a465f2a8d50")
	return []FieldChange{
		{Name: "name", Value: "王建国", Stamp: Stamp{HLC: 1 << 40, Node: n}},
		{Name: "address", Value: []any{"舜园", 36.6, nil}, Stamp: Stamp{HLC: 1<<40 + 1, Node: n}, Prev: Stamp{HLC: 1 << 40, Node: n}},
		{Name: "unknown", Value: int64(-7), Stamp: Stamp{HLC: 5, Node: n}},
		{Name: "flag", Value: true, Stamp: Stamp{HLC: 6, Node: n}},
	}
}

// FuzzDecodeFields: any bytes decode to an error or to fields that encode
// and decode again to the same fields; nothing panics.
func FuzzDecodeFields(f *testing.F) {
	seed, err := encodeFields(fuzzTable, fuzzSeed(), true)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed, true)
	f.Add([]byte{}, false)
	f.Add([]byte{0, 0, 1, 2, 0, 0}, false)
	f.Fuzz(func(t *testing.T, b []byte, withValues bool) {
		fs, err := decodeFields(fuzzTable, b, withValues)
		if err != nil {
			return
		}
		again, err := encodeFields(fuzzTable, fs, withValues)
		if err != nil {
			t.Fatalf("decoded fields do not encode: %v", err)
		}
		back, err := decodeFields(fuzzTable, again, withValues)
		if err != nil || len(back) != len(fs) {
			t.Fatalf("round trip failed: %v", err)
		}
		for i := range fs {
			if back[i].Name != fs[i].Name || back[i].Stamp != fs[i].Stamp || back[i].Prev != fs[i].Prev || !sameValue(back[i].Value, fs[i].Value) {
				t.Fatalf("field %d changed in a round trip: %+v → %+v", i, fs[i], back[i])
			}
		}
	})
}

// sameValue compares decoded values, NaN included.
func sameValue(a, b any) bool {
	if fa, ok := a.(float64); ok {
		fb, ok := b.(float64)
		return ok && (fa == fb || (fa != fa && fb != fb))
	}
	la, aok := a.([]any)
	lb, bok := b.([]any)
	if aok || bok {
		if !aok || !bok || len(la) != len(lb) {
			return false
		}
		for i := range la {
			if !sameValue(la[i], lb[i]) {
				return false
			}
		}
		return true
	}
	return a == b
}
