package care

import (
	"fmt"
	"strings"

	"github.com/wanxia/wanxia/cadre"
)

// label is one value of an enumeration: its code and its labels.
type label struct{ code, zh, en string }

// enum describes a string enumeration so that each enum type needs only
// one-line methods, as in package cadre.
type enum[T ~string] struct {
	kind   string
	values []label
}

func (e enum[T]) find(v T) (label, int) {
	for i, l := range e.values {
		if l.code == string(v) {
			return l, i
		}
	}
	return label{}, -1
}

func (e enum[T]) valid(v T) bool {
	_, i := e.find(v)
	return i >= 0
}

// order is v's position in the declaration, used to sort by kind; unknown
// values sort last.
func (e enum[T]) order(v T) int {
	if _, i := e.find(v); i >= 0 {
		return i
	}
	return len(e.values)
}

func (e enum[T]) label(v T, lang cadre.Lang) string {
	l, i := e.find(v)
	switch {
	case i < 0:
		return string(v)
	case lang == cadre.English:
		return l.en
	default:
		return l.zh
	}
}

// parse accepts the code (any case), the Chinese label or the English label.
func (e enum[T]) parse(s string) (T, error) {
	t := strings.TrimSpace(s)
	for _, l := range e.values {
		if strings.EqualFold(t, l.code) || t == l.zh || strings.EqualFold(t, l.en) {
			return T(l.code), nil
		}
	}
	parts := make([]string, len(e.values))
	for i, l := range e.values {
		parts[i] = l.code + " " + l.zh
	}
	return "", fmt.Errorf("%w: %s %q: want one of %s", cadre.ErrInvalid, e.kind, s, strings.Join(parts, ", "))
}

func (e enum[T]) unmarshal(dst *T, b []byte) error {
	if len(b) == 0 {
		*dst = ""
		return nil
	}
	v, err := e.parse(string(b))
	if err != nil {
		return err
	}
	*dst = v
	return nil
}

// VisitKind is what kind of contact a visit record is.
type VisitKind string

// Visit kinds.
const (
	// VisitHome is a visit to the cadre's home (入户走访).
	VisitHome VisitKind = "home"
	// VisitCall is a phone or video call (电话或视频联系).
	VisitCall VisitKind = "call"
	// VisitHospital is a visit to the cadre in hospital (住院探望).
	VisitHospital VisitKind = "hospital"
	// VisitHoliday is a Spring Festival or Double Ninth visit (节日走访).
	VisitHoliday VisitKind = "holiday"
	// VisitBirthday is a visit on a milestone birthday (祝寿).
	VisitBirthday VisitKind = "birthday"
	// VisitCondolence is a condolence visit to the family (吊唁慰问).
	VisitCondolence VisitKind = "condolence"
	// VisitSeasonal is a winter-warmth or summer-cool visit (冬送温暖、夏送清凉).
	VisitSeasonal VisitKind = "seasonal"
)

var visitKinds = enum[VisitKind]{"visit kind", []label{
	{"home", "入户走访", "home visit"},
	{"call", "电话或视频联系", "phone or video call"},
	{"hospital", "住院探望", "hospital visit"},
	{"holiday", "节日走访", "holiday visit"},
	{"birthday", "祝寿", "birthday visit"},
	{"condolence", "吊唁慰问", "condolence visit"},
	{"seasonal", "季节慰问", "seasonal visit"},
}}

// ParseVisitKind parses a code ("home") or label ("入户走访").
func ParseVisitKind(s string) (VisitKind, error) { return visitKinds.parse(s) }

// Valid reports whether k is a known visit kind.
func (k VisitKind) Valid() bool { return visitKinds.valid(k) }

// Label returns k's label in lang.
func (k VisitKind) Label(lang cadre.Lang) string { return visitKinds.label(k, lang) }

// UnmarshalText accepts a code or a label.
func (k *VisitKind) UnmarshalText(b []byte) error { return visitKinds.unmarshal(k, b) }

// InPerson reports whether a visit of kind k meets the cadre face to face
// (at home or in hospital): every kind but a call, and but a condolence,
// which meets the family after the cadre's death.
func (k VisitKind) InPerson() bool {
	switch k {
	case VisitHome, VisitHospital, VisitHoliday, VisitBirthday, VisitSeasonal:
		return true
	}
	return false
}

// DueKind is what a due visit is owed for.
type DueKind string

// Due kinds, in the order a list of dues on one date shows them.
const (
	// DueCondolence: a cadre died; a condolence visit to the family.
	DueCondolence DueKind = "condolence"
	// DueAdmission: a prompt hospital visit after admission.
	DueAdmission DueKind = "admission"
	// DueDischarge: a home visit or call after discharge from hospital.
	DueDischarge DueKind = "discharge"
	// DueHospitalMonthly: a hospital visit each month of a long stay.
	DueHospitalMonthly DueKind = "hospital_monthly"
	// DueHome: the home visit of each calendar quarter, for a paired cadre.
	DueHome DueKind = "home"
	// DueContact: the phone or video contact of each calendar month, for a
	// paired cadre.
	DueContact DueKind = "contact"
	// DueSpringFestival: the Spring Festival visit (春节, 正月初一).
	DueSpringFestival DueKind = "spring_festival"
	// DueDoubleNinth: the Double Ninth visit (重阳节, 九月初九).
	DueDoubleNinth DueKind = "double_ninth"
	// DueWinter: the January visit (冬送温暖).
	DueWinter DueKind = "winter"
	// DueSummer: the July visit (夏送清凉).
	DueSummer DueKind = "summer"
	// DueBirthday: a milestone birthday (逢十寿辰).
	DueBirthday DueKind = "birthday"
)

