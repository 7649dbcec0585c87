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
	return "", fmt.Errorf("%w: language %q: want zh or en", ErrInvalid, s)
}

// label is one value of an enumeration: its code and its labels.
type label struct{ code, zh, en string }

// enum describes a string enumeration so that each enum type needs only
// one-line methods.
type enum[T ~string] struct {
	kind   string
	values []label
}

func (e enum[T]) find(v T) (label, bool) {
	for _, l := range e.values {
		if l.code == string(v) {
			return l, true
		}
	}
	return label{}, false
}

func (e enum[T]) valid(v T) bool {
	_, ok := e.find(v)
	return ok
}

func (e enum[T]) label(v T, lang Lang) string {
	l, ok := e.find(v)
	switch {
	case !ok:
		return string(v)
	case lang == English:
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
	return "", fmt.Errorf("%w: %s %q: want one of %s", ErrInvalid, e.kind, s, e.choices())
}

func (e enum[T]) choices() string {
	parts := make([]string, len(e.values))
	for i, l := range e.values {
		parts[i] = l.code + " " + l.zh
	}
	return strings.Join(parts, ", ")
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

// Gender is a cadre's gender; it must agree with the ID number.
type Gender string

// Genders.
const (
	Male   Gender = "male"
	Female Gender = "female"
)

var genders = enum[Gender]{"gender", []label{
	{"male", "男", "male"},
	{"female", "女", "female"},
}}

// ParseGender parses a code ("male") or label ("男").
func ParseGender(s string) (Gender, error) { return genders.parse(s) }

// Valid reports whether g is a known gender.
func (g Gender) Valid() bool { return genders.valid(g) }

// Label returns g's label in lang.
func (g Gender) Label(lang Lang) string { return genders.label(g, lang) }

// UnmarshalText accepts a code or a label.
func (g *Gender) UnmarshalText(b []byte) error { return genders.unmarshal(g, b) }

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

var categories = enum[Category]{"category", []label{
	{"lixiu", "离休", "lixiu (pre-1949 veteran)"},
	{"tuixiu", "退休", "retired"},
	{"junxiu", "军休", "military retiree"},
}}

// ParseCategory parses a code ("lixiu") or label ("离休").
func ParseCategory(s string) (Category, error) { return categories.parse(s) }

// Valid reports whether c is a known category.
func (c Category) Valid() bool { return categories.valid(c) }

// Label returns c's label in lang.
func (c Category) Label(lang Lang) string { return categories.label(c, lang) }

// UnmarshalText accepts a code or a label.
func (c *Category) UnmarshalText(b []byte) error { return categories.unmarshal(c, b) }

// Rank is the grade a cadre retired at.
type Rank string

// Ranks.
const (
	// RankCountyDeputyPlus (副县处级及以上): invited to the spring forum and major meetings.
	RankCountyDeputyPlus Rank = "county_deputy_plus"
	RankSection          Rank = "section"
	RankOther            Rank = "other"
)

var ranks = enum[Rank]{"rank", []label{
	{"county_deputy_plus", "副县处级及以上", "deputy county/division level and above"},
	{"section", "科级", "section level"},
	{"other", "其他", "other"},
}}

// ParseRank parses a code ("section") or label ("科级").
func ParseRank(s string) (Rank, error) { return ranks.parse(s) }

// Valid reports whether r is a known rank.
func (r Rank) Valid() bool { return ranks.valid(r) }

// Label returns r's label in lang.
func (r Rank) Label(lang Lang) string { return ranks.label(r, lang) }

// UnmarshalText accepts a code or a label.
func (r *Rank) UnmarshalText(b []byte) error { return ranks.unmarshal(r, b) }

// Party is a cadre's Communist Party membership.
type Party string

// Party memberships.
const (
	PartyNone         Party = "none"
	PartyProbationary Party = "probationary"
	PartyFull         Party = "full"
)

var parties = enum[Party]{"party", []label{
	{"none", "非党员", "not a member"},
	{"probationary", "预备党员", "probationary member"},
	{"full", "正式党员", "full member"},
}}

// ParseParty parses a code ("full") or label ("正式党员").
func ParseParty(s string) (Party, error) { return parties.parse(s) }

// Valid reports whether p is a known membership.
func (p Party) Valid() bool { return parties.valid(p) }

// Label returns p's label in lang.
func (p Party) Label(lang Lang) string { return parties.label(p, lang) }

// UnmarshalText accepts a code or a label.
func (p *Party) UnmarshalText(b []byte) error { return parties.unmarshal(p, b) }

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

var healths = enum[Health]{"health", []label{
	{"good", "良好", "good"},
	{"chronic", "慢性病", "chronic illness"},
	{"serious", "重病", "seriously ill"},
	{"dependent", "失能", "unable to look after oneself"},
}}

// ParseHealth parses a code ("serious") or label ("重病").
func ParseHealth(s string) (Health, error) { return healths.parse(s) }

// Valid reports whether h is a known state.
func (h Health) Valid() bool { return healths.valid(h) }

// Label returns h's label in lang.
func (h Health) Label(lang Lang) string { return healths.label(h, lang) }

// UnmarshalText accepts a code or a label.
func (h *Health) UnmarshalText(b []byte) error { return healths.unmarshal(h, b) }

// Living is whom a cadre lives with.
type Living string

// Living situations.
const (
	LivingAlone  Living = "alone"
	LivingSpouse Living = "spouse"
	LivingFamily Living = "family"
)

var livings = enum[Living]{"living", []label{
	{"alone", "独居", "alone"},
	{"spouse", "与配偶同住", "with spouse"},
	{"family", "与子女同住", "with children"},
}}

// ParseLiving parses a code ("alone") or label ("独居").
func ParseLiving(s string) (Living, error) { return livings.parse(s) }

// Valid reports whether l is a known situation.
func (l Living) Valid() bool { return livings.valid(l) }

// Label returns l's label in lang.
func (l Living) Label(lang Lang) string { return livings.label(l, lang) }

// UnmarshalText accepts a code or a label.
func (l *Living) UnmarshalText(b []byte) error { return livings.unmarshal(l, b) }

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

var statuses = enum[Status]{"status", []label{
	{"active", "在册", "active"},
	{"deceased", "去世", "deceased"},
	{"moved", "迁出", "moved away"},
}}

// ParseStatus parses a code ("deceased") or label ("去世").
func ParseStatus(s string) (Status, error) { return statuses.parse(s) }

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return statuses.valid(s) }

// Label returns s's label in lang.
func (s Status) Label(lang Lang) string { return statuses.label(s, lang) }

// UnmarshalText accepts a code or a label.
func (s *Status) UnmarshalText(b []byte) error { return statuses.unmarshal(s, b) }

// ParseBool parses the yes/no columns of a roster: true/false, 是/否, yes/no,
// y/n, 1/0. An empty string is false.
func ParseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "是", "yes", "y", "1":
		return true, nil
	case "false", "否", "no", "n", "0", "":
		return false, nil
	}
	return false, fmt.Errorf("%w: %q: want true/false or 是/否", ErrInvalid, s)
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
