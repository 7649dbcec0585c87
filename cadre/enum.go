package cadre

import (
	"fmt"
	"strings"
)

// Lang selects the language of the labels a person reads.
type Lang string

// The languages labels come in.
const (
	Chinese Lang = "zh"
	English Lang = "en"
)

// ParseLang parses "zh" or "en".
func ParseLang(s string) (Lang, error) {
	switch l := Lang(strings.ToLower(strings.TrimSpace(s))); l {
	case Chinese, English:
		return l, nil
	}
	return "", Worded(fmt.Errorf("%w: language %q: want zh or en", ErrInvalid, s), fmt.Sprintf("没有语言“%s”：可填 zh（中文）或 en（英文）", s))
}

// Label is one value of an enumeration: its stable code and its Chinese
// and English labels.
type Label struct{ Code, Zh, En string }

// Enum describes a string enumeration, so that each enum type of Wanxia's
// packages needs only one-line methods: valid values, labels in either
// language, and parsing from the code (any case) or either label.
type Enum[T ~string] struct {
	Kind   string
	Values []Label
}

// NewEnum returns the enumeration of kind (a word for messages) with values
// in their order.
func NewEnum[T ~string](kind string, values ...Label) Enum[T] {
	return Enum[T]{Kind: kind, Values: values}
}

// L is a Label, written short for enumeration tables.
func L(code, zh, en string) Label { return Label{Code: code, Zh: zh, En: en} }

func (e Enum[T]) find(v T) (Label, bool) {
	for _, l := range e.Values {
		if l.Code == string(v) {
			return l, true
		}
	}
	return Label{}, false
}

// Valid reports whether v is one of the values.
func (e Enum[T]) Valid(v T) bool {
	_, ok := e.find(v)
	return ok
}

// Index returns v's position among the values, or len(Values) when v is
// not one of them: the order outputs sort in.
func (e Enum[T]) Index(v T) int {
	for i, l := range e.Values {
		if l.Code == string(v) {
			return i
		}
	}
	return len(e.Values)
}

// Label returns v's label in lang, or v itself when it is unknown.
func (e Enum[T]) Label(v T, lang Lang) string {
	l, ok := e.find(v)
	switch {
	case !ok:
		return string(v)
	case lang == English:
		return l.En
	default:
		return l.Zh
	}
}

// Parse accepts the code (any case), the Chinese label or the English label.
func (e Enum[T]) Parse(s string) (T, error) {
	t := strings.TrimSpace(s)
	for _, l := range e.Values {
		if strings.EqualFold(t, l.Code) || t == l.Zh || strings.EqualFold(t, l.En) {
			return T(l.Code), nil
		}
	}
	return "", Worded(fmt.Errorf("%w: %s %q: want one of %s", ErrInvalid, e.Kind, s, e.Choices()),
		fmt.Sprintf("“%s”不是可选的值：可填 %s", s, e.ChoicesZH()))
}

// ChoicesZH lists the values as "标签（code）、…" for Chinese messages.
func (e Enum[T]) ChoicesZH() string {
	parts := make([]string, len(e.Values))
	for i, l := range e.Values {
		parts[i] = l.Zh + "（" + l.Code + "）"
	}
	return strings.Join(parts, "、")
}

// Choices lists the values as "code 标签, …" for messages.
func (e Enum[T]) Choices() string {
	parts := make([]string, len(e.Values))
	for i, l := range e.Values {
		parts[i] = l.Code + " " + l.Zh
	}
	return strings.Join(parts, ", ")
}

// Unmarshal parses b into dst; an empty text gives the empty value.
func (e Enum[T]) Unmarshal(dst *T, b []byte) error {
	if len(b) == 0 {
		*dst = ""
		return nil
	}
	v, err := e.Parse(string(b))
	if err != nil {
		return err
	}
	*dst = v
	return nil
}

// Gender is a cadre's gender; it must agree with the ID number.
type Gender string

// Genders.
const (
	Male   Gender = "male"
	Female Gender = "female"
)

var genders = NewEnum[Gender]("gender",
	L("male", "男", "male"),
	L("female", "女", "female"),
)

// ParseGender parses a code ("male") or label ("男").
func ParseGender(s string) (Gender, error) { return genders.Parse(s) }

// Valid reports whether g is a known gender.
func (g Gender) Valid() bool { return genders.Valid(g) }

// Label returns g's label in lang.
func (g Gender) Label(lang Lang) string { return genders.Label(g, lang) }

// UnmarshalText accepts a code or a label.
func (g *Gender) UnmarshalText(b []byte) error { return genders.Unmarshal(g, b) }

// Category is the kind of retirement, which sets a cadre's treatment.
type Category string

// Categories.
const (
	// Lixiu (离休): joined the revolution before 1 October 1949.
	Lixiu Category = "lixiu"
	// Tuixiu (退休): ordinary retired cadre.
	Tuixiu Category = "tuixiu"
	// Junxiu (军休): retired military officer placed with the locality.
	Junxiu Category = "junxiu"
)

var categories = NewEnum[Category]("category",
	L("lixiu", "离休", "lixiu (pre-1949 veteran)"),
	L("tuixiu", "退休", "retired"),
	L("junxiu", "军休", "military retiree"),
)

// ParseCategory parses a code ("lixiu") or label ("离休").
func ParseCategory(s string) (Category, error) { return categories.Parse(s) }

// Valid reports whether c is a known category.
func (c Category) Valid() bool { return categories.Valid(c) }

// Label returns c's label in lang.
func (c Category) Label(lang Lang) string { return categories.Label(c, lang) }