var dueKinds = enum[DueKind]{"due kind", []label{
	{"condolence", "吊唁慰问", "condolence visit"},
	{"admission", "住院探望", "hospital visit on admission"},
	{"discharge", "出院回访", "follow-up after discharge"},
	{"hospital_monthly", "长期住院每月探望", "monthly visit in a long hospital stay"},
	{"home", "季度入户走访", "quarterly home visit"},
	{"contact", "月度电话或视频联系", "monthly phone or video contact"},
	{"spring_festival", "春节走访", "Spring Festival visit"},
	{"double_ninth", "重阳节走访", "Double Ninth visit"},
	{"winter", "冬送温暖", "winter warmth visit"},
	{"summer", "夏送清凉", "summer cool visit"},
	{"birthday", "逢十寿辰", "milestone birthday visit"},
}}

// ParseDueKind parses a code ("home") or label ("季度入户走访").
func ParseDueKind(s string) (DueKind, error) { return dueKinds.parse(s) }

// Valid reports whether k is a known due kind.
func (k DueKind) Valid() bool { return dueKinds.valid(k) }

// Label returns k's label in lang.
func (k DueKind) Label(lang cadre.Lang) string { return dueKinds.label(k, lang) }

// UnmarshalText accepts a code or a label.
func (k *DueKind) UnmarshalText(b []byte) error { return dueKinds.unmarshal(k, b) }

// Accepts reports whether a visit of kind v satisfies a due of kind k.
// Regular contact is about seeing the cadre: any face-to-face visit counts as
// the quarter's home visit (DOMAIN.md's purpose; a cadre in hospital all
// quarter cannot be seen at home), and any face-to-face visit or call as the
// month's contact. The occasions each need a visit of their own kind.
func (k DueKind) Accepts(v VisitKind) bool {
	switch k {
	case DueHome:
		return v.InPerson()
	case DueContact:
		return v.InPerson() || v == VisitCall
	case DueDischarge:
		// "a home visit or call": anything but another hospital visit.
		return v == VisitCall || (v.InPerson() && v != VisitHospital)
	case DueAdmission, DueHospitalMonthly:
		return v == VisitHospital
	case DueSpringFestival, DueDoubleNinth:
		return v == VisitHoliday
	case DueWinter, DueSummer:
		return v == VisitSeasonal
	case DueBirthday:
		return v == VisitBirthday
	case DueCondolence:
		return v == VisitCondolence
	}
	return false
}

// HelpKind is the kind of help a case asks for (帮扶).
type HelpKind string

// Help kinds.
const (
	HelpEconomic     HelpKind = "economic"
	HelpMedical      HelpKind = "medical"
	HelpHousekeeping HelpKind = "housekeeping"
	HelpSpiritual    HelpKind = "spiritual"
)

var helpKinds = enum[HelpKind]{"help kind", []label{
	{"economic", "经济", "economic"},
	{"medical", "医疗", "medical"},
	{"housekeeping", "家政", "housekeeping"},
	{"spiritual", "精神", "spiritual"},
}}

// ParseHelpKind parses a code ("medical") or label ("医疗").
func ParseHelpKind(s string) (HelpKind, error) { return helpKinds.parse(s) }

// Valid reports whether k is a known help kind.
func (k HelpKind) Valid() bool { return helpKinds.valid(k) }

// Label returns k's label in lang.
func (k HelpKind) Label(lang cadre.Lang) string { return helpKinds.label(k, lang) }

// UnmarshalText accepts a code or a label.
func (k *HelpKind) UnmarshalText(b []byte) error { return helpKinds.unmarshal(k, b) }

// HelpStatus is where a help case stands.
type HelpStatus string

// Help case statuses. A case is closed when resolved or, where it cannot be
// resolved, when the reason has been explained to the cadre (DOMAIN.md:
// "what cannot be resolved is explained").
const (
	HelpOpen       HelpStatus = "open"
	HelpInProgress HelpStatus = "in_progress"
	HelpResolved   HelpStatus = "resolved"
	HelpExplained  HelpStatus = "explained"
)

var helpStatuses = enum[HelpStatus]{"help status", []label{
	{"open", "待处理", "open"},
	{"in_progress", "处理中", "in progress"},
	{"resolved", "已解决", "resolved"},
	{"explained", "已解释说明", "explained (cannot be resolved)"},
}}

// ParseHelpStatus parses a code ("resolved") or label ("已解决").
func ParseHelpStatus(s string) (HelpStatus, error) { return helpStatuses.parse(s) }

