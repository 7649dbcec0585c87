package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
)

// Record type names of the care records.
const (
	HelpersTable       = "helpers"
	PairsTable         = "pairs"
	VisitsTable        = "visits"
	HospitalStaysTable = "hospital_stays"
	HelpCasesTable     = "help_cases"
)

// CareTypes declares the records of care work (关心照顾). Their scopes follow
// docs/architecture.md: helpers are district data, which every office reads and only
// the hub writes; a pair, a visit, a hospital stay and a help case are
// about a cadre and follow the cadre's community.
//
// Fields that only make sense together are registers, so that two
// concurrent edits never merge into a record neither wrote: a helper's
// base coordinates; the days a helper serves; a pair's span with the
// reason it ended; a hospital stay's admission with its discharge; a help
// case's status with its resolution and closing time. A help case's first
// action and its note stay fields of their own: an office recording an
// action or adding to the note while another closes the case keeps both.
func CareTypes() []syncsvc.RecordType {
	byCadre := syncsvc.ScopeByParent(CadresTable, "cadre_id")
	return []syncsvc.RecordType{
		{Name: HelpersTable, Fields: []syncsvc.Field{
			syncsvc.Col("name", syncsvc.Text),
			syncsvc.Register("base", syncsvc.Column{Name: "lat", Type: syncsvc.Real}, syncsvc.Column{Name: "lng", Type: syncsvc.Real}),
			syncsvc.Col("capacity", syncsvc.Integer),
			syncsvc.Register("active", syncsvc.Column{Name: "active_from", Type: syncsvc.Text}, syncsvc.Column{Name: "active_to", Type: syncsvc.Text}),
		}, Scope: syncsvc.ScopeDistrict()},
		{Name: PairsTable, Fields: []syncsvc.Field{
			syncsvc.Col("helper_id", syncsvc.Text), syncsvc.Col("cadre_id", syncsvc.Text),
			syncsvc.Register("span", syncsvc.Column{Name: "from_date", Type: syncsvc.Text}, syncsvc.Column{Name: "to_date", Type: syncsvc.Text}, syncsvc.Column{Name: "end_reason", Type: syncsvc.Text}),
			syncsvc.Col("reason", syncsvc.Text),
		}, Scope: byCadre, Indexes: [][]string{{"helper_id"}}},
		{Name: VisitsTable, Fields: []syncsvc.Field{
			syncsvc.Col("cadre_id", syncsvc.Text), syncsvc.Col("helper_id", syncsvc.Text), syncsvc.Col("kind", syncsvc.Text), syncsvc.Col("visited_on", syncsvc.Text), syncsvc.Col("notes", syncsvc.Text),
		}, Scope: byCadre, Indexes: [][]string{{"visited_on"}}},
		{Name: HospitalStaysTable, Fields: []syncsvc.Field{
			syncsvc.Col("cadre_id", syncsvc.Text),
			syncsvc.Register("stay", syncsvc.Column{Name: "admitted_on", Type: syncsvc.Text}, syncsvc.Column{Name: "discharged_on", Type: syncsvc.Text}),
		}, Scope: byCadre},
		{Name: HelpCasesTable, Fields: []syncsvc.Field{
			syncsvc.Col("cadre_id", syncsvc.Text), syncsvc.Col("kind", syncsvc.Text), syncsvc.Col("opened_at", syncsvc.Text), syncsvc.Col("urgent", syncsvc.Bool),
			syncsvc.Col("first_action_at", syncsvc.Text), syncsvc.Col("note", syncsvc.Text),
			syncsvc.Register("outcome", syncsvc.Column{Name: "status", Type: syncsvc.Text}, syncsvc.Column{Name: "resolution", Type: syncsvc.Text}, syncsvc.Column{Name: "closed_at", Type: syncsvc.Text}),
		}, Scope: byCadre, Indexes: [][]string{{"opened_at"}}},
	}
}

// ref is a reference from a record to another: the column holding it, the
// record type and noun of the record referred to, and its id.
type ref struct {
	col, table, noun string
	id               uuid.UUID
}

