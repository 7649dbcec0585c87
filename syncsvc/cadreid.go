package syncsvc

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
)

// The district key: a secret the hub makes once and hands to every
// office in Hello, from which a typed layer derives record ids that are the
// same on every computer of the district without revealing what they are
// derived from (the cadre's record id from the ID number).

// DistrictKeySize is the length of a district key in bytes.
const DistrictKeySize = 32

// districtKeyMeta is the meta row holding the district key, hex-encoded.
const districtKeyMeta = "district_key"

// ErrBadDistrictKey: a district key is not DistrictKeySize bytes.
var ErrBadDistrictKey = errors.New("a district key is 32 bytes")

// DistrictKey returns the district key, which the hub hands to every
// office in Hello. On the hub the key is made (32 random bytes) and stored
// the first time it is asked for, and kept from then on: it goes into the
// hub's backups with the rest of its meta. An office returns the key it was
// given (SetDistrictKey), nil when it has none yet.
func (r *Replica) DistrictKey(ctx context.Context) ([]byte, error) {
	if key, ok := r.hubKey.Load().([]byte); ok {
		return key, nil
	}
	key, err := readDistrictKey(ctx, r.rdb)
	if err != nil || (key == nil && r.role != RoleHub) {
		return key, err
	}
	if key == nil {
		err = r.write(ctx, func(w *writeTx) error {
			key, err = w.districtKey()
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	if r.role == RoleHub {
		// The hub's key is made once and never changed (a restore is
		// refused while the file is open): every Hello asks for it.
		r.hubKey.Store(key)
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
	if err := r.setDistrictKeyAndMeta(ctx, key, nil); err != nil {
		return fmt.Errorf("set district key: %w", err)
	}
	return nil
}

// setDistrictKeyAndMeta is SetDistrictKey and SetMeta(kv) in one write,
// which it makes only when one of them changes something: the agent
// stores what Hello said this way.
func (r *Replica) setDistrictKeyAndMeta(ctx context.Context, key []byte, kv map[string]string) error {
	var old []byte
	store := len(key) > 0
	if store {
		if len(key) != DistrictKeySize {
			return fmt.Errorf("%w (got %d)", ErrBadDistrictKey, len(key))
		}
		if r.role == RoleHub {
			return fmt.Errorf("%w: the hub makes its own district key", ErrRoleMismatch)
		}
		var err error
		if old, err = readDistrictKey(ctx, r.rdb); err != nil {
			return err
		}
		store = !hmac.Equal(old, key)
	}
	if !store && len(kv) == 0 {
		return nil
	}
	err := r.write(ctx, func(w *writeTx) error {
		if store {
			if _, err := w.exec("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value", districtKeyMeta, hex.EncodeToString(key)); err != nil {
				return err
			}
		}
		return w.setMeta(kv)
	})
	if err != nil {
		return err
	}
	if store && old != nil {
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
