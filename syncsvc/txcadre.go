package syncsvc

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
)

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
