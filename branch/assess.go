package branch

import (
	"math"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
)

// AssessmentInput is the recorded evidence about one branch for a year.
// Records of other branches and cadres may be included; each measure picks
// out its own.
type AssessmentInput struct {
	// On is the date of the assessment; periods after it are left out, and
	// the month it falls in counts only for what was already done. Zero
	// means the year is complete.
	On cadre.Date
	// Members are the branch's members during the year.
	Members []cadre.Cadre
	// Memberships are the members' memberships, which say which months owe dues.
	Memberships []Membership
	// Payments are the members' dues payments.
	Payments []DuesPayment
	// Reliefs are the members' approved dues reductions and exemptions.
	Reliefs []DuesRelief
	// Posts are the branch's posts.
	Posts []Post
	// Meetings are the branch's meetings.
	Meetings []Meeting
	// Training is the members' training attendance.
	Training []TrainingAttendance
	// Feedback is the recorded feedback about the branch.
	Feedback []Feedback
	// Settings are the rules the measures apply; nil means DefaultSettings().
	Settings *Settings
}

// AssessState is the outcome of a criterion.
type AssessState string

// Outcomes.
const (
	AssessMet     AssessState = "met"
	AssessNotMet  AssessState = "not_met"
	AssessUnknown AssessState = "unknown"
)

var assessStates = cadre.NewEnum[AssessState]("assessment state",
	cadre.L("met", "达到", "met"),
	cadre.L("not_met", "未达到", "not met"),
	cadre.L("unknown", "无法评定（记录不足）", "cannot tell (too little recorded)"),
)

// Label returns s's label in lang.
func (s AssessState) Label(lang cadre.Lang) string { return assessStates.Label(s, lang) }

// IndicatorResult is one indicator's value and the evidence for it.
type IndicatorResult struct {
	// Measure is what was measured.
	Measure Measure `json:"measure"`
	// Target is the share required.
	Target float64 `json:"target"`
	// Assessable is false when nothing was recorded to measure.
	Assessable bool `json:"assessable"`
	// Value is the share measured, 0 to 1, when assessable.
	Value float64 `json:"value"`
	// Met is whether Value reaches Target.
	Met bool `json:"met"`
	// Evidence lists the records the value rests on.
	Evidence []Text `json:"evidence"`
}

// CriterionResult is one criterion's outcome.
type CriterionResult struct {
	// Code identifies the criterion within its set.
	Code string `json:"code"`
	// Name is the criterion as people know it.
	Name Text `json:"name"`
	// State is met when every indicator is met, not met when one is not,
	// and unknown when none fails but one could not be measured.
	State AssessState `json:"state"`
	// Score is the mean of the measurable indicators' values, 0–100.
	Score int `json:"score"`
	// Indicators are the indicators' results, in the set's order.
	Indicators []IndicatorResult `json:"indicators"`
}

// Assessment is a branch's assessment for a year against a criteria set.
type Assessment struct {
	// BranchID is the branch.
	BranchID uuid.UUID `json:"branch_id"`
	// Year is the year assessed.
	Year int `json:"year"`
	// Set is the criteria set's name.
	Set Text `json:"set"`
	// Criteria are the criteria's results, in the set's order.
	Criteria []CriterionResult `json:"criteria"`
	// Met is whether every criterion is met.
	Met bool `json:"met"`
	// Text sums up, and says that the title is for the Party organisation
	// to confer.
	Text Text `json:"text"`
}

// Assess scores branch b for year against criteria from the recorded
// evidence, listing the evidence per indicator. It proposes; whether a
// branch is named a 五好 branch is for the Party organisation to decide.
func Assess(b Branch, evidence AssessmentInput, year int, criteria CriteriaSet) Assessment {
	a := newAssessor(b, evidence, year)
	out := Assessment{BranchID: b.ID, Year: year, Set: criteria.Name, Criteria: []CriterionResult{}, Met: len(criteria.Criteria) > 0}
	for _, c := range criteria.Criteria {
		r := a.criterion(c)
		out.Met = out.Met && r.State == AssessMet
		out.Criteria = append(out.Criteria, r)
	}
	out.Text = summary(out)
	return out
}

