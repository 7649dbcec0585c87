package cadre

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
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
	return "", WordedZH(fmt.Errorf("%w: language %q: want zh or en", ErrInvalid, s), fmt.Sprintf("没有语言“%s”：可填 zh（中文）或 en（英文）", s))
}

// Label is one value of an enumeration: its stable code and its Chinese
// and English labels.
type Label struct{ Code, Zh, En string }

// Enum describes a string enumeration, so that each enum type of Wanxia's
// packages needs only one-line methods: valid values, labels in either
// language, and parsing from the code (any case), either label or one of
// the other spellings that rosters use (see Also).
type Enum[T ~string] struct {
	Kind   string
	Values []Label
	// aliases maps the fold of another spelling to its value's code.
	aliases map[string]string
	// labels maps the fold of each code and label to its value's code,
	// so that Parse folds only what it is given; nil for an Enum not
	// made by NewEnum.
	labels map[string]string
}

// Also returns e that also parses each of variants as the value code: the
// spellings bureaus' rosters use besides the label (离休干部 for 离休).
// Variants are compared as Parse compares labels, after folding spaces,
// full-width forms and case.
func (e Enum[T]) Also(code string, variants ...string) Enum[T] {
	m := make(map[string]string, len(e.aliases)+len(variants))
	for k, v := range e.aliases {
		m[k] = v
	}
	for _, v := range variants {
		m[FoldValue(v)] = code
	}
	e.aliases = m
	return e
}

// Variants returns the other spellings Parse accepts for v, in no
// particular order, folded as Parse compares them.
func (e Enum[T]) Variants(v T) []string {
	var out []string
	for k, code := range e.aliases {
		if code == string(v) {
			out = append(out, k)
		}
	}
	return out
}

// FoldValue is how a typed value of an enumeration, a yes/no or a date is
// compared: full-width letters, digits and punctuation as their ASCII
// forms, every space and line break removed, and lower case.
func FoldValue(s string) string {
	if folded(s) {
		return s // the usual cell: nothing to fold, nothing to allocate
	}
	return foldAll(s)
}

// foldAll is FoldValue without its shortcut.
func foldAll(s string) string {
	s = width.Narrow.String(s)
	return strings.ToLower(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s))
}

// folded reports whether FoldValue would return s unchanged: no space,
// no letter with a lower case, no character with a narrow form, and no
// byte that is not UTF-8 (which the fold writes as U+FFFD).
func folded(s string) bool {
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' || unicode.IsSpace(r) {
				return false
			}
		case r == utf8.RuneError, unicode.IsSpace(r), unicode.ToLower(r) != r, width.LookupRune(r).Narrow() != 0:
			return false
		}
	}
	return true
}

// NewEnum returns the enumeration of kind (a word for messages) with values
// in their order.
func NewEnum[T ~string](kind string, values ...Label) Enum[T] {
	labels := make(map[string]string, 3*len(values))
	for _, l := range values {
		for _, s := range []string{l.Code, l.Zh, l.En} {
			if _, taken := labels[FoldValue(s)]; !taken {
				labels[FoldValue(s)] = l.Code // the first value in order, as a search would find it
			}
		}
	}
	return Enum[T]{Kind: kind, Values: values, labels: labels}
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

// Parse accepts the code (any case), the Chinese label, the English label
// or another spelling given to Also, with spaces, line breaks and
// full-width forms ignored. The error of any other value is worded in both
// languages (see Worded) and lists the labels.
func (e Enum[T]) Parse(s string) (T, error) {
	t := FoldValue(s)
	if code, ok := e.byLabel(t); ok {
		return T(code), nil
	}
	if code, ok := e.aliases[t]; ok && t != "" {
		return T(code), nil
	}
	return "", Worded(ErrInvalid,
		fmt.Sprintf("“%s”不是可填的值；可填：%s", strings.TrimSpace(s), e.ChoicesIn(Chinese)),
		fmt.Sprintf("%s %q: want one of %s", e.Kind, s, e.Choices()))
}

// byLabel finds the value whose code or label folds to t, the first in
// the values' order.
func (e Enum[T]) byLabel(t string) (string, bool) {
	if e.labels != nil {
		code, ok := e.labels[t]
		return code, ok
	}
	for _, l := range e.Values {
		if t == FoldValue(l.Code) || t == FoldValue(l.Zh) || t == FoldValue(l.En) {
			return l.Code, true
		}
	}
	return "", false
}

// ChoicesIn lists the labels in lang for messages: "离休、退休、军休" in
// Chinese, "lixiu (离休), tuixiu (退休), …" in English, where a code is
// what one types.
func (e Enum[T]) ChoicesIn(lang Lang) string {
	parts := make([]string, len(e.Values))
	for i, l := range e.Values {
		if lang == English {
			parts[i] = l.Code + " (" + l.Zh + ")"
		} else {
			parts[i] = l.Zh
		}
	}
	if lang == English {
		return strings.Join(parts, ", ")
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
).Also("male", "男性", "m").Also("female", "女性", "f")

// ParseGender parses a code ("male"), a label ("男") or a common spelling of one (see the roster docs).
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
).Also("lixiu", "离休干部", "离休人员", "离休老干部").
	Also("tuixiu", "退休干部", "退休人员", "退休老干部").
	Also("junxiu", "军休干部", "军休人员", "军队离退休干部", "军队离休干部", "军队退休干部")

// ParseCategory parses a code ("lixiu"), a label ("离休") or a common spelling
// of one ("离休干部"; see the roster docs).
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
).Also("county_deputy_plus", "副县处级以上", "县处级及以上", "副处级及以上", "副县级及以上",
	"副县级", "副处级", "正县级", "正处级", "县处级", "副县处级", "正县处级", "县级", "处级",
	"副厅级", "正厅级", "厅局级", "副厅局级", "正厅局级", "厅级", "局级", "副局级", "正局级", "省部级", "副部级").
	Also("section", "正科级", "副科级", "正科", "副科", "科级干部", "乡科级", "正乡科级", "副乡科级").
	Also("other", "其它", "科员", "办事员", "科员及以下")