// Valid reports whether s is a known status.
func (s HelpStatus) Valid() bool { return helpStatuses.valid(s) }

// Label returns s's label in lang.
func (s HelpStatus) Label(lang cadre.Lang) string { return helpStatuses.label(s, lang) }

// UnmarshalText accepts a code or a label.
func (s *HelpStatus) UnmarshalText(b []byte) error { return helpStatuses.unmarshal(s, b) }

// Closed reports whether s ends the case: resolved or explained.
func (s HelpStatus) Closed() bool { return s == HelpResolved || s == HelpExplained }

// EndReason is why a pair ended.
type EndReason string

// End reasons.
const (
	EndHelperInactive EndReason = "helper_inactive"
	EndCadreDied      EndReason = "cadre_died"
	EndCadreMoved     EndReason = "cadre_moved"
	EndCadreMissing   EndReason = "cadre_missing"
	EndNotNeeded      EndReason = "not_needed"
	EndOverCapacity   EndReason = "over_capacity"
	EndDuplicate      EndReason = "duplicate"
	EndRebalanced     EndReason = "rebalanced"
)

var endReasons = enum[EndReason]{"end reason", []label{
	{"helper_inactive", "帮扶人不在岗", "the helper is no longer active"},
	{"cadre_died", "干部去世", "the cadre died"},
	{"cadre_moved", "干部迁出", "the cadre moved out of the district"},
	{"cadre_missing", "干部记录不存在", "the cadre's record is gone"},
	{"not_needed", "不再需要结对", "the cadre no longer needs a pair"},
	{"over_capacity", "超出帮扶人名额", "over the helper's capacity"},
	{"duplicate", "重复结对", "a second pair for the same cadre"},
	{"rebalanced", "调整为更近的帮扶人", "moved to a nearer helper"},
}}

// ParseEndReason parses a code ("cadre_died") or label ("干部去世").
func ParseEndReason(s string) (EndReason, error) { return endReasons.parse(s) }

// Valid reports whether r is a known reason.
func (r EndReason) Valid() bool { return endReasons.valid(r) }

// Label returns r's label in lang.
func (r EndReason) Label(lang cadre.Lang) string { return endReasons.label(r, lang) }

// UnmarshalText accepts a code or a label.
func (r *EndReason) UnmarshalText(b []byte) error { return endReasons.unmarshal(r, b) }

// UnpairedReason is why a cadre who needs a pair has none after Assign.
type UnpairedReason string

// Unpaired reasons.
const (
	// UnpairedNoCapacity: every active helper is at capacity.
	UnpairedNoCapacity UnpairedReason = "no_capacity"
	// UnpairedNoLocation: capacity ran out within the cadre's tier, and
	// cadres without a home location come last in their tier, since the
	// distance to them is unknown. Recording the location gives the cadre
	// the same chance as the others of the tier.
	UnpairedNoLocation UnpairedReason = "no_location"
)

var unpairedReasons = enum[UnpairedReason]{"unpaired reason", []label{
	{"no_capacity", "帮扶名额已满", "no helper capacity left"},
	{"no_location", "无住址坐标，名额已满时排在本档之后", "no home location: last in the tier when capacity ran out"},
}}

// ParseUnpairedReason parses a code ("no_capacity") or label.
func ParseUnpairedReason(s string) (UnpairedReason, error) { return unpairedReasons.parse(s) }

// Valid reports whether r is a known reason.
func (r UnpairedReason) Valid() bool { return unpairedReasons.valid(r) }

// Label returns r's label in lang.
func (r UnpairedReason) Label(lang cadre.Lang) string { return unpairedReasons.label(r, lang) }

// UnmarshalText accepts a code or a label.
func (r *UnpairedReason) UnmarshalText(b []byte) error { return unpairedReasons.unmarshal(r, b) }

// Audience is which cadres an occasion visit (holiday, seasonal, birthday,
// hospital, condolence) is owed to.
type Audience string

// Audiences.
const (
	// AudienceAll: every cadre on the roll (四必访 as practised for all).
	AudienceAll Audience = "all"
	// AudienceNeeding: cadres with a need tier (cadre.Cadre.NeedTier > 0).
	AudienceNeeding Audience = "needing"
	// AudiencePaired: cadres with a 1对5 pair.
	AudiencePaired Audience = "paired"
)

var audiences = enum[Audience]{"audience", []label{
	{"all", "全部在册干部", "every cadre on the roll"},
	{"needing", "需要结对帮扶的干部", "cadres who need a pair"},
	{"paired", "已结对的干部", "paired cadres"},
}}

// ParseAudience parses a code ("all") or label.
func ParseAudience(s string) (Audience, error) { return audiences.parse(s) }

// Valid reports whether a is a known audience.
func (a Audience) Valid() bool { return audiences.valid(a) }

// Label returns a's label in lang.
func (a Audience) Label(lang cadre.Lang) string { return audiences.label(a, lang) }

// UnmarshalText accepts a code or a label.
func (a *Audience) UnmarshalText(b []byte) error { return audiences.unmarshal(a, b) }