func summary(a Assessment) Text {
	met, unknown := 0, 0
	for _, c := range a.Criteria {
		switch c.State {
		case AssessMet:
			met++
		case AssessUnknown:
			unknown++
		}
	}
	return textf("%d项标准中达到%d项，%d项记录不足无法评定。评定结果供党组织研究决定。", []any{len(a.Criteria), met, unknown},
		"%d of %d criteria met, %d cannot be told from the records. The result is for the Party organisation to decide on.", []any{met, len(a.Criteria), unknown})
}

// assessor computes measures once each for one Assess call.
type assessor struct {
	b        Branch
	in       AssessmentInput
	s        Settings
	year     int
	end      cadre.Date // last day assessed
	last     Month      // last month fully assessed
	computed map[Measure]IndicatorResult
}

func newAssessor(b Branch, in AssessmentInput, year int) *assessor {
	a := &assessor{b: b, in: in, year: year, s: DefaultSettings(), computed: map[Measure]IndicatorResult{}}
	if in.Settings != nil {
		a.s = *in.Settings
	}
	a.end = cadre.NewDate(year, time.December, 31)
	if !in.On.IsZero() && in.On.Before(a.end) {
		a.end = in.On
	}
	a.last = MonthOf(a.end)
	if a.end != a.last.Last() {
		a.last = a.last.Add(-1)
	}
	return a
}

func (a *assessor) criterion(c Criterion) CriterionResult {
	r := CriterionResult{Code: c.Code, Name: c.Name, State: AssessMet, Indicators: []IndicatorResult{}}
	sum, n := 0.0, 0
	for _, in := range c.Indicators {
		ir := a.measure(in.Measure)
		ir.Target = in.Target
		ir.Met = ir.Assessable && ir.Value >= in.Target-1e-9
		switch {
		case ir.Assessable && !ir.Met:
			r.State = AssessNotMet
		case !ir.Assessable && r.State == AssessMet:
			r.State = AssessUnknown
		}
		if ir.Assessable {
			sum, n = sum+ir.Value, n+1
		}
		r.Indicators = append(r.Indicators, ir)
	}
	if n > 0 {
		r.Score = int(math.Round(sum / float64(n) * 100))
	}
	return r
}

func (a *assessor) measure(m Measure) IndicatorResult {
	if r, ok := a.computed[m]; ok {
		r.Evidence = slices.Clone(r.Evidence)
		return r
	}
	var r IndicatorResult
	switch m {
	case MeasureCommitteeComplete:
		r = a.committeeComplete()
	case MeasureTermCurrent:
		r = a.termCurrent()
	case MeasureSecretaryTrained:
		r = a.secretaryTrained()
	case MeasureDuesPaid:
		r = a.duesPaid()
	case MeasureAttendance:
		r = a.attendance()
	case MeasureSetupValid:
		r = a.setupValid()
	case MeasureMeetingsHeld:
		r = a.meetingsHeld()
	case MeasureStudyDelivered:
		r = a.studyDelivered()
	case MeasureFeedbackGood:
		r = a.feedbackGood()
	default:
		r = IndicatorResult{Evidence: []Text{textf("未知的衡量项%q", []any{string(m)}, "unknown measure %q", []any{string(m)})}}
	}
	r.Measure = m
	if r.Evidence == nil {
		r.Evidence = []Text{}
	}
	a.computed[m] = r
	return r
}

// share returns an assessable result of part/whole, or an unassessable one
// when whole is zero.
func share(part, whole int, evidence []Text) IndicatorResult {
	if whole == 0 {
		return IndicatorResult{Evidence: evidence}
	}
	return IndicatorResult{Assessable: true, Value: float64(part) / float64(whole), Evidence: evidence}
}

func yesNo(ok bool, evidence []Text) IndicatorResult {
	v := 0.0
	if ok {
		v = 1
	}
	return IndicatorResult{Assessable: true, Value: v, Evidence: evidence}
}

func (a *assessor) names() map[uuid.UUID]string {
	out := map[uuid.UUID]string{}
	for _, c := range a.in.Members {
		out[c.ID] = c.Name
	}
	return out
}

func (a *assessor) committeeComplete() IndicatorResult {
	findings := CheckCommittee(a.b, a.in.Members, a.in.Posts, a.end, a.s.Committee)
	ok := true
	var ev []Text
	for _, f := range findings {
		if f.Severity == SeverityProblem && f.Code != FindingTermExpired {
			ok = false
			ev = append(ev, f.Text)
		}
	}
	names := a.names()
	for _, p := range currentPosts(a.b.ID, a.in.Posts, a.end) {
		ev = append(ev, textf("%s：%s", []any{p.Role.Label(cadre.Chinese), names[p.CadreID]},
			"%s: %s", []any{p.Role.Label(cadre.English), names[p.CadreID]}))
	}
	return yesNo(ok, ev)
}