// requireRefs checks that the records a record refers to are here and live
// (ErrParentMissing), where the record is new or now refers to another
// one: a pair whose helper has since been voided can still be ended. A
// zero id refers to nothing.
func requireRefs(tx *syncsvc.Tx, table string, id uuid.UUID, refs ...ref) error {
	var stored *fieldReader
	if id != uuid.Nil {
		rec, err := tx.Get(table, id)
		switch {
		case err == nil:
			stored = newFieldReader(rec)
		case !errors.Is(err, syncsvc.ErrNotFound):
			return err
		}
	}
	for _, rf := range refs {
		if rf.id == uuid.Nil || (stored != nil && stored.str(rf.col) == rf.id.String()) {
			continue
		}
		if err := requireLive(tx, rf.table, rf.id); err != nil {
			return err
		}
	}
	return nil
}

// checkLife checks a record's dates against the life of the cadre it is
// about (care's CheckLife: not before birth, not after death but for a
// condolence). A cadre voided or not held here is not asked: requireRefs
// has answered for it, and an edit of a record about such a cadre is left
// to the rules that need no cadre.
func checkLife(tx *syncsvc.Tx, cadreID uuid.UUID, check func(cadre.Cadre) error) error {
	rec, err := tx.Get(CadresTable, cadreID)
	switch {
	case errors.Is(err, syncsvc.ErrNotFound):
		return nil
	case err != nil:
		return err
	case rec.VoidReason != "":
		return nil
	}
	c, err := cadreFromRecord(rec)
	if err != nil {
		return err
	}
	return check(c)
}

func cadreRef(id uuid.UUID) ref  { return ref{"cadre_id", CadresTable, "cadre", id} }
func helperRef(id uuid.UUID) ref { return ref{"helper_id", HelpersTable, "helper", id} }

var helperKind = kind[care.Helper]{
	table: HelpersTable, noun: "helper",
	id: func(h *care.Helper) *uuid.UUID { return &h.ID },
	values: func(h *care.Helper) map[string]any {
		lat, lng := locationValues(h.Base)
		return map[string]any{
			"name": text(h.Name), "base": []any{lat, lng}, "capacity": int64(h.Capacity),
			"active": []any{dateText(h.ActiveFrom), dateText(h.ActiveTo)},
		}
	},
	decode: func(d *fieldReader) care.Helper {
		return care.Helper{ID: d.id(), Name: d.str("name"), Base: d.location("lat", "lng"), Capacity: int(d.int("capacity")),
			ActiveFrom: d.date("active_from"), ActiveTo: d.date("active_to")}
	},
	check: func(tx *syncsvc.Tx, h *care.Helper) error {
		if tx.Role() != syncsvc.RoleHub {
			return fmt.Errorf("helpers are district data, written at the hub: %w", syncsvc.ErrNotHub)
		}
		return h.Validate()
	},
}

// PutHelper validates and stores a helper, giving it a new UUID v7 when its
// ID is zero. Helpers are district data: only the hub's replica writes
// them (ErrNotHub elsewhere), and every office receives them. To take a
// helper off the list, set ActiveTo; the next pairing ends the helper's
// pairs.
func (r *Replica) PutHelper(ctx context.Context, h *care.Helper) (bool, error) {
	return helperKind.putAlone(ctx, r, h)
}

// PutHelper is Replica.PutHelper within the transaction.
func (tx *Tx) PutHelper(h *care.Helper) (bool, error) { return helperKind.put(tx.Tx, h) }

// Helper returns a live helper by id.
func (r *Replica) Helper(ctx context.Context, id uuid.UUID) (care.Helper, error) {
	return r.Read(ctx).Helper(id)
}

// Helper is Replica.Helper through the reader.
func (rd Reads) Helper(id uuid.UUID) (care.Helper, error) {
	return helperKind.get(rd.rd, id)
}

// HelperFilter selects helpers; the zero filter selects all.
type HelperFilter struct {
	// ActiveOn, when set, selects the helpers who serve on that day.
	ActiveOn cadre.Date
}

// Helpers lists the live helpers by name.
func (r *Replica) Helpers(ctx context.Context, f HelperFilter) ([]care.Helper, error) {
	return r.Read(ctx).Helpers(f)
}

// Helpers is Replica.Helpers through the reader.
func (rd Reads) Helpers(f HelperFilter) ([]care.Helper, error) {
	return helpers(rd.rd, f)
}

func helpers(rd syncsvc.Reader, f HelperFilter) ([]care.Helper, error) {
	hs, err := helperKind.list(rd, "ORDER BY name, id")
	if err != nil || f.ActiveOn.IsZero() {
		return hs, err
	}
	return slices.DeleteFunc(hs, func(h care.Helper) bool { return !h.Active(f.ActiveOn) }), nil
}

