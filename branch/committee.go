package branch

import (
	"cmp"
	"slices"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
)

// CommitteeSettings holds the district's settings for branch committees and terms.
type CommitteeSettings struct {
	// CommitteeFrom is the number of full members from which a branch has a
	// committee (支部委员会); below it, a secretary and perhaps a deputy.
	CommitteeFrom int
	// MinCommittee and UsualMaxCommittee bound the usual committee size;
	// MaxCommittee is the size it generally may not exceed.
	MinCommittee, UsualMaxCommittee, MaxCommittee int
	// TermYears is the length of a term.
	TermYears int
	// WarnDays is how long before a term ends the election is flagged as due.
	WarnDays int
}

// DefaultCommitteeSettings returns the settings of the domain notes: a
// committee from 7 full members, of 3–5 (at most 7), a 3-year term, and a
// warning 90 days ahead.
func DefaultCommitteeSettings() CommitteeSettings {
	return CommitteeSettings{CommitteeFrom: 7, MinCommittee: 3, UsualMaxCommittee: 5, MaxCommittee: 7, TermYears: 3, WarnDays: 90}
}

// Severity says whether a finding needs action or attention.
type Severity string

// Severities, most serious first.
const (
	SeverityProblem Severity = "problem"
	SeverityNotice  Severity = "notice"
)

var severities = cadre.NewEnum[Severity]("severity",
	cadre.L("problem", "问题", "problem"),
	cadre.L("notice", "提示", "notice"),
)

// Label returns s's label in lang.
func (s Severity) Label(lang cadre.Lang) string { return severities.Label(s, lang) }

// FindingCode names what a committee check found.
type FindingCode string

// Findings of CheckCommittee, in the order they are reported.
const (
	FindingNoSecretary       FindingCode = "no_secretary"
	FindingHolderNotMember   FindingCode = "holder_not_member"
	FindingHolderNotFull     FindingCode = "holder_not_full"
	FindingRoleDuplicated    FindingCode = "role_duplicated"
	FindingCommitteeTooSmall FindingCode = "committee_too_small"
	FindingCommitteeTooLarge FindingCode = "committee_too_large"
	FindingTermExpired       FindingCode = "term_expired"
	FindingElectionDue       FindingCode = "election_due"
	FindingCommitteeLarge    FindingCode = "committee_large"
	FindingRoleVacant        FindingCode = "role_vacant"
	FindingNoCommitteeNeeded FindingCode = "no_committee_needed"
)

var findingCodes = cadre.NewEnum[FindingCode]("finding",
	cadre.L("no_secretary", "未设书记", "no secretary"),
	cadre.L("holder_not_member", "任职者不是本支部党员", "post holder is not a member of the branch"),
	cadre.L("holder_not_full", "任职者不是正式党员", "post holder is not a full member"),
	cadre.L("role_duplicated", "职务重复", "post held twice"),
	cadre.L("committee_too_small", "支委会人数不足", "committee too small"),
	cadre.L("committee_too_large", "支委会人数过多", "committee too large"),
	cadre.L("term_expired", "任期已满，应换届", "term over: election due"),
	cadre.L("election_due", "即将换届", "election due soon"),
	cadre.L("committee_large", "支委会人数超过一般规模", "committee above the usual size"),
	cadre.L("role_vacant", "委员职务空缺", "committee post vacant"),
	cadre.L("no_committee_needed", "不设支委会", "no committee needed"),
)

// Label returns f's label in lang.
func (f FindingCode) Label(lang cadre.Lang) string { return findingCodes.Label(f, lang) }

// Finding is one thing CheckCommittee found.
type Finding struct {
	// Code says what was found.
	Code FindingCode `json:"code"`
	// Severity says whether it needs action.
	Severity Severity `json:"severity"`
	// CadreID is the post holder concerned, if any.
	CadreID uuid.UUID `json:"cadre_id"`
	// Role is the post concerned, if any.
	Role Role `json:"role"`
	// Due is the end of the term, for term findings.
	Due cadre.Date `json:"due"`
	// Text explains the finding.
	Text Text `json:"text"`
}