func (a *assessor) termCurrent() IndicatorResult {
	current := currentPosts(a.b.ID, a.in.Posts, a.end)
	start, ok := termStart(current)
	if !ok {
		return IndicatorResult{Evidence: []Text{{Zh: "没有任期记录", En: "no term recorded"}}}
	}
	end := cadre.NewDate(start.Year+a.s.Committee.TermYears, start.Month, start.Day)
	return yesNo(a.end.Before(end), []Text{textf("本届任期%s至%s", []any{start, end}, "term from %s to %s", []any{start, end})})
}

func (a *assessor) secretaryTrained() IndicatorResult {
	names := a.names()
	done, all := 0, 0
	var ev []Text
	for _, st := range TrainingDue(a.b, a.in.Posts, a.in.Training, a.end, a.s.Training) {
		all++
		n := names[st.CadreID]
		if st.Done {
			done++
			ev = append(ev, textf("%s%s于%s参加%s", []any{st.Role.Label(cadre.Chinese), n, st.AttendedOn, st.Course},
				"%s %s attended %s on %s", []any{st.Role.Label(cadre.English), n, st.Course, st.AttendedOn}))
		} else {
			ev = append(ev, textf("%s%s本年度未参加培训", []any{st.Role.Label(cadre.Chinese), n},
				"%s %s has not been trained this year", []any{st.Role.Label(cadre.English), n}))
		}
	}
	return share(done, all, ev)
}

func (a *assessor) duesPaid() IndicatorResult {
	paid, owed := 0, 0
	var ev []Text
	s := a.s.Dues
	s.Since = NewMonth(a.year, time.January)
	on := a.last.Add(1).First()
	for _, c := range sortedCadres(a.in.Members) {
		st := Arrears(c, a.in.Memberships, a.in.Payments, a.in.Reliefs, on, s)
		owed += len(st.Months)
		paid += len(st.Months) - len(st.Unpaid)
		if len(st.Unpaid) > 0 {
			ev = append(ev, textf("%s未交：%s", []any{c.Name, joinMonths(st.Unpaid, "、")},
				"%s unpaid: %s", []any{c.Name, joinMonths(st.Unpaid, ", ")}))
		}
	}
	ev = append([]Text{textf("应交%d人·月，已交%d人·月", []any{owed, paid}, "%d member-months owed, %d paid", []any{owed, paid})}, ev...)
	return share(paid, owed, ev)
}

func joinMonths(ms []Month, sep string) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = m.String()
	}
	return strings.Join(parts, sep)
}

func sortedCadres(cs []cadre.Cadre) []cadre.Cadre {
	out := slices.Clone(cs)
	slices.SortStableFunc(out, func(a, b cadre.Cadre) int { return compareUUID(a.ID, b.ID) })
	return slices.CompactFunc(out, func(a, b cadre.Cadre) bool { return a.ID == b.ID })
}

// yearMeetings returns b's meetings of the assessed year up to its end, in date order.
func (a *assessor) yearMeetings() []Meeting {
	var out []Meeting
	for _, m := range sortedMeetings(a.in.Meetings) {
		if m.BranchID == a.b.ID && m.On.Year == a.year && !m.On.After(a.end) {
			out = append(out, m)
		}
	}
	return out
}

func (a *assessor) attendance() IndicatorResult {
	var total MeetingSummary
	n := 0
	for _, m := range a.yearMeetings() {
		if !m.Kind.forAllMembers() {
			continue
		}
		s := summarise(m, a.in.Members)
		n++
		total.Attended += s.Attended
		total.Health += s.Health
		total.Excused += s.Excused
		total.Unexcused += s.Unexcused
	}
	ev := []Text{textf("全体党员会议%d次：出席%d人次，因病缺席%d人次，请假%d人次，无故缺席%d人次", []any{n, total.Attended, total.Health, total.Excused, total.Unexcused},
		"%d meetings of all members: %d attendances, %d absent ill, %d excused, %d absent without reason", []any{n, total.Attended, total.Health, total.Excused, total.Unexcused})}
	return share(total.Attended, total.Attended+total.Unexcused, ev)
}

