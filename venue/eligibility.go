package venue

import (
	"slices"
	"strconv"
	"strings"

	"github.com/wanxia/wanxia/cadre"
)

// Eligibility says whether a cadre is served by the four-nearby program on
// a date, by which rule, and why.
type Eligibility struct {
	// Eligible reports whether the cadre is served.
	Eligible bool `json:"eligible"`
	// Rule is the rule that decided: RuleLixiu, RuleAged or RuleDifficulty
	// when eligible, another rule when not.
	Rule Rule `json:"rule"`
	// Need is the special difficulty the cadre is served for under
	// RuleDifficulty (or would be, under RuleNotEnrolled); empty otherwise.
	Need cadre.Need `json:"need,omitempty"`
	// Stage is the stage of the community's enrolment, when eligible.
	Stage Stage `json:"stage,omitempty"`
	// Reason explains the decision.
	Reason Text `json:"reason"`
}

// Eligible decides whether c is served by the four-nearby program on the
// date, as the domain notes give it: 离休干部 first, then cadres of
// s.AgedCategories (退休) aged s.Policy.ElderlyAge (80) or more, and cadres in
// special difficulty (seriously ill or dependent, aged and living alone, in
// living difficulty), in communities enrolled on that date.
//
// The rules apply in order: a cadre who died or moved away on or before the
// date is not served (a death recorded for a later day has not happened
// yet; a status without its date counts from always); then the groups, in
// the order above, the first that fits deciding; then the enrolment of the
// cadre's community, so that RuleNotEnrolled names exactly the cadres whom
// enrolling their community would serve.
func Eligible(c cadre.Cadre, enrolments []Enrolment, on cadre.Date, s Settings) Eligibility {
	if e, ok := leftRoll(&c, on); ok {
		return e
	}
	var w words
	e := inGroup(&c, on, s, &w)
	if e.Rule == RuleNotInGroup {
		e.Reason = w.text()
		return e
	}
	st := enrolmentOf(c.Community, enrolments, on)
	if !st.found {
		e.Rule = RuleNotEnrolled
		st.word(&w, c.Community)
		e.Reason = w.text()
		return e
	}
	e.Eligible, e.Stage = true, st.in.Stage
	w.zh("；所在社区", c.Community, "为四就近", e.Stage.Label(cadre.Chinese), "社区")
	w.en("; community ", c.Community, " is in the four-nearby program (", e.Stage.Label(cadre.English), ")")
	e.Reason = w.text()
	return e
}

// leftRoll returns the answer for a cadre who died or moved away on or
// before the date.
func leftRoll(c *cadre.Cadre, on cadre.Date) (Eligibility, bool) {
	if c.OnRoll(on) {
		return Eligibility{}, false
	}
	e := Eligibility{Rule: RuleMoved, Reason: Text{Zh: "已迁出", En: "moved away"}}
	if c.Status == cadre.StatusDeceased {
		e = Eligibility{Rule: RuleDeceased, Reason: Text{Zh: "已去世", En: "deceased"}}
	}
	if !c.StatusOn.IsZero() {
		e.Reason.Zh = "已于" + c.StatusOn.String() + strings.TrimPrefix(e.Reason.Zh, "已")
		e.Reason.En += " on " + c.StatusOn.String()
	}
	return e, true
}

