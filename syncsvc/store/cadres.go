package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
)

// CadresTable is the record type name of cadres.
const CadresTable = "cadres"

// CadreType declares how cadres are stored and merged. Fields that only make
// sense together are registers: the ID number with the birth date and
// gender it encodes; the Party membership with its date; the address with
// its coordinates; the status with its date. The community is the scope:
// changing it moves the cadre, and every record about the cadre, to
// another community.
func CadreType() syncsvc.RecordType {
	return syncsvc.RecordType{
		Name: CadresTable,
		Fields: []syncsvc.Field{
			syncsvc.Col("name", syncsvc.Text),
			syncsvc.Register("id_number", syncsvc.Column{Name: "id_number", Type: syncsvc.Text}, syncsvc.Column{Name: "birth_date", Type: syncsvc.Text}, syncsvc.Column{Name: "gender", Type: syncsvc.Text}),
			syncsvc.Col("category", syncsvc.Text),
			syncsvc.Col("retired_on", syncsvc.Text),
			syncsvc.Col("rank", syncsvc.Text),
			syncsvc.Register("party", syncsvc.Column{Name: "party", Type: syncsvc.Text}, syncsvc.Column{Name: "party_joined_on", Type: syncsvc.Text}),
			syncsvc.Col("health", syncsvc.Text),
			syncsvc.Col("living", syncsvc.Text),
			syncsvc.Col("children_nearby", syncsvc.Bool),
			syncsvc.Col("living_difficulty", syncsvc.Bool),
			syncsvc.Col("community", syncsvc.Text),
			syncsvc.Register("address", syncsvc.Column{Name: "address", Type: syncsvc.Text}, syncsvc.Column{Name: "lat", Type: syncsvc.Real}, syncsvc.Column{Name: "lng", Type: syncsvc.Real}),
			syncsvc.Col("phone", syncsvc.Text),
			syncsvc.Col("emergency_contact", syncsvc.Text),
			syncsvc.Col("original_unit", syncsvc.Text),
			syncsvc.Col("pension_fen", syncsvc.Integer),
			syncsvc.Register("status", syncsvc.Column{Name: "status", Type: syncsvc.Text}, syncsvc.Column{Name: "status_on", Type: syncsvc.Text}),
		},
		Scope:   syncsvc.ScopeByColumn("community"),
		Indexes: [][]string{{"id_number"}, {"community", "status"}, {"name"}},
	}
}

