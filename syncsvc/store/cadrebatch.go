package store

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
)

// batchChunk is how many ID numbers or ids one query of a batch names.
const batchChunk = 500

// CadresByIDNumbers returns the live cadres holding the given ID numbers,
// by normalized number; where several records hold one (a duplicate
// registration waiting for the hub's duplicate list), the first by id, as
// CadreByIDNumber. It reads them in one query per 500 numbers.
func (rd Reads) CadresByIDNumbers(numbers []string) (map[string]cadre.Cadre, error) {
	out := make(map[string]cadre.Cadre, len(numbers))
	norm := make([]string, len(numbers))
	for i, n := range numbers {
		norm[i] = cadre.NormalizeIDNumber(n)
	}
	for start := 0; start < len(norm); start += batchChunk {
		list, err := json.Marshal(norm[start:min(start+batchChunk, len(norm))])
		if err != nil {
			return nil, err
		}
		err = rd.rd.Scan(CadresTable, "id_number IN (SELECT value FROM json_each(?)) ORDER BY id", []any{string(list)}, func(cols syncsvc.Columns) error {
			c, err := cadreFromColumns(cols)
			if err != nil {
				return err
			}
			if _, seen := out[c.IDNumber]; !seen {
				out[c.IDNumber] = c
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("cadres by ID number: %w", err)
		}
	}
	return out, nil
}

// PutResult is what PutCadres did with one cadre.
type PutResult struct {
	// Changed is whether the cadre was written (false: stored as it was).
	Changed bool
	// Err refuses this cadre alone, as PutCadre refuses it: a
	// *cadre.ValidationError or a *syncsvc.DuplicateError.
	Err error
}

// PutCadres stores many cadres in the transaction, each exactly as PutCadre
// would one after the other, with what the checks and the writes read
// asked in a few queries for all of them instead of several for each: the
// office's communities and the district key once, the live records
// holding the ID numbers in one query per 500, and the records the batch
// edits and those its new cadres' derived ids would be likewise
// (syncsvc.Tx.Prefetch). A cadre the fast path cannot decide (its ID number
// is in the batch twice, its record changes its number, its derived id is
// taken, its community is not the office's) goes through PutCadre. The
// cadres refused are reported in their PutResult and nothing of them is
// written; an error returned aborts the batch.
func (tx *Tx) PutCadres(cs []*cadre.Cadre) ([]PutResult, error) {
	out := make([]PutResult, len(cs))
	now := tx.Now()
	var own []string
	if tx.Role() == syncsvc.RoleOffice {
		var err error
		if own, err = tx.OfficeScopes(); err != nil {
			return nil, err
		}
	}
	key, err := tx.DistrictKey()
	if err != nil {
		return nil, err
	}
	numbers := make([]string, len(cs))
	count := make(map[string]int, len(cs))
	for i, c := range cs {
		numbers[i] = cadre.NormalizeIDNumber(c.IDNumber)
		count[numbers[i]]++
	}
	holders, err := liveHolders(tx, numbers)
	if err != nil {
		return nil, err
	}
	// The records of the batch, read in a few queries: those it edits and
	// those its new cadres' derived ids would be, which are taken when
	// stored (voided or not).
	derived := make([]uuid.UUID, len(cs))
	ids := make([]uuid.UUID, 0, len(cs))
	gen := newCadreIDGen(key)
	for i, c := range cs {
		switch {
		case c.ID != uuid.Nil:
			ids = append(ids, c.ID)
		case key != nil:
			derived[i] = gen(numbers[i])
			ids = append(ids, derived[i])
		}
	}
	taken, err := tx.Prefetch(CadresTable, ids)
	if err != nil {
		return nil, err
	}
	values := make(map[string]any, cadreFields)
	for i, c := range cs {
		n := numbers[i]
		fast := count[n] == 1 && (len(own) == 0 || syncsvc.ScopeOverlaps(c.Community, own))
		switch {
		case !fast:
		case c.ID == uuid.Nil:
			// New: refused when a live record holds the number, else the
			// derived id when no record (voided or not) holds it.
			fast = len(holders[n]) > 0 || (key != nil && !taken[derived[i]])
		default:
			// An edit that keeps the number of its live record.
			fast = false
			for _, id := range holders[n] {
				fast = fast || id == c.ID
			}
		}
		if !fast {
			out[i].Changed, out[i].Err = tx.PutCadre(c)
			if out[i].Err != nil && !refusal(out[i].Err) {
				return nil, out[i].Err
			}
			continue
		}
		if err := c.Validate(now); err != nil {
			out[i].Err = fmt.Errorf("put cadre %s: %w", c.ID, err)
			continue
		}
		if c.ID == uuid.Nil {
			if hs := holders[n]; len(hs) > 0 {
				existing := hs[0]
				for _, id := range hs {
					if key != nil && id == derived[i] {
						existing = id // the record PutCadre's derived id finds
					}
				}
				out[i].Err = fmt.Errorf("put new cadre: %w", &syncsvc.DuplicateError{ExistingID: existing})
				continue
			}
			c.ID = derived[i]
		}
		cadreValuesInto(values, c)
		changed, err := putValues(tx.Tx, CadresTable, "cadre", c.ID, values)
		if err != nil {
			if refusal(err) {
				out[i].Err = err
				continue
			}
			return nil, err
		}
		out[i].Changed = changed
		if err := endMemberships(tx.Tx, *c); err != nil {
			return nil, fmt.Errorf("put cadre %s: %w", c.ID, err)
		}
		if err := endPairs(tx.Tx, *c); err != nil {
			return nil, fmt.Errorf("put cadre %s: %w", c.ID, err)
		}
	}
	return out, nil
}

// refusal reports whether err refuses one cadre (invalid, or a duplicate)
// rather than failing the transaction.
func refusal(err error) bool {
	var ve *cadre.ValidationError
	var dup *syncsvc.DuplicateError
	return errors.As(err, &ve) || errors.As(err, &dup)
}

// liveHolders returns the ids of the live cadres holding each number.
func liveHolders(tx *Tx, numbers []string) (map[string][]uuid.UUID, error) {
	out := map[string][]uuid.UUID{}
	for start := 0; start < len(numbers); start += batchChunk {
		list, err := json.Marshal(numbers[start:min(start+batchChunk, len(numbers))])
		if err != nil {
			return nil, err
		}
		rows, err := tx.QueryRows("SELECT id, id_number FROM "+CadresTable+" WHERE _void IS NULL AND id_number IN (SELECT value FROM json_each(?)) ORDER BY id", string(list))
		if err != nil {
			return nil, fmt.Errorf("cadres by ID number: %w", err)
		}
		for rows.Next() {
			var id, number string
			if err := rows.Scan(&id, &number); err != nil {
				rows.Close()
				return nil, err
			}
			u, err := uuid.Parse(id)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("cadres by ID number: id %q: %w", id, err)
			}
			out[number] = append(out[number], u)
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