var pairKind = kind[care.Pair]{
	table: PairsTable, noun: "pair",
	id: func(p *care.Pair) *uuid.UUID { return &p.ID },
	values: func(p *care.Pair) map[string]any {
		return map[string]any{
			"helper_id": idText(p.HelperID), "cadre_id": idText(p.CadreID),
			"span":   []any{dateText(p.From), dateText(p.To), text(string(p.EndReason))},
			"reason": text(string(p.Reason)),
		}
	},
	decode: func(d *fieldReader) care.Pair {
		return care.Pair{ID: d.id(), HelperID: d.uuid("helper_id"), CadreID: d.uuid("cadre_id"),
			From: d.date("from_date"), To: d.date("to_date"), Reason: cadre.Need(d.str("reason")), EndReason: care.EndReason(d.str("end_reason"))}
	},
	check: func(tx *syncsvc.Tx, p *care.Pair) error {
		if err := p.Validate(); err != nil {
			return err
		}
		return requireRefs(tx, PairsTable, p.ID, cadreRef(p.CadreID), helperRef(p.HelperID))
	},
}

// PutPair validates and stores a 1对5 pair of a helper and a cadre who are
// both here (ErrParentMissing otherwise). A pair is ended by storing it
// again with To and EndReason; a second pair of one cadre is not refused
// here but ended by the next pairing (care.EndDuplicate), since two offices
// may each record one while apart.
func (r *Replica) PutPair(ctx context.Context, p *care.Pair) (bool, error) {
	return pairKind.putAlone(ctx, r, p)
}

// PutPair is Replica.PutPair within the transaction.
func (tx *Tx) PutPair(p *care.Pair) (bool, error) { return pairKind.put(tx.Tx, p) }

// Pair returns a live pair by id.
func (r *Replica) Pair(ctx context.Context, id uuid.UUID) (care.Pair, error) {
	return r.Read(ctx).Pair(id)
}

// Pair is Replica.Pair through the reader.
func (rd Reads) Pair(id uuid.UUID) (care.Pair, error) {
	return pairKind.get(rd.rd, id)
}

// PairFilter selects pairs; zero fields select all.
type PairFilter struct {
	CadreID  uuid.UUID
	HelperID uuid.UUID
	// OpenOn, when set, selects the pairs in force on that day.
	OpenOn cadre.Date
}

// Pairs lists live pairs by cadre, then first day.
func (r *Replica) Pairs(ctx context.Context, f PairFilter) ([]care.Pair, error) {
	return r.Read(ctx).Pairs(f)
}

// Pairs is Replica.Pairs through the reader.
func (rd Reads) Pairs(f PairFilter) ([]care.Pair, error) {
	return pairs(rd.rd, f)
}

func pairs(rd syncsvc.Reader, f PairFilter) ([]care.Pair, error) {
	clause, args := byIDs(map[string]uuid.UUID{"cadre_id": f.CadreID, "helper_id": f.HelperID})
	if !f.OpenOn.IsZero() {
		// Dates are YYYY-MM-DD, which sort as text.
		clause += and(clause) + "from_date<=? AND (to_date IS NULL OR to_date>?) "
		args = append(args, f.OpenOn.String(), f.OpenOn.String())
	}
	return pairKind.list(rd, clause+"ORDER BY cadre_id, from_date, id", args...)
}

var visitKind = kind[care.Visit]{
	table: VisitsTable, noun: "visit",
	id: func(v *care.Visit) *uuid.UUID { return &v.ID },
	values: func(v *care.Visit) map[string]any {
		return map[string]any{
			"cadre_id": idText(v.CadreID), "helper_id": idText(v.By), "kind": text(string(v.Kind)),
			"visited_on": dateText(v.On), "notes": text(v.Notes),
		}
	},
	decode: func(d *fieldReader) care.Visit {
		return care.Visit{ID: d.id(), CadreID: d.uuid("cadre_id"), By: d.uuid("helper_id"), Kind: care.VisitKind(d.str("kind")),
			On: d.date("visited_on"), Notes: d.str("notes")}
	},
	check: func(tx *syncsvc.Tx, v *care.Visit) error {
		if err := v.Validate(tx.Now()); err != nil {
			return err
		}
		if err := requireRefs(tx, VisitsTable, v.ID, cadreRef(v.CadreID), helperRef(v.By)); err != nil {
			return err
		}
		return checkLife(tx, v.CadreID, v.CheckLife)
	},
}

