package desk

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// ErrNotCadre: a correction with the fields of a cadre was asked for a
// refused record of another kind.
var ErrNotCadre = errors.New("the refused record is not a cadre")

// FindRefused resolves a reference among the records the hub refused: the
// record's UUID, a unique prefix of at least 8 of its characters, or a
// cadre's ID number. Records with an open refusal come first, so that a
// record refused again after a resend is found by its open refusal. A
// reference that finds no single record returns a *RefError (ErrBadRef,
// syncsvc.ErrNotFound or syncsvc.ErrAmbiguous).
func FindRefused(ctx context.Context, rep *store.Replica, ref string) (syncsvc.RefusedRecord, error) {
	ref = strings.ToLower(strings.TrimSpace(ref))
	recs, err := rep.RefusedRecords(ctx, true)
	if err != nil {
		return syncsvc.RefusedRecord{}, fmt.Errorf("find refused record: %w", err)
	}
	number, by := "", ByPrefix
	if len(ref) == 18 && cadre.ValidateIDNumber(cadre.NormalizeIDNumber(ref)) == nil {
		number, by = cadre.NormalizeIDNumber(ref), ByIDNumber
	} else if len(ref) < 8 || strings.Trim(ref, "0123456789abcdef-") != "" {
		return syncsvc.RefusedRecord{}, &RefError{Ref: ref, Err: ErrBadRef}
	}
	var found []syncsvc.RefusedRecord
	for _, rr := range recs {
		match := strings.HasPrefix(rr.ID.String(), ref)
		if number != "" {
			match = IDNumberOf(rr.Record.Values) == number
		}
		if match {
			found = append(found, rr)
		}
	}
	sort.SliceStable(found, func(i, j int) bool {
		return found[i].State == syncsvc.RefusalOpen && found[j].State != syncsvc.RefusalOpen
	})
	switch {
	case len(found) == 0:
		return syncsvc.RefusedRecord{}, &RefError{Ref: ref, By: by, Err: syncsvc.ErrNotFound}
	case len(found) > 1 && found[1].State == syncsvc.RefusalOpen:
		return syncsvc.RefusedRecord{}, &RefError{Ref: ref, By: by, Matches: []uuid.UUID{found[0].ID, found[1].ID}, Err: syncsvc.ErrAmbiguous}
	}
	return found[0], nil
}

// IDNumberOf reads the ID number of a record's values: a field of its own,
// or the first column of the register that holds it.
func IDNumberOf(vals map[string]any) string {
	switch v := vals["id_number"].(type) {
	case string:
		return v
	case []any:
		if len(v) > 0 {
			s, _ := v[0].(string)
			return s
		}
	}
	return ""
}

// FixedCadre is a refused cadre corrected and written again.
type FixedCadre struct {
	// Cadre is the record as corrected.
	Cadre cadre.Cadre
	// Resubmit says what was written again.
	Resubmit syncsvc.ResubmitResult
}

// FixRefusedCadre corrects a refused cadre with the fields in and writes
// it again, whole, in one change, for the next sync to send. A record of
// another kind wraps ErrNotCadre; one with no open refusal,
// syncsvc.ErrNotRefused.
func FixRefusedCadre(ctx context.Context, rep *store.Replica, rr syncsvc.RefusedRecord, in CadreInput) (FixedCadre, error) {
	switch {
	case rr.Table != store.CadresTable:
		return FixedCadre{}, fmt.Errorf("fix refused %s %s: %w", rr.Table, rr.ID, ErrNotCadre)
	case rr.State != syncsvc.RefusalOpen:
		return FixedCadre{}, fmt.Errorf("fix refused cadre %s: %w", rr.ID, syncsvc.ErrNotRefused)
	}
	var out FixedCadre
	err := rep.Update(ctx, func(tx *store.Tx) error {
		c, err := tx.Cadre(rr.ID)
		if err != nil {
			return err
		}
		in.Apply(&c)
		res, err := tx.ResubmitCadre(&c)
		out = FixedCadre{Cadre: c, Resubmit: res}
		return err
	})
	if err != nil {
		return FixedCadre{}, fmt.Errorf("fix refused cadre %s: %w", rr.ID, err)
	}
	return out, nil
}

// ResendRefused writes a refused record again as it is now (after it was
// corrected, or once the hub can take it): the whole record when the hub
// never had it. Errors wrap syncsvc.ErrNotRefused, syncsvc.ErrNotFound, …
func ResendRefused(ctx context.Context, rep *store.Replica, rr syncsvc.RefusedRecord) (syncsvc.ResubmitResult, error) {
	res, err := rep.Resubmit(ctx, rr.Table, rr.ID)
	if err != nil {
		return res, fmt.Errorf("resend %s %s: %w", rr.Table, rr.ID, err)
	}
	return res, nil
}

// DiscardRefused gives up a refused record at this office, with the
// reason why (ErrReasonRequired when blank): it leaves this computer, and
// the hub's copy, if it has one, comes back at the next sync.
func DiscardRefused(ctx context.Context, rep *store.Replica, rr syncsvc.RefusedRecord, reason string) (syncsvc.DiscardResult, error) {
	if strings.TrimSpace(reason) == "" {
		return syncsvc.DiscardResult{}, fmt.Errorf("discard %s %s: %w", rr.Table, rr.ID, ErrReasonRequired)
	}
	res, err := rep.DiscardRefused(ctx, rr.Table, rr.ID, reason)
	if err != nil {
		return res, fmt.Errorf("discard %s %s: %w", rr.Table, rr.ID, err)
	}
	return res, nil
}