// CheckCommittee checks branch b's posts on the date on against its members
// (the cadres the caller holds to be b's members on that date; those not on
// the roll are left out). Posts of other branches, and posts not held on on,
// are ignored.
//
// A branch with s.CommitteeFrom or more full members needs a committee of
// s.MinCommittee to s.MaxCommittee people (usually at most
// s.UsualMaxCommittee) with a secretary and members for organisation,
// publicity and discipline; a smaller branch a secretary and, if needed, a
// deputy, and no committee. Every post is held by a full member of b, once.
// The term runs s.TermYears from the earliest term start among the current
// posts, because a by-election fills a vacancy without starting a new term;
// a term past its end, or ending within s.WarnDays, makes an election due.
// Findings come problems first, in the order of the FindingCode constants.
func CheckCommittee(b Branch, members []cadre.Cadre, posts []Post, on cadre.Date, s CommitteeSettings) []Finding {
	byID := map[uuid.UUID]cadre.Cadre{}
	full := 0
	for _, c := range members {
		if isMemberOn(c, on) {
			byID[c.ID] = c
			if c.Party == cadre.PartyFull {
				full++
			}
		}
	}
	current := currentPosts(b.ID, posts, on)
	fs := holderFindings(current, byID)
	// A post whose holder is no longer a member on the roll (who died,
	// moved away or left the branch) is vacant for the committee's make-up.
	held := slices.DeleteFunc(slices.Clone(current), func(p Post) bool { _, ok := byID[p.CadreID]; return !ok })
	fs = append(fs, structureFindings(held, full, s)...)
	fs = append(fs, termFindings(current, on, s)...)
	sortFindings(fs)
	return fs
}

// currentPosts returns b's posts held on on, in role order then by holder.
func currentPosts(branchID uuid.UUID, posts []Post, on cadre.Date) []Post {
	var out []Post
	for _, p := range posts {
		if p.BranchID == branchID && p.Current(on) {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b Post) int {
		if c := cmp.Compare(roles.Index(a.Role), roles.Index(b.Role)); c != 0 {
			return c
		}
		return compareUUID(a.CadreID, b.CadreID)
	})
	return out
}

func holderFindings(posts []Post, members map[uuid.UUID]cadre.Cadre) []Finding {
	var fs []Finding
	held := map[Role]int{}
	for _, p := range posts {
		c, ok := members[p.CadreID]
		if ok {
			held[p.Role]++
		}
		switch {
		case !ok:
			fs = append(fs, postFinding(FindingHolderNotMember, p, textf(
				"%s的任职者不是本支部在册党员", []any{p.Role.Label(cadre.Chinese)},
				"the %s is not a member of this branch on the roll", []any{p.Role.Label(cadre.English)})))
		case c.Party != cadre.PartyFull:
			fs = append(fs, postFinding(FindingHolderNotFull, p, textf(
				"%s%s是%s，职务应由正式党员担任", []any{p.Role.Label(cadre.Chinese), c.Name, c.Party.Label(cadre.Chinese)},
				"the %s, %s, is a %s; posts are for full members", []any{p.Role.Label(cadre.English), c.Name, c.Party.Label(cadre.English)})))
		}
	}
	for _, r := range roles.Values {
		if n := held[Role(r.Code)]; n > 1 {
			fs = append(fs, Finding{Code: FindingRoleDuplicated, Severity: SeverityProblem, Role: Role(r.Code), Text: textf(
				"%s有%d人担任", []any{r.Zh, n}, "%d people hold the post of %s", []any{n, r.En})})
		}
	}
	if held[RoleSecretary] == 0 {
		fs = append(fs, Finding{Code: FindingNoSecretary, Severity: SeverityProblem, Role: RoleSecretary,
			Text: Text{Zh: "支部未设书记", En: "the branch has no secretary"}})
	}
	return fs
}

func postFinding(code FindingCode, p Post, t Text) Finding {
	return Finding{Code: code, Severity: SeverityProblem, CadreID: p.CadreID, Role: p.Role, Text: t}
}