// PutVisit validates (as of today in Asia/Shanghai) and stores a visit
// made to a cadre who is here, by a helper who is here or by someone not on
// the list (By zero). A visit is a fact of its own: each is a new record.
func (r *Replica) PutVisit(ctx context.Context, v *care.Visit) (bool, error) {
	return visitKind.putAlone(ctx, r, v)
}

// PutVisit is Replica.PutVisit within the transaction.
func (tx *Tx) PutVisit(v *care.Visit) (bool, error) { return visitKind.put(tx.Tx, v) }

// VisitFilter selects visits; zero fields select all.
type VisitFilter struct {
	CadreID uuid.UUID
	// By selects the visits a helper made.
	By uuid.UUID
	// From and To bound the day of the visit, inclusive, when set.
	From, To cadre.Date
}

// Visits lists live visits by day, then cadre.
func (r *Replica) Visits(ctx context.Context, f VisitFilter) ([]care.Visit, error) {
	return r.Read(ctx).Visits(f)
}

// Visits is Replica.Visits through the reader.
func (rd Reads) Visits(f VisitFilter) ([]care.Visit, error) {
	return visits(rd.rd, f)
}

func visits(rd syncsvc.Reader, f VisitFilter) ([]care.Visit, error) {
	clause, args := byIDs(map[string]uuid.UUID{"cadre_id": f.CadreID, "helper_id": f.By})
	if !f.From.IsZero() {
		clause += and(clause) + "visited_on>=? "
		args = append(args, f.From.String())
	}
	if !f.To.IsZero() {
		clause += and(clause) + "visited_on<=? "
		args = append(args, f.To.String())
	}
	return visitKind.list(rd, clause+"ORDER BY visited_on, cadre_id, id", args...)
}

var stayKind = kind[care.HospitalStay]{
	table: HospitalStaysTable, noun: "hospital stay",
	id: func(s *care.HospitalStay) *uuid.UUID { return &s.ID },
	values: func(s *care.HospitalStay) map[string]any {
		return map[string]any{"cadre_id": idText(s.CadreID), "stay": []any{dateText(s.Admitted), dateText(s.Discharged)}}
	},
	decode: func(d *fieldReader) care.HospitalStay {
		return care.HospitalStay{ID: d.id(), CadreID: d.uuid("cadre_id"), Admitted: d.date("admitted_on"), Discharged: d.date("discharged_on")}
	},
	check: func(tx *syncsvc.Tx, s *care.HospitalStay) error {
		if err := s.Validate(tx.Now()); err != nil {
			return err
		}
		if err := requireRefs(tx, HospitalStaysTable, s.ID, cadreRef(s.CadreID)); err != nil {
			return err
		}
		return checkLife(tx, s.CadreID, s.CheckLife)
	},
}

// PutHospitalStay validates (as of today in Asia/Shanghai) and stores a
// cadre's stay in hospital; the discharge is recorded by storing the stay
// again with its date.
func (r *Replica) PutHospitalStay(ctx context.Context, s *care.HospitalStay) (bool, error) {
	return stayKind.putAlone(ctx, r, s)
}

// PutHospitalStay is Replica.PutHospitalStay within the transaction.
func (tx *Tx) PutHospitalStay(s *care.HospitalStay) (bool, error) {
	return stayKind.put(tx.Tx, s)
}

// HospitalStays lists the live hospital stays of a cadre (everyone's for
// uuid.Nil), by cadre and day of admission.
func (r *Replica) HospitalStays(ctx context.Context, cadreID uuid.UUID) ([]care.HospitalStay, error) {
	return r.Read(ctx).HospitalStays(cadreID)
}

// HospitalStays is Replica.HospitalStays through the reader.
func (rd Reads) HospitalStays(cadreID uuid.UUID) ([]care.HospitalStay, error) {
	return stays(rd.rd, cadreID)
}

func stays(rd syncsvc.Reader, cadreID uuid.UUID) ([]care.HospitalStay, error) {
	clause, args := byIDs(map[string]uuid.UUID{"cadre_id": cadreID})
	return stayKind.list(rd, clause+"ORDER BY cadre_id, admitted_on, id", args...)
}

