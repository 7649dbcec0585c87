package branch

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/wanxia/wanxia/cadre"
)

// Measure is a quantity Assess computes from recorded data, as a share
// from 0 to 1. Criteria sets are built from measures, so a new set needs no
// new code as long as it asks for what the records hold.
type Measure string

// Measures.
const (
	// MeasureCommitteeComplete: 1 when CheckCommittee finds no problem other
	// than the term, else 0.
	MeasureCommitteeComplete Measure = "committee_complete"
	// MeasureTermCurrent: 1 when the term has not run out, else 0.
	MeasureTermCurrent Measure = "term_current"
	// MeasureSecretaryTrained: share of those due training who attended.
	MeasureSecretaryTrained Measure = "secretary_trained"
	// MeasureDuesPaid: share of owed member-months paid.
	MeasureDuesPaid Measure = "dues_paid"
	// MeasureAttendance: share of attendance among those who came or were
	// absent without reason (excused absences do not count against it).
	MeasureAttendance Measure = "attendance_rate"
	// MeasureSetupValid: 1 when the branch keeps to the size and joint limits.
	MeasureSetupValid Measure = "setup_valid"
	// MeasureMeetingsHeld: share of due meetings held.
	MeasureMeetingsHeld Measure = "meetings_held"
	// MeasureStudyDelivered: share of 送学上门 visits made within their month.
	MeasureStudyDelivered Measure = "study_delivered"
	// MeasureFeedbackGood: share of recorded feedback that was good.
	MeasureFeedbackGood Measure = "feedback_good"
)

var measures = cadre.NewEnum[Measure]("measure",
	cadre.L("committee_complete", "班子健全", "committee complete"),
	cadre.L("term_current", "按期换届", "term current"),
	cadre.L("secretary_trained", "书记参加培训", "secretary trained"),
	cadre.L("dues_paid", "按月交纳党费", "dues paid"),
	cadre.L("attendance_rate", "参加组织生活", "attendance"),
	cadre.L("setup_valid", "组织设置符合规定", "setup within the rules"),
	cadre.L("meetings_held", "按期召开会议", "meetings held"),
	cadre.L("study_delivered", "送学上门到位", "study delivered at home"),
	cadre.L("feedback_good", "群众评价好", "good feedback"),
)

// ParseMeasure parses a code ("dues_paid") or label ("按月交纳党费").
func ParseMeasure(s string) (Measure, error) { return measures.Parse(s) }

// Valid reports whether m is a measure Assess computes.
func (m Measure) Valid() bool { return measures.Valid(m) }

// Label returns m's label in lang.
func (m Measure) Label(lang cadre.Lang) string { return measures.Label(m, lang) }

// Indicator is one measure a criterion asks for and the share it must reach.
type Indicator struct {
	// Measure is what is measured.
	Measure Measure `json:"measure"`
	// Target is the share, 0 to 1, from which the indicator is met.
	Target float64 `json:"target"`
}

// Criterion is one criterion of a set, such as 支部班子好.
type Criterion struct {
	// Code identifies the criterion within its set.
	Code string `json:"code"`
	// Name is the criterion as people know it.
	Name Text `json:"name"`
	// Indicators must all be met for the criterion to be met.
	Indicators []Indicator `json:"indicators"`
}

// CriteriaSet is a set of criteria a branch is assessed against. It is
// data: FiveGood gives the district's "五好", and LoadCriteria reads another
// (a province's "六好", say) from JSON of the same shape.
type CriteriaSet struct {
	// Name is the set's name, such as 五好党支部.
	Name Text `json:"name"`
	// Criteria are assessed in this order.
	Criteria []Criterion `json:"criteria"`
}

// FiveGood returns the district's "五好" criteria (支部班子好、党员队伍好、
// 组织设置好、活动开展好、群众反映好) with the measures that evidence each.
// The targets are the package's proposal, since the domain notes give none;
// a district changes them by loading its own set. 群众反映好 rests on
// feedback people record, because the software cannot judge it.
func FiveGood() CriteriaSet {
	return CriteriaSet{
		Name: Text{Zh: "五好离退休干部党支部", En: "five-good branch"},
		Criteria: []Criterion{
			{Code: "committee", Name: Text{Zh: "支部班子好", En: "good committee"}, Indicators: []Indicator{
				{MeasureCommitteeComplete, 1}, {MeasureTermCurrent, 1}, {MeasureSecretaryTrained, 1}}},
			{Code: "members", Name: Text{Zh: "党员队伍好", En: "good members"}, Indicators: []Indicator{
				{MeasureDuesPaid, 0.95}, {MeasureAttendance, 0.9}}},
			{Code: "organisation", Name: Text{Zh: "组织设置好", En: "good organisation"}, Indicators: []Indicator{
				{MeasureSetupValid, 1}}},
			{Code: "activities", Name: Text{Zh: "活动开展好", En: "good activities"}, Indicators: []Indicator{
				{MeasureMeetingsHeld, 0.9}, {MeasureStudyDelivered, 1}}},
			{Code: "feedback", Name: Text{Zh: "群众反映好", En: "good feedback"}, Indicators: []Indicator{
				{MeasureFeedbackGood, 0.8}}},
		},
	}
}

// LoadCriteria reads a criteria set from JSON in the shape CriteriaSet
// encodes to (measures by code), refusing unknown keys, and validates it.
func LoadCriteria(data []byte) (CriteriaSet, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var set CriteriaSet
	if err := dec.Decode(&set); err != nil {
		return CriteriaSet{}, fmt.Errorf("reading criteria: %w: %v", ErrCriteria, err)
	}
	if err := set.Validate(); err != nil {
		return CriteriaSet{}, err
	}
	return set, nil
}

// Validate checks that the set can be assessed: a name, at least one
// criterion, codes unique, each criterion named with at least one
// indicator, every measure known and every target within 0–1. Errors wrap
// ErrCriteria, and ErrUnknownMeasure for a measure this package lacks.
func (s CriteriaSet) Validate() error {
	if s.Name.Zh == "" && s.Name.En == "" {
		return fmt.Errorf("%w: the set has no name", ErrCriteria)
	}
	if len(s.Criteria) == 0 {
		return fmt.Errorf("%w: %s has no criteria", ErrCriteria, s.Name.Zh)
	}
	seen := map[string]bool{}
	for _, c := range s.Criteria {
		switch {
		case c.Code == "" || seen[c.Code]:
			return fmt.Errorf("%w: criterion code %q is empty or repeated", ErrCriteria, c.Code)
		case c.Name.Zh == "" && c.Name.En == "":
			return fmt.Errorf("%w: criterion %q has no name", ErrCriteria, c.Code)
		case len(c.Indicators) == 0:
			return fmt.Errorf("%w: criterion %q has no indicators", ErrCriteria, c.Code)
		}
		seen[c.Code] = true
		for _, in := range c.Indicators {
			if !in.Measure.Valid() {
				return fmt.Errorf("%w: criterion %q: %q; want one of %s", ErrUnknownMeasure, c.Code, in.Measure, measures.Choices())
			}
			if in.Target < 0 || in.Target > 1 {
				return fmt.Errorf("%w: criterion %q: target %v of %s is outside 0–1", ErrCriteria, c.Code, in.Target, in.Measure)
			}
		}
	}
	return nil
}
