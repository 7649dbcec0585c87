package syncsvc

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
)

// CadresTable is the record type name of cadres.
const CadresTable = "cadres"

// CadreType declares how cadres are stored and merged. Fields that only make
// sense together are registers: the ID number with the birth date and
// gender it encodes; the Party membership with its date; the address with
// its coordinates; the status with its date. The community is the scope:
// changing it moves the cadre, and every record about the cadre, to
// another community.
func CadreType() RecordType {
	return RecordType{
		Name: CadresTable,
		Fields: []Field{
			Col("name", Text),
			Register("id_number", Column{"id_number", Text}, Column{"birth_date", Text}, Column{"gender", Text}),
			Col("category", Text),
			Col("retired_on", Text),
			Col("rank", Text),
			Register("party", Column{"party", Text}, Column{"party_joined_on", Text}),
			Col("health", Text),
			Col("living", Text),
			Col("children_nearby", Bool),
			Col("living_difficulty", Bool),
			Col("community", Text),
			Register("address", Column{"address", Text}, Column{"lat", Real}, Column{"lng", Real}),
			Col("phone", Text),
			Col("emergency_contact", Text),
			Col("original_unit", Text),
			Col("pension_fen", Integer),
			Register("status", Column{"status", Text}, Column{"status_on", Text}),
		},
		Scope:   ScopeByColumn("community"),
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

func cadreValues(c *cadre.Cadre) map[string]any {
	var lat, lng any
	if c.Location != nil {
		lat, lng = c.Location.Lat, c.Location.Lng
	}
	return map[string]any{
		"name":              text(c.Name),
		"id_number":         []any{text(c.IDNumber), dateText(c.BirthDate), text(string(c.Gender))},
		"category":          text(string(c.Category)),
		"retired_on":        dateText(c.RetiredOn),
		"rank":              text(string(c.Rank)),
		"party":             []any{text(string(c.Party)), dateText(c.PartyJoinedOn)},
		"health":            text(string(c.Health)),
		"living":            text(string(c.Living)),
		"children_nearby":   c.ChildrenNearby,
		"living_difficulty": c.Difficulty,
		"community":         text(c.Community),
		"address":           []any{text(c.Address), lat, lng},
		"phone":             text(c.Phone),
		"emergency_contact": text(c.EmergencyContact),
		"original_unit":     text(c.OriginalUnit),
		"pension_fen":       c.PensionFen,
		"status":            []any{text(string(c.Status)), dateText(c.StatusOn)},
	}
}

func cadreFromRow(row *row) (cadre.Cadre, error) {
	var bad []string
	date := func(col string) cadre.Date {
		s := row.str(col)
		if s == "" {
			return cadre.Date{}
		}
		d, err := cadre.ParseDate(s)
		if err != nil {
			bad = append(bad, col)
		}
		return d
	}
	c := cadre.Cadre{
		ID:               row.id,
		Name:             row.str("name"),
		Gender:           cadre.Gender(row.str("gender")),
		IDNumber:         row.str("id_number"),
		BirthDate:        date("birth_date"),
		Category:         cadre.Category(row.str("category")),
		RetiredOn:        date("retired_on"),
		Rank:             cadre.Rank(row.str("rank")),
		Party:            cadre.Party(row.str("party")),
		PartyJoinedOn:    date("party_joined_on"),
		Health:           cadre.Health(row.str("health")),
		Living:           cadre.Living(row.str("living")),
		Community:        row.str("community"),
		Address:          row.str("address"),
		Phone:            row.str("phone"),
		EmergencyContact: row.str("emergency_contact"),
		OriginalUnit:     row.str("original_unit"),
		Status:           cadre.Status(row.str("status")),
		StatusOn:         date("status_on"),
	}
	c.ChildrenNearby, _ = row.col("children_nearby").(bool)
	c.Difficulty, _ = row.col("living_difficulty").(bool)
	c.PensionFen, _ = row.col("pension_fen").(int64)
	lat, okLat := row.col("lat").(float64)
	lng, okLng := row.col("lng").(float64)
	if okLat && okLng {
		c.Location = &cadre.Location{Lat: lat, Lng: lng}
	}
	if len(bad) > 0 {
		return c, fmt.Errorf("cadre %s: %w: stored dates unreadable: %s", row.id, errCorrupt, strings.Join(bad, ", "))
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
	w := tx.w
	if err := c.Validate(w.r.now().In(Shanghai())); err != nil {
		return false, fmt.Errorf("put cadre %s: %w", c.ID, err)
	}
	if err := w.checkOfficeCommunity(c, false); err != nil { // refused.go
		return false, fmt.Errorf("put cadre %s: %w", c.ID, err)
	}
	number := cadre.NormalizeIDNumber(c.IDNumber)
	checkNumber := true
	if c.ID == uuid.Nil {
		id, taken, err := w.newCadreID(number)
		if err != nil {
			return false, fmt.Errorf("put new cadre: %w", err)
		}
		if taken {
			return false, fmt.Errorf("put new cadre: %w", &DuplicateError{ExistingID: id})
		}
		c.ID = id
	} else {
		cur, err := w.row(w.r.tables[CadresTable], c.ID)
		if err != nil {
			return false, fmt.Errorf("put cadre %s: %w", c.ID, err)
		}
		// An edit that keeps the number: another record with it is the
		// hub's duplicate list's business, not a reason to refuse the edit.
		checkNumber = !cur.exists || cur.voided() || cur.str("id_number") != number
	}
	if checkNumber {
		var other string
		err = w.QueryRowContext(w.ctx, "SELECT id FROM cadres WHERE id_number=? AND id<>? AND _void IS NULL LIMIT 1", number, c.ID.String()).Scan(&other)
		if err == nil {
			return false, fmt.Errorf("put cadre %s: %w", c.ID, &DuplicateError{ExistingID: uuid.MustParse(other)})
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return false, fmt.Errorf("put cadre %s: %w", c.ID, err)
		}
	}
	if changed, err = w.put(w.r.tables[CadresTable], c.ID, cadreValues(c)); err != nil {
		return false, fmt.Errorf("put cadre %s: %w", c.ID, err)
	}
	if err := w.endMemberships(*c); err != nil {
		return false, fmt.Errorf("put cadre %s: %w", c.ID, err)
	}
	if err := w.endPairs(*c); err != nil {
		return false, fmt.Errorf("put cadre %s: %w", c.ID, err)
	}
	return changed, nil
}

// Cadre returns a live cadre by id: ErrNotFound when there is none, ErrVoided
// when it was voided.
func (r *Replica) Cadre(ctx context.Context, id uuid.UUID) (cadre.Cadre, error) {
	return liveCadre(loadRow(ctx, r.rdb, r.tables[CadresTable], id))
}

// Cadre is Replica.Cadre within the transaction, its own writes included.
func (tx *Tx) Cadre(id uuid.UUID) (cadre.Cadre, error) {
	return liveCadre(tx.w.row(tx.w.r.tables[CadresTable], id))
}

// liveCadre is the cadre of a row read: ErrNotFound when there is none,
// ErrVoided when it was voided.
func liveCadre(row *row, err error) (cadre.Cadre, error) {
	switch {
	case err != nil:
		return cadre.Cadre{}, err
	case !row.exists:
		return cadre.Cadre{}, fmt.Errorf("cadre %s: %w", row.id, ErrNotFound)
	case row.voided():
		return cadre.Cadre{}, fmt.Errorf("cadre %s: %w", row.id, ErrVoided)
	}
	return cadreFromRow(row)
}

// CadreByIDNumber returns the live cadre with the given ID number.
func (r *Replica) CadreByIDNumber(ctx context.Context, idNumber string) (cadre.Cadre, error) {
	cs, err := r.cadres(ctx, r.rdb, "WHERE id_number=? AND _void IS NULL ORDER BY id LIMIT 1", cadre.NormalizeIDNumber(idNumber))
	if err != nil {
		return cadre.Cadre{}, err
	}
	if len(cs) == 0 {
		return cadre.Cadre{}, fmt.Errorf("cadre by ID number %s: %w", cadre.MaskIDNumber(idNumber), ErrNotFound)
	}
	return cs[0], nil
}

// CadresByIDNumber returns the live cadres holding an ID number, by id:
// one, or more while a duplicate registration waits for the hub's
// duplicate list to join it.
func (r *Replica) CadresByIDNumber(ctx context.Context, idNumber string) ([]cadre.Cadre, error) {
	return r.cadres(ctx, r.rdb, "WHERE id_number=? AND _void IS NULL ORDER BY id", cadre.NormalizeIDNumber(idNumber))
}

// CadreFilter selects cadres to list; empty fields select all.
type CadreFilter struct {
	Community string
	Status    cadre.Status
}

// Cadres lists live cadres, by community then name.
func (r *Replica) Cadres(ctx context.Context, f CadreFilter) ([]cadre.Cadre, error) {
	clause := "WHERE _void IS NULL"
	var args []any
	if f.Community != "" {
		clause += " AND community=?"
		args = append(args, f.Community)
	}
	if f.Status != "" {
		clause += " AND status=?"
		args = append(args, string(f.Status))
	}
	return r.cadres(ctx, r.rdb, clause+" ORDER BY community, name, id", args...)
}

// SearchCadres finds live cadres whose name contains query, or whose ID
// number starts with it, by name; at most limit (default 50).
func (r *Replica) SearchCadres(ctx context.Context, query string, limit int) ([]cadre.Cadre, error) {
	if limit <= 0 {
		limit = 50
	}
	q := strings.TrimSpace(query)
	if q == "" {
		return []cadre.Cadre{}, nil
	}
	esc := strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(q)
	return r.cadres(ctx, r.rdb, `WHERE _void IS NULL AND (name LIKE ? ESCAPE '\' OR id_number LIKE ? ESCAPE '\') ORDER BY name, id LIMIT ?`,
		"%"+esc+"%", strings.ToUpper(esc)+"%", limit)
}

// VoidCadre voids a cadre entered by mistake. A cadre who died or moved
// away is not voided: set the status instead.
func (r *Replica) VoidCadre(ctx context.Context, id uuid.UUID, reason string) error {
	return r.Void(ctx, CadresTable, id, reason)
}

func (r *Replica) cadres(ctx context.Context, q querier, clause string, args ...any) ([]cadre.Cadre, error) {
	rows, err := scanRows(ctx, q, r.tables[CadresTable], clause, args...)
	if err != nil {
		return nil, fmt.Errorf("list cadres: %w", err)
	}
	out := make([]cadre.Cadre, 0, len(rows))
	for _, row := range rows {
		c, err := cadreFromRow(row)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