var helpKind = kind[care.HelpCase]{
	table: HelpCasesTable, noun: "help case",
	id: func(c *care.HelpCase) *uuid.UUID { return &c.ID },
	values: func(c *care.HelpCase) map[string]any {
		return map[string]any{
			"cadre_id": idText(c.CadreID), "kind": text(string(c.Kind)), "opened_at": instantText(c.Opened), "urgent": c.Urgent,
			"first_action_at": instantText(c.FirstActionAt), "note": text(c.Note),
			"outcome": []any{text(string(c.Status)), text(c.Resolution), instantText(c.Closed)},
		}
	},
	decode: func(d *fieldReader) care.HelpCase {
		return care.HelpCase{ID: d.id(), CadreID: d.uuid("cadre_id"), Kind: care.HelpKind(d.str("kind")), Opened: d.instant("opened_at"),
			Urgent: d.bool("urgent"), Status: care.HelpStatus(d.str("status")), FirstActionAt: d.instant("first_action_at"),
			Note: d.str("note"), Resolution: d.str("resolution"), Closed: d.instant("closed_at")}
	},
	check: func(tx *syncsvc.Tx, c *care.HelpCase) error {
		for _, t := range []*time.Time{&c.Opened, &c.FirstActionAt, &c.Closed} {
			*t = shanghaiInstant(*t)
		}
		if err := c.Validate(tx.Now()); err != nil {
			return err
		}
		if err := requireRefs(tx, HelpCasesTable, c.ID, cadreRef(c.CadreID)); err != nil {
			return err
		}
		return checkLife(tx, c.CadreID, c.CheckLife)
	},
}

// PutHelpCase validates (as of now) and stores a help case about a cadre
// who is here. Its times are kept to the nanosecond and read back in
// Asia/Shanghai; c's own times are converted likewise, so that c equals
// what HelpCase returns.
func (r *Replica) PutHelpCase(ctx context.Context, c *care.HelpCase) (bool, error) {
	return helpKind.putAlone(ctx, r, c)
}

// PutHelpCase is Replica.PutHelpCase within the transaction.
func (tx *Tx) PutHelpCase(c *care.HelpCase) (bool, error) { return helpKind.put(tx.Tx, c) }

// HelpCase returns a live help case by id.
func (r *Replica) HelpCase(ctx context.Context, id uuid.UUID) (care.HelpCase, error) {
	return r.Read(ctx).HelpCase(id)
}

// HelpCase is Replica.HelpCase through the reader.
func (rd Reads) HelpCase(id uuid.UUID) (care.HelpCase, error) {
	return helpKind.get(rd.rd, id)
}

// HelpFilter selects help cases; zero fields select all.
type HelpFilter struct {
	CadreID uuid.UUID
	// Open selects the cases not closed (neither resolved nor explained).
	Open bool
}

// HelpCases lists live help cases by the time they were opened.
func (r *Replica) HelpCases(ctx context.Context, f HelpFilter) ([]care.HelpCase, error) {
	return r.Read(ctx).HelpCases(f)
}

// HelpCases is Replica.HelpCases through the reader.
func (rd Reads) HelpCases(f HelpFilter) ([]care.HelpCase, error) {
	clause, args := byIDs(map[string]uuid.UUID{"cadre_id": f.CadreID})
	cs, err := helpKind.list(rd.rd, clause+"ORDER BY opened_at, id", args...)
	if err != nil || !f.Open {
		return cs, err
	}
	return slices.DeleteFunc(cs, func(c care.HelpCase) bool { return c.Status.Closed() }), nil
}

// AssignInput reads what care.Assign pairs from on the date on: every live
// cadre, every helper, and the pairs not ended by then, as one consistent
// read. On the hub that is the whole district; an office holds only its
// communities' pairs, so its helpers would look freer than they are:
// pairing is the hub's job.
func (r *Replica) AssignInput(ctx context.Context, on cadre.Date) (care.AssignInput, error) {
	in := care.AssignInput{On: on}
	err := r.View(ctx, func(v *syncsvc.View) error {
		var err error
		if in.Cadres, err = cadres(v, "ORDER BY id"); err != nil {
			return err
		}
		if in.Helpers, err = helperKind.list(v, "ORDER BY id"); err != nil {
			return err
		}
		in.Pairs, err = pairKind.list(v, "(to_date IS NULL OR to_date>?) ORDER BY id", on.String())
		return err
	})
	if err != nil {
		return care.AssignInput{On: on}, fmt.Errorf("read assign input: %w", err)
	}
	return in, nil
}

