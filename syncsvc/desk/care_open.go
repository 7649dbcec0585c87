package desk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/report/display"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// ErrBadTime: a time is not written "YYYY-MM-DD HH:MM".
var ErrBadTime = errors.New(`want "YYYY-MM-DD HH:MM", e.g. "2026-11-28 09:30"`)

// ParseCivilTime reads a time as people write it in Shanghai: "YYYY-MM-DD
// HH:MM", spaces folded, a "T" between the day and the time allowed (as a
// browser's datetime field sends it). Anything else wraps ErrBadTime,
// worded in Chinese too.
func ParseCivilTime(s string) (time.Time, error) {
	s = strings.Join(strings.Fields(strings.Replace(s, "T", " ", 1)), " ")
	t, err := time.ParseInLocation(display.TimeLayout, s, syncsvc.Shanghai())
	if err != nil {
		return time.Time{}, cadre.WordedZH(ErrBadTime, `应写成 "YYYY-MM-DD HH:MM"（北京时间），如 "2026-11-28 09:30"`)
	}
	return t, nil
}

// OpenStay is a hospital stay not ended on a day.
type OpenStay struct {
	// Stay is the stay as stored.
	Stay care.HospitalStay
	// Cadre is the cadre in hospital.
	Cadre cadre.Cadre
	// Days is how many days since the admission, on the day asked for.
	Days int
}

// InHospital lists the cadres held here who are in hospital on a day: the
// stays admitted by then and not discharged by then, the longest first,
// at most limit of them (every one when limit is not positive); total
// counts them all.
func InHospital(ctx context.Context, rep *store.Replica, on cadre.Date, limit int) (stays []OpenStay, total int, err error) {
	all, err := rep.HospitalStays(ctx, uuid.Nil)
	if err != nil {
		return nil, 0, fmt.Errorf("in hospital: %w", err)
	}
	var open []care.HospitalStay
	for _, s := range all {
		if !s.Admitted.After(on) && (s.Discharged.IsZero() || s.Discharged.After(on)) {
			open = append(open, s)
		}
	}
	slices.SortStableFunc(open, func(a, b care.HospitalStay) int { return a.Admitted.Compare(b.Admitted) })
	stays = []OpenStay{}
	for _, s := range open {
		if limit > 0 && len(stays) == limit {
			break
		}
		c, err := rep.Cadre(ctx, s.CadreID)
		if errors.Is(err, syncsvc.ErrNotFound) || errors.Is(err, syncsvc.ErrVoided) {
			continue
		}
		if err != nil {
			return nil, 0, fmt.Errorf("in hospital: %w", err)
		}
		stays = append(stays, OpenStay{Stay: s, Cadre: c, Days: on.DaysSince(s.Admitted)})
	}
	return stays, len(open), nil
}

// VisitView is a visit made, with who was visited and who went.
type VisitView struct {
	// Visit is the record as stored.
	Visit care.Visit
	// Cadre is the cadre visited.
	Cadre MemberRef
	// ByName is the helper's name; "" for someone not on the helper list,
	// or a helper not held here (By set).
	ByName string
}

// ByHelper reports whether a helper on the helper list made the visit
// (named by ByName when held here).
func (v VisitView) ByHelper() bool { return v.Visit.By != uuid.Nil }

// ListVisits lists the visits the filter selects, the latest first, with
// the names of the cadres and helpers: at most limit of them (every one
// when limit is not positive); total counts them all.
func ListVisits(ctx context.Context, rep *store.Replica, f store.VisitFilter, limit int) (visits []VisitView, total int, err error) {
	vs, err := rep.Visits(ctx, f)
	if err != nil {
		return nil, 0, fmt.Errorf("list visits: %w", err)
	}
	slices.SortStableFunc(vs, func(a, b care.Visit) int { return b.On.Compare(a.On) })
	total = len(vs)
	if limit > 0 && len(vs) > limit {
		vs = vs[:limit]
	}
	ids := make([]uuid.UUID, 0, len(vs))
	for _, v := range vs {
		ids = append(ids, v.CadreID)
	}
	ppl, err := CadresOf(ctx, rep, ids)
	if err != nil {
		return nil, 0, fmt.Errorf("list visits: %w", err)
	}
	names, err := HelperNames(ctx, rep)
	if err != nil {
		return nil, 0, err
	}
	visits = make([]VisitView, 0, len(vs))
	for _, v := range vs {
		visits = append(visits, VisitView{Visit: v, Cadre: heldPeople(ppl).ref(v.CadreID), ByName: names[v.By]})
	}
	return visits, total, nil
}

