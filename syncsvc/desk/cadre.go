package desk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// CadreFields are the fields of a cadre that CadreInput sets, by their
// JSON keys, in the order of the contract's field table. "lat" and "lng"
// stand for the position, which is set with both.
var CadreFields = []string{
	"name", "gender", "id_number", "birth_date", "category", "retired_on", "rank", "party", "party_joined_on",
	"health", "living", "children_nearby", "living_difficulty", "community", "address", "lat", "lng",
	"phone", "emergency_contact", "original_unit", "pension_fen", "status", "status_on",
}

// copyField copies one field, by its JSON key, from src to dst; the
// position (lat, lng) is handled apart, with the address.
var copyField = map[string]func(dst, src *cadre.Cadre){
	"name":              func(d, s *cadre.Cadre) { d.Name = s.Name },
	"id_number":         func(d, s *cadre.Cadre) { d.IDNumber = s.IDNumber },
	"gender":            func(d, s *cadre.Cadre) { d.Gender = s.Gender },
	"birth_date":        func(d, s *cadre.Cadre) { d.BirthDate = s.BirthDate },
	"category":          func(d, s *cadre.Cadre) { d.Category = s.Category },
	"retired_on":        func(d, s *cadre.Cadre) { d.RetiredOn = s.RetiredOn },
	"rank":              func(d, s *cadre.Cadre) { d.Rank = s.Rank },
	"party":             func(d, s *cadre.Cadre) { d.Party = s.Party },
	"party_joined_on":   func(d, s *cadre.Cadre) { d.PartyJoinedOn = s.PartyJoinedOn },
	"health":            func(d, s *cadre.Cadre) { d.Health = s.Health },
	"living":            func(d, s *cadre.Cadre) { d.Living = s.Living },
	"children_nearby":   func(d, s *cadre.Cadre) { d.ChildrenNearby = s.ChildrenNearby },
	"living_difficulty": func(d, s *cadre.Cadre) { d.Difficulty = s.Difficulty },
	"community":         func(d, s *cadre.Cadre) { d.Community = s.Community },
	"address":           func(d, s *cadre.Cadre) { d.Address = s.Address },
	"phone":             func(d, s *cadre.Cadre) { d.Phone = s.Phone },
	"emergency_contact": func(d, s *cadre.Cadre) { d.EmergencyContact = s.EmergencyContact },
	"original_unit":     func(d, s *cadre.Cadre) { d.OriginalUnit = s.OriginalUnit },
	"pension_fen":       func(d, s *cadre.Cadre) { d.PensionFen = s.PensionFen },
	"status":            func(d, s *cadre.Cadre) { d.Status = s.Status },
	"status_on":         func(d, s *cadre.Cadre) { d.StatusOn = s.StatusOn },
}

// CadreInput is what a person gives to register or edit a cadre: some
// fields, and their values.
type CadreInput struct {
	// Values holds the values of the fields named in Set; the others are
	// ignored. Values.Location is the position when Set names "lat" and
	// "lng".
	Values cadre.Cadre
	// Set names the fields given, by JSON key (see CadreFields).
	Set []string
}

// given reports whether the input sets field.
func (in CadreInput) given(field string) bool { return slices.Contains(in.Set, field) }

// Apply sets on c the fields the input gives. Fields that are stored
// together follow each other: a new ID number brings its own birth date
// and gender unless they are given; a new address drops the old position
// unless one is given; leaving the Party drops the date of joining, and
// becoming active again drops the status date. c is normalised after.
func (in CadreInput) Apply(c *cadre.Cadre) {
	old := *c
	for _, field := range in.Set {
		if cp := copyField[field]; cp != nil {
			cp(c, &in.Values)
		}
	}
	if in.given("id_number") && cadre.NormalizeIDNumber(c.IDNumber) != old.IDNumber {
		if !in.given("birth_date") {
			c.BirthDate = cadre.Date{}
		}
		if !in.given("gender") {
			c.Gender = ""
		}
	}
	switch {
	case in.given("lat") || in.given("lng"):
		if l := in.Values.Location; l != nil {
			loc := *l
			c.Location = &loc
		} else {
			c.Location = nil
		}
	case in.given("address") && strings.TrimSpace(c.Address) != old.Address:
		c.Location = nil
	}
	if in.given("party") && c.Party == cadre.PartyNone && !in.given("party_joined_on") {
		c.PartyJoinedOn = cadre.Date{}
	}
	if in.given("status") && c.Status == cadre.StatusActive && !in.given("status_on") {
		c.StatusOn = cadre.Date{}
	}
	c.Normalize()
}

