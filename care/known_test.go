package care_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// registered returns rec with the cadre registered on the given day.
func registered(rec care.Records, on string) care.Records {
	rec.Registered = testkit.Date(on)
	return rec
}

func TestScheduleOwedFromRegistration(t *testing.T) {
	c := member(young)
	s := care.DefaultScheduleSettings()
	nine := care.DoubleNinth(2026).String() // 2026-10-18
	paired := care.Records{Pairs: pairedSince(cadre.NewDate(2026, 7, 1))}
	for _, tc := range []struct {
		name       string
		registered string
		dueCase
	}{
		{"registered today: no 重阳节 debt", "2026-11-28", dueCase{on: "2026-11-28", kind: care.DueDoubleNinth, dueOn: nine, want: "absent"}},
		{"registered the day after 重阳节", "2026-10-19", dueCase{on: "2026-11-28", kind: care.DueDoubleNinth, dueOn: nine, want: "absent"}},
		{"registered on 重阳节 itself", nine, dueCase{on: "2026-11-28", kind: care.DueDoubleNinth, dueOn: nine, want: "overdue"}},
		{"registered before", "2026-09-01", dueCase{on: "2026-11-28", kind: care.DueDoubleNinth, dueOn: nine, want: "overdue"}},
		{"registered in the window: open", "2026-10-10", dueCase{on: "2026-10-12", kind: care.DueDoubleNinth, dueOn: nine, want: "open"}},
		{"a coming holiday before its window", "2026-11-28", dueCase{on: "2026-11-28", kind: care.DueSpringFestival, dueOn: "2027-02-06", want: "absent"}},

		{"quarter of registration, early enough", "2026-11-20", dueCase{on: "2026-11-28", kind: care.DueHome, dueOn: "2026-12-31", want: "open"}},
		{"a quarter before registration", "2026-11-20", dueCase{on: "2026-11-28", kind: care.DueHome, dueOn: "2026-09-30", want: "absent"}},
		{"the same quarter, registered before it", "2026-06-01", dueCase{on: "2026-11-28", kind: care.DueHome, dueOn: "2026-09-30", want: "overdue"}},
		{"a month before registration", "2026-11-20", dueCase{on: "2026-11-28", kind: care.DueContact, dueOn: "2026-10-31", want: "absent"}},
		{"registered in the grace of the month", "2026-11-28", dueCase{on: "2026-11-28", kind: care.DueContact, dueOn: "2026-11-30", want: "absent"}},
		{"registered in time for the month", "2026-11-20", dueCase{on: "2026-11-28", kind: care.DueContact, dueOn: "2026-11-30", want: "open"}},
		{"registered in time, month over", "2026-11-20", dueCase{on: "2026-12-01", kind: care.DueContact, dueOn: "2026-11-30", want: "overdue"}},

		{"summer: registered after July", "2026-08-01", dueCase{on: "2026-08-10", kind: care.DueSummer, dueOn: "2026-07-31", want: "absent"}},
		{"summer: registered in July's grace", "2026-07-28", dueCase{on: "2026-08-10", kind: care.DueSummer, dueOn: "2026-07-31", want: "absent"}},
		{"summer: registered in time", "2026-07-10", dueCase{on: "2026-08-10", kind: care.DueSummer, dueOn: "2026-07-31", want: "overdue"}},
	} {
		runDueCases(t, c, registered(paired, tc.registered), s, []dueCase{{
			name: tc.name, on: tc.on, kind: tc.kind, dueOn: tc.dueOn, want: tc.want,
		}})
	}
	// The Spring Festival of 2027 is listed once its window opens.
	runDueCases(t, c, registered(paired, "2026-11-28"), s, []dueCase{
		{"a coming holiday is owed", "2027-01-23", care.DueSpringFestival, "2027-02-06", "open"},
	})

	eighty := member(cadre.NewDate(1946, 11, 1))
	runDueCases(t, eighty, registered(care.Records{}, "2026-11-05"), s, []dueCase{
		{"80th birthday before registration", "2026-11-06", care.DueBirthday, "2026-11-01", "absent"},
	})
	runDueCases(t, eighty, registered(care.Records{}, "2026-10-25"), s, []dueCase{
		{"80th birthday after registration", "2026-11-06", care.DueBirthday, "2026-11-01", "overdue"},
	})
}

