package syncsvc

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/venue"
)

// Typed reads (and the writes the use cases of package desk need) within a
// transaction, so that a use case reads what it is about to write.

// CadreByIDNumber is Replica.CadreByIDNumber within the transaction: the
// live cadre with the lowest id holding the ID number, read through the
// transaction, so that a use case reads what it is about to write.
func (tx *Tx) CadreByIDNumber(idNumber string) (cadre.Cadre, error) {
	w := tx.w
	var id string
	err := w.QueryRowContext(w.ctx, "SELECT id FROM cadres WHERE id_number=? AND _void IS NULL ORDER BY id LIMIT 1",
		cadre.NormalizeIDNumber(idNumber)).Scan(&id)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return cadre.Cadre{}, fmt.Errorf("cadre by ID number %s: %w", cadre.MaskIDNumber(idNumber), ErrNotFound)
		}
		return cadre.Cadre{}, fmt.Errorf("cadre by ID number %s: %w", cadre.MaskIDNumber(idNumber), err)
	}
	uid, err := uuid.Parse(id)
	if err != nil {
		return cadre.Cadre{}, err
	}
	return tx.Cadre(uid)
}

// Helper is Replica.Helper within the transaction.
func (tx *Tx) Helper(id uuid.UUID) (care.Helper, error) {
	return helperKind.get(tx.w.ctx, tx.w, tx.w.r, id)
}

// Pairs is Replica.Pairs within the transaction.
func (tx *Tx) Pairs(f PairFilter) ([]care.Pair, error) { return tx.w.r.pairs(tx.w.ctx, tx.w, f) }

// HospitalStays is Replica.HospitalStays within the transaction.
func (tx *Tx) HospitalStays(cadreID uuid.UUID) ([]care.HospitalStay, error) {
	return tx.w.r.stays(tx.w.ctx, tx.w, cadreID)
}

// HelpCase is Replica.HelpCase within the transaction.
func (tx *Tx) HelpCase(id uuid.UUID) (care.HelpCase, error) {
	return helpKind.get(tx.w.ctx, tx.w, tx.w.r, id)
}

// Venue is Replica.Venue within the transaction.
func (tx *Tx) Venue(id uuid.UUID) (venue.Venue, error) {
	return venueKind.get(tx.w.ctx, tx.w, tx.w.r, id)
}

// Enrolments is Replica.Enrolments within the transaction.
func (tx *Tx) Enrolments() ([]venue.Enrolment, error) {
	return enrolmentKind.list(tx.w.ctx, tx.w, tx.w.r, "ORDER BY community, since, id")
}

// PutVenue is Replica.PutVenue within the transaction.
func (tx *Tx) PutVenue(v *venue.Venue) (bool, error) { return venueKind.put(tx.w, v) }

// PutEnrolment is Replica.PutEnrolment within the transaction.
func (tx *Tx) PutEnrolment(e *venue.Enrolment) (bool, error) { return enrolmentKind.put(tx.w, e) }
