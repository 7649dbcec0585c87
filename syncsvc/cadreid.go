package syncsvc

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
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
// district's: the hub makes it once and hands it to every office in Hello.

// DistrictKeySize is the length of a district key in bytes.
const DistrictKeySize = 32

// districtKeyMeta is the meta row holding the district key, hex-encoded.
const districtKeyMeta = "district_key"

// maxIDGenerations bounds the derived ids tried for one ID number before
// PutCadre falls back to a random id (see cadreIDGen).
const maxIDGenerations = 8

// ErrBadDistrictKey: a district key is not DistrictKeySize bytes.
var ErrBadDistrictKey = errors.New("a district key is 32 bytes")

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
	m := hmac.New(sha256.New, key)
	m.Write([]byte("wanxia/cadre-id/v1\x00"))
	m.Write([]byte(cadre.NormalizeIDNumber(idNumber)))
	if gen > 0 {
		var g [9]byte // a 0 byte, then the generation
		binary.BigEndian.PutUint64(g[1:], uint64(gen))
		m.Write(g[:])
	}
	var id uuid.UUID
	copy(id[:], m.Sum(nil))
	id[6] = id[6]&0x0f | 0x80 // version 8
	id[8] = id[8]&0x3f | 0x80 // variant 10, RFC 9562
	return id
}

// DistrictKey returns the district key, which the hub hands to every
// office in Hello. On the hub the key is made (32 random bytes) and stored
// the first time it is asked for, and kept from then on: it goes into the
// hub's backups with the rest of its meta. An office returns the key it was
// given (SetDistrictKey), nil when it has none yet.
func (r *Replica) DistrictKey(ctx context.Context) ([]byte, error) {
	key, err := readDistrictKey(ctx, r.rdb)
	if err != nil || key != nil || r.role != RoleHub {
		return key, err
	}
	err = r.write(ctx, func(w *writeTx) error {
		key, err = w.districtKey()
		return err
	})
	if err != nil {
		return nil, err
	}
	return key, nil
}

// SetDistrictKey stores on an office the district key its hub sent; an
// empty key (a hub too old to send one) changes nothing. The hub's key is
// the district's: a key different from the one stored replaces it (the
// hub was replaced by one with another key), and cadres registered from
// then on get the ids the rest of the district computes; those registered
// before keep theirs.
func (r *Replica) SetDistrictKey(ctx context.Context, key []byte) error {
	if len(key) == 0 {
		return nil
	}
	if len(key) != DistrictKeySize {
		return fmt.Errorf("set district key: %w (got %d)", ErrBadDistrictKey, len(key))
	}
	if r.role == RoleHub {
		return fmt.Errorf("set district key: %w: the hub makes its own", ErrRoleMismatch)
	}
	old, err := readDistrictKey(ctx, r.rdb)
	if err != nil {
		return err
	}
	if hmac.Equal(old, key) {
		return nil
	}
	err = r.write(ctx, func(w *writeTx) error {
		_, err := w.exec("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value", districtKeyMeta, hex.EncodeToString(key))
		return err
	})
	if err != nil {
		return fmt.Errorf("set district key: %w", err)
	}
	if old != nil {
		r.log.Warn("the hub's district key differs from the one this office held; new registrations use the hub's")
	}
	return nil
}

// readDistrictKey reads the stored key, nil when there is none.
func readDistrictKey(ctx context.Context, q querier) ([]byte, error) {
	var v string
	err := q.QueryRowContext(ctx, "SELECT value FROM meta WHERE key=?", districtKeyMeta).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read district key: %w", err)
	}
	key, err := hex.DecodeString(v)
	if err != nil || len(key) != DistrictKeySize {
		return nil, fmt.Errorf("read district key: %w: stored key unreadable", errCorrupt)
	}
	return key, nil
}

// districtKey reads the key within a write; on the hub it makes and stores
// one when there is none.
func (w *writeTx) districtKey() ([]byte, error) {
	key, err := readDistrictKey(w.ctx, w)
	if err != nil || key != nil || w.r.role != RoleHub {
		return key, err
	}
	key = make([]byte, DistrictKeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("make district key: %w", err)
	}
	if _, err := w.exec("INSERT INTO meta(key, value) VALUES(?, ?)", districtKeyMeta, hex.EncodeToString(key)); err != nil {
		return nil, fmt.Errorf("store district key: %w", err)
	}
	return key, nil
}

// newCadreID chooses the id of a cadre registered here with the given
// (normalized) ID number: the first derived generation not yet taken here
// (see cadreIDGen). A live record that holds the id and the same number is
// the same person: its id is returned with taken set, and PutCadre refuses
// the registration as a duplicate. Without a district key (an office that
// never synced), or when every generation is taken, the id is a random
// UUID v7 as before; the hub's duplicate list catches those.
func (w *writeTx) newCadreID(idNumber string) (id uuid.UUID, taken bool, err error) {
	key, err := w.districtKey()
	if err != nil {
		return uuid.Nil, false, err
	}
	if key != nil {
		t := w.r.tables[CadresTable]
		for gen := range maxIDGenerations {
			id := cadreIDGen(key, idNumber, gen)
			row, err := w.row(t, id)
			if err != nil {
				return uuid.Nil, false, err
			}
			switch {
			case !row.exists:
				return id, false, nil
			case !row.voided() && row.str("id_number") == idNumber:
				return id, true, nil
			}
			// Voided as entered by mistake, or its number was corrected:
			// the next generation.
		}
	}
	return uuid.Must(uuid.NewV7()), false, nil
}
