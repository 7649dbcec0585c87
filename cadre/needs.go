package cadre

import "sort"

// Policy holds the district's settings for the rules of this package. Each
// district may differ; DefaultPolicy gives the values of the domain notes.
type Policy struct {
	// DoubleHighAge is the age from which a cadre who is not 离休 is in the
	// "double-high period" (双高期). Every 离休 cadre is in it regardless.
	DoubleHighAge int
	// AloneAge is the age from which a cadre living alone (or with a spouse
	// only and no children nearby) needs a pair (tier 3).
	AloneAge int
	// ElderlyAge is the age from which any 退休 or 军休 cadre needs a pair (tier 5).
	ElderlyAge int
}

// DefaultPolicy returns the settings of the domain notes: ages 80, 80 and 80.
func DefaultPolicy() Policy {
	return Policy{DoubleHighAge: 80, AloneAge: 80, ElderlyAge: 80}
}

// Age returns c's age in whole years on the given date. Someone born on
// 29 February turns a year older on 1 March in common years.
func (c Cadre) Age(on Date) int {
	age := on.Year - c.BirthDate.Year
	if on.Month < c.BirthDate.Month || (on.Month == c.BirthDate.Month && on.Day < c.BirthDate.Day) {
		age--
	}
	return age
}

// IsEmptyNest reports whether c is an "empty nest" (空巢) cadre: living alone
// or only with a spouse, and no children nearby.
func (c Cadre) IsEmptyNest() bool {
	return (c.Living == LivingAlone || c.Living == LivingSpouse) && !c.ChildrenNearby
}

// InDoubleHighPeriod reports whether c is in the "double-high period" (双高期)
// of high age and high illness: every 离休 cadre, and others from
// policy.DoubleHighAge.
func (c Cadre) InDoubleHighPeriod(on Date, policy Policy) bool {
	return c.Category == Lixiu || c.Age(on) >= policy.DoubleHighAge
}

// Need is a reason a cadre needs special care and a 1对5 pair. Each belongs to
// a priority tier; tier 1 is served first.
type Need string

// Needs in tier order.
const (
	// NeedLixiu (tier 1): a 离休 cadre.
	NeedLixiu Need = "lixiu"
	// NeedSeriousHealth (tier 2): seriously ill or unable to look after oneself.
	NeedSeriousHealth Need = "serious_health"
	// NeedAloneElderly (tier 3): living alone, or with a spouse only and no
	// children nearby, from Policy.AloneAge.
	NeedAloneElderly Need = "alone_elderly"
	// NeedLivingDifficulty (tier 4): in living difficulty.
	NeedLivingDifficulty Need = "living_difficulty"
	// NeedElderly (tier 5): a 退休 or 军休 cadre from Policy.ElderlyAge.
	NeedElderly Need = "elderly"
)

// needs lists the needs in tier order: a need's tier is its index plus one.
var needs = NewEnum[Need]("need",
	L("lixiu", "离休干部", "pre-1949 veteran (lixiu)"),
	L("serious_health", "重病或失能", "seriously ill or dependent"),
	L("alone_elderly", "高龄独居或空巢", "aged and living alone"),
	L("living_difficulty", "生活困难", "in living difficulty"),
	L("elderly", "高龄", "aged"),
)

// ParseNeed parses a code ("elderly") or label ("高龄").
func ParseNeed(s string) (Need, error) { return needs.Parse(s) }

// Label returns n's label in lang.
func (n Need) Label(lang Lang) string { return needs.Label(n, lang) }

// UnmarshalText accepts a code or a label.
func (n *Need) UnmarshalText(b []byte) error { return needs.Unmarshal(n, b) }

// Tier returns n's priority tier, 1 (first) to 5, or 0 for an unknown need.
func (n Need) Tier() int {
	if i := needs.Index(n); i < len(needs.Values) {
		return i + 1
	}
	return 0
}

// Needs returns every reason c needs special care on the given date, sorted
// by tier. A cadre who is not active (deceased or moved away) needs none.
func (c Cadre) Needs(on Date, policy Policy) []Need {
	if c.Status != StatusActive && c.Status != "" {
		return nil
	}
	age := c.Age(on)
	var out []Need
	add := func(cond bool, n Need) {
		if cond {
			out = append(out, n)
		}
	}
	add(c.Category == Lixiu, NeedLixiu)
	add(c.Health == HealthSerious || c.Health == HealthDependent, NeedSeriousHealth)
	add((c.Living == LivingAlone || (c.Living == LivingSpouse && !c.ChildrenNearby)) && age >= policy.AloneAge, NeedAloneElderly)
	add(c.Difficulty, NeedLivingDifficulty)
	add((c.Category == Tuixiu || c.Category == Junxiu) && age >= policy.ElderlyAge, NeedElderly)
	sort.Slice(out, func(i, j int) bool { return out[i].Tier() < out[j].Tier() })
	return out
}

// NeedTier returns the highest-priority tier (1 first) in which c needs a
// pair on the given date, or 0 when c needs none.
func (c Cadre) NeedTier(on Date, policy Policy) int {
	if ns := c.Needs(on, policy); len(ns) > 0 {
		return ns[0].Tier()
	}
	return 0
}
