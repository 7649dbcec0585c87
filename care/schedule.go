package care

import (
	"cmp"
	"errors"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
)

// ScheduleSettings are a district's settings for visits (docs/domain.md "Visits").
type ScheduleSettings struct {
	// Policy decides which cadres need a pair, for AudienceNeeding.
	Policy cadre.Policy
	// HomeEveryMonths is the calendar period of the home visit a paired
	// cadre is owed: 3, a quarter. It divides 12, so that periods start in
	// January.
	HomeEveryMonths int
	// ContactEveryMonths is the calendar period of the phone or video
	// contact a paired cadre is owed: 1, a month. It divides 12.
	ContactEveryMonths int
	// NewPairGraceDays: a pair that began fewer than this many days before
	// a period ends owes nothing for that period; its first visits fall in
	// the next one. Default 7, so that a pair made on the 28th of a month
	// is not overdue on the 1st.
	NewPairGraceDays int
	// AdmissionVisitDays is how soon after admission to hospital the prompt
	// visit is due: 3 days.
	AdmissionVisitDays int
	// DischargeDays is how soon after discharge a home visit or call is
	// due: 7 days.
	DischargeDays int
	// HospitalEveryMonths is the calendar period of the hospital visit a
	// long stay is owed after the month of admission: 1, monthly. It
	// divides 12.
	HospitalEveryMonths int
	// WindowBeforeDays is how early the window of a holiday or birthday
	// visit opens: 14 days before the day.
	WindowBeforeDays int
	// WindowAfterDays is how late it closes: 7 days after.
	WindowAfterDays int
	// WinterMonth is the month of the winter seasonal visit (冬送温暖):
	// January. It is due by the month's end.
	WinterMonth time.Month
	// SummerMonth is the month of the summer seasonal visit (夏送清凉): July.
	SummerMonth time.Month
	// MilestoneAges are the birthdays visited (逢十寿辰): 80, 90 and 100.
	MilestoneAges []int
	// CondolenceDays is how soon after a death the condolence visit is
	// due: 3 days.
	CondolenceDays int
	// Occasions is who is owed the occasion visits: holidays, seasons,
	// birthdays, hospital stays and condolence. Default AudienceAll: 四必访
	// is practised for every cadre. The home visit and the contact are for
	// paired cadres only, whatever this says.
	Occasions Audience
	// ShowMissedDays is how long a missed visit stays listed after its
	// window closed: 90 days. A missed visit cannot be made up, but the
	// office should see that it was missed; older misses are for reports.
	ShowMissedDays int
}

// DefaultScheduleSettings returns the periods and windows of docs/domain.md.
func DefaultScheduleSettings() ScheduleSettings {
	return ScheduleSettings{
		Policy:              cadre.DefaultPolicy(),
		HomeEveryMonths:     3,
		ContactEveryMonths:  1,
		NewPairGraceDays:    7,
		AdmissionVisitDays:  3,
		DischargeDays:       7,
		HospitalEveryMonths: 1,
		WindowBeforeDays:    14,
		WindowAfterDays:     7,
		WinterMonth:         time.January,
		SummerMonth:         time.July,
		MilestoneAges:       []int{80, 90, 100},
		CondolenceDays:      3,
		Occasions:           AudienceAll,
		ShowMissedDays:      90,
	}
}