// PairingApplied counts what ApplyPairing wrote.
type PairingApplied struct {
	PairsEnded   int `json:"pairs_ended"`
	PairsCreated int `json:"pairs_created"`
}

// ApplyPairing writes what care.Assign decided, in one transaction, as
// ordinary changes that the offices pull: each ended pair gets its end date
// and reason, each new pair is stored with a new UUID v7, and kept pairs are
// left alone. Nothing is written if any part fails.
//
// A pair that already ended no later than the result says keeps its end,
// and a voided pair is passed over; a new pair is not created when a live
// pair of the same helper and cadre is still in force on its first day or
// after. So applying the same result twice writes nothing the second time.
// Whether pairs may be moved between helpers is decided before, by the
// settings Assign ran with (care.AssignSettings.Rebalance).
func (r *Replica) ApplyPairing(ctx context.Context, res care.AssignResult) (PairingApplied, error) {
	var out PairingApplied
	err := r.Replica.Update(ctx, func(tx *syncsvc.Tx) error {
		out = PairingApplied{}
		for _, e := range res.Ended {
			ended, err := endPair(tx, e)
			if err != nil {
				return err
			}
			if ended {
				out.PairsEnded++
			}
		}
		for _, a := range res.Pairs {
			if !a.New {
				continue
			}
			open, err := pairOpenFrom(tx, a.HelperID, a.CadreID, a.From)
			if err != nil {
				return err
			}
			if open {
				continue
			}
			p := a.Pair
			if _, err := pairKind.put(tx, &p); err != nil {
				return err
			}
			out.PairsCreated++
		}
		return nil
	})
	if err != nil {
		return PairingApplied{}, fmt.Errorf("apply pairing: %w", err)
	}
	return out, nil
}

// endPair stores the end of a pair that Assign ended, unless the stored
// pair already ended by then or was voided. The helper and cadre are not
// required to be here: a pair ends because one of them left.
func endPair(tx *syncsvc.Tx, e care.Pair) (bool, error) {
	p, err := pairKind.get(tx, e.ID)
	switch {
	case errors.Is(err, syncsvc.ErrVoided):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("end pair: %w", err)
	case !p.To.IsZero() && !p.To.After(e.To):
		return false, nil
	}
	p.To, p.EndReason = e.To, e.EndReason
	if err := p.Validate(); err != nil {
		return false, fmt.Errorf("end pair %s: %w", p.ID, err)
	}
	changed, err := putValues(tx, PairsTable, "pair", p.ID, pairKind.values(&p))
	if err != nil {
		return false, fmt.Errorf("end pair %s: %w", p.ID, err)
	}
	return changed, nil
}

// pairOpenFrom reports whether a live pair of the helper and the cadre is
// in force on the day from or later.
func pairOpenFrom(tx *syncsvc.Tx, helperID, cadreID uuid.UUID, from cadre.Date) (bool, error) {
	ps, err := pairs(tx, PairFilter{CadreID: cadreID, HelperID: helperID})
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(ps, func(p care.Pair) bool { return p.To.IsZero() || p.To.After(from) }), nil
}

// endPairs ends, in w's transaction, the pairs of a cadre who died or moved
// away that are still open on that date (care.EndPairs).
func endPairs(tx *syncsvc.Tx, c cadre.Cadre) error {
	if c.Status != cadre.StatusDeceased && c.Status != cadre.StatusMoved {
		return nil
	}
	ps, err := pairs(tx, PairFilter{CadreID: c.ID})
	if err != nil {
		return err
	}
	for _, p := range care.EndPairs(c, ps) {
		if _, err := putValues(tx, PairsTable, "pair", p.ID, pairKind.values(&p)); err != nil {
			return fmt.Errorf("end pair %s: %w", p.ID, err)
		}
	}
	return nil
}