func text(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func dateText(d cadre.Date) any { return text(d.String()) }

// CadreValues is a cadre as the cadre record type stores it: one value per
// field of CadreType, a []any for a field of several columns. A program
// that writes cadres through the engine's own Put or Apply (a load test, a
// crash test) uses it to write exactly what PutCadre writes.
func CadreValues(c *cadre.Cadre) map[string]any { return cadreValues(c) }

func cadreValues(c *cadre.Cadre) map[string]any {
	m := make(map[string]any, cadreFields)
	cadreValuesInto(m, c)
	return m
}

// cadreFields is how many fields CadreType declares.
const cadreFields = 17

// cadreValuesInto sets in m the value of every field of c, as cadreValues
// gives them: a batch fills one map cadre after cadre (the engine keeps
// the values, not the map).
func cadreValuesInto(m map[string]any, c *cadre.Cadre) {
	var lat, lng any
	if c.Location != nil {
		lat, lng = c.Location.Lat, c.Location.Lng
	}
	m["name"] = text(c.Name)
	m["id_number"] = []any{text(c.IDNumber), dateText(c.BirthDate), text(string(c.Gender))}
	m["category"] = text(string(c.Category))
	m["retired_on"] = dateText(c.RetiredOn)
	m["rank"] = text(string(c.Rank))
	m["party"] = []any{text(string(c.Party)), dateText(c.PartyJoinedOn)}
	m["health"] = text(string(c.Health))
	m["living"] = text(string(c.Living))
	m["children_nearby"] = c.ChildrenNearby
	m["living_difficulty"] = c.Difficulty
	m["community"] = text(c.Community)
	m["address"] = []any{text(c.Address), lat, lng}
	m["phone"] = text(c.Phone)
	m["emergency_contact"] = text(c.EmergencyContact)
	m["original_unit"] = text(c.OriginalUnit)
	m["pension_fen"] = c.PensionFen
	m["status"] = []any{text(string(c.Status)), dateText(c.StatusOn)}
}

// cadreFromRecord reads a stored cadre; a date that does not read is
// reported (ErrCorrupt) with the rest of the cadre read.
func cadreFromRecord(rec syncsvc.Record) (cadre.Cadre, error) {
	return cadreFromColumns(recordColumns{rec: rec, pos: columns[rec.Type]})
}

// cadreFromColumns is cadreFromRecord read in place.
func cadreFromColumns(cols syncsvc.Columns) (cadre.Cadre, error) {
	d := fieldReader{cols: cols}
	c := cadre.Cadre{
		ID:               cols.ID(),
		Name:             d.str("name"),
		Gender:           cadre.Gender(d.str("gender")),
		IDNumber:         d.str("id_number"),
		BirthDate:        d.date("birth_date"),
		Category:         cadre.Category(d.str("category")),
		RetiredOn:        d.date("retired_on"),
		Rank:             cadre.Rank(d.str("rank")),
		Party:            cadre.Party(d.str("party")),
		PartyJoinedOn:    d.date("party_joined_on"),
		Health:           cadre.Health(d.str("health")),
		Living:           cadre.Living(d.str("living")),
		Community:        d.str("community"),
		Address:          d.str("address"),
		Phone:            d.str("phone"),
		EmergencyContact: d.str("emergency_contact"),
		OriginalUnit:     d.str("original_unit"),
		Status:           cadre.Status(d.str("status")),
		StatusOn:         d.date("status_on"),
		ChildrenNearby:   d.bool("children_nearby"),
		Difficulty:       d.bool("living_difficulty"),
		PensionFen:       d.int("pension_fen"),
		Location:         d.location("lat", "lng"),
	}
	if len(d.bad) > 0 {
		return c, fmt.Errorf("cadre %s: %w: stored dates unreadable: %s", cols.ID(), syncsvc.ErrCorrupt, strings.Join(d.bad, ", "))
	}
	return c, nil
}

// PutCadre validates a cadre (as of today in Asia/Shanghai) and stores it.
// A new cadre (zero ID) gets the id derived from its ID number with the
// district key (CadreIDFor), so that the same person registered on two
// computers is one record; a replica without the key yet gives a new UUID
// v7. Nothing is written when the record is invalid (a
// *cadre.ValidationError), or when the cadre is new or its ID number
// changes and another live record holds that number (a *DuplicateError
// naming that record). An edit that keeps the ID number is never refused
// for a number another record shares: two records of one person registered
// before they could be told apart stay editable until the hub's duplicate
// list joins them. Only the fields that change are stamped and logged;
// storing an unchanged record returns false and logs nothing. Recording a
// death or a move away ends the cadre's open branch memberships and 1对5
// pairs on that date, in the same transaction.
func (r *Replica) PutCadre(ctx context.Context, c *cadre.Cadre) (changed bool, err error) {
	err = r.Update(ctx, func(tx *Tx) error {
		changed, err = tx.PutCadre(c)
		return err
	})
	return changed, err
}

// PutCadre is Replica.PutCadre within the transaction.
func (tx *Tx) PutCadre(c *cadre.Cadre) (changed bool, err error) {
	if err := c.Validate(tx.Now()); err != nil {
		return false, fmt.Errorf("put cadre %s: %w", c.ID, err)
	}
	if err := checkOfficeCommunity(tx.Tx, c, false); err != nil { // refused.go
		return false, fmt.Errorf("put cadre %s: %w", c.ID, err)
	}
	number := cadre.NormalizeIDNumber(c.IDNumber)
	checkNumber := true
	if c.ID == uuid.Nil {
		id, taken, err := newCadreID(tx.Tx, number)
		if err != nil {
			return false, fmt.Errorf("put new cadre: %w", err)
		}
		if taken {
			return false, fmt.Errorf("put new cadre: %w", &syncsvc.DuplicateError{ExistingID: id})
		}
		c.ID = id
	} else {
		cur, err := tx.Get(CadresTable, c.ID)
		if err != nil && !errors.Is(err, syncsvc.ErrNotFound) {
			return false, fmt.Errorf("put cadre %s: %w", c.ID, err)
		}
		// An edit that keeps the number: another record with it is the
		// hub's duplicate list's business, not a reason to refuse the edit.
		checkNumber = err != nil || cur.VoidReason != "" || newFieldReader(cur).str("id_number") != number
	}
	if checkNumber {
		others, err := tx.Query(CadresTable, "id_number=? AND id<>? LIMIT 1", number, c.ID.String())
		if err != nil {
			return false, fmt.Errorf("put cadre %s: %w", c.ID, err)
		}
		if len(others) > 0 {
			return false, fmt.Errorf("put cadre %s: %w", c.ID, &syncsvc.DuplicateError{ExistingID: others[0].ID})
		}
	}
	if changed, err = putValues(tx.Tx, CadresTable, "cadre", c.ID, cadreValues(c)); err != nil {
		return false, err
	}
	if err := endMemberships(tx.Tx, *c); err != nil {
		return false, fmt.Errorf("put cadre %s: %w", c.ID, err)
	}
	if err := endPairs(tx.Tx, *c); err != nil {
		return false, fmt.Errorf("put cadre %s: %w", c.ID, err)
	}
	return changed, nil
}

// Cadre returns a live cadre by id: ErrNotFound when there is none, ErrVoided
// when it was voided.
func (r *Replica) Cadre(ctx context.Context, id uuid.UUID) (cadre.Cadre, error) {
	return r.Read(ctx).Cadre(id)
}

// Cadre is Replica.Cadre through the reader.
func (rd Reads) Cadre(id uuid.UUID) (cadre.Cadre, error) {
	return liveCadre(rd.rd, id)
}

// liveCadre reads a live cadre: ErrNotFound when there is none, ErrVoided
// when it was voided.
func liveCadre(rd syncsvc.Reader, id uuid.UUID) (cadre.Cadre, error) {
	rec, err := rd.Get(CadresTable, id)
	switch {
	case errors.Is(err, syncsvc.ErrNotFound):
		return cadre.Cadre{}, fmt.Errorf("cadre %s: %w", id, syncsvc.ErrNotFound)
	case err != nil:
		return cadre.Cadre{}, err
	case rec.VoidReason != "":
		return cadre.Cadre{}, fmt.Errorf("cadre %s: %w", id, syncsvc.ErrVoided)
	}
	return cadreFromRecord(rec)
}

// CadreByIDNumber returns the live cadre with the given ID number.
func (r *Replica) CadreByIDNumber(ctx context.Context, idNumber string) (cadre.Cadre, error) {
	return r.Read(ctx).CadreByIDNumber(idNumber)
}

// CadreByIDNumber is Replica.CadreByIDNumber through the reader.
func (rd Reads) CadreByIDNumber(idNumber string) (cadre.Cadre, error) {
	cs, err := cadres(rd.rd, "id_number=? ORDER BY id LIMIT 1", cadre.NormalizeIDNumber(idNumber))
	if err != nil {
		return cadre.Cadre{}, err
	}
	if len(cs) == 0 {
		return cadre.Cadre{}, fmt.Errorf("cadre by ID number %s: %w", cadre.MaskIDNumber(idNumber), syncsvc.ErrNotFound)
	}
	return cs[0], nil
}

// CadresByIDNumber returns the live cadres holding an ID number, by id:
// one, or more while a duplicate registration waits for the hub's
// duplicate list to join it.
func (r *Replica) CadresByIDNumber(ctx context.Context, idNumber string) ([]cadre.Cadre, error) {
	return r.Read(ctx).CadresByIDNumber(idNumber)
}

// CadresByIDNumber is Replica.CadresByIDNumber through the reader.
func (rd Reads) CadresByIDNumber(idNumber string) ([]cadre.Cadre, error) {
	return cadres(rd.rd, "id_number=? ORDER BY id", cadre.NormalizeIDNumber(idNumber))
}

// CadreFilter selects cadres to list; empty fields select all.
type CadreFilter struct {
	Community string
	Status    cadre.Status
}

// Cadres lists live cadres, by community then name.
func (r *Replica) Cadres(ctx context.Context, f CadreFilter) ([]cadre.Cadre, error) {
	return r.Read(ctx).Cadres(f)
}

// Cadres is Replica.Cadres through the reader.
func (rd Reads) Cadres(f CadreFilter) ([]cadre.Cadre, error) {
	var conds []string
	var args []any
	if f.Community != "" {
		conds = append(conds, "community=?")
		args = append(args, f.Community)
	}
	if f.Status != "" {
		conds = append(conds, "status=?")
		args = append(args, string(f.Status))
	}
	return cadres(rd.rd, strings.Join(append(conds, "1=1 ORDER BY community, name, id"), " AND "), args...)
}

// CompareCadres orders cadres as Cadres lists them: by community, then
// name, then id, each compared as SQLite compares the columns (their
// bytes; an id as its text, whose order is its bytes').
func CompareCadres(a, b cadre.Cadre) int {
	if c := strings.Compare(a.Community, b.Community); c != 0 {
		return c
	}
	if c := strings.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	return bytes.Compare(a.ID[:], b.ID[:])
}

// SearchCadres finds live cadres whose name contains query, or whose ID
// number starts with it, by name; at most limit (default 50).
func (r *Replica) SearchCadres(ctx context.Context, query string, limit int) ([]cadre.Cadre, error) {
	return r.Read(ctx).SearchCadres(query, limit)
}

// SearchCadres is Replica.SearchCadres through the reader.
func (rd Reads) SearchCadres(query string, limit int) ([]cadre.Cadre, error) {
	if limit <= 0 {
		limit = 50
	}
	q := strings.TrimSpace(query)
	if q == "" {
		return []cadre.Cadre{}, nil
	}
	esc := strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(q)
	return cadres(rd.rd, `(name LIKE ? ESCAPE '\' OR id_number LIKE ? ESCAPE '\') ORDER BY name, id LIMIT ?`,
		"%"+esc+"%", strings.ToUpper(esc)+"%", limit)
}

// VoidCadre voids a cadre entered by mistake. A cadre who died or moved
// away is not voided: set the status instead.
func (r *Replica) VoidCadre(ctx context.Context, id uuid.UUID, reason string) error {
	return r.Void(ctx, CadresTable, id, reason)
}

// cadres reads the live cadres a clause selects (syncsvc.Reader.Query).
func cadres(rd syncsvc.Reader, clause string, args ...any) ([]cadre.Cadre, error) {
	out := []cadre.Cadre{}
	err := rd.Scan(CadresTable, clause, args, func(cols syncsvc.Columns) error {
		c, err := cadreFromColumns(cols)
		out = append(out, c)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list cadres: %w", err)
	}
	return out, nil
}
