package venue

import (
	"slices"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
)

// Answer is what the four-nearby program offers one cadre on one date.
type Answer struct {
	// CadreID is the cadre's ID.
	CadreID uuid.UUID `json:"cadre_id"`
	// On is the date answered for.
	On cadre.Date `json:"on"`
	// Located reports whether the cadre's home has usable coordinates.
	// Without them no distance is known: no service is covered, and each
	// service lists the venues of the cadre's own community instead.
	Located bool `json:"located"`
	// Eligibility says whether the program serves the cadre, and why.
	Eligibility Eligibility `json:"eligibility"`
	// Services holds one answer per service, in the order of AllServices.
	Services [4]ServiceAnswer `json:"services"`
	// Note explains an answer without coordinates; empty otherwise.
	Note Text `json:"note"`
}

// ServiceAnswer says whether one service is within reach of a cadre's home.
type ServiceAnswer struct {
	// Service is the service.
	Service Service `json:"service"`
	// Covered reports whether a venue offering the service, open on the
	// date, is within the walking radius.
	Covered bool `json:"covered"`
	// Venue is the nearest open venue offering the service: the one that
	// covers it when Covered, the nearest beyond the radius otherwise; nil
	// when no open venue offers it or the home has no coordinates. It
	// points into the index: read it, do not change it.
	Venue *Venue `json:"venue"`
	// Metres is the walking distance to Venue, to the millimetre.
	Metres float64 `json:"metres"`
	// Missing says what is missing when the service is not covered.
	Missing Text `json:"missing"`
	// InCommunity lists, for a home without coordinates, the venues of the
	// cadre's community that offer the service and are open on the date,
	// by kind and name. They point into the index: read them, do not
	// change them.
	InCommunity []*Venue `json:"in_community,omitempty"`
}

// FourNearby answers, for cadre c on the date, which of the four services
// (learning, activities, care, role) are within walking distance, by which
// venue, and what is missing, and whether the program serves c (see
// Eligible). The enrolments are those of every community; only c's own
// matter.
func (ix *Index) FourNearby(c cadre.Cadre, enrolments []Enrolment, on cadre.Date) Answer {
	a := Answer{
		CadreID:     c.ID,
		On:          on,
		Located:     located(c.Location),
		Eligibility: Eligible(c, enrolments, on, ix.s),
	}
	if !a.Located {
		ix.fromCommunity(&a, c.Community, on)
		return a
	}
	at := *c.Location
	q := ix.query(unitOf(at), on)
	defer ix.done(q)
	near := q.nearestEach(at)
	for j, s := range order {
		sa := &a.Services[j]
		sa.Service = s
		h, ok := near[j], near[j].i >= 0
		sa.Covered = ok
		if !ok {
			h, ok = q.nearest(s, at)
		}
		if ok {
			sa.Venue, sa.Metres = &ix.venues[h.i], h.m
		}
		if !sa.Covered {
			sa.Missing = ix.missing(s, sa.Venue, sa.Metres)
		}
	}
	return a
}

// missing words a service out of reach: "500米内没有提供学习的场所；最近的是…".
func (ix *Index) missing(s Service, nearest *Venue, metres float64) Text {
	var w words
	w.zh(ix.radius.Zh, "内没有提供", s.Label(cadre.Chinese), "的场所；")
	w.en("no venue offering ", s.Label(cadre.English), " within ", ix.radius.En, "; ")
	if nearest == nil {
		w.zh("更远处也没有")
		w.en("none farther away either")
		return w.text()
	}
	d := distance(metres)
	w.zh("最近的是", nearest.Name, "，", d.Zh)
	w.en("nearest: ", nearest.Name, ", ", d.En)
	return w.text()
}

// fromCommunity fills the answer for a home without coordinates: for each
// service, the venues registered in the cadre's community.
func (ix *Index) fromCommunity(a *Answer, community string, on cadre.Date) {
	a.Note = Text{
		Zh: "住址没有坐标，无法计算步行距离；各项列出本社区（" + community + "）登记的场所",
		En: "the home has no coordinates, so walking distances are unknown; each service lists the venues registered in community " + community,
	}
	lists := ix.community[community]
	for j, s := range order {
		if lists == nil {
			a.Services[j] = ServiceAnswer{Service: s, Missing: ix.inCommunity(s, community, nil)}
			continue
		}
		l := &lists[j]
		sa := ServiceAnswer{Service: s, InCommunity: slices.Clone(l.venues), Missing: l.missing}
		if !l.firstClosed.IsZero() && !on.Before(l.firstClosed) {
			sa.InCommunity = slices.DeleteFunc(sa.InCommunity, func(v *Venue) bool { return !v.OpenOn(on) })
			sa.Missing = ix.inCommunity(s, community, sa.InCommunity)
		}
		if len(sa.InCommunity) == 0 {
			sa.InCommunity = nil
		}
		a.Services[j] = sa
	}
}

// listing is what a home without coordinates is told about one service in
// its community, prepared when the index is built.
type listing struct {
	// venues offer the service, by kind and name.
	venues []*Venue
	// firstClosed is the earliest day one of them closes; zero when none
	// does.
	firstClosed cadre.Date
	// missing is the answer's Missing while all of them are open.
	missing Text
}

// inCommunity words the venues of the community offering s for a home
// without coordinates.
func (ix *Index) inCommunity(s Service, community string, vs []*Venue) Text {
	var w words
	w.zh("住址没有坐标，无法判断", ix.radius.Zh, "内是否有提供", s.Label(cadre.Chinese), "的场所；")
	w.en("no home coordinates: cannot tell whether a venue offering ", s.Label(cadre.English), " is within ", ix.radius.En, "; ")
	if len(vs) == 0 {
		w.zh("本社区没有登记提供", s.Label(cadre.Chinese), "的场所")
		w.en("none is registered in community ", community)
		return w.text()
	}
	w.zh("本社区登记提供", s.Label(cadre.Chinese), "的场所：")
	w.en("registered in community ", community, ": ")
	for k, v := range vs {
		if k > 0 {
			w.zh("、")
			w.en(", ")
		}
		w.zh(v.Name)
		w.en(v.Name)
	}
	return w.text()
}
