package desk

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/settings"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// Today is the civil day in Shanghai at now.
func Today(now time.Time) cadre.Date { return cadre.DateOf(now.In(syncsvc.Shanghai())) }

// notAfter refuses a day after today for something that has happened.
func notAfter(what string, on cadre.Date, now time.Time) error {
	if today := Today(now); on.After(today) {
		return fmt.Errorf("%s %s: %w (today is %s)", what, on, ErrFuture, today)
	}
	return nil
}

// HelperNames maps the helpers held in the replica to their names.
func HelperNames(ctx context.Context, rep *store.Replica) (map[uuid.UUID]string, error) {
	hs, err := rep.Helpers(ctx, store.HelperFilter{})
	if err != nil {
		return nil, fmt.Errorf("helper names: %w", err)
	}
	out := make(map[uuid.UUID]string, len(hs))
	for _, h := range hs {
		out[h.ID] = h.Name
	}
	return out, nil
}

// HelperOn is the helper paired with a cadre on a day, from the cadre's
// pairs, or uuid.Nil when none is.
func HelperOn(pairs []care.Pair, on cadre.Date) uuid.UUID {
	for _, p := range pairs {
		if p.InForce(on) {
			return p.HelperID
		}
	}
	return uuid.Nil
}

// DueVisit is one visit owed to a cadre, with who is paired with the cadre
// on the day asked for.
type DueVisit struct {
	// Due is the visit owed; Due.SatisfiedBy is the visit that counted,
	// if one did.
	Due care.Due
	// Cadre is the cadre owed it.
	Cadre cadre.Cadre
	// Helper is the helper paired with the cadre on the day, uuid.Nil when
	// none is.
	Helper uuid.UUID
}

// DueVisits is what VisitsDue found.
type DueVisits struct {
	// On is the day the list is for.
	On cadre.Date
	// Dues are the visits owed, cadre by cadre in the replica's order,
	// each cadre's in the order care.Schedule gives.
	Dues []DueVisit
	// HelperNames are the names of the helpers held here, by id.
	HelperNames map[uuid.UUID]string
}

// VisitsDue lists the visits owed around a day to every cadre held in the
// replica, under the district's schedule settings: those made (with the
// visit that counted) only when all is set.
func VisitsDue(ctx context.Context, rep *store.Replica, on cadre.Date, all bool) (DueVisits, error) {
	return visitsDue(ctx, rep, new(roll), on, all, nil, nil)
}

// visitsDue is VisitsDue, every cadre and its records read through r.
// kept, when not nil, gives the dues of a cadre worked out before for the
// same day and all, which stand: its record, its schedule records, the
// helpers and the settings unchanged since (a Memo's roll after an edit of
// other cadres); by, when not nil, is given every cadre's dues by id.
func visitsDue(ctx context.Context, rep *store.Replica, r *roll, on cadre.Date, all bool,
	kept func(uuid.UUID) ([]DueVisit, bool), by map[uuid.UUID][]DueVisit) (DueVisits, error) {
	cs, err := r.everyCadre(ctx, rep)
	if err != nil {
		return DueVisits{}, fmt.Errorf("visits due: %w", err)
	}
	recs, err := r.scheduleRecords(ctx, rep)
	if err != nil {
		return DueVisits{}, fmt.Errorf("visits due: %w", err)
	}
	names, err := HelperNames(ctx, rep)
	if err != nil {
		return DueVisits{}, err
	}
	rules, err := settings.Load(ctx, rep)
	if err != nil {
		return DueVisits{}, err
	}
	out := DueVisits{On: on, Dues: []DueVisit{}, HelperNames: names}
	for _, c := range cs {
		var ds []DueVisit
		ok := false
		if kept != nil {
			ds, ok = kept(c.ID)
		}
		if !ok {
			rec := recs[c.ID]
			helper := HelperOn(rec.Pairs, on)
			for _, d := range care.Schedule(c, rec, on, rules.Schedule) {
				if all || d.SatisfiedBy == nil {
					ds = append(ds, DueVisit{Due: d, Cadre: c, Helper: helper})
				}
			}
		}
		if by != nil {
			by[c.ID] = ds
		}
		out.Dues = append(out.Dues, ds...)
	}
	return out, nil
}

// VisitInput is a visit made.
type VisitInput struct {
	// CadreID is the cadre visited.
	CadreID uuid.UUID
	// Kind is how the visit was made.
	Kind care.VisitKind
	// On is the day of the visit, not after today.
	On cadre.Date
	// By is the helper who made it, uuid.Nil for someone not on the helper
	// list.
	By uuid.UUID
	// Notes are what was found and what was promised.
	Notes string
}

// RecordedVisit is a visit recorded and the visits owed it counts for.
type RecordedVisit struct {
	// Visit is the record as stored, with its id.
	Visit care.Visit
	// Cadre is the cadre visited.
	Cadre cadre.Cadre
	// Satisfies are the visits owed that this visit now counts for, as of
	// today (or the day of the visit, when later).
	Satisfies []DueVisit
	// HelperNames are the names of the helpers held here, by id.
	HelperNames map[uuid.UUID]string
}

// RecordVisit records a visit made to a cadre and reports the visits owed
// that it counts for. A day after today wraps ErrFuture; a visit the care
// package refuses wraps its validation error; a cadre not held here,
// syncsvc.ErrNotFound.
func RecordVisit(ctx context.Context, rep *store.Replica, now time.Time, in VisitInput) (RecordedVisit, error) {
	if err := notAfter("visit on", in.On, now); err != nil {
		return RecordedVisit{}, err
	}
	v := care.Visit{CadreID: in.CadreID, Kind: in.Kind, On: in.On, By: in.By, Notes: strings.TrimSpace(in.Notes)}
	var c cadre.Cadre
	err := rep.Update(ctx, func(tx *store.Tx) (err error) {
		if c, err = tx.Cadre(in.CadreID); err != nil {
			return err
		}
		_, err = tx.PutVisit(&v)
		return err
	})
	if err != nil {
		return RecordedVisit{}, fmt.Errorf("record visit: %w", err)
	}
	out := RecordedVisit{Visit: v, Cadre: c, Satisfies: []DueVisit{}}
	asOf := Today(now)
	if v.On.After(asOf) {
		asOf = v.On
	}
	dues, names, err := scheduleOf(ctx, rep, c, asOf)
	if err != nil {
		return out, fmt.Errorf("record visit: %w", err)
	}
	out.HelperNames = names
	for _, d := range dues {
		if d.Due.SatisfiedBy != nil && d.Due.SatisfiedBy.ID == v.ID {
			out.Satisfies = append(out.Satisfies, d)
		}
	}
	return out, nil
}

// scheduleOf is the visits owed to one cadre on a day, and the helpers'
// names.
func scheduleOf(ctx context.Context, rep *store.Replica, c cadre.Cadre, on cadre.Date) ([]DueVisit, map[uuid.UUID]string, error) {
	rec, err := rep.ScheduleRecords(ctx, c.ID)
	if err != nil {
		return nil, nil, err
	}
	names, err := HelperNames(ctx, rep)
	if err != nil {
		return nil, nil, err
	}
	rules, err := settings.Load(ctx, rep)
	if err != nil {
		return nil, nil, err
	}
	helper := HelperOn(rec.Pairs, on)
	var out []DueVisit
	for _, d := range care.Schedule(c, rec, on, rules.Schedule) {
		out = append(out, DueVisit{Due: d, Cadre: c, Helper: helper})
	}
	return out, names, nil
}