// HelpCaseView is a help case with its cadre.
type HelpCaseView struct {
	// Case is the case as stored.
	Case care.HelpCase
	// Cadre is the cadre who asked.
	Cadre MemberRef
	// Unattended: an urgent case nobody acted on in time.
	Unattended bool
}

// OpenHelp is the help cases not yet closed, as of a moment.
type OpenHelp struct {
	// Cases are the urgent cases nobody acted on in time, first, then the
	// others in the order they were opened; Hidden counts those left out.
	Cases  []HelpCaseView
	Hidden int
	// Summary counts every case by kind, closed ones too.
	Summary []care.KindSummary
	// UrgentWithin is how soon the district wants an urgent case acted on.
	UrgentWithin time.Duration
}

// OpenHelpCases lists the help cases not yet closed as of now (HelpCases),
// each with its cadre: every urgent one nobody acted on, then the others
// up to limit cases in all (no bound when limit is not positive).
func OpenHelpCases(ctx context.Context, rep *store.Replica, now time.Time, limit int) (OpenHelp, error) {
	l, err := HelpCases(ctx, rep, now, true)
	if err != nil {
		return OpenHelp{}, err
	}
	hidden := 0
	if keep := max(0, limit-len(l.Unattended)); limit > 0 && len(l.Others) > keep {
		hidden, l.Others = len(l.Others)-keep, l.Others[:keep]
	}
	var ids []uuid.UUID
	for _, c := range slices.Concat(l.Unattended, l.Others) {
		ids = append(ids, c.CadreID)
	}
	ppl, err := CadresOf(ctx, rep, ids)
	if err != nil {
		return OpenHelp{}, fmt.Errorf("help cases: %w", err)
	}
	out := OpenHelp{Cases: []HelpCaseView{}, Hidden: hidden, Summary: l.Summary, UrgentWithin: l.UrgentWithin}
	for _, c := range l.Unattended {
		out.Cases = append(out.Cases, HelpCaseView{Case: c, Cadre: heldPeople(ppl).ref(c.CadreID), Unattended: true})
	}
	for _, c := range l.Others {
		out.Cases = append(out.Cases, HelpCaseView{Case: c, Cadre: heldPeople(ppl).ref(c.CadreID)})
	}
	return out, nil
}

// ShowHelpCase reads one live help case, with its cadre.
func ShowHelpCase(ctx context.Context, rep *store.Replica, now time.Time, id uuid.UUID) (HelpCaseView, error) {
	c, err := rep.HelpCase(ctx, id)
	if err != nil {
		return HelpCaseView{}, fmt.Errorf("help case %s: %w", id, err)
	}
	ppl, err := CadresOf(ctx, rep, []uuid.UUID{c.CadreID})
	if err != nil {
		return HelpCaseView{}, fmt.Errorf("help case %s: %w", id, err)
	}
	l, err := HelpCases(ctx, rep, now, true)
	if err != nil {
		return HelpCaseView{}, err
	}
	v := HelpCaseView{Case: c, Cadre: heldPeople(ppl).ref(c.CadreID)}
	v.Unattended = slices.ContainsFunc(l.Unattended, func(u care.HelpCase) bool { return u.ID == c.ID })
	return v, nil
}

// CadresOf reads the live cadres of ids held here, by id: what a short
// list needs to name its people without reading every cadre. Ids of
// cadres not held here are left out.
func CadresOf(ctx context.Context, rep *store.Replica, ids []uuid.UUID) (map[uuid.UUID]cadre.Cadre, error) {
	out := map[uuid.UUID]cadre.Cadre{}
	for _, id := range ids {
		if _, done := out[id]; done || id == uuid.Nil {
			continue
		}
		c, err := rep.Cadre(ctx, id)
		switch {
		case errors.Is(err, syncsvc.ErrNotFound) || errors.Is(err, syncsvc.ErrVoided):
			continue
		case err != nil:
			return nil, err
		}
		out[id] = c
	}
	return out, nil
}