// Validate reports settings Schedule cannot use.
func (s ScheduleSettings) Validate() error {
	var ps cadre.Problems
	for _, f := range []struct {
		name string
		v    int
	}{
		{"home_every_months", s.HomeEveryMonths},
		{"contact_every_months", s.ContactEveryMonths},
		{"hospital_every_months", s.HospitalEveryMonths},
	} {
		if f.v < 1 || f.v > 12 || 12%f.v != 0 {
			ps.Addf(f.name, cadre.ErrInvalid, "%d: want a divisor of 12, so that periods start in January", f.v)
		}
	}
	for _, f := range []struct {
		name string
		v    int
	}{
		{"new_pair_grace_days", s.NewPairGraceDays},
		{"admission_visit_days", s.AdmissionVisitDays},
		{"discharge_days", s.DischargeDays},
		{"window_before_days", s.WindowBeforeDays},
		{"window_after_days", s.WindowAfterDays},
		{"condolence_days", s.CondolenceDays},
		{"show_missed_days", s.ShowMissedDays},
	} {
		if f.v < 0 || f.v > 3660 {
			ps.Addf(f.name, cadre.ErrInvalid, "%d: want 0 to 3660 days", f.v)
		}
	}
	for name, m := range map[string]time.Month{"winter_month": s.WinterMonth, "summer_month": s.SummerMonth} {
		if m < time.January || m > time.December {
			ps.Addf(name, cadre.ErrInvalid, "%d is not a month", m)
		}
	}
	for _, a := range s.MilestoneAges {
		if a < 1 || a > 150 {
			ps.Addf("milestone_ages", cadre.ErrInvalid, "%d is not an age", a)
		}
	}
	if !s.Occasions.Valid() {
		ps.Enum("occasions", string(s.Occasions), false)
	}
	err := ps.Err()
	var ve *cadre.ValidationError
	if errors.As(err, &ve) {
		// The months come from a map, in no fixed order: list by field.
		slices.SortFunc(ve.Problems, func(a, b *cadre.FieldError) int { return cmp.Compare(a.Field, b.Field) })
	}
	return err
}

// Records are the records about one cadre that visits are scheduled from.
// Records about other cadres are ignored, so callers may pass wider slices.
type Records struct {
	// Pairs are the cadre's pairs, ended or not: they say when the cadre
	// was paired.
	Pairs []Pair
	// Visits are the visits made to the cadre.
	Visits []Visit
	// Stays are the cadre's hospital stays.
	Stays []HospitalStay
	// Registered is the day the cadre's record was first stored here or
	// anywhere in the district: nothing is owed that fell due before it
	// could be known (see Schedule). Zero reads as known from the start.
	Registered cadre.Date
	// StatusRecorded is the day the cadre's death was recorded, when that
	// was after its date: the condolence is due counting from it. Zero
	// reads as recorded on the status date.
	StatusRecorded cadre.Date
	// StaysRecorded gives, by hospital stay ID, the days an admission and
	// its discharge were recorded; the visits they call for are due
	// counting from them. A stay not in it, or a zero day, reads as
	// recorded on its own date.
	StaysRecorded map[uuid.UUID]StayRecorded
}

// StayRecorded is when a hospital stay became known: the admission and the
// discharge may each be recorded days after they happened.
type StayRecorded struct {
	// Admission is the day the admission was recorded.
	Admission cadre.Date
	// Discharge is the day the discharge was recorded; zero while none is.
	Discharge cadre.Date
}

// Due is one visit owed to a cadre. It is computed from records whenever it
// is read and never stored.
type Due struct {
	// CadreID is the cadre owed the visit.
	CadreID uuid.UUID
	// Kind says what the visit is for.
	Kind DueKind
	// DueOn is the day by which the visit is due: the holiday or birthday
	// itself, the end of a period, or the last day allowed after an event.
	DueOn cadre.Date
	// WindowStart is the first day on which a visit counts for this due.
	WindowStart cadre.Date
	// WindowEnd is the last. For an admission, a discharge or a death a
	// later visit counts too, since it is still owed; the due then leaves
	// the list.
	WindowEnd cadre.Date
	// Overdue is true when no visit satisfied the due and the date
	// Schedule was asked about is after DueOn.
	Overdue bool
	// SatisfiedBy is the visit that satisfied the due, nil if none did.
	SatisfiedBy *Visit
	// Milestone is the age of a birthday due, 0 for other kinds.
	Milestone int
	// StayID is the hospital stay an admission, discharge or monthly
	// hospital due is about; uuid.Nil for other kinds.
	StayID uuid.UUID
}