// ScheduleRecords reads what care.Schedule needs about one cadre: the
// cadre's pairs, visits and hospital stays, and when the cadre, its status
// and each stay were recorded (knownFrom), as one consistent read. The
// cadre must be here (ErrNotFound, ErrVoided).
func (r *Replica) ScheduleRecords(ctx context.Context, cadreID uuid.UUID) (care.Records, error) {
	var rec care.Records
	err := r.View(ctx, func(v *syncsvc.View) error {
		if _, err := liveCadre(v, cadreID); err != nil {
			return err
		}
		var err error
		if rec.Pairs, err = pairs(v, PairFilter{CadreID: cadreID}); err != nil {
			return err
		}
		if rec.Visits, err = visits(v, VisitFilter{CadreID: cadreID}); err != nil {
			return err
		}
		if rec.Stays, err = stays(v, cadreID); err != nil {
			return err
		}
		st, err := v.Stamps(CadresTable, cadreID)
		if err != nil {
			return err
		}
		rec.Registered, rec.StatusRecorded = cadreKnown(st)
		for _, s := range rec.Stays {
			st, err := v.Stamps(HospitalStaysTable, s.ID)
			if err != nil {
				return err
			}
			recordStay(&rec, s, st)
		}
		return nil
	})
	if err != nil {
		return care.Records{}, fmt.Errorf("read schedule records: %w", err)
	}
	return rec, nil
}