func TestScheduleHospitalOwedFromRecording(t *testing.T) {
	c := member(young)
	s := care.DefaultScheduleSettings()
	stay := care.HospitalStay{ID: id(400), CadreID: id(1), Admitted: cadre.NewDate(2026, 11, 1)}
	late := care.Records{
		Stays:         []care.HospitalStay{stay},
		StaysRecorded: map[uuid.UUID]care.StayRecorded{stay.ID: {Admission: cadre.NewDate(2026, 11, 20)}},
	}
	runDueCases(t, c, late, s, []dueCase{
		{"admission entered late: due 3 days from entry", "2026-11-21", care.DueAdmission, "2026-11-23", "open"},
		{"and overdue after", "2026-11-24", care.DueAdmission, "2026-11-23", "overdue"},
		{"not due from the admission itself", "2026-11-21", care.DueAdmission, "2026-11-04", "absent"},
	})
	runDueCases(t, c, care.Records{Stays: late.Stays}, s, []dueCase{
		{"unknown entry reads as on the day", "2026-11-21", care.DueAdmission, "2026-11-04", "overdue"},
	})
	runDueCases(t, c, registered(care.Records{Stays: late.Stays}, "2026-11-26"), s, []dueCase{
		{"a cadre registered while in hospital", "2026-11-27", care.DueAdmission, "2026-11-29", "open"},
	})

	// A visit made before the entry still counts.
	done := late
	done.Visits = []care.Visit{visit(1, care.VisitHospital, cadre.NewDate(2026, 11, 2))}
	runDueCases(t, c, done, s, []dueCase{
		{"a visit before the entry counts", "2026-11-21", care.DueAdmission, "2026-11-23", "done"},
	})

	out := stay
	out.Discharged = cadre.NewDate(2026, 11, 22)
	dis := care.Records{
		Stays: []care.HospitalStay{out},
		StaysRecorded: map[uuid.UUID]care.StayRecorded{stay.ID: {
			Admission: cadre.NewDate(2026, 11, 1), Discharge: cadre.NewDate(2026, 11, 26),
		}},
	}
	runDueCases(t, c, dis, s, []dueCase{
		{"discharge entered late: due 7 days from entry", "2026-11-30", care.DueDischarge, "2026-12-03", "open"},
		{"not from the discharge", "2026-11-30", care.DueDischarge, "2026-11-29", "absent"},
	})

	// A long stay entered months late owes only the months after the entry.
	long := care.HospitalStay{ID: id(401), CadreID: id(1), Admitted: cadre.NewDate(2026, 8, 20)}
	rec := care.Records{
		Stays:         []care.HospitalStay{long},
		StaysRecorded: map[uuid.UUID]care.StayRecorded{long.ID: {Admission: cadre.NewDate(2026, 10, 15)}},
	}
	runDueCases(t, c, rec, s, []dueCase{
		{"September, before the entry", "2026-11-05", care.DueHospitalMonthly, "2026-09-30", "absent"},
		{"October, the month of the entry", "2026-11-05", care.DueHospitalMonthly, "2026-10-31", "overdue"},
	})
}

func TestScheduleCondolenceOwedFromRecording(t *testing.T) {
	c := member(young)
	c.Status, c.StatusOn = cadre.StatusDeceased, cadre.NewDate(2026, 11, 20)
	s := care.DefaultScheduleSettings()
	runDueCases(t, c, registered(care.Records{}, "2026-11-25"), s, []dueCase{
		{"registered after the death: nothing owed", "2026-11-26", care.DueCondolence, "2026-11-23", "absent"},
	})
	late := registered(care.Records{StatusRecorded: cadre.NewDate(2026, 11, 26)}, "2020-01-01")
	runDueCases(t, c, late, s, []dueCase{
		{"a death entered late: due 3 days from entry", "2026-11-27", care.DueCondolence, "2026-11-29", "open"},
		{"overdue after that", "2026-11-30", care.DueCondolence, "2026-11-29", "overdue"},
	})
	ds := care.Schedule(c, registered(care.Records{}, "2026-11-25"), cadre.NewDate(2026, 11, 26), s)
	assert.Empty(t, ds, "a cadre registered as already dead is owed nothing")
}

// On the day a cadre is registered, with the pair and a hospital stay
// entered that day, nothing is overdue, whatever the day of the year: the
// first day of an office lists no old debts.
func TestScheduleNothingOverdueOnRegistration(t *testing.T) {
	s := care.DefaultScheduleSettings()
	// 80 in 2026 and in hospital since before registration.
	c := member(cadre.NewDate(1946, 3, 10))
	c.Category = cadre.Lixiu
	for d := cadre.NewDate(2025, 1, 1); d.Before(cadre.NewDate(2028, 1, 1)); d = d.AddDays(1) {
		stay := care.HospitalStay{ID: id(400), CadreID: id(1), Admitted: d.AddDays(-40)}
		rec := care.Records{
			Pairs:      pairedSince(d),
			Stays:      []care.HospitalStay{stay},
			Registered: d,
			StaysRecorded: map[uuid.UUID]care.StayRecorded{
				stay.ID: {Admission: d},
			},
		}
		ds := care.Schedule(c, rec, d, s)
		for _, due := range ds {
			if due.Overdue {
				t.Fatalf("registered on %s: %s due %s is overdue the same day", d, due.Kind, due.DueOn)
			}
		}
		// The same records without the day of registration do owe old
		// debts on some days: the test would see a broken rule.
		if d == cadre.NewDate(2026, 11, 28) {
			old := care.Schedule(c, care.Records{Pairs: pairedSince(d.AddDays(-200)), Stays: rec.Stays}, d, s)
			assert.True(t, anyOverdue(old), "without registration 2026-11-28 lists old debts")
		}
	}
}

func anyOverdue(ds []care.Due) bool {
	for _, d := range ds {
		if d.Overdue {
			return true
		}
	}
	return false
}