// Schedule returns the visits due for cadre c around the date on, computed
// from rec; only visits made on or before on count. With the default
// settings:
//
//   - for a paired cadre, a home visit each calendar quarter and a phone or
//     video contact each calendar month (any face-to-face visit counts as
//     either, see DueKind.Accepts);
//   - on admission to hospital, a hospital visit within 3 days, dropped if
//     the cadre is discharged before it falls due; within 7 days of
//     discharge, a home visit or call; for each later month the cadre is
//     still in hospital at its end, a hospital visit in that month;
//   - Spring Festival and Double Ninth (lunar dates, from lunar-go) and the
//     80th, 90th and 100th birthdays, each due on the day with a window from
//     14 days before to 7 after (a birthday on 29 February falls on 1 March
//     in common years, when cadre.Cadre.Age turns);
//   - the January and July seasonal visits, each due within its month;
//   - when the cadre has died, the condolence visit within 3 days.
//
// The occasions (all but the regular home visit and contact) are owed to
// s.Occasions, every cadre by default.
//
// A visit is owed only from the day it could have been known
// (rec.Registered, rec.StatusRecorded, rec.StaysRecorded): a holiday or
// birthday only if the cadre was registered by the day itself; a calendar
// period (the home visit, the contact, the winter and summer visits) only
// if the cadre was registered, and paired, at least s.NewPairGraceDays
// before it ends; a hospital month only if the stay was recorded by its
// end; the condolence only if the cadre was registered while alive. The
// visits an event calls for (admission, discharge, death) are due counting
// from the later of the event and the day it was recorded, so an admission
// entered late is not overdue the moment it is entered.
//
// A due is listed from the day its window opens until it closes, and
// after that, while unsatisfied, for s.ShowMissedDays more. Once a cadre has died or moved away, only the
// condolence visit is listed. The list is sorted overdue first, then by due
// date, then kind. s must be valid (see Validate); on must be a real date,
// else Schedule returns nil.
func Schedule(c cadre.Cadre, rec Records, on cadre.Date, s ScheduleSettings) []Due {
	if !realDate(on) {
		return nil
	}
	sc := schedulers.Get().(*scheduler)
	defer sc.release()
	sc.load(c, rec, on, s)
	if sc.gone <= sc.today {
		sc.condolence()
	} else {
		sc.periodic(DueHome, s.HomeEveryMonths)
		sc.periodic(DueContact, s.ContactEveryMonths)
		sc.hospital()
		sc.holidays()
		sc.seasons()
		sc.birthdays()
	}
	slices.SortFunc(sc.out, func(a, b Due) int {
		switch {
		case a.Overdue != b.Overdue:
			if a.Overdue {
				return -1
			}
			return 1
		}
		if c := a.DueOn.Compare(b.DueOn); c != 0 {
			return c
		}
		if c := cmp.Compare(dueKinds.Index(a.Kind), dueKinds.Index(b.Kind)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Milestone, b.Milestone); c != 0 {
			return c
		}
		return compareID(a.StayID, b.StayID)
	})
	out := make([]Due, len(sc.out))
	copy(out, sc.out)
	return out
}

// schedulers keeps schedulers and their buffers between calls: a
// district-wide run schedules 100,000 cadres, and allocating each one's
// buffers anew doubled its time in garbage collection. A scheduler holds no
// state from one call to the next.
var schedulers = sync.Pool{New: func() any { return new(scheduler) }}

// release drops the references a scheduler holds and returns it to the pool.
func (sc *scheduler) release() {
	clear(sc.out)
	*sc = scheduler{visits: sc.visits[:0], pairs: sc.pairs[:0], stays: sc.stays[:0], out: sc.out[:0]}
	schedulers.Put(sc)
}

// never is a day after every real one.
const never = day(math.MaxInt32)

// span is a half-open range of days [from, to).
type span struct{ from, to day }