// inGroup finds the first group of the program that c, on the roll, is
// in, and words it into w.
func inGroup(c *cadre.Cadre, on cadre.Date, s Settings, w *words) Eligibility {
	if c.Category == cadre.Lixiu {
		w.zh("离休干部")
		w.en("a lixiu cadre")
		return Eligibility{Rule: RuleLixiu}
	}
	age, elderly := c.Age(on), strconv.Itoa(s.Policy.ElderlyAge)
	if slices.Contains(s.AgedCategories, c.Category) && age >= s.Policy.ElderlyAge {
		categoryAge(w, c.Category, age)
		w.zh("，在", elderly, "岁以上")
		w.en(", ", elderly, " or over")
		return Eligibility{Rule: RuleAged}
	}
	if n, ok := difficulty(*c, on, s.Policy); ok {
		w.zh("特殊困难（", n.Label(cadre.Chinese), "）")
		w.en("in special difficulty (", n.Label(cadre.English), ")")
		return Eligibility{Rule: RuleDifficulty, Need: n}
	}
	categoryAge(w, c.Category, age)
	w.zh("：不是离休干部")
	w.en(": not lixiu")
	if len(s.AgedCategories) > 0 {
		w.zh("，不是", elderly, "岁以上的")
		w.en(", not a ")
		for i, c := range s.AgedCategories {
			if i > 0 {
				w.zh("或")
				w.en(" or ")
			}
			noun := nounOf(c)
			w.zh(noun.Zh)
			w.en(noun.En)
		}
		w.en(" aged ", elderly, " or over")
	}
	w.zh("，也没有特殊困难")
	w.en(", and in no special difficulty")
	return Eligibility{Rule: RuleNotInGroup}
}

// categoryAge words "退休干部，该日82岁".
func categoryAge(w *words, c cadre.Category, age int) {
	a, noun := strconv.Itoa(age), nounOf(c)
	w.zh(noun.Zh, "，该日", a, "岁")
	w.en("a ", noun.En, " aged ", a, " on the date")
}

// nounOf names a cadre of category c: "退休干部", "retired cadre".
func nounOf(c cadre.Category) Text {
	switch c {
	case cadre.Lixiu:
		return Text{Zh: "离休干部", En: "lixiu cadre"}
	case cadre.Tuixiu:
		return Text{Zh: "退休干部", En: "retired cadre"}
	case cadre.Junxiu:
		return Text{Zh: "军休干部", En: "retired military officer"}
	}
	return Text{Zh: "干部", En: "cadre"}
}

// difficulty returns c's first special difficulty: the need tiers of
// package cadre between 离休 and plain old age.
func difficulty(c cadre.Cadre, on cadre.Date, p cadre.Policy) (cadre.Need, bool) {
	// Needs counts only active records; c is on the roll on the date.
	c.Status, c.StatusOn = cadre.StatusActive, cadre.Date{}
	for _, n := range c.Needs(on, p) {
		switch n {
		case cadre.NeedSeriousHealth, cadre.NeedAloneElderly, cadre.NeedLivingDifficulty:
			return n, true
		}
	}
	return "", false
}

// enrolment is where a community stands in the program on a date.
type enrolment struct {
	// in is the enrolment in force, when found: the earliest begun, ties
	// by ID, when several overlap.
	in    Enrolment
	found bool
	// next is the first day of the next enrolment, and last the end of
	// the latest past one, to say why a community is not enrolled.
	next, last cadre.Date
}

// enrolmentOf finds where community stands in the program on the date, in
// one pass over the enrolments.
func enrolmentOf(community string, enrolments []Enrolment, on cadre.Date) enrolment {
	var st enrolment
	for _, e := range enrolments {
		switch {
		case e.Community != community:
		case e.InForce(on):
			if !st.found || e.Since.Before(st.in.Since) || (e.Since == st.in.Since && compareID(e.ID, st.in.ID) < 0) {
				st.in, st.found = e, true
			}
		case e.Since.After(on):
			if st.next.IsZero() || e.Since.Before(st.next) {
				st.next = e.Since
			}
		case !e.Until.IsZero() && e.Until.After(st.last):
			st.last = e.Until
		}
	}
	return st
}

// word says into w why the community of a cadre in a group served is not
// enrolled on the date: not yet, no longer, or never.
func (st enrolment) word(w *words, community string) {
	w.zh("，但所在社区", community)
	w.en(", but community ", community)
	switch {
	case !st.next.IsZero():
		w.zh("自", st.next.String(), "起才纳入四就近")
		w.en(" joins the four-nearby program only on ", st.next.String())
	case !st.last.IsZero():
		w.zh("已于", st.last.String(), "退出四就近")
		w.en(" left the four-nearby program on ", st.last.String())
	default:
		w.zh("未纳入四就近")
		w.en(" is not in the four-nearby program")
	}
}