func (a *assessor) setupValid() IndicatorResult {
	full, all := countMembers(a.in.Members, a.end)
	ps := a.s.Plan.workable()
	ok := all <= ps.MaxMembers && (a.b.Kind == KindJoint || full >= ps.MinFullMembers) &&
		(a.b.Kind != KindJoint || len(a.b.Communities) <= ps.MaxJointCommunities)
	return yesNo(ok, []Text{textf("%s，党员%d名（正式党员%d名），覆盖%d个社区", []any{a.b.Kind.Label(cadre.Chinese), all, full, len(a.b.Communities)},
		"%s, %d members (%d full), covering %d communities", []any{a.b.Kind.Label(cadre.English), all, full, len(a.b.Communities)})})
}

// meetingsHeld counts every period that ended in the assessed months, and
// the period still open at their end when its meeting was already held.
func (a *assessor) meetingsHeld() IndicatorResult {
	type tally struct {
		held   int
		missed []string
	}
	tallies := map[MeetingKind]*tally{}
	for m := NewMonth(a.year, time.January); !m.After(a.last); m = m.Add(1) {
		for _, st := range MeetingsDue(a.b, a.in.Members, a.in.Meetings, m, a.s.Meetings) {
			t := tallies[st.Kind]
			if t == nil {
				t = &tally{}
				tallies[st.Kind] = t
			}
			switch {
			case st.To == m && st.State == MeetingMissed:
				t.missed = append(t.missed, periodName(st.From, st.To))
			case st.State == MeetingHeld && (st.To == m || m == a.last):
				t.held++
			}
		}
	}
	held, all := 0, 0
	var ev []Text
	for _, l := range meetingKinds.Values {
		t := tallies[MeetingKind(l.Code)]
		if t == nil {
			continue
		}
		held, all = held+t.held, all+t.held+len(t.missed)
		ev = append(ev, meetingEvidence(MeetingKind(l.Code), t.held, t.missed))
	}
	return share(held, all, ev)
}

// periodName writes a period as its month, or as first～last month.
func periodName(from, to Month) string {
	if from == to {
		return from.String()
	}
	return from.String() + "～" + to.String()
}

func meetingEvidence(k MeetingKind, held int, missed []string) Text {
	if len(missed) == 0 {
		return textf("%s：应开%d次，已开%d次", []any{k.Label(cadre.Chinese), held, held},
			"%s: %d due, %d held", []any{k.Label(cadre.English), held, held})
	}
	return textf("%s：应开%d次，已开%d次；未开：%s", []any{k.Label(cadre.Chinese), held + len(missed), held, strings.Join(missed, "、")},
		"%s: %d due, %d held; missed: %s", []any{k.Label(cadre.English), held + len(missed), held, strings.Join(missed, ", ")})
}

func (a *assessor) studyDelivered() IndicatorResult {
	names := a.names()
	done, all := 0, 0
	var ev []Text
	for _, m := range a.yearMeetings() {
		for _, d := range deliveries(m, a.in.Members) {
			all++
			if d.State == Delivered {
				done++
				continue
			}
			ev = append(ev, textf("%s %s：%s%s", []any{m.On, m.Kind.Label(cadre.Chinese), names[d.CadreID], d.State.Label(cadre.Chinese)},
				"%s %s: %s %s", []any{m.On, m.Kind.Label(cadre.English), names[d.CadreID], d.State.Label(cadre.English)}))
		}
	}
	if all == 0 {
		return IndicatorResult{Assessable: true, Value: 1, Evidence: []Text{{Zh: "无因病缺席，无需送学上门", En: "no one absent ill: no study to deliver"}}}
	}
	ev = append([]Text{textf("应送学上门%d人次，按时送达%d人次", []any{all, done}, "%d home deliveries owed, %d made in time", []any{all, done})}, ev...)
	return share(done, all, ev)
}

func (a *assessor) feedbackGood() IndicatorResult {
	good, all := 0, 0
	var ev []Text
	for _, f := range a.in.Feedback {
		if f.BranchID != a.b.ID || f.On.Year != a.year || f.On.After(a.end) {
			continue
		}
		all++
		if f.Good {
			good++
		}
	}
	if all == 0 {
		ev = []Text{{Zh: "本年度未记录群众意见", En: "no feedback recorded this year"}}
	} else {
		ev = []Text{textf("记录群众意见%d条，好评%d条", []any{all, good}, "%d opinions recorded, %d good", []any{all, good})}
	}
	return share(good, all, ev)
}
