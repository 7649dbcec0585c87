package venue

import (
	"slices"

	"github.com/wanxia/wanxia/cadre"
)

// Kind is what kind of place a venue is.
type Kind string

// Kinds of venue (阵地).
const (
	// KindSeniorUniversity is a senior university (老年大学).
	KindSeniorUniversity Kind = "senior_university"
	// KindActivityCentre is a veteran cadres' activity centre (老干部活动中心).
	KindActivityCentre Kind = "activity_centre"
	// KindActivityRoom is an activity room (活动室).
	KindActivityRoom Kind = "activity_room"
	// KindServiceStation is a community service station (社区服务站).
	KindServiceStation Kind = "service_station"
	// KindDayCare is a day-care centre (日间照料中心).
	KindDayCare Kind = "day_care"
	// KindClinic is a community health service station (社区卫生服务站).
	KindClinic Kind = "clinic"
)

var kinds = cadre.NewEnum[Kind]("venue kind",
	cadre.L("senior_university", "老年大学", "senior university"),
	cadre.L("activity_centre", "老干部活动中心", "activity centre"),
	cadre.L("activity_room", "活动室", "activity room"),
	cadre.L("service_station", "社区服务站", "community service station"),
	cadre.L("day_care", "日间照料中心", "day-care centre"),
	cadre.L("clinic", "社区卫生服务站", "community clinic"),
)

// ParseKind parses a code ("senior_university") or label ("老年大学").
func ParseKind(s string) (Kind, error) { return kinds.Parse(s) }

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return kinds.Valid(k) }

// Label returns k's label in lang.
func (k Kind) Label(lang cadre.Lang) string { return kinds.Label(k, lang) }

// UnmarshalText accepts a code or a label.
func (k *Kind) UnmarshalText(b []byte) error { return kinds.Unmarshal(k, b) }

// Service is one of the four "nearby" services (四就近) a venue may offer.
type Service string

// Services, in the order of the program's name and of every answer.
const (
	// Learning: learning nearby (就近学习).
	Learning Service = "learning"
	// Activities: activities nearby (就近活动).
	Activities Service = "activities"
	// Care: being cared for nearby (就近得到关心照顾).
	Care Service = "care"
	// Role: a role to play nearby (就近发挥作用).
	Role Service = "role"
)

var services = cadre.NewEnum[Service]("service",
	cadre.L("learning", "学习", "learning"),
	cadre.L("activities", "活动", "activities"),
	cadre.L("care", "关心照顾", "care"),
	cadre.L("role", "发挥作用", "a role to play"),
)

// AllServices returns the four services in order: learning, activities, care,
// role.
func AllServices() []Service { return slices.Clone(order[:]) }

// order is the services in order, for the package's own loops.
var order = [...]Service{Learning, Activities, Care, Role}

// allFour is the set of every service.
var allFour = setOf(order[:])

// ParseService parses a code ("learning") or label ("学习").
func ParseService(s string) (Service, error) { return services.Parse(s) }

// Valid reports whether s is a known service.
func (s Service) Valid() bool { return services.Valid(s) }

// Label returns s's label in lang.
func (s Service) Label(lang cadre.Lang) string { return services.Label(s, lang) }

// UnmarshalText accepts a code or a label.
func (s *Service) UnmarshalText(b []byte) error { return services.Unmarshal(s, b) }

// bit is s's place in a set of services; 0 for an unknown service.
func (s Service) bit() serviceSet {
	if i := services.Index(s); i < len(services.Values) {
		return 1 << i
	}
	return 0
}

// serviceSet is a set of services as bits, in the index and the rules.
type serviceSet uint8

func setOf(ss []Service) serviceSet {
	var set serviceSet
	for _, s := range ss {
		set |= s.bit()
	}
	return set
}

// Stage is how a community came into the four-nearby program.
type Stage string

// Stages of enrolment.
const (
	// StagePilot: a pilot community (试点社区); the district began with 舜园社区
	// and 杆石桥社区.
	StagePilot Stage = "pilot"
	// StageExtended: a community the program was extended to (推广).
	StageExtended Stage = "extended"
)

var stages = cadre.NewEnum[Stage]("stage",
	cadre.L("pilot", "试点", "pilot"),
	cadre.L("extended", "推广", "extended"),
)

// ParseStage parses a code ("pilot") or label ("试点").
func ParseStage(s string) (Stage, error) { return stages.Parse(s) }

// Valid reports whether s is a known stage.
func (s Stage) Valid() bool { return stages.Valid(s) }

// Label returns s's label in lang.
func (s Stage) Label(lang cadre.Lang) string { return stages.Label(s, lang) }

// UnmarshalText accepts a code or a label.
func (s *Stage) UnmarshalText(b []byte) error { return stages.Unmarshal(s, b) }

// Rule is the rule that decided a cadre's eligibility for the program: the
// group that makes the cadre eligible, or the reason the cadre is not.
type Rule string

// Rules, in the order Eligible applies them: first whether the cadre is on
// the roll, then the groups the program serves (离休干部 first), then whether
// the cadre's community is enrolled.
const (
	// RuleDeceased: the cadre died on or before the date.
	RuleDeceased Rule = "deceased"
	// RuleMoved: the cadre moved away on or before the date.
	RuleMoved Rule = "moved"
	// RuleLixiu: a 离休 cadre, at any age; the program serves them first.
	RuleLixiu Rule = "lixiu"
	// RuleAged: a cadre of Settings.AgedCategories (退休 by default) aged
	// Settings.Policy.ElderlyAge (80) or more on the date.
	RuleAged Rule = "aged"
	// RuleDifficulty: a cadre in special difficulty: seriously ill or
	// dependent, aged and living alone, or in living difficulty (the need
	// tiers 2–4 of package cadre).
	RuleDifficulty Rule = "difficulty"
	// RuleNotInGroup: on the roll, but in none of the groups the program
	// serves.
	RuleNotInGroup Rule = "not_in_group"
	// RuleNotEnrolled: in a group the program serves, but the cadre's
	// community is not enrolled on the date; enrolling it would make the
	// cadre eligible.
	RuleNotEnrolled Rule = "not_enrolled"
)

var rules = cadre.NewEnum[Rule]("rule",
	cadre.L("deceased", "已去世", "deceased"),
	cadre.L("moved", "已迁出", "moved away"),
	cadre.L("lixiu", "离休干部", "lixiu cadre"),
	cadre.L("aged", "高龄退休干部", "aged retired cadre"),
	cadre.L("difficulty", "特殊困难干部", "cadre in special difficulty"),
	cadre.L("not_in_group", "不属于服务对象", "not in a group served"),
	cadre.L("not_enrolled", "所在社区未纳入", "community not enrolled"),
)

// ParseRule parses a code ("lixiu") or label ("离休干部").
func ParseRule(s string) (Rule, error) { return rules.Parse(s) }

// Valid reports whether r is a known rule.
func (r Rule) Valid() bool { return rules.Valid(r) }

// Label returns r's label in lang.
func (r Rule) Label(lang cadre.Lang) string { return rules.Label(r, lang) }

// UnmarshalText accepts a code or a label.
func (r *Rule) UnmarshalText(b []byte) error { return rules.Unmarshal(r, b) }