// UnmarshalText accepts a code or a label.
func (c *Category) UnmarshalText(b []byte) error { return categories.Unmarshal(c, b) }

// Rank is the grade a cadre retired at.
type Rank string

// Ranks.
const (
	// RankCountyDeputyPlus (副县处级及以上): invited to the spring forum and major meetings.
	RankCountyDeputyPlus Rank = "county_deputy_plus"
	RankSection          Rank = "section"
	RankOther            Rank = "other"
)

var ranks = NewEnum[Rank]("rank",
	L("county_deputy_plus", "副县处级及以上", "deputy county/division level and above"),
	L("section", "科级", "section level"),
	L("other", "其他", "other"),
)

// ParseRank parses a code ("section") or label ("科级").
func ParseRank(s string) (Rank, error) { return ranks.Parse(s) }

// Valid reports whether r is a known rank.
func (r Rank) Valid() bool { return ranks.Valid(r) }

// Label returns r's label in lang.
func (r Rank) Label(lang Lang) string { return ranks.Label(r, lang) }

// UnmarshalText accepts a code or a label.
func (r *Rank) UnmarshalText(b []byte) error { return ranks.Unmarshal(r, b) }

// Party is a cadre's Communist Party membership.
type Party string

// Party memberships.
const (
	PartyNone         Party = "none"
	PartyProbationary Party = "probationary"
	PartyFull         Party = "full"
)

var parties = NewEnum[Party]("party",
	L("none", "非党员", "not a member"),
	L("probationary", "预备党员", "probationary member"),
	L("full", "正式党员", "full member"),
)

// ParseParty parses a code ("full") or label ("正式党员").
func ParseParty(s string) (Party, error) { return parties.Parse(s) }

// Valid reports whether p is a known membership.
func (p Party) Valid() bool { return parties.Valid(p) }

// Label returns p's label in lang.
func (p Party) Label(lang Lang) string { return parties.Label(p, lang) }

// UnmarshalText accepts a code or a label.
func (p *Party) UnmarshalText(b []byte) error { return parties.Unmarshal(p, b) }

// IsMember reports whether p is a probationary or full member.
func (p Party) IsMember() bool { return p == PartyProbationary || p == PartyFull }

// Health is a cadre's state of health.
type Health string

// States of health.
const (
	HealthGood      Health = "good"
	HealthChronic   Health = "chronic"
	HealthSerious   Health = "serious"
	HealthDependent Health = "dependent"
)

var healths = NewEnum[Health]("health",
	L("good", "良好", "good"),
	L("chronic", "慢性病", "chronic illness"),
	L("serious", "重病", "seriously ill"),
	L("dependent", "失能", "unable to look after oneself"),
)

// ParseHealth parses a code ("serious") or label ("重病").
func ParseHealth(s string) (Health, error) { return healths.Parse(s) }

// Valid reports whether h is a known state.
func (h Health) Valid() bool { return healths.Valid(h) }

// Label returns h's label in lang.
func (h Health) Label(lang Lang) string { return healths.Label(h, lang) }

// UnmarshalText accepts a code or a label.
func (h *Health) UnmarshalText(b []byte) error { return healths.Unmarshal(h, b) }

// Living is whom a cadre lives with.
type Living string

// Living situations.
const (
	LivingAlone  Living = "alone"
	LivingSpouse Living = "spouse"
	LivingFamily Living = "family"
)

var livings = NewEnum[Living]("living",
	L("alone", "独居", "alone"),
	L("spouse", "与配偶同住", "with spouse"),
	L("family", "与子女同住", "with children"),
)

// ParseLiving parses a code ("alone") or label ("独居").
func ParseLiving(s string) (Living, error) { return livings.Parse(s) }

// Valid reports whether l is a known situation.
func (l Living) Valid() bool { return livings.Valid(l) }

// Label returns l's label in lang.
func (l Living) Label(lang Lang) string { return livings.Label(l, lang) }

// UnmarshalText accepts a code or a label.
func (l *Living) UnmarshalText(b []byte) error { return livings.Unmarshal(l, b) }

// Status is whether a cadre is on the roll. A cadre who died or moved away
// keeps the record with its status and date; only a record entered by
// mistake is removed.
type Status string

// Statuses.
const (
	StatusActive   Status = "active"
	StatusDeceased Status = "deceased"
	StatusMoved    Status = "moved"
)

var statuses = NewEnum[Status]("status",
	L("active", "在册", "active"),
	L("deceased", "去世", "deceased"),
	L("moved", "迁出", "moved away"),
)

// ParseStatus parses a code ("deceased") or label ("去世").
func ParseStatus(s string) (Status, error) { return statuses.Parse(s) }

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return statuses.Valid(s) }

// Label returns s's label in lang.
func (s Status) Label(lang Lang) string { return statuses.Label(s, lang) }

// UnmarshalText accepts a code or a label.
func (s *Status) UnmarshalText(b []byte) error { return statuses.Unmarshal(s, b) }

// ParseBool parses the yes/no columns of a roster: true/false, 是/否, yes/no,
// y/n, 1/0. An empty string is false.
func ParseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "是", "yes", "y", "1":
		return true, nil
	case "false", "否", "no", "n", "0", "":
		return false, nil
	}
	return false, Worded(fmt.Errorf("%w: %q: want true/false or 是/否", ErrInvalid, s), fmt.Sprintf("“%s”不是是/否：可填 是、否（或 true、false）", s))
}

// BoolLabel returns 是/否 in Chinese and yes/no in English.
func BoolLabel(b bool, lang Lang) string {
	switch {
	case lang == English && b:
		return "yes"
	case lang == English:
		return "no"
	case b:
		return "是"
	default:
		return "否"
	}
}