// ParseRank parses a code ("section"), a label ("科级") or a common spelling of one (see the roster docs).
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
).Also("none", "群众", "非中共党员", "不是党员", "否").
	Also("probationary", "中共预备党员", "预备", "中国共产党预备党员").
	Also("full", "中共党员", "党员", "中国共产党党员", "共产党员", "中共正式党员")

// ParseParty parses a code ("full"), a label ("正式党员") or a common spelling of one (see the roster docs).
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
).Also("good", "健康", "好", "较好", "良").
	Also("chronic", "患慢性病", "有慢性病", "慢性疾病").
	Also("serious", "病重", "重大疾病", "大病", "重病在身").
	Also("dependent", "完全失能", "失能老人", "生活不能自理", "不能自理", "卧床", "长期卧床")

// ParseHealth parses a code ("serious"), a label ("重病") or a common spelling of one (see the roster docs).
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
).Also("alone", "独自居住", "一人居住", "单独居住", "独居老人", "孤寡").
	Also("spouse", "与配偶居住", "和配偶同住", "夫妻同住", "与老伴同住", "和老伴同住", "与配偶", "夫妻共同居住").
	Also("family", "与子女居住", "和子女同住", "子女同住", "与子女", "随子女居住", "与子女共同居住")

// ParseLiving parses a code ("alone"), a label ("独居") or a common spelling of one (see the roster docs).
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
).Also("deceased", "已故", "死亡", "病故", "逝世", "已去世", "亡故").
	Also("moved", "已迁出", "转出", "已转出", "迁走")

// ParseStatus parses a code ("deceased"), a label ("去世") or a common spelling of one (see the roster docs).
func ParseStatus(s string) (Status, error) { return statuses.Parse(s) }

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return statuses.Valid(s) }

// Label returns s's label in lang.
func (s Status) Label(lang Lang) string { return statuses.Label(s, lang) }

// UnmarshalText accepts a code or a label.
func (s *Status) UnmarshalText(b []byte) error { return statuses.Unmarshal(s, b) }

// ParseBool parses the yes/no columns of a roster: true/false, 是/否, 有/无,
// yes/no, y/n, 1/0, with spaces and full-width forms ignored. An empty
// string is false.
func ParseBool(s string) (bool, error) {
	switch FoldValue(s) {
	case "true", "是", "有", "yes", "y", "1":
		return true, nil
	case "false", "否", "无", "没有", "no", "n", "0", "":
		return false, nil
	}
	return false, Worded(ErrInvalid,
		fmt.Sprintf("“%s”不是可填的值；可填：是、否", strings.TrimSpace(s)),
		fmt.Sprintf("%q: want true/false or 是/否", s))
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

// The values of each enumeration in order, with their labels, for a form
// that offers them as choices.

// GenderLabels returns the genders.
func GenderLabels() []Label { return append([]Label(nil), genders.Values...) }

// CategoryLabels returns the categories.
func CategoryLabels() []Label { return append([]Label(nil), categories.Values...) }

// RankLabels returns the ranks.
func RankLabels() []Label { return append([]Label(nil), ranks.Values...) }

// PartyLabels returns the Party memberships.
func PartyLabels() []Label { return append([]Label(nil), parties.Values...) }

// HealthLabels returns the states of health.
func HealthLabels() []Label { return append([]Label(nil), healths.Values...) }

// LivingLabels returns the living situations.
func LivingLabels() []Label { return append([]Label(nil), livings.Values...) }

// StatusLabels returns the statuses.
func StatusLabels() []Label { return append([]Label(nil), statuses.Values...) }

// NeedLabels returns the needs, in tier order (tier 1 first).
func NeedLabels() []Label { return append([]Label(nil), needs.Values...) }
