package care

import (
	"github.com/wanxia/wanxia/cadre"
)

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

var visitKinds = cadre.NewEnum[VisitKind]("visit kind",
	cadre.L("home", "入户走访", "home visit"),
	cadre.L("call", "电话或视频联系", "phone or video call"),
	cadre.L("hospital", "住院探望", "hospital visit"),
	cadre.L("holiday", "节日走访", "holiday visit"),
	cadre.L("birthday", "祝寿", "birthday visit"),
	cadre.L("condolence", "吊唁慰问", "condolence visit"),
	cadre.L("seasonal", "季节慰问", "seasonal visit"),
)

// ParseVisitKind parses a code ("home") or label ("入户走访").
func ParseVisitKind(s string) (VisitKind, error) { return visitKinds.Parse(s) }

// Valid reports whether k is a known visit kind.
func (k VisitKind) Valid() bool { return visitKinds.Valid(k) }

// Label returns k's label in lang.
func (k VisitKind) Label(lang cadre.Lang) string { return visitKinds.Label(k, lang) }

// UnmarshalText accepts a code or a label.
func (k *VisitKind) UnmarshalText(b []byte) error { return visitKinds.Unmarshal(k, b) }

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

var dueKinds = cadre.NewEnum[DueKind]("due kind",
	cadre.L("condolence", "吊唁慰问", "condolence visit"),
	cadre.L("admission", "住院探望", "hospital visit on admission"),
	cadre.L("discharge", "出院回访", "follow-up after discharge"),
	cadre.L("hospital_monthly", "长期住院每月探望", "monthly visit in a long hospital stay"),
	cadre.L("home", "季度入户走访", "quarterly home visit"),
	cadre.L("contact", "月度电话或视频联系", "monthly phone or video contact"),
	cadre.L("spring_festival", "春节走访", "Spring Festival visit"),
	cadre.L("double_ninth", "重阳节走访", "Double Ninth visit"),
	cadre.L("winter", "冬送温暖", "winter warmth visit"),
	cadre.L("summer", "夏送清凉", "summer cool visit"),
	cadre.L("birthday", "逢十寿辰", "milestone birthday visit"),
)

// ParseDueKind parses a code ("home") or label ("季度入户走访").
func ParseDueKind(s string) (DueKind, error) { return dueKinds.Parse(s) }

// Valid reports whether k is a known due kind.
func (k DueKind) Valid() bool { return dueKinds.Valid(k) }

// Label returns k's label in lang.
func (k DueKind) Label(lang cadre.Lang) string { return dueKinds.Label(k, lang) }

// UnmarshalText accepts a code or a label.
func (k *DueKind) UnmarshalText(b []byte) error { return dueKinds.Unmarshal(k, b) }

// Usual is the kind of visit usually made for a due of kind k, one that
// k Accepts: what a visit recorded in one step (the desk's 今日) is.
// Regular contact is a call, the quarter's visit and the follow-up after
// discharge are home visits; each occasion has its own kind.
func (k DueKind) Usual() VisitKind {
	switch k {
	case DueContact:
		return VisitCall
	case DueAdmission, DueHospitalMonthly:
		return VisitHospital
	case DueSpringFestival, DueDoubleNinth:
		return VisitHoliday
	case DueWinter, DueSummer:
		return VisitSeasonal
	case DueBirthday:
		return VisitBirthday
	case DueCondolence:
		return VisitCondolence
	}
	return VisitHome
}

// Accepts reports whether a visit of kind v satisfies a due of kind k.
// Regular contact is about seeing the cadre: any face-to-face visit counts as
// the quarter's home visit (the purpose in docs/domain.md; a cadre in hospital all
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

var helpKinds = cadre.NewEnum[HelpKind]("help kind",
	cadre.L("economic", "经济", "economic"),
	cadre.L("medical", "医疗", "medical"),
	cadre.L("housekeeping", "家政", "housekeeping"),
	cadre.L("spiritual", "精神", "spiritual"),
)

// ParseHelpKind parses a code ("medical") or label ("医疗").
func ParseHelpKind(s string) (HelpKind, error) { return helpKinds.Parse(s) }

// Valid reports whether k is a known help kind.
func (k HelpKind) Valid() bool { return helpKinds.Valid(k) }

// Label returns k's label in lang.
func (k HelpKind) Label(lang cadre.Lang) string { return helpKinds.Label(k, lang) }

// UnmarshalText accepts a code or a label.
func (k *HelpKind) UnmarshalText(b []byte) error { return helpKinds.Unmarshal(k, b) }

// HelpStatus is where a help case stands.
type HelpStatus string

