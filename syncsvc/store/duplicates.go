package store

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
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
	out := []DuplicateGroup{}
	err := r.View(ctx, func(v *syncsvc.View) error {
		numbers, err := duplicatedNumbers(v)
		if err != nil {
			return err
		}
		for _, n := range numbers {
			g, err := duplicateGroup(v, n)
			if err != nil {
				return err
			}
			out = append(out, g)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find duplicates: %w", err)
	}
	return out, nil
}

// duplicatedNumbers lists the ID numbers held by more than one live cadre.
func duplicatedNumbers(v *syncsvc.View) ([]string, error) {
	rows, err := v.QueryRows("SELECT id_number FROM cadres WHERE _void IS NULL AND id_number IS NOT NULL GROUP BY id_number HAVING COUNT(*) > 1 ORDER BY id_number")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var numbers []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		numbers = append(numbers, n)
	}
	return numbers, rows.Err()
}

// duplicateGroup reads the live cadres holding an ID number, oldest first,
// each with the office that registered the number and the records about it.
func duplicateGroup(v *syncsvc.View, number string) (DuplicateGroup, error) {
	cs, err := cadres(v, "id_number=? ORDER BY id", number)
	if err != nil {
		return DuplicateGroup{}, err
	}
	var g DuplicateGroup
	first := map[uuid.UUID]syncsvc.Stamp{}
	for _, c := range cs {
		stamps, err := v.Stamps(CadresTable, c.ID)
		if err != nil {
			return DuplicateGroup{}, err
		}
		first[c.ID] = firstStamp(stamps)
		e := DuplicateEntry{Cadre: c}
		if st := stamps["id_number"]; !st.IsZero() {
			if e.Office, err = v.OfficeOfNode(st.Node); err != nil {
				return DuplicateGroup{}, err
			}
		}
		if e.Records, err = countAbout(v, c.ID); err != nil {
			return DuplicateGroup{}, err
		}
		g.Entries = append(g.Entries, e)
	}
	// Derived ids say nothing of time: the oldest is the record whose
	// earliest surviving field stamp is the earliest.
	sort.SliceStable(g.Entries, func(i, j int) bool {
		return first[g.Entries[i].Cadre.ID].Compare(first[g.Entries[j].Cadre.ID]) < 0
	})
	return g, nil
}

// firstStamp is the earliest of a record's field stamps.
func firstStamp(stamps map[string]syncsvc.Stamp) syncsvc.Stamp {
	var first syncsvc.Stamp
	for _, st := range stamps {
		if first.IsZero() || st.Compare(first) < 0 {
			first = st
		}
	}
	return first
}

// cadreRefTables are the record types that refer to a cadre by cadre_id.
var cadreRefTables = func() []string {
	var out []string
	for _, rt := range declared() {
		if _, ok := columns[rt.Name]["cadre_id"]; ok {
			out = append(out, rt.Name)
		}
	}
	return out
}()

// countAbout counts the live records that refer to a cadre.
func countAbout(rd syncsvc.Reader, id uuid.UUID) (int, error) {
	total := 0
	for _, t := range cadreRefTables {
		var n int
		if err := rd.QueryRow(fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE cadre_id=? AND _void IS NULL", t), id.String()).Scan(&n); err != nil {
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
		return 0, fmt.Errorf("resolve duplicate: %w: give a reason", syncsvc.ErrInvalidChange)
	}
	moved := 0
	err := r.Replica.Update(ctx, func(tx *syncsvc.Tx) error {
		k, errK := tx.Get(CadresTable, keep)
		d, errD := tx.Get(CadresTable, drop)
		for _, err := range []error{errK, errD} {
			if err != nil && !errors.Is(err, syncsvc.ErrNotFound) {
				return err
			}
		}
		number := newFieldReader(k).str("id_number")
		if keep == drop || errK != nil || errD != nil || k.VoidReason != "" || d.VoidReason != "" || number == "" || number != newFieldReader(d).str("id_number") {
			return ErrNotDuplicate
		}
		for _, t := range cadreRefTables {
			recs, err := tx.Query(t, "cadre_id=? ORDER BY id", drop.String())
			if err != nil {
				return err
			}
			for _, rec := range recs {
				if _, err := tx.PutValid(t, rec.ID, map[string]any{"cadre_id": keep.String()}); err != nil {
					return fmt.Errorf("re-point %s %s: %w", t, rec.ID, err)
				}
				moved++
			}
		}
		return tx.Void(CadresTable, drop, reason)
	})
	if err != nil {
		return 0, fmt.Errorf("resolve duplicate %s (keep %s): %w", drop, keep, err)
	}
	return moved, nil
}
