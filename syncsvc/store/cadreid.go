package store

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"hash"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
)

// One person registered on two computers must end as one record. A cadre
// registered with an ID number therefore gets a record id derived from the
// number, the same on every computer of the district: the two creates are
// one record, and the field-level merge joins them like two edits.
//
// The id is a keyed hash, never a plain one: record ids appear in URLs,
// logs and error messages, and an unkeyed hash of an 18-character ID
// number (a region, a birth date, a sequence and a check character: about
// 10^11 candidates) is reversed by trying them all. The key is the
// district's (syncsvc.Replica.DistrictKey): the hub makes it once and
// hands it to every office in Hello.

// maxIDGenerations bounds the derived ids tried for one ID number before
// PutCadre falls back to a random id (see cadreIDGen).
const maxIDGenerations = 8

// CadreIDFor returns the record id of the cadre with the given ID number in
// the district whose key is given: a UUID of version 8 (RFC 9562, with the
// RFC's variant bits) made of the first 122 bits of
// HMAC-SHA256(key, "wanxia/cadre-id/v1" 0 number), the number normalized
// as it is stored (cadre.NormalizeIDNumber: spaces trimmed, x upper-case).
// Every computer holding the key computes the same id; without the key the
// id says nothing about the number. Different numbers give different ids
// but for a chance of about 2^-122 per pair.
func CadreIDFor(key []byte, idNumber string) uuid.UUID {
	return cadreIDGen(key, idNumber, 0)
}

// cadreIDGen is the derived id of generation gen. Generation 0 is
// CadreIDFor; a later generation is used when the earlier ones are taken
// by a record voided as entered by mistake, or by a record whose ID number
// was corrected to another since: every computer that has seen the same
// records picks the same generation, so the person registered again is
// still one record.
func cadreIDGen(key []byte, idNumber string, gen int) uuid.UUID {
	return (&idHasher{m: hmac.New(sha256.New, key)}).id(idNumber, gen)
}

// cadreIDPrefix is what the keyed hash of a derived id reads first.
var cadreIDPrefix = []byte("wanxia/cadre-id/v1\x00")

// idHasher computes derived ids (cadreIDGen) with one keyed hash and one
// buffer, reused from number to number.
type idHasher struct {
	m   hash.Hash
	buf []byte
}

func (h *idHasher) id(idNumber string, gen int) uuid.UUID {
	h.m.Reset()
	h.buf = append(append(h.buf[:0], cadreIDPrefix...), cadre.NormalizeIDNumber(idNumber)...)
	if gen > 0 {
		h.buf = binary.BigEndian.AppendUint64(append(h.buf, 0), uint64(gen)) // a 0 byte, then the generation
	}
	h.m.Write(h.buf)
	h.buf = h.m.Sum(h.buf[:0])
	var id uuid.UUID
	copy(id[:], h.buf)
	id[6] = id[6]&0x0f | 0x80 // version 8
	id[8] = id[8]&0x3f | 0x80 // variant 10, RFC 9562
	return id
}

// newCadreIDGen returns cadreIDGen's first generation under key for one
// batch, with one keyed hash for all of its numbers; nil without a key.
func newCadreIDGen(key []byte) func(idNumber string) uuid.UUID {
	if key == nil {
		return nil
	}
	h := &idHasher{m: hmac.New(sha256.New, key)}
	return func(idNumber string) uuid.UUID { return h.id(idNumber, 0) }
}

// newCadreID chooses the id of a cadre registered here with the given
// (normalized) ID number: the first derived generation not yet taken here
// (see cadreIDGen). A live record that holds the id and the same number is
// the same person: its id is returned with taken set, and PutCadre refuses
// the registration as a duplicate. Without a district key (an office that
// never synced), or when every generation is taken, the id is a random
// UUID v7 as before; the hub's duplicate list catches those.
func newCadreID(tx *syncsvc.Tx, idNumber string) (id uuid.UUID, taken bool, err error) {
	key, err := tx.DistrictKey()
	if err != nil {
		return uuid.Nil, false, err
	}
	if key != nil {
		for gen := range maxIDGenerations {
			id := cadreIDGen(key, idNumber, gen)
			rec, err := tx.Get(CadresTable, id)
			switch {
			case errors.Is(err, syncsvc.ErrNotFound):
				return id, false, nil
			case err != nil:
				return uuid.Nil, false, err
			case rec.VoidReason == "" && newFieldReader(rec).str("id_number") == idNumber:
				return id, true, nil
			}
			// Voided as entered by mistake, or its number was corrected:
			// the next generation.
		}
	}
	return uuid.Must(uuid.NewV7()), false, nil
}