// Help case statuses. A case is closed when resolved or, where it cannot be
// resolved, when the reason has been explained to the cadre (docs/domain.md:
// "what cannot be resolved is explained").
const (
	HelpOpen       HelpStatus = "open"
	HelpInProgress HelpStatus = "in_progress"
	HelpResolved   HelpStatus = "resolved"
	HelpExplained  HelpStatus = "explained"
)

var helpStatuses = cadre.NewEnum[HelpStatus]("help status",
	cadre.L("open", "待处理", "open"),
	cadre.L("in_progress", "处理中", "in progress"),
	cadre.L("resolved", "已解决", "resolved"),
	cadre.L("explained", "已解释说明", "explained (cannot be resolved)"),
)

// ParseHelpStatus parses a code ("resolved") or label ("已解决").
func ParseHelpStatus(s string) (HelpStatus, error) { return helpStatuses.Parse(s) }

// Valid reports whether s is a known status.
func (s HelpStatus) Valid() bool { return helpStatuses.Valid(s) }

// Label returns s's label in lang.
func (s HelpStatus) Label(lang cadre.Lang) string { return helpStatuses.Label(s, lang) }

// UnmarshalText accepts a code or a label.
func (s *HelpStatus) UnmarshalText(b []byte) error { return helpStatuses.Unmarshal(s, b) }

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

var endReasons = cadre.NewEnum[EndReason]("end reason",
	cadre.L("helper_inactive", "帮扶人不在岗", "the helper is no longer active"),
	cadre.L("cadre_died", "干部去世", "the cadre died"),
	cadre.L("cadre_moved", "干部迁出", "the cadre moved out of the district"),
	cadre.L("cadre_missing", "干部记录不存在", "the cadre's record is gone"),
	cadre.L("not_needed", "不再需要结对", "the cadre no longer needs a pair"),
	cadre.L("over_capacity", "超出帮扶人名额", "over the helper's capacity"),
	cadre.L("duplicate", "重复结对", "a second pair for the same cadre"),
	cadre.L("rebalanced", "调整为更近的帮扶人", "moved to a nearer helper"),
)

// ParseEndReason parses a code ("cadre_died") or label ("干部去世").
func ParseEndReason(s string) (EndReason, error) { return endReasons.Parse(s) }

// Valid reports whether r is a known reason.
func (r EndReason) Valid() bool { return endReasons.Valid(r) }

// Label returns r's label in lang.
func (r EndReason) Label(lang cadre.Lang) string { return endReasons.Label(r, lang) }

// UnmarshalText accepts a code or a label.
func (r *EndReason) UnmarshalText(b []byte) error { return endReasons.Unmarshal(r, b) }

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

var unpairedReasons = cadre.NewEnum[UnpairedReason]("unpaired reason",
	cadre.L("no_capacity", "帮扶名额已满", "no helper capacity left"),
	cadre.L("no_location", "无住址坐标，名额已满时排在本档之后", "no home location: last in the tier when capacity ran out"),
)

// ParseUnpairedReason parses a code ("no_capacity") or label.
func ParseUnpairedReason(s string) (UnpairedReason, error) { return unpairedReasons.Parse(s) }

// Valid reports whether r is a known reason.
func (r UnpairedReason) Valid() bool { return unpairedReasons.Valid(r) }

// Label returns r's label in lang.
func (r UnpairedReason) Label(lang cadre.Lang) string { return unpairedReasons.Label(r, lang) }

// UnmarshalText accepts a code or a label.
func (r *UnpairedReason) UnmarshalText(b []byte) error { return unpairedReasons.Unmarshal(r, b) }

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

var audiences = cadre.NewEnum[Audience]("audience",
	cadre.L("all", "全部在册干部", "every cadre on the roll"),
	cadre.L("needing", "需要结对帮扶的干部", "cadres who need a pair"),
	cadre.L("paired", "已结对的干部", "paired cadres"),
)

// ParseAudience parses a code ("all") or label.
func ParseAudience(s string) (Audience, error) { return audiences.Parse(s) }

// Valid reports whether a is a known audience.
func (a Audience) Valid() bool { return audiences.Valid(a) }

// Label returns a's label in lang.
func (a Audience) Label(lang cadre.Lang) string { return audiences.Label(a, lang) }

// UnmarshalText accepts a code or a label.
func (a *Audience) UnmarshalText(b []byte) error { return audiences.Unmarshal(a, b) }

// VisitKindLabels returns the visit kinds in order, for a form that offers
// them.
func VisitKindLabels() []cadre.Label { return append([]cadre.Label(nil), visitKinds.Values...) }

// HelpKindLabels returns the kinds of help in order, for a form that
// offers them.
func HelpKindLabels() []cadre.Label { return append([]cadre.Label(nil), helpKinds.Values...) }
