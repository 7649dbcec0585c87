package cadre

import "slices"

// Unknown is how a field that is not known (the empty value) is shown to a
// person: 未填 in Chinese, "unknown" in English. Only what identifies a
// person is required (Validate); every other field may be unknown, and is
// stored as unknown, never as a default.
func Unknown(lang Lang) string {
	if lang == English {
		return "unknown"
	}
	return "未填"
}

// Gap is a field of a cadre's record that is not known, with what waits on
// it: the rules that cannot decide for the cadre until it is filled in.
type Gap struct {
	// Field is the field's JSON key ("health").
	Field string
	// Rank orders gaps by need: 1 is the most needed.
	Rank int
	// Waits says what waits on the field, in Chinese and English.
	Waits [2]string
}

// Label names the gap's field in lang.
func (g Gap) Label(lang Lang) string { return FieldLabel(g.Field, lang) }

// WaitsIn says what waits on the field, in lang.
func (g Gap) WaitsIn(lang Lang) string {
	if lang == English {
		return g.Waits[1]
	}
	return g.Waits[0]
}

// gapRules lists the fields that may be unknown, most needed first, with
// when an empty value is a gap (some fields matter only for some cadres)
// and what waits on them.
var gapRules = []struct {
	field   string
	unknown func(c Cadre) bool
	waits   [2]string
}{
	{"health", func(c Cadre) bool { return c.Health == "" },
		[2]string{"重病或失能者优先结对（第2级）、支部按健康编组、座谈会邀请：需入户了解", "care tier 2 (seriously ill or dependent), grouping in branches, forum invitations: a first home visit to find out"}},
	{"category", func(c Cadre) bool { return c.Category == "" },
		[2]string{"离休干部（第1级）和高龄（第5级）结对、双高期、四就近服务对象", "care tiers 1 (lixiu) and 5 (aged), the double-high period, who the four-nearby program serves"}},
	{"living", func(c Cadre) bool { return c.Living == "" },
		[2]string{"高龄独居或空巢（第3级）结对", "care tier 3 (aged and living alone)"}},
	{"party", func(c Cadre) bool { return c.Party == "" },
		[2]string{"支部设置（未填者不编入支部）、党费", "the branch plan (not placed until known), Party dues"}},
	{"pension_fen", func(c Cadre) bool { return c.Party.IsMember() && c.PensionFen == 0 },
		[2]string{"党费（未填者不计应交党费、不计欠交）", "Party dues (none computed, no arrears, until known)"}},
	{"rank", func(c Cadre) bool { return c.Rank == "" },
		[2]string{"迎新春座谈会等按职级的邀请（未填者不邀请）", "invitations by rank, such as the spring forum (not invited until known)"}},
	{"address", func(c Cadre) bool { return c.Address == "" },
		[2]string{"入户走访、结对距离、四就近", "home visits, the distance of a pair, four-nearby"}},
	{"phone", func(c Cadre) bool { return c.Phone == "" },
		[2]string{"电话联系", "contact by phone"}},
	{"emergency_contact", func(c Cadre) bool { return c.EmergencyContact == "" },
		[2]string{"紧急情况联系家属", "reaching the family in an emergency"}},
	{"party_joined_on", func(c Cadre) bool { return c.Party.IsMember() && c.PartyJoinedOn.IsZero() },
		[2]string{"党龄（仅档案）", "years of membership (records only)"}},
	{"retired_on", func(c Cadre) bool { return c.RetiredOn.IsZero() },
		[2]string{"档案（不影响各项规则）", "records only (no rule uses it)"}},
	{"original_unit", func(c Cadre) bool { return c.OriginalUnit == "" },
		[2]string{"按原单位设置的支部", "branches by original unit"}},
}

// GapFields lists, most needed first, the fields Gaps can report.
func GapFields() []string {
	out := make([]string, len(gapRules))
	for i, r := range gapRules {
		out[i] = r.field
	}
	return out
}

// Gaps returns the fields of c that are not known, most needed first. The
// pension and the date of joining count only for a Party member. A
// cadre's yes/no fields (children nearby, living difficulty) read as "no"
// when not recorded and are never gaps.
func (c Cadre) Gaps() []Gap {
	var out []Gap
	for i, r := range gapRules {
		if r.unknown(c) {
			out = append(out, Gap{Field: r.field, Rank: i + 1, Waits: r.waits})
		}
	}
	return out
}

// PossibleNeeds returns the needs c does not have on what is known but
// would have if a field now unknown were filled in a certain way, sorted
// by tier: 离休 and 高龄 while the category is unknown, 重病或失能 while the
// health is unknown, 高龄独居或空巢 while the living situation is unknown
// (from Policy.AloneAge). Rules never guess: Needs counts only what is
// known, and a cadre with a possible need is listed for a first home visit
// to find out (the completeness report). A cadre not on the roll has none.
func (c Cadre) PossibleNeeds(on Date, policy Policy) []Need {
	if c.Status != StatusActive && c.Status != "" {
		return nil
	}
	known := c.Needs(on, policy)
	age := c.Age(on)
	var out []Need
	add := func(cond bool, n Need) {
		if cond && !slices.Contains(known, n) {
			out = append(out, n)
		}
	}
	add(c.Category == "", NeedLixiu)
	add(c.Health == "", NeedSeriousHealth)
	add(c.Living == "" && age >= policy.AloneAge, NeedAloneElderly)
	add(c.Category == "" && age >= policy.ElderlyAge, NeedElderly)
	return out
}

// NeedsFirstVisit reports whether a home visit could change c's care tier:
// a possible need (PossibleNeeds) ranks above every need c is known to
// have. Such a cadre is listed for a first home visit to find out.
func (c Cadre) NeedsFirstVisit(on Date, policy Policy) bool {
	possible := c.PossibleNeeds(on, policy)
	if len(possible) == 0 {
		return false
	}
	tier := c.NeedTier(on, policy)
	return tier == 0 || possible[0].Tier() < tier
}