// structureFindings checks the committee against the number of full members.
func structureFindings(posts []Post, full int, s CommitteeSettings) []Finding {
	holders := map[uuid.UUID]bool{}
	held := map[Role]bool{}
	for _, p := range posts {
		holders[p.CadreID] = true
		held[p.Role] = true
	}
	committeeRoles := []Role{RoleOrganisation, RolePublicity, RoleDiscipline}
	if full < s.CommitteeFrom {
		for _, r := range committeeRoles {
			if held[r] {
				return []Finding{{Code: FindingNoCommitteeNeeded, Severity: SeverityNotice, Text: textf(
					"正式党员%d名，不足%d名，不设支部委员会：下次选举只设书记（必要时设副书记）", []any{full, s.CommitteeFrom},
					"%d full members, fewer than %d: no committee; at the next election a secretary (and a deputy if needed) only", []any{full, s.CommitteeFrom})}}
			}
		}
		return nil
	}
	return committeeFindings(len(holders), held, committeeRoles, full, s)
}

func committeeFindings(size int, held map[Role]bool, committeeRoles []Role, full int, s CommitteeSettings) []Finding {
	var fs []Finding
	switch {
	case size < s.MinCommittee:
		fs = append(fs, Finding{Code: FindingCommitteeTooSmall, Severity: SeverityProblem, Text: textf(
			"正式党员%d名，应设%d至%d人的支部委员会，现有%d人", []any{full, s.MinCommittee, s.UsualMaxCommittee, size},
			"%d full members: a committee of %d to %d is needed; it has %d", []any{full, s.MinCommittee, s.UsualMaxCommittee, size})})
	case size > s.MaxCommittee:
		fs = append(fs, Finding{Code: FindingCommitteeTooLarge, Severity: SeverityProblem, Text: textf(
			"支部委员会%d人，一般不超过%d人", []any{size, s.MaxCommittee},
			"a committee of %d; generally no more than %d", []any{size, s.MaxCommittee})})
	case size > s.UsualMaxCommittee:
		fs = append(fs, Finding{Code: FindingCommitteeLarge, Severity: SeverityNotice, Text: textf(
			"支部委员会%d人，一般为%d至%d人", []any{size, s.MinCommittee, s.UsualMaxCommittee},
			"a committee of %d; usually %d to %d", []any{size, s.MinCommittee, s.UsualMaxCommittee})})
	}
	for _, r := range committeeRoles {
		if !held[r] {
			fs = append(fs, Finding{Code: FindingRoleVacant, Severity: SeverityNotice, Role: r, Text: textf(
				"支部委员会未设%s", []any{r.Label(cadre.Chinese)}, "the committee has no %s", []any{r.Label(cadre.English)})})
		}
	}
	return fs
}

// termFindings flags an election due at the end of the term.
func termFindings(posts []Post, on cadre.Date, s CommitteeSettings) []Finding {
	start, ok := termStart(posts)
	if !ok {
		return nil
	}
	end := cadre.NewDate(start.Year+s.TermYears, start.Month, start.Day)
	switch left := end.DaysSince(on); {
	case left <= 0:
		return []Finding{{Code: FindingTermExpired, Severity: SeverityProblem, Due: end, Text: textf(
			"本届任期自%s起%d年，已于%s届满，应当换届选举", []any{start, s.TermYears, end},
			"the %d-year term from %s ended on %s: an election is due", []any{s.TermYears, start, end})}}
	case left <= s.WarnDays:
		return []Finding{{Code: FindingElectionDue, Severity: SeverityNotice, Due: end, Text: textf(
			"本届任期将于%s届满（还有%d天），请准备换届选举", []any{end, left},
			"the term ends on %s (in %d days): prepare the election", []any{end, left})}}
	}
	return nil
}

func termStart(posts []Post) (cadre.Date, bool) {
	var start cadre.Date
	for _, p := range posts {
		if !p.TermStart.IsZero() && (start.IsZero() || p.TermStart.Before(start)) {
			start = p.TermStart
		}
	}
	return start, !start.IsZero()
}

func sortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		if c := cmp.Compare(severities.Index(a.Severity), severities.Index(b.Severity)); c != 0 {
			return c
		}
		if c := cmp.Compare(findingCodes.Index(a.Code), findingCodes.Index(b.Code)); c != 0 {
			return c
		}
		if c := cmp.Compare(roles.Index(a.Role), roles.Index(b.Role)); c != 0 {
			return c
		}
		return compareUUID(a.CadreID, b.CadreID)
	})
}