type scheduler struct {
	c      cadre.Cadre
	active cadre.Cadre // c as it was while on the roll, for its needs
	s      ScheduleSettings
	today  day
	gone   day // the day c died or moved away, or never
	known  day // the day c was registered, or long before every date
	died   day // the day the condolence counts from
	rec    map[uuid.UUID]StayRecorded
	all    []Visit // rec.Visits: the caller's, never changed
	visits []dated // c's visits up to today, by day, then ID
	pairs  []span
	stays  []HospitalStay
	out    []Due
}

// dated is a visit of rec.Visits by index, with its day.
type dated struct {
	d day
	i int32
}

// load prepares an empty scheduler for cadre c.
func (sc *scheduler) load(c cadre.Cadre, rec Records, on cadre.Date, s ScheduleSettings) {
	sc.c, sc.active, sc.s, sc.today, sc.gone, sc.all = c, c, s, dayOf(on), never, rec.Visits
	sc.active.Status = cadre.StatusActive
	sc.known, sc.rec = math.MinInt32, rec.StaysRecorded
	if realDate(rec.Registered) {
		sc.known = dayOf(rec.Registered)
	}
	if c.Status != cadre.StatusActive && c.Status != "" {
		// A status without a date cannot be placed: read it as gone from
		// the start, so that nothing but what needs the date is owed.
		sc.gone = math.MinInt32
		if realDate(c.StatusOn) {
			sc.gone = dayOf(c.StatusOn)
		}
		sc.died = sc.gone
		if realDate(rec.StatusRecorded) {
			sc.died = max(sc.died, dayOf(rec.StatusRecorded))
		}
	}
	for i := range rec.Visits {
		v := &rec.Visits[i]
		if v.CadreID == c.ID && realDate(v.On) {
			if d := dayOf(v.On); d <= sc.today {
				sc.visits = append(sc.visits, dated{d, int32(i)})
			}
		}
	}
	slices.SortFunc(sc.visits, func(a, b dated) int {
		if a.d != b.d {
			return cmp.Compare(a.d, b.d)
		}
		return compareID(rec.Visits[a.i].ID, rec.Visits[b.i].ID)
	})
	for _, p := range rec.Pairs {
		if p.CadreID != c.ID || !realDate(p.From) {
			continue
		}
		sp := span{dayOf(p.From), never}
		if realDate(p.To) {
			sp.to = dayOf(p.To)
		}
		if sp.from < sp.to && sp.from <= sc.today {
			sc.pairs = append(sc.pairs, sp)
		}
	}
	for _, st := range rec.Stays {
		if st.CadreID == c.ID && realDate(st.Admitted) && dayOf(st.Admitted) <= sc.today {
			sc.stays = append(sc.stays, st)
		}
	}
}

// realDate is cadre.Date.Valid without time.Date, which Schedule would
// otherwise call for every record of every cadre.
func realDate(d cadre.Date) bool {
	return d.Month >= time.January && d.Month <= time.December && d.Day >= 1 && d.Day <= 31 &&
		dayOf(d).date() == d
}

// firstVisit returns the position in sc.visits of the first visit on or
// after day d.
func (sc *scheduler) firstVisit(d day) int {
	i, _ := slices.BinarySearchFunc(sc.visits, d, func(v dated, d day) int { return cmp.Compare(v.d, d) })
	return i
}

// pairedSince returns the first day of the unbroken run of pairs that
// covers d, or false when no pair covers d.
func (sc *scheduler) pairedSince(d day) (day, bool) {
	since, found := d, false
	for _, p := range sc.pairs {
		if p.from <= d && d < p.to {
			since, found = min(since, p.from), true
		}
	}
	for changed := found; changed; {
		changed = false
		for _, p := range sc.pairs {
			if p.from < since && since <= p.to { // in force the day before the run
				since, changed = p.from, true
			}
		}
	}
	return since, found
}