// ScheduleRecordsByCadre reads what care.Schedule needs about every cadre
// of the replica, by cadre id, as one consistent read: five queries in
// all, rather than five a cadre. Every live cadre has an entry, with the
// days it and its stays were recorded (see ScheduleRecords).
func (r *Replica) ScheduleRecordsByCadre(ctx context.Context) (map[uuid.UUID]care.Records, error) {
	out := map[uuid.UUID]care.Records{}
	err := r.View(ctx, func(tx *syncsvc.View) error {
		for _, table := range ScheduleTables {
			if err := scheduleRecordsPart(tx, table, out); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read schedule records: %w", err)
	}
	return out, nil
}

// ScheduleTables are the tables ScheduleRecordsByCadre reads, each of
// which ScheduleRecordsParts reads as a part of its own.
var ScheduleTables = []string{PairsTable, VisitsTable, HospitalStaysTable, CadresTable}

// ScheduleRecordsParts reads, as one consistent read, the parts of
// ScheduleRecordsByCadre that the given tables of ScheduleTables hold, by
// table, each by cadre id: the pairs (PairsTable), the visits
// (VisitsTable), the stays and when they were recorded
// (HospitalStaysTable), or when each live cadre and its status were
// recorded (CadresTable); a part leaves the other fields zero. A reader
// that keeps the records (the office desk) reads again only the parts
// whose tables were written, and MergeScheduleRecords puts the parts
// together as ScheduleRecordsByCadre reads them.
func (r *Replica) ScheduleRecordsParts(ctx context.Context, tables ...string) (map[string]map[uuid.UUID]care.Records, error) {
	out := make(map[string]map[uuid.UUID]care.Records, len(tables))
	err := r.View(ctx, func(tx *syncsvc.View) error {
		for _, table := range tables {
			part := map[uuid.UUID]care.Records{}
			if err := scheduleRecordsPart(tx, table, part); err != nil {
				return err
			}
			out[table] = part
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read schedule records: %w", err)
	}
	return out, nil
}

// MergeScheduleRecords puts together the parts ScheduleRecordsParts read,
// one of each of ScheduleTables, into a new map. The records' slices and
// maps are the parts': read them, never change them.
func MergeScheduleRecords(parts ...map[uuid.UUID]care.Records) map[uuid.UUID]care.Records {
	n := 0
	for _, p := range parts {
		n = max(n, len(p))
	}
	out := make(map[uuid.UUID]care.Records, n)
	for _, p := range parts {
		for id, rec := range p {
			o := out[id]
			if rec.Pairs != nil {
				o.Pairs = rec.Pairs
			}
			if rec.Visits != nil {
				o.Visits = rec.Visits
			}
			if rec.Stays != nil {
				o.Stays, o.StaysRecorded = rec.Stays, rec.StaysRecorded
			}
			if !rec.Registered.IsZero() {
				o.Registered = rec.Registered
			}
			if !rec.StatusRecorded.IsZero() {
				o.StatusRecorded = rec.StatusRecorded
			}
			out[id] = o
		}
	}
	return out
}

// scheduleRecordsPart reads into out the part of the schedule records
// that table holds (ScheduleRecordsParts).
func scheduleRecordsPart(tx *syncsvc.View, table string, out map[uuid.UUID]care.Records) error {
	switch table {
	case PairsTable:
		ps, err := pairs(tx, PairFilter{})
		if err != nil {
			return err
		}
		for _, p := range ps {
			rec := out[p.CadreID]
			rec.Pairs = append(rec.Pairs, p)
			out[p.CadreID] = rec
		}
		return nil
	case VisitsTable:
		vs, err := visitKind.list(tx, "ORDER BY cadre_id, visited_on, id")
		if err != nil {
			return err
		}
		for _, v := range vs {
			rec := out[v.CadreID]
			rec.Visits = append(rec.Visits, v)
			out[v.CadreID] = rec
		}
		return nil
	case HospitalStaysTable:
		ss, err := stays(tx, uuid.Nil)
		if err != nil {
			return err
		}
		byID := make(map[uuid.UUID]care.HospitalStay, len(ss))
		for _, s := range ss {
			rec := out[s.CadreID]
			rec.Stays = append(rec.Stays, s)
			out[s.CadreID] = rec
			byID[s.ID] = s
		}
		return tx.EachStamps(HospitalStaysTable, func(id uuid.UUID, st map[string]syncsvc.Stamp) error {
			s, ok := byID[id]
			if !ok {
				return nil
			}
			rec := out[s.CadreID]
			recordStay(&rec, s, st)
			out[s.CadreID] = rec
			return nil
		})
	case CadresTable:
		return tx.EachStamps(CadresTable, cadresKnownInto(out))
	}
	return fmt.Errorf("%s holds no schedule records", table)
}

// cadresKnownInto returns the function that notes in out, by cadre id,
// the days a cadre was registered and its status recorded, from its
// stamps: the CadresTable part of the schedule records.
func cadresKnownInto(out map[uuid.UUID]care.Records) func(id uuid.UUID, st map[string]syncsvc.Stamp) error {
	return func(id uuid.UUID, st map[string]syncsvc.Stamp) error {
		rec := out[id]
		rec.Registered, rec.StatusRecorded = cadreKnown(st)
		out[id] = rec
		return nil
	}
}

// CadresOf reads, as one consistent read, the live cadres among ids, in
// the order Cadres lists them (CompareCadres), and their part of the
// schedule records by id (ScheduleRecordsParts' CadresTable part for
// them alone): one query for each 500 ids of each. An id of no live
// cadre (voided, or never stored) is in neither. A reader that keeps
// every cadre (the office desk's memo) reads again only the cadres a
// commit changed (syncsvc.Commit.Records).
func (r *Replica) CadresOf(ctx context.Context, ids []uuid.UUID) ([]cadre.Cadre, map[uuid.UUID]care.Records, error) {
	var cs []cadre.Cadre
	part := make(map[uuid.UUID]care.Records, len(ids))
	err := r.View(ctx, func(tx *syncsvc.View) error {
		for start := 0; start < len(ids); start += batchChunk {
			list, err := json.Marshal(ids[start:min(start+batchChunk, len(ids))])
			if err != nil {
				return err
			}
			some, err := cadres(tx, "id IN (SELECT value FROM json_each(?))", string(list))
			if err != nil {
				return err
			}
			cs = append(cs, some...)
		}
		return tx.EachStampsOf(CadresTable, ids, cadresKnownInto(part))
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read cadres by id: %w", err)
	}
	slices.SortFunc(cs, CompareCadres)
	return cs, part, nil
}

// A visit is owed from the day it could be known (care.Records): the
// replica knows when each record was written from its fields' stamps,
// which every replica keeps as the writer made them.

// stampDay is the day in Asia/Shanghai of a stamp's physical time.
func stampDay(st syncsvc.Stamp) cadre.Date {
	if st.IsZero() {
		return cadre.Date{}
	}
	return cadre.DateOf(st.Time().In(syncsvc.Shanghai()))
}

// cadreKnown returns the day a cadre was registered (its earliest standing
// field stamp: when it was first written, unless every field has been
// written since, which then owes less, never more) and the day its status
// was last written.
func cadreKnown(st map[string]syncsvc.Stamp) (registered, status cadre.Date) {
	return stampDay(firstStamp(st)), stampDay(st["status"])
}

// recordStay notes in rec when stay s was recorded: its admission when the
// record was first written, its discharge when its dates last were, once
// it has a discharge.
func recordStay(rec *care.Records, s care.HospitalStay, st map[string]syncsvc.Stamp) {
	k := care.StayRecorded{Admission: stampDay(firstStamp(st))}
	if !s.Discharged.IsZero() {
		k.Discharge = stampDay(st["stay"])
	}
	if rec.StaysRecorded == nil {
		rec.StaysRecorded = map[uuid.UUID]care.StayRecorded{}
	}
	rec.StaysRecorded[s.ID] = k
}
