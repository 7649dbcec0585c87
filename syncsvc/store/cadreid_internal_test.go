package store

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"testing"

	"github.com/google/uuid"
)

// firstDerivedID is the derived id as first written down: what every computer
// of a district has stored, so that the hasher reused from number to
// number must give exactly it.
func firstDerivedID(key []byte, number string, gen int) uuid.UUID {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("wanxia/cadre-id/v1\x00"))
	m.Write([]byte(number))
	if gen > 0 {
		var g [9]byte
		binary.BigEndian.PutUint64(g[1:], uint64(gen))
		m.Write(g[:])
	}
	var id uuid.UUID
	copy(id[:], m.Sum(nil))
	id[6] = id[6]&0x0f | 0x80
	id[8] = id[8]&0x3f | 0x80
	return id
}

// The hasher reused for a batch gives every generation's derived id as it
// was first computed, number after number.
func TestReusedHasherGivesTheDerivedIDs(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	h := &idHasher{m: hmac.New(sha256.New, key)}
	gen := newCadreIDGen(key)
	for _, n := range []string{"11010519491231002X", "370102194403150012", "370103195006120021", "11010519491231002X"} {
		for g := range 4 {
			if got, want := h.id(n, g), firstDerivedID(key, n, g); got != want {
				t.Fatalf("%s generation %d: %s, want %s", n, g, got, want)
			}
		}
		if got, want := gen(n), firstDerivedID(key, n, 0); got != want {
			t.Fatalf("%s: the batch's generator gives %s, want %s", n, got, want)
		}
	}
	// Pinned: the derived id every replica of such a district holds.
	if got := CadreIDFor(key, "11010519491231002X").String(); got != "edc751ee-5759-8755-8132-d912da79cd44" {
		t.Fatalf("CadreIDFor changed: %s", got)
	}
}
