package care_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/6tail/lunar-go/calendar"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// member returns a cadre on the roll born on the given date.
func member(born cadre.Date) cadre.Cadre {
	return cadre.Cadre{
		ID: id(1), Name: "cadre", BirthDate: born, Category: cadre.Tuixiu,
		Health: cadre.HealthGood, Living: cadre.LivingFamily, Status: cadre.StatusActive,
	}
}

// young is born so that no milestone birthday falls in 2025–2030.
var young = cadre.NewDate(1952, 6, 15)

func pairedSince(from cadre.Date) []care.Pair {
	return []care.Pair{{ID: id(300), HelperID: id(100), CadreID: id(1), From: from, Reason: cadre.NeedElderly}}
}

func visit(n int, kind care.VisitKind, on cadre.Date) care.Visit {
	return care.Visit{ID: id(n), CadreID: id(1), By: id(100), Kind: kind, On: on}
}

// find returns the due of the kind due on the date, if listed.
func find(ds []care.Due, kind care.DueKind, dueOn cadre.Date) (care.Due, bool) {
	for _, d := range ds {
		if d.Kind == kind && d.DueOn == dueOn {
			return d, true
		}
	}
	return care.Due{}, false
}

// state describes a due as a test expects it: "absent", "open", "overdue"
// or "done" (satisfied and still listed).
func state(ds []care.Due, kind care.DueKind, dueOn cadre.Date) string {
	d, ok := find(ds, kind, dueOn)
	switch {
	case !ok:
		return "absent"
	case d.SatisfiedBy != nil:
		return "done"
	case d.Overdue:
		return "overdue"
	}
	return "open"
}

type dueCase struct {
	name  string
	on    string
	kind  care.DueKind
	dueOn string
	want  string
}

func runDueCases(t *testing.T, c cadre.Cadre, rec care.Records, s care.ScheduleSettings, cases []dueCase) {
	t.Helper()
	for _, tc := range cases {
		ds := care.Schedule(c, rec, testkit.Date(tc.on), s)
		assert.Equal(t, tc.want, state(ds, tc.kind, testkit.Date(tc.dueOn)), "%s (on %s, %s due %s)", tc.name, tc.on, tc.kind, tc.dueOn)
	}
}

func TestScheduleQuarterAndMonth(t *testing.T) {
	c := member(young)
	rec := care.Records{Pairs: pairedSince(cadre.NewDate(2025, 1, 1))}
	runDueCases(t, c, rec, care.DefaultScheduleSettings(), []dueCase{
		{"first day of the quarter", "2026-01-01", care.DueHome, "2026-03-31", "open"},
		{"last day of the quarter", "2026-03-31", care.DueHome, "2026-03-31", "open"},
		{"first day after the quarter", "2026-04-01", care.DueHome, "2026-03-31", "overdue"},
		{"the next quarter opens", "2026-04-01", care.DueHome, "2026-06-30", "open"},
		{"a missed quarter stays listed 90 days", "2026-06-29", care.DueHome, "2026-03-31", "overdue"},
		{"and no longer", "2026-06-30", care.DueHome, "2026-03-31", "absent"},
		{"last day of the month", "2026-02-28", care.DueContact, "2026-02-28", "open"},
		{"first day after the month", "2026-03-01", care.DueContact, "2026-02-28", "overdue"},
		{"the next month opens", "2026-03-01", care.DueContact, "2026-03-31", "open"},
		{"leap February", "2028-02-29", care.DueContact, "2028-02-29", "open"},
		{"December", "2026-12-31", care.DueContact, "2026-12-31", "open"},
		{"year end", "2027-01-01", care.DueContact, "2026-12-31", "overdue"},
		{"Q4", "2027-01-01", care.DueHome, "2026-12-31", "overdue"},
	})

	// A home visit on the first day of the quarter counts for the quarter
	// and for its month; a call only for its month; a hospital visit
	// counts as a face-to-face visit.
	rec.Visits = []care.Visit{
		visit(1, care.VisitHome, cadre.NewDate(2026, 1, 1)),
		visit(2, care.VisitCall, cadre.NewDate(2026, 2, 28)),
		visit(3, care.VisitHospital, cadre.NewDate(2026, 4, 30)),
		visit(4, care.VisitCall, cadre.NewDate(2026, 7, 31)),
	}
	runDueCases(t, c, rec, care.DefaultScheduleSettings(), []dueCase{
		{"home visit on the first day", "2026-03-31", care.DueHome, "2026-03-31", "done"},
		{"it also counts for January", "2026-01-31", care.DueContact, "2026-01-31", "done"},
		{"a call on the last day", "2026-02-28", care.DueContact, "2026-02-28", "done"},
		{"no contact in March", "2026-04-01", care.DueContact, "2026-03-31", "overdue"},
		{"a satisfied period leaves the list when it closes", "2026-04-01", care.DueHome, "2026-03-31", "absent"},
		{"hospital visit counts as face to face", "2026-06-30", care.DueHome, "2026-06-30", "done"},
		{"a call is no home visit", "2026-09-30", care.DueHome, "2026-09-30", "open"},
		{"a visit after the date asked about does not count", "2026-07-30", care.DueContact, "2026-07-31", "open"},
	})
	ds := care.Schedule(c, rec, cadre.NewDate(2026, 3, 31), care.DefaultScheduleSettings())
	d, _ := find(ds, care.DueHome, cadre.NewDate(2026, 3, 31))
	require.NotNil(t, d.SatisfiedBy)
	assert.Equal(t, id(1), d.SatisfiedBy.ID)
	assert.Equal(t, cadre.NewDate(2026, 1, 1), d.WindowStart)
	assert.Equal(t, cadre.NewDate(2026, 3, 31), d.WindowEnd)
}