// owed reports whether c is owed an occasion visit on day d: on the roll
// then, and in the audience of s.Occasions.
func (sc *scheduler) owed(d day) bool {
	if d >= sc.gone {
		return false
	}
	switch sc.s.Occasions {
	case AudienceNeeding:
		return sc.active.NeedTier(d.date(), sc.s.Policy) > 0
	case AudiencePaired:
		_, ok := sc.pairedSince(d)
		return ok
	}
	return true
}

// add lists a due if the date is within its window or it was missed
// recently. A visit of an accepted kind made from start to acceptTo
// satisfies it.
func (sc *scheduler) add(d Due, start, due, end, acceptTo day) {
	today := sc.today
	if start > today {
		return
	}
	for i := sc.firstVisit(start); i < len(sc.visits) && sc.visits[i].d <= acceptTo; i++ {
		if v := sc.all[sc.visits[i].i]; d.Kind.Accepts(v.Kind) {
			d.SatisfiedBy = &v // a copy: the caller's records stay theirs
			break
		}
	}
	if today > end && (d.SatisfiedBy != nil || int(today-end) > sc.s.ShowMissedDays) {
		return // closed: done, or missed long ago
	}
	d.CadreID = sc.c.ID
	d.WindowStart, d.DueOn, d.WindowEnd = start.date(), due.date(), end.date()
	d.Overdue = d.SatisfiedBy == nil && today > due
	sc.out = append(sc.out, d)
}

// periodic lists the visits a paired cadre is owed in calendar periods of
// the given number of months: the current period and those that ended
// recently.
func (sc *scheduler) periodic(kind DueKind, months int) {
	months = max(months, 1)
	now := sc.today.date()
	first := (int(now.Month)-1)/months*months + 1
	for k := 0; ; k++ {
		start := monthStart(now.Year, first-k*months)
		end := monthStart(now.Year, first-(k-1)*months) - 1
		if int(sc.today-end) > sc.s.ShowMissedDays {
			return
		}
		ref := min(end, sc.today)
		since, paired := sc.pairedSince(ref)
		if !paired || !sc.knownFor(since, end) {
			continue
		}
		sc.add(Due{Kind: kind}, start, end, end, end)
	}
}

// hospital lists the visits owed for hospital stays.
func (sc *scheduler) hospital() {
	s := sc.s
	months := max(s.HospitalEveryMonths, 1)
	for _, st := range sc.stays {
		in := dayOf(st.Admitted)
		out := never // as of today, a discharge still to come is unknown
		if realDate(st.Discharged) && dayOf(st.Discharged) <= sc.today {
			out = dayOf(st.Discharged)
		}
		if !sc.owed(in) {
			continue
		}
		// The visits are due counting from when the admission, and the
		// discharge, could be known: recorded, and the cadre registered.
		admittedOn, dischargedOn := sc.recorded(st.ID)
		known := max(in, sc.known, admittedOn)
		due := known + day(s.AdmissionVisitDays)
		adm := Due{Kind: DueAdmission, StayID: st.ID}
		if out > due || sc.visited(DueAdmission, in, out) {
			// Discharged before the visit fell due and not visited: the
			// follow-up at home takes its place.
			sc.add(adm, in, due, due, min(out, sc.today))
		}
		if out != never {
			due := max(out, known, dischargedOn) + day(s.DischargeDays)
			sc.add(Due{Kind: DueDischarge, StayID: st.ID}, out, due, due, sc.today)
		}
		admitted := st.Admitted
		firstMonth := (int(admitted.Month)-1)/months*months + 1
		for k := 1; ; k++ {
			start := monthStart(admitted.Year, firstMonth+k*months)
			if start > sc.today || start >= out {
				break
			}
			end := monthStart(admitted.Year, firstMonth+(k+1)*months) - 1
			if int(sc.today-end) > s.ShowMissedDays {
				continue
			}
			// Owed for a period the cadre spends in hospital to its end
			// (or to today, for the current one).
			if min(end, sc.today) < out && known <= end && sc.owed(min(end, sc.today)) {
				sc.add(Due{Kind: DueHospitalMonthly, StayID: st.ID}, start, end, end, end)
			}
		}
	}
}

