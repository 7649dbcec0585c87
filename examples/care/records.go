package main

import (
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/examples/demo"
)

// sampleDistrict builds the district's records from the tables of
// district.go.
func sampleDistrict() district {
	var d district
	cadreID := map[string]uuid.UUID{}
	for i, p := range people {
		c := demo.Person(p).Cadre(kindCadre, i+1, regions[p.Community])
		if st, ok := statuses[p.Name]; ok {
			c.Status, c.StatusOn = st.status, demo.Date(st.on)
		}
		cadreID[c.Name] = c.ID
		d.cadres = append(d.cadres, c)
	}
	helperID := map[string]uuid.UUID{}
	for i, h := range helpers {
		h.ID = demo.ID(kindHelper, i+1)
		helperID[h.Name] = h.ID
		d.helpers = append(d.helpers, h)
	}
	for i, p := range pairs {
		d.pairs = append(d.pairs, care.Pair{
			ID: demo.ID(kindPair, i+1), HelperID: must(helperID, p.helper), CadreID: must(cadreID, p.cadre),
			From: demo.Date(p.from), Reason: p.reason,
		})
	}
	for i, s := range stays {
		st := care.HospitalStay{ID: demo.ID(kindStay, i+1), CadreID: must(cadreID, s.cadre), Admitted: demo.Date(s.admitted)}
		if s.discharged != "" {
			st.Discharged = demo.Date(s.discharged)
		}
		d.stays = append(d.stays, st)
	}
	d.visits = d.makeVisits(cadreID, helperID)
	return d
}

// makeVisits returns the year's visits: each open pair's monthly call and
// quarterly home visit, the office's rounds, and the occasional visits.
func (d district) makeVisits(cadreID, helperID map[string]uuid.UUID) []care.Visit {
	var out []care.Visit
	add := func(c, by uuid.UUID, kind care.VisitKind, on cadre.Date) {
		out = append(out, care.Visit{ID: demo.ID(kindVisit, len(out)+1), CadreID: c, By: by, Kind: kind, On: on})
	}
	start := cadre.NewDate(2025, 12, 1)
	for i, p := range d.pairs {
		last := recordedTo
		if s, ok := lastVisited[pairs[i].cadre]; ok {
			last = demo.Date(s)
		}
		if h := d.helperByID(p.HelperID); !h.ActiveTo.IsZero() && !h.ActiveTo.After(last) {
			last = h.ActiveTo.AddDays(-1)
		}
		if c := d.cadreByID(p.CadreID); c.Status != cadre.StatusActive && !c.StatusOn.After(last) {
			last = c.StatusOn.AddDays(-1)
		}
		// Each cadre has a day of the month for the round, from the 3rd
		// to the 22nd.
		day := 3 + int(p.CadreID[15])*7%20
		for m := start; !m.After(last); m = cadre.NewDate(m.Year, m.Month+1, 1) {
			if call := cadre.NewDate(m.Year, m.Month, day); !call.After(last) {
				add(p.CadreID, p.HelperID, care.VisitCall, call)
			}
			home := cadre.NewDate(m.Year, m.Month, day+3)
			if m.Month%3 == 2 && !home.After(last) && !d.inHospital(p.CadreID, home) {
				add(p.CadreID, p.HelperID, care.VisitHome, home)
			}
		}
	}
	for _, r := range rounds {
		on := demo.Date(r.on)
		for _, c := range d.cadres {
			if c.Status != cadre.StatusActive && !c.StatusOn.After(on) {
				continue
			}
			if r.kind == care.VisitHoliday && on.Month == time.October && missedHoliday[c.Name] {
				continue
			}
			add(c.ID, d.helperOf(c.ID, on), r.kind, on)
		}
	}
	for _, v := range occasional {
		var by uuid.UUID
		if v.by != "" {
			by = must(helperID, v.by)
		}
		add(must(cadreID, v.cadre), by, v.kind, demo.Date(v.on))
	}
	return out
}

// helperByID returns the helper with the given ID.
func (d district) helperByID(id uuid.UUID) care.Helper {
	for _, h := range d.helpers {
		if h.ID == id {
			return h
		}
	}
	panic(fmt.Sprintf("no helper %s", id))
}

// cadreByID returns the cadre with the given ID.
func (d district) cadreByID(id uuid.UUID) cadre.Cadre {
	for _, c := range d.cadres {
		if c.ID == id {
			return c
		}
	}
	panic(fmt.Sprintf("no cadre %s", id))
}

// helperOf returns the helper paired with the cadre on the given date, or
// uuid.Nil for the community's staff.
func (d district) helperOf(cadreID uuid.UUID, on cadre.Date) uuid.UUID {
	for _, p := range d.pairs {
		if p.CadreID == cadreID && p.InForce(on) && d.helperByID(p.HelperID).Active(on) {
			return p.HelperID
		}
	}
	return uuid.Nil
}

func (d district) inHospital(cadreID uuid.UUID, on cadre.Date) bool {
	for _, s := range d.stays {
		if s.CadreID == cadreID && s.In(on) {
			return true
		}
	}
	return false
}

// asOf returns the records as they stood on the given date, for a date
// before recordedTo: a cadre who died or moved later was still on the roll,
// and a pair made later did not exist. Assign reads a cadre's status
// whatever its date, and takes every open pair as made. Visits and hospital
// stays need no cut: Schedule counts only what happened by its date.
func (d district) asOf(on cadre.Date) district {
	out := d
	out.cadres = make([]cadre.Cadre, len(d.cadres))
	for i, c := range d.cadres {
		if c.Status != cadre.StatusActive && c.StatusOn.After(on) {
			c.Status, c.StatusOn = cadre.StatusActive, cadre.Date{}
		}
		out.cadres[i] = c
	}
	out.pairs = nil
	for _, p := range d.pairs {
		if !p.From.After(on) {
			out.pairs = append(out.pairs, p)
		}
	}
	return out
}

// must returns the ID of a name the tables of district.go use.
func must(ids map[string]uuid.UUID, name string) uuid.UUID {
	id, ok := ids[name]
	if !ok {
		panic("no record named " + name)
	}
	return id
}
