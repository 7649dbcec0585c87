package syncsvc

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
)

// A duplicate registration is one person registered as two live cadres.
// Most cannot arise: a replica refuses a second registration of a number it
// holds, and two computers that register the same number offline derive
// the same record id from it (CadreIDFor), so their two creates are one
// record. What is left: a cadre registered on a computer that had no
// district key yet (never synced), an ID number corrected after
// registration to one registered elsewhere, and records made before ids
// were derived. The hub finds them when it merges; people decide which
// record to keep, never the software.

// DuplicateEntry is one of the records of a duplicate registration.
type DuplicateEntry struct {
	Cadre cadre.Cadre
	// Office is the office whose computer wrote the ID number; empty when
	// the hub wrote it or the node is unknown.
	Office string
	// Records counts the live records about this cadre (memberships, pairs,
	// visits, dues, attendance…), which a resolution moves to the one kept.
	Records int
}

// DuplicateGroup is the live cadres that share one ID number, oldest
// record first (by the first write the hub holds of each).
type DuplicateGroup struct {
	Entries []DuplicateEntry
}

// Duplicates lists the ID numbers held by more than one live cadre, by ID
// number, each with the cadres that hold it.
func (r *Replica) Duplicates(ctx context.Context) ([]DuplicateGroup, error) {
	tx, err := r.rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("find duplicates: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, "SELECT id_number FROM cadres WHERE _void IS NULL AND id_number IS NOT NULL GROUP BY id_number HAVING COUNT(*) > 1 ORDER BY id_number")
	if err != nil {
		return nil, fmt.Errorf("find duplicates: %w", err)
	}
	var numbers []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("find duplicates: %w", err)
		}
		numbers = append(numbers, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find duplicates: %w", err)
	}
	out := []DuplicateGroup{}
	ct := r.tables[CadresTable]
	for _, n := range numbers {
		crows, err := scanRows(ctx, tx, ct, "WHERE id_number=? AND _void IS NULL ORDER BY id", n)
		if err != nil {
			return nil, fmt.Errorf("find duplicates: %w", err)
		}
		// Derived ids say nothing of time: the oldest is the record whose
		// earliest surviving field stamp is the earliest.
		sort.SliceStable(crows, func(i, j int) bool { return firstStamp(crows[i]).Compare(firstStamp(crows[j])) < 0 })
		var g DuplicateGroup
		for _, row := range crows {
			c, err := cadreFromRow(row)
			if err != nil {
				return nil, err
			}
			e := DuplicateEntry{Cadre: c}
			if e.Office, err = r.officeOfField(ctx, tx, row, "id_number"); err != nil {
				return nil, err
			}
			if e.Records, err = r.countAbout(ctx, tx, c.ID); err != nil {
				return nil, err
			}
			g.Entries = append(g.Entries, e)
		}
		out = append(out, g)
	}
	return out, nil
}

// firstStamp is the earliest stamp among a row's fields.
func firstStamp(row *row) Stamp {
	var first Stamp
	for _, st := range row.stamps {
		if !st.Stamp.IsZero() && (first.IsZero() || st.Stamp.Compare(first) < 0) {
			first = st.Stamp
		}
	}
	return first
}

// officeOfField names the office whose node last wrote a field of a row.
func (r *Replica) officeOfField(ctx context.Context, q querier, row *row, field string) (string, error) {
	st := row.stamps[row.t.pos[field]].Stamp
	if st.IsZero() {
		return "", nil
	}
	var office string
	err := q.QueryRowContext(ctx, "SELECT office_id FROM office_nodes WHERE node=?", st.Node.String()).Scan(&office)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("office of node %s: %w", st.Node, err)
	}
	return office, nil
}

// cadreRefTables are the record types that refer to a cadre by cadre_id.
func (r *Replica) cadreRefTables() []*table {
	var out []*table
	for _, t := range r.order {
		if _, ok := t.colIndex["cadre_id"]; ok {
			out = append(out, t)
		}
	}
	return out
}

// countAbout counts the live records that refer to a cadre.
func (r *Replica) countAbout(ctx context.Context, q querier, id uuid.UUID) (int, error) {
	total := 0
	for _, t := range r.cadreRefTables() {
		var n int
		if err := q.QueryRowContext(ctx, fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE cadre_id=? AND _void IS NULL", t.Name), id.String()).Scan(&n); err != nil {
			return 0, fmt.Errorf("count records of cadre %s: %w", id, err)
		}
		total += n
	}
	return total, nil
}

// ErrNotDuplicate: the two records named are not live registrations of
// one ID number.
var ErrNotDuplicate = errors.New("the two records are not live registrations of the same ID number")

// ResolveDuplicate keeps one of two registrations of the same ID number and
// voids the other with the reason, in one transaction: every live record
// that refers to the voided cadre (memberships, pairs, visits, hospital
// stays, help cases, dues, training, attendance, deliveries, posts) is
// re-pointed to the one kept, and moves to its community. The changes are
// ordinary writes that sync like any other. It returns how many records
// were re-pointed. A second membership or pair the kept cadre now has is
// left for the branch plan and the pairing to end, with their reasons.
func (r *Replica) ResolveDuplicate(ctx context.Context, keep, drop uuid.UUID, reason string) (int, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return 0, fmt.Errorf("resolve duplicate: %w: give a reason", ErrInvalidChange)
	}
	moved := 0
	err := r.write(ctx, func(w *writeTx) error {
		ct := r.tables[CadresTable]
		k, err := w.row(ct, keep)
		if err != nil {
			return err
		}
		d, err := w.row(ct, drop)
		if err != nil {
			return err
		}
		if keep == drop || !k.exists || !d.exists || k.voided() || d.voided() || k.str("id_number") == "" || k.str("id_number") != d.str("id_number") {
			return ErrNotDuplicate
		}
		if err := w.flush(); err != nil {
			return err
		}
		for _, t := range r.cadreRefTables() {
			ids, err := queryIDs(ctx, w, fmt.Sprintf("SELECT id FROM %s WHERE cadre_id=? AND _void IS NULL ORDER BY id", t.Name), drop.String())
			if err != nil {
				return err
			}
			for _, id := range ids {
				if _, err := w.put(t, id, map[string]any{"cadre_id": keep.String()}); err != nil {
					return fmt.Errorf("re-point %s %s: %w", t.Name, id, err)
				}
				moved++
			}
		}
		_, err = w.put(ct, drop, map[string]any{voidField: reason})
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("resolve duplicate %s (keep %s): %w", drop, keep, err)
	}
	return moved, nil
}