func TestScheduleNewAndEndedPairs(t *testing.T) {
	c := member(young)
	s := care.DefaultScheduleSettings()
	unpaired := care.Schedule(c, care.Records{}, cadre.NewDate(2026, 3, 15), s)
	_, ok := find(unpaired, care.DueContact, cadre.NewDate(2026, 3, 31))
	assert.False(t, ok, "an unpaired cadre is owed no regular contact")

	runDueCases(t, c, care.Records{Pairs: pairedSince(cadre.NewDate(2026, 3, 24))}, s, []dueCase{
		{"a pair 7 days before the end owes the month", "2026-03-24", care.DueContact, "2026-03-31", "open"},
		{"and the quarter", "2026-03-24", care.DueHome, "2026-03-31", "open"},
	})
	runDueCases(t, c, care.Records{Pairs: pairedSince(cadre.NewDate(2026, 3, 25))}, s, []dueCase{
		{"a pair 6 days before the end owes nothing for the month", "2026-03-25", care.DueContact, "2026-03-31", "absent"},
		{"nor later", "2026-04-02", care.DueContact, "2026-03-31", "absent"},
		{"but the next month", "2026-04-02", care.DueContact, "2026-04-30", "open"},
		{"nor for the quarter", "2026-03-31", care.DueHome, "2026-03-31", "absent"},
	})

	// Pairs that follow one another without a gap count as one run.
	rec := care.Records{Pairs: []care.Pair{
		{ID: id(301), HelperID: id(100), CadreID: id(1), From: cadre.NewDate(2026, 1, 1), To: cadre.NewDate(2026, 3, 28), Reason: cadre.NeedElderly},
		{ID: id(302), HelperID: id(101), CadreID: id(1), From: cadre.NewDate(2026, 3, 28), Reason: cadre.NeedElderly},
	}}
	runDueCases(t, c, rec, s, []dueCase{
		{"a new helper continues the run", "2026-03-30", care.DueContact, "2026-03-31", "open"},
	})
	// A pair that ended before the month closed owes nothing for it.
	rec.Pairs = rec.Pairs[:1]
	runDueCases(t, c, rec, s, []dueCase{
		{"ended pair", "2026-04-02", care.DueContact, "2026-03-31", "absent"},
		{"still owed while it ran", "2026-04-02", care.DueContact, "2026-02-28", "overdue"},
	})
}