// recorded returns the days the admission and the discharge of stay id
// were recorded; a day long before every date for what is unknown.
func (sc *scheduler) recorded(id uuid.UUID) (admission, discharge day) {
	admission, discharge = math.MinInt32, math.MinInt32
	if k, ok := sc.rec[id]; ok {
		if realDate(k.Admission) {
			admission = dayOf(k.Admission)
		}
		if realDate(k.Discharge) {
			discharge = dayOf(k.Discharge)
		}
	}
	return admission, discharge
}

// knownFor reports whether a calendar period ending on day end is owed
// when what it is owed for began on day since: the cadre registered, and
// both at least s.NewPairGraceDays before the end.
func (sc *scheduler) knownFor(since, end day) bool {
	return max(since, sc.known) <= end-day(sc.s.NewPairGraceDays)
}

// visited reports whether a visit that satisfies kind was made from from to to.
func (sc *scheduler) visited(kind DueKind, from, to day) bool {
	for i := sc.firstVisit(from); i < len(sc.visits) && sc.visits[i].d <= to; i++ {
		if kind.Accepts(sc.all[sc.visits[i].i].Kind) {
			return true
		}
	}
	return false
}

// occasion lists a visit due on day d with the holiday window.
func (sc *scheduler) occasion(dd Due, d day) {
	if sc.known > d || !sc.owed(min(d, sc.today)) {
		return
	}
	start, end := d-day(sc.s.WindowBeforeDays), d+day(sc.s.WindowAfterDays)
	sc.add(dd, start, d, end, end)
}

func (sc *scheduler) holidays() {
	y := sc.today.date().Year
	for year := y - 1; year <= y+1; year++ {
		h, ok := holidaysOf(year)
		if !ok {
			continue
		}
		sc.occasion(Due{Kind: DueSpringFestival}, h.springFestival)
		sc.occasion(Due{Kind: DueDoubleNinth}, h.doubleNinth)
	}
}

func (sc *scheduler) seasons() {
	y := sc.today.date().Year
	for year := y - 1; year <= y; year++ {
		for _, m := range []struct {
			kind  DueKind
			month time.Month
		}{{DueWinter, sc.s.WinterMonth}, {DueSummer, sc.s.SummerMonth}} {
			start := monthStart(year, int(m.month))
			end := monthStart(year, int(m.month)+1) - 1
			if sc.knownFor(start, end) && sc.owed(min(end, sc.today)) {
				sc.add(Due{Kind: m.kind}, start, end, end, end)
			}
		}
	}
}

func (sc *scheduler) birthdays() {
	b := sc.c.BirthDate
	if !realDate(b) {
		return
	}
	for _, age := range sc.s.MilestoneAges {
		// Day numbers carry 29 February into 1 March in common years, the
		// day cadre.Cadre.Age counts the year full.
		d := dayOf(cadre.Date{Year: b.Year + age, Month: b.Month, Day: b.Day})
		if d-day(sc.s.WindowBeforeDays) > sc.today || int(sc.today-d)-sc.s.WindowAfterDays > sc.s.ShowMissedDays {
			continue
		}
		sc.occasion(Due{Kind: DueBirthday, Milestone: age}, d)
	}
}

// condolence lists the condolence visit once a cadre has died.
func (sc *scheduler) condolence() {
	if sc.c.Status != cadre.StatusDeceased || !realDate(sc.c.StatusOn) {
		return
	}
	died := dayOf(sc.c.StatusOn)
	// Owed for the last day the cadre was alive, if registered by then.
	if sc.known >= died || !sc.owed(died-1) {
		return
	}
	due := sc.died + day(sc.s.CondolenceDays)
	sc.add(Due{Kind: DueCondolence}, died, due, due, sc.today)
}