// SavedCadre is a cadre as stored by RegisterCadre or EditCadre.
type SavedCadre struct {
	// Cadre is the record as stored, with its id.
	Cadre cadre.Cadre
	// Changed is false when the edit changed nothing and nothing was
	// written.
	Changed bool
}

// RegisterCadre registers a new cadre with the fields in. The record is
// validated as of the replica's clock; an invalid one wraps a
// *cadre.ValidationError, and an ID number already registered wraps a
// *syncsvc.DuplicateError naming that record.
func RegisterCadre(ctx context.Context, rep *store.Replica, in CadreInput) (SavedCadre, error) {
	var c cadre.Cadre
	in.Apply(&c)
	var changed bool
	err := rep.Update(ctx, func(tx *store.Tx) (err error) {
		changed, err = tx.PutCadre(&c)
		return err
	})
	if err != nil {
		return SavedCadre{}, fmt.Errorf("register cadre: %w", err)
	}
	return SavedCadre{Cadre: c, Changed: changed}, nil
}

// EditCadre changes the fields in of the live cadre id, reading and
// writing it in one transaction; a new community moves the cadre. Errors as RegisterCadre's, and syncsvc.ErrNotFound or
// syncsvc.ErrVoided for an id with no live cadre.
func EditCadre(ctx context.Context, rep *store.Replica, id uuid.UUID, in CadreInput) (SavedCadre, error) {
	var out SavedCadre
	err := rep.Update(ctx, func(tx *store.Tx) error {
		c, err := tx.Cadre(id)
		if err != nil {
			return err
		}
		in.Apply(&c)
		changed, err := tx.PutCadre(&c)
		if err != nil {
			return err
		}
		out = SavedCadre{Cadre: c, Changed: changed}
		return nil
	})
	if err != nil {
		return SavedCadre{}, fmt.Errorf("edit cadre %s: %w", id, err)
	}
	return out, nil
}

// RemovedCadre is a cadre removed as entered by mistake.
type RemovedCadre struct {
	// ID is the record removed.
	ID uuid.UUID
	// Reason is why, trimmed.
	Reason string
}

// CadreRemoval removes a cadre entered by mistake.
type CadreRemoval struct {
	// ID is the cadre.
	ID uuid.UUID
	// Reason is why the record is removed.
	Reason string
}

// RemoveCadre voids a cadre entered by mistake, with the reason why
// (ErrReasonRequired when it is blank). A cadre who died or moved away
// keeps the record: edit the status instead.
func RemoveCadre(ctx context.Context, rep *store.Replica, in CadreRemoval) (RemovedCadre, error) {
	id, reason := in.ID, strings.TrimSpace(in.Reason)
	if reason == "" {
		return RemovedCadre{}, fmt.Errorf("remove cadre %s: %w", id, ErrReasonRequired)
	}
	if err := rep.VoidCadre(ctx, id, reason); err != nil {
		return RemovedCadre{}, fmt.Errorf("remove cadre %s: %w", id, err)
	}
	return RemovedCadre{ID: id, Reason: reason}, nil
}

// RefKind is how a reference names a record.
type RefKind int

const (
	// ByUUID: the reference is a whole UUID.
	ByUUID RefKind = iota + 1
	// ByIDNumber: the reference is an 18-character ID number.
	ByIDNumber
	// ByPrefix: the reference is the start of a UUID, 8 characters or
	// more.
	ByPrefix
	// ByName: the reference is a record's name.
	ByName
)

// FindCadre resolves a reference to a live cadre: a UUID, a unique prefix
// of at least 8 of its characters, an 18-character ID number, or a name
// no other live cadre has (Resolve). A reference that finds no single
// cadre returns a *RefError.
func FindCadre(ctx context.Context, rep *store.Replica, ref string) (cadre.Cadre, error) {
	m, err := Resolve(ctx, rep, KindCadre, ref)
	if err != nil {
		return cadre.Cadre{}, err
	}
	c, err := rep.Cadre(ctx, m.ID)
	if errors.Is(err, syncsvc.ErrNotFound) || errors.Is(err, syncsvc.ErrVoided) {
		return c, &RefError{Kind: KindCadre, Ref: strings.TrimSpace(ref), By: ByUUID, Err: err}
	}
	return c, err
}