func TestScheduleHospital(t *testing.T) {
	c := member(young)
	s := care.DefaultScheduleSettings()
	stay := care.HospitalStay{ID: id(400), CadreID: id(1), Admitted: cadre.NewDate(2026, 5, 10)}
	rec := care.Records{Stays: []care.HospitalStay{stay}}
	runDueCases(t, c, rec, s, []dueCase{
		{"admission", "2026-05-10", care.DueAdmission, "2026-05-13", "open"},
		{"third day", "2026-05-13", care.DueAdmission, "2026-05-13", "open"},
		{"fourth day", "2026-05-14", care.DueAdmission, "2026-05-13", "overdue"},
		{"not before admission", "2026-05-09", care.DueAdmission, "2026-05-13", "absent"},
		{"long stay: the month after admission", "2026-06-30", care.DueHospitalMonthly, "2026-06-30", "open"},
		{"not the month of admission", "2026-05-31", care.DueHospitalMonthly, "2026-05-31", "absent"},
		{"missed month", "2026-07-01", care.DueHospitalMonthly, "2026-06-30", "overdue"},
	})

	late := rec
	late.Visits = []care.Visit{visit(1, care.VisitHospital, cadre.NewDate(2026, 5, 16))}
	runDueCases(t, c, late, s, []dueCase{
		{"a late hospital visit still satisfies the admission", "2026-05-16", care.DueAdmission, "2026-05-13", "absent"},
		{"and not before it was made", "2026-05-15", care.DueAdmission, "2026-05-13", "overdue"},
	})

	// Discharged on the second day without a visit: the follow-up takes
	// the admission visit's place.
	short := stay
	short.Discharged = cadre.NewDate(2026, 5, 12)
	rec = care.Records{Stays: []care.HospitalStay{short}}
	runDueCases(t, c, rec, s, []dueCase{
		{"discharge dropped the admission visit", "2026-05-20", care.DueAdmission, "2026-05-13", "absent"},
		{"discharge still to come as of the day before", "2026-05-11", care.DueAdmission, "2026-05-13", "open"},
		{"discharge day", "2026-05-12", care.DueDischarge, "2026-05-19", "open"},
		{"discharge+7", "2026-05-19", care.DueDischarge, "2026-05-19", "open"},
		{"discharge+8", "2026-05-20", care.DueDischarge, "2026-05-19", "overdue"},
	})
	rec.Visits = []care.Visit{visit(1, care.VisitCall, cadre.NewDate(2026, 5, 19))}
	runDueCases(t, c, rec, s, []dueCase{
		{"a call on discharge+7", "2026-05-19", care.DueDischarge, "2026-05-19", "done"},
		{"leaves the list after", "2026-05-20", care.DueDischarge, "2026-05-19", "absent"},
	})
	rec.Visits = []care.Visit{visit(1, care.VisitHospital, cadre.NewDate(2026, 5, 12))}
	runDueCases(t, c, rec, s, []dueCase{
		{"a hospital visit is no follow-up", "2026-05-19", care.DueDischarge, "2026-05-19", "open"},
		{"but satisfies the admission", "2026-05-12", care.DueAdmission, "2026-05-13", "done"},
	})

	// Discharged during a month: nothing owed for that month.
	mid := stay
	mid.Discharged = cadre.NewDate(2026, 6, 15)
	runDueCases(t, c, care.Records{Stays: []care.HospitalStay{mid}}, s, []dueCase{
		{"discharged mid-month", "2026-06-20", care.DueHospitalMonthly, "2026-06-30", "absent"},
		{"still in on the 14th", "2026-06-14", care.DueHospitalMonthly, "2026-06-30", "open"},
	})
}

// lunarDay converts a lunar date to the calendar with lunar-go directly.
func lunarDay(t *testing.T, year, month, day int) cadre.Date {
	t.Helper()
	s := calendar.NewLunarFromYmd(year, month, day).GetSolar()
	return cadre.NewDate(s.GetYear(), time.Month(s.GetMonth()), s.GetDay())
}

func TestScheduleLunarHolidays(t *testing.T) {
	c := member(young)
	s := care.DefaultScheduleSettings()
	assert.Equal(t, cadre.NewDate(2027, 2, 6), care.SpringFestival(2027), "docs/domain.md")
	assert.Equal(t, cadre.NewDate(2027, 10, 8), care.DoubleNinth(2027), "docs/domain.md")
	for year := 2026; year <= 2030; year++ {
		for _, h := range []struct {
			kind       care.DueKind
			month, day int
			got        cadre.Date
		}{
			{care.DueSpringFestival, 1, 1, care.SpringFestival(year)},
			{care.DueDoubleNinth, 9, 9, care.DoubleNinth(year)},
		} {
			want := lunarDay(t, year, h.month, h.day)
			require.Equal(t, want, h.got, "%s %d", h.kind, year)
			name := fmt.Sprintf("%s %d", h.kind, year)
			on := func(n int) string { return want.AddDays(n).String() }
			runDueCases(t, c, care.Records{}, s, []dueCase{
				{name + ": window not yet open", on(-15), h.kind, want.String(), "absent"},
				{name + ": window opens", on(-14), h.kind, want.String(), "open"},
				{name + ": the day", on(0), h.kind, want.String(), "open"},
				{name + ": the day after", on(1), h.kind, want.String(), "overdue"},
				{name + ": window closes", on(7), h.kind, want.String(), "overdue"},
				{name + ": missed", on(8), h.kind, want.String(), "overdue"},
			})
			ds := care.Schedule(c, care.Records{}, want, s)
			d, ok := find(ds, h.kind, want)
			require.True(t, ok)
			assert.Equal(t, want.AddDays(-14), d.WindowStart)
			assert.Equal(t, want.AddDays(7), d.WindowEnd)

			for _, v := range []struct {
				offset int
				want   string
			}{{-15, "overdue"}, {-14, "done"}, {7, "done"}, {8, "overdue"}} {
				rec := care.Records{Visits: []care.Visit{visit(1, care.VisitHoliday, want.AddDays(v.offset))}}
				assert.Equal(t, v.want, state(care.Schedule(c, rec, want.AddDays(7+max(v.offset-7, 0)), s), h.kind, want),
					"%s: holiday visit on day %+d", name, v.offset)
			}
		}
	}
}

func TestScheduleSeasons(t *testing.T) {
	c := member(young)
	rec := care.Records{Visits: []care.Visit{visit(1, care.VisitSeasonal, cadre.NewDate(2027, 7, 1))}}
	runDueCases(t, c, rec, care.DefaultScheduleSettings(), []dueCase{
		{"January opens", "2027-01-01", care.DueWinter, "2027-01-31", "open"},
		{"January's last day", "2027-01-31", care.DueWinter, "2027-01-31", "open"},
		{"February", "2027-02-01", care.DueWinter, "2027-01-31", "overdue"},
		{"not in December", "2026-12-31", care.DueWinter, "2027-01-31", "absent"},
		{"June", "2027-06-30", care.DueSummer, "2027-07-31", "absent"},
		{"July's first day visit", "2027-07-01", care.DueSummer, "2027-07-31", "done"},
		{"holiday visits do not count", "2027-02-10", care.DueWinter, "2027-01-31", "overdue"},
	})
}

func TestScheduleBirthdays(t *testing.T) {
	s := care.DefaultScheduleSettings()
	for _, tc := range []struct {
		born, day string
		age       int
	}{
		{"1946-11-28", "2026-11-28", 80},
		{"1936-05-01", "2026-05-01", 90},
		{"1926-12-31", "2026-12-31", 100},
		{"1936-02-29", "2026-03-01", 90}, // common year: 1 March, as cadre.Age counts
		{"1944-02-29", "2024-02-29", 80}, // leap year: the day itself
		{"1928-02-29", "2028-02-29", 100},
	} {
		c := member(testkit.Date(tc.born))
		d := testkit.Date(tc.day)
		require.Equal(t, tc.age, c.Age(d))
		require.Equal(t, tc.age-1, c.Age(d.AddDays(-1)))
		name := fmt.Sprintf("born %s, %d on %s", tc.born, tc.age, tc.day)
		runDueCases(t, c, care.Records{}, s, []dueCase{
			{name + ": 15 days before", d.AddDays(-15).String(), care.DueBirthday, tc.day, "absent"},
			{name + ": 14 days before", d.AddDays(-14).String(), care.DueBirthday, tc.day, "open"},
			{name + ": the day", tc.day, care.DueBirthday, tc.day, "open"},
			{name + ": the day after", d.AddDays(1).String(), care.DueBirthday, tc.day, "overdue"},
			{name + ": 7 days after", d.AddDays(7).String(), care.DueBirthday, tc.day, "overdue"},
		})
		rec := care.Records{Visits: []care.Visit{visit(1, care.VisitBirthday, d.AddDays(7))}}
		ds := care.Schedule(c, rec, d.AddDays(7), s)
		got, ok := find(ds, care.DueBirthday, d)
		require.True(t, ok, name)
		assert.Equal(t, tc.age, got.Milestone)
		assert.NotNil(t, got.SatisfiedBy, name)
	}
	// 81 is no milestone.
	c := member(cadre.NewDate(1945, 11, 28))
	_, ok := find(care.Schedule(c, care.Records{}, cadre.NewDate(2026, 11, 28), s), care.DueBirthday, cadre.NewDate(2026, 11, 28))
	assert.False(t, ok)
}

func TestScheduleCondolence(t *testing.T) {
	c := member(young)
	c.Status, c.StatusOn = cadre.StatusDeceased, cadre.NewDate(2026, 11, 20)
	rec := care.Records{Pairs: pairedSince(cadre.NewDate(2025, 1, 1))}
	s := care.DefaultScheduleSettings()
	runDueCases(t, c, rec, s, []dueCase{
		{"day of death", "2026-11-20", care.DueCondolence, "2026-11-23", "open"},
		{"third day", "2026-11-23", care.DueCondolence, "2026-11-23", "open"},
		{"fourth day", "2026-11-24", care.DueCondolence, "2026-11-23", "overdue"},
		{"before the death", "2026-11-19", care.DueCondolence, "2026-11-23", "absent"},
		{"the living are owed their contact", "2026-11-19", care.DueContact, "2026-11-30", "open"},
		{"the dead are not", "2026-11-20", care.DueContact, "2026-11-30", "absent"},
	})
	ds := care.Schedule(c, rec, cadre.NewDate(2026, 11, 21), s)
	require.Len(t, ds, 1, "after a death only the condolence visit is listed")

	rec.Visits = []care.Visit{visit(1, care.VisitCondolence, cadre.NewDate(2026, 11, 25))}
	runDueCases(t, c, rec, s, []dueCase{
		{"late condolence still closes it", "2026-11-25", care.DueCondolence, "2026-11-23", "absent"},
	})

	moved := member(young)
	moved.Status, moved.StatusOn = cadre.StatusMoved, cadre.NewDate(2026, 11, 20)
	assert.Empty(t, care.Schedule(moved, rec, cadre.NewDate(2026, 11, 21), s))
}

func TestScheduleAudience(t *testing.T) {
	c := member(young)
	on := care.SpringFestival(2027)
	s := care.DefaultScheduleSettings()
	for _, tc := range []struct {
		audience care.Audience
		rec      care.Records
		c        cadre.Cadre
		want     string
	}{
		{care.AudienceAll, care.Records{}, c, "open"},
		{care.AudiencePaired, care.Records{}, c, "absent"},
		{care.AudiencePaired, care.Records{Pairs: pairedSince(cadre.NewDate(2026, 1, 1))}, c, "open"},
		{care.AudienceNeeding, care.Records{}, c, "absent"},
		{care.AudienceNeeding, care.Records{}, needy(1, 3, nil), "open"},
	} {
		s.Occasions = tc.audience
		assert.Equal(t, tc.want, state(care.Schedule(tc.c, tc.rec, on, s), care.DueSpringFestival, on), "%s", tc.audience)
	}
}

func TestScheduleOrderAndScope(t *testing.T) {
	c := member(young)
	rec := care.Records{
		Pairs: pairedSince(cadre.NewDate(2025, 1, 1)),
		Visits: []care.Visit{
			{ID: id(9), CadreID: id(2), Kind: care.VisitCall, On: cadre.NewDate(2026, 3, 2)}, // another cadre's
		},
		Stays: []care.HospitalStay{{ID: id(400), CadreID: id(1), Admitted: cadre.NewDate(2026, 3, 1)}},
	}
	ds := care.Schedule(c, rec, cadre.NewDate(2026, 3, 5), care.DefaultScheduleSettings())
	var got []string
	for _, d := range ds {
		got = append(got, fmt.Sprintf("%s %s %v", d.Kind, d.DueOn, d.Overdue))
		assert.Equal(t, id(1), d.CadreID)
	}
	// Overdue first, each group by due date.
	for i := 1; i < len(ds); i++ {
		a, b := ds[i-1], ds[i]
		assert.True(t, a.Overdue || !b.Overdue, "overdue first")
		if a.Overdue == b.Overdue {
			assert.False(t, b.DueOn.Before(a.DueOn), "by due date")
		}
	}
	assert.Equal(t, []string{
		"home 2025-12-31 true",
		"contact 2025-12-31 true",
		"contact 2026-01-31 true",
		"winter 2026-01-31 true",
		"spring_festival 2026-02-17 true",
		"contact 2026-02-28 true",
		"admission 2026-03-04 true",
		"home 2026-03-31 false",
		"contact 2026-03-31 false",
	}, got)

	assert.Nil(t, care.Schedule(c, rec, cadre.Date{}, care.DefaultScheduleSettings()))
	assert.Equal(t, uuid.Nil, ds[0].StayID)
	adm, _ := find(ds, care.DueAdmission, cadre.NewDate(2026, 3, 4))
	assert.Equal(t, id(400), adm.StayID)
}

func TestScheduleSettingsValidate(t *testing.T) {
	require.NoError(t, care.DefaultScheduleSettings().Validate())
	s := care.DefaultScheduleSettings()
	s.HomeEveryMonths = 5
	s.WindowAfterDays = -1
	s.SummerMonth = 13
	s.MilestoneAges = []int{0}
	s.Occasions = "everyone"
	err := s.Validate()
	var ve *cadre.ValidationError
	require.True(t, errors.As(err, &ve))
	assert.Equal(t, []string{"home_every_months", "milestone_ages", "occasions", "summer_month", "window_after_days"}, ve.Fields())
}
