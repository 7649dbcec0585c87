package branch

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
)

// Kind is how a branch is organised.
type Kind string

// Kinds of branch. Retired cadres' branches are organised by residence
// community in principle; they may stay with the original work unit when it
// can manage them; communities with too few full members join a joint
// branch; senior universities and activity centres hold interest-based ones.
const (
	KindCommunity Kind = "community"
	KindUnit      Kind = "unit"
	KindJoint     Kind = "joint"
	KindInterest  Kind = "interest"
)

var kinds = cadre.NewEnum[Kind]("branch kind",
	cadre.L("community", "社区党支部", "community branch"),
	cadre.L("unit", "原单位党支部", "original-unit branch"),
	cadre.L("joint", "联合党支部", "joint branch"),
	cadre.L("interest", "兴趣型党支部", "interest-based branch"),
)

// ParseKind parses a code ("joint") or label ("联合党支部").
func ParseKind(s string) (Kind, error) { return kinds.Parse(s) }

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return kinds.Valid(k) }

// Label returns k's label in lang.
func (k Kind) Label(lang cadre.Lang) string { return kinds.Label(k, lang) }

// UnmarshalText accepts a code or a label.
func (k *Kind) UnmarshalText(b []byte) error { return kinds.Unmarshal(k, b) }

// Branch is one Party branch (党支部).
type Branch struct {
	// ID identifies the branch everywhere.
	ID uuid.UUID `json:"id"`
	// Name is the branch's name, such as 舜园社区离退休干部党支部.
	Name string `json:"name"`
	// Kind is how the branch is organised.
	Kind Kind `json:"kind"`
	// Communities are the codes of the communities a community or joint
	// branch covers; its members live in them.
	Communities []string `json:"communities"`
	// Units are the original work units (原工作单位) an original-unit branch
	// covers; its members retired from them.
	Units []string `json:"units"`
	// FoundedOn is the date the branch was formed.
	FoundedOn cadre.Date `json:"founded_on"`
	// DissolvedOn is the day the branch ceased to exist (a plan merged its
	// members elsewhere), the first day without it; zero while it exists.
	// A dissolved branch keeps its record, so that its history is kept.
	DissolvedOn cadre.Date `json:"dissolved_on"`
}

// ExistsOn reports whether b exists on d: not dissolved on or before d.
func (b Branch) ExistsOn(d cadre.Date) bool { return b.DissolvedOn.IsZero() || d.Before(b.DissolvedOn) }

// Validate checks b and reports every problem as a *cadre.ValidationError.
// Community and joint branches need at least one community, original-unit
// branches at least one unit.
func (b Branch) Validate() error {
	var ps cadre.Problems
	ps.RequireID("id", b.ID)
	if strings.TrimSpace(b.Name) == "" {
		ps.Add("name", cadre.ErrRequired)
	}
	ps.Enum("kind", string(b.Kind), b.Kind.Valid())
	for _, c := range b.Communities {
		if err := cadre.ValidateCommunityCode(c); err != nil {
			ps.Add("communities", err)
		}
	}
	if (b.Kind == KindCommunity || b.Kind == KindJoint) && len(b.Communities) == 0 {
		ps.Addf("communities", cadre.ErrRequired, "a %s covers at least one community", b.Kind.Label(cadre.English))
	}
	if b.Kind == KindUnit && len(b.Units) == 0 {
		ps.Addf("units", cadre.ErrRequired, "an original-unit branch covers at least one unit")
	}
	founded := checkOptionalDate(&ps, "founded_on", b.FoundedOn)
	if checkOptionalDate(&ps, "dissolved_on", b.DissolvedOn) && founded && !b.DissolvedOn.After(b.FoundedOn) {
		ps.Addf("dissolved_on", cadre.ErrOrder, "%s is not after %s", b.DissolvedOn, b.FoundedOn)
	}
	return ps.Err()
}

// covers reports whether m belongs in b by b's own definition: by residence
// for community and joint branches, by original unit for an original-unit
// branch (any member when it lists no unit), anyone for an interest-based one.
func (b Branch) covers(community, unit string) bool {
	switch b.Kind {
	case KindUnit:
		return len(b.Units) == 0 || slices.Contains(b.Units, strings.TrimSpace(unit))
	case KindInterest:
		return true
	default:
		return slices.Contains(b.Communities, community)
	}
}

// Membership is a cadre's membership of a branch from From until To. A
// membership is never edited away: a member who moves or dies gets To set,
// and a move starts a new membership, so the history is kept.
type Membership struct {
	// ID identifies the record.
	ID uuid.UUID `json:"id"`
	// CadreID is the member.
	CadreID uuid.UUID `json:"cadre_id"`
	// BranchID is the branch.
	BranchID uuid.UUID `json:"branch_id"`
	// From is the first day of membership.
	From cadre.Date `json:"from"`
	// To is the day the membership ended (a move, the date of death), the
	// first day it no longer holds; zero while it lasts. Half-open, so that
	// a move ends one membership on the day the next begins.
	To cadre.Date `json:"to"`
}

// Covers reports whether m holds on d: From ≤ d < To.
func (m Membership) Covers(d cadre.Date) bool {
	return cadre.Span{From: m.From, To: m.To}.Contains(d)
}

// Validate checks m and reports every problem as a *cadre.ValidationError.
func (m Membership) Validate() error {
	var ps cadre.Problems
	ps.RequireID("cadre_id", m.CadreID)
	ps.RequireID("branch_id", m.BranchID)
	checkSpan(&ps, "from", m.From, "to", m.To)
	return ps.Err()
}

// ErrMembershipOverlap: a cadre would be a member of two branches at once.
var ErrMembershipOverlap = errors.New("the cadre is already a member of a branch at that time")

// CheckOverlap reports whether m overlaps, on any day, another membership
// of the same cadre (others may include m itself, which is passed over): a
// cadre belongs to one branch at a time, and a move ends one membership on
// the day the next begins. The error wraps ErrMembershipOverlap and names
// the membership m overlaps.
func CheckOverlap(m Membership, others []Membership) error {
	span := cadre.Span{From: m.From, To: m.To}
	for _, o := range others {
		if o.ID == m.ID || o.CadreID != m.CadreID {
			continue
		}
		if span.Overlaps(cadre.Span{From: o.From, To: o.To}) {
			return fmt.Errorf("%w: membership %s of branch %s from %s", ErrMembershipOverlap, o.ID, o.BranchID, o.From)
		}
	}
	return nil
}

// EndMemberships returns the memberships of c that are still open after the
// date c died or moved away, each ended on that date (组织关系随人走: a member
// who moves away takes the membership along; one who dies leaves the roll).
// It returns nothing for an active cadre. Storage writes the result when a
// death or a move is recorded. A membership that begins on or after that
// date is not returned: it was entered by mistake and is for a person to void.
func EndMemberships(c cadre.Cadre, memberships []Membership) []Membership {
	end, ok := leftOn(c)
	if !ok {
		return nil
	}
	var out []Membership
	for _, m := range memberships {
		if m.CadreID == c.ID && m.From.Before(end) && (m.To.IsZero() || m.To.After(end)) {
			m.To = end
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b Membership) int { return compareUUID(a.ID, b.ID) })
	return out
}

// leftOn returns the date c died or moved away, if c did.
func leftOn(c cadre.Cadre) (cadre.Date, bool) {
	if (c.Status == cadre.StatusDeceased || c.Status == cadre.StatusMoved) && !c.StatusOn.IsZero() {
		return c.StatusOn, true
	}
	return cadre.Date{}, false
}

// isMemberOn reports whether c is a Party member on the roll on d.
func isMemberOn(c cadre.Cadre, d cadre.Date) bool { return c.Party.IsMember() && c.OnRoll(d) }

// Role is a post in a branch.
type Role string

// Roles, in the order the committee lists them.
const (
	RoleSecretary    Role = "secretary"
	RoleDeputy       Role = "deputy"
	RoleOrganisation Role = "organisation"
	RolePublicity    Role = "publicity"
	RoleDiscipline   Role = "discipline"
)

var roles = cadre.NewEnum[Role]("role",
	cadre.L("secretary", "书记", "secretary"),
	cadre.L("deputy", "副书记", "deputy secretary"),
	cadre.L("organisation", "组织委员", "organisation member"),
	cadre.L("publicity", "宣传委员", "publicity member"),
	cadre.L("discipline", "纪检委员", "discipline member"),
)

// ParseRole parses a code ("secretary") or label ("书记").
func ParseRole(s string) (Role, error) { return roles.Parse(s) }

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return roles.Valid(r) }

// Label returns r's label in lang.
func (r Role) Label(lang cadre.Lang) string { return roles.Label(r, lang) }

// UnmarshalText accepts a code or a label.
func (r *Role) UnmarshalText(b []byte) error { return roles.Unmarshal(r, b) }

// Post is a cadre holding a role in a branch from an election on.
type Post struct {
	// ID identifies the record.
	ID uuid.UUID `json:"id"`
	// BranchID is the branch.
	BranchID uuid.UUID `json:"branch_id"`
	// CadreID is the holder.
	CadreID uuid.UUID `json:"cadre_id"`
	// Role is the post.
	Role Role `json:"role"`
	// TermStart is the day the holder was elected.
	TermStart cadre.Date `json:"term_start"`
	// EndedOn is the day the holder left the post, the first day without it;
	// zero while it is held. Set at the next election, so that the history
	// of committees is kept.
	EndedOn cadre.Date `json:"ended_on"`
}

// Current reports whether p is held on d.
func (p Post) Current(d cadre.Date) bool {
	return cadre.Span{From: p.TermStart, To: p.EndedOn}.Contains(d)
}

// Validate checks p and reports every problem as a *cadre.ValidationError.
func (p Post) Validate() error {
	var ps cadre.Problems
	ps.RequireID("branch_id", p.BranchID)
	ps.RequireID("cadre_id", p.CadreID)
	ps.Enum("role", string(p.Role), p.Role.Valid())
	checkSpan(&ps, "term_start", p.TermStart, "ended_on", p.EndedOn)
	return ps.Err()
}

// Community is a community (社区) as the branch rules need it: its centre
// point decides which communities are neighbours.
type Community struct {
	// Code is the community code, such as "sy".
	Code string `json:"code"`
	// Name is the display name, such as 舜园社区.
	Name string `json:"name"`
	// Centre is the community's centre point, when known.
	Centre *cadre.Location `json:"centre"`
}

// Validate checks c and reports every problem as a *cadre.ValidationError.
func (c Community) Validate() error {
	var ps cadre.Problems
	if err := cadre.ValidateCommunityCode(c.Code); err != nil {
		ps.Add("code", err)
	}
	if strings.TrimSpace(c.Name) == "" {
		ps.Add("name", cadre.ErrRequired)
	}
	if c.Centre != nil && !c.Centre.Valid() {
		ps.Addf("centre", cadre.ErrInvalid, "latitude must be within ±90 and longitude within ±180")
	}
	return ps.Err()
}

// TrainingAttendance records that a cadre attended a training course, such
// as the district's yearly course for branch secretaries.
type TrainingAttendance struct {
	// ID identifies the record.
	ID uuid.UUID `json:"id"`
	// CadreID is who attended.
	CadreID uuid.UUID `json:"cadre_id"`
	// Course names the course (一年一次支部书记培训班).
	Course string `json:"course"`
	// On is the day attended (the last day, for a course of several).
	On cadre.Date `json:"on"`
}

// Validate checks t and reports every problem as a *cadre.ValidationError.
func (t TrainingAttendance) Validate() error {
	var ps cadre.Problems
	ps.RequireID("cadre_id", t.CadreID)
	if strings.TrimSpace(t.Course) == "" {
		ps.Add("course", cadre.ErrRequired)
	}
	checkRequiredDate(&ps, "on", t.On)
	return ps.Err()
}

// Feedback is one recorded opinion of the people a branch serves (群众反映),
// which the software cannot judge for itself: a person records whether it
// was good.
type Feedback struct {
	// ID identifies the record.
	ID uuid.UUID `json:"id"`
	// BranchID is the branch the feedback is about.
	BranchID uuid.UUID `json:"branch_id"`
	// On is the day it was received.
	On cadre.Date `json:"on"`
	// Good is whether the opinion was favourable.
	Good bool `json:"good"`
	// Source says where it came from (a residents' survey, the community office).
	Source string `json:"source"`
	// Note is what was said.
	Note string `json:"note"`
}

// Validate checks f and reports every problem as a *cadre.ValidationError.
func (f Feedback) Validate() error {
	var ps cadre.Problems
	ps.RequireID("branch_id", f.BranchID)
	checkRequiredDate(&ps, "on", f.On)
	if strings.TrimSpace(f.Source) == "" {
		ps.Add("source", cadre.ErrRequired)
	}
	return ps.Err()
}

func checkRequiredDate(ps *cadre.Problems, field string, d cadre.Date) bool {
	if d.IsZero() {
		ps.Add(field, cadre.ErrRequired)
		return false
	}
	return checkOptionalDate(ps, field, d)
}

func checkOptionalDate(ps *cadre.Problems, field string, d cadre.Date) bool {
	if !d.IsZero() && !d.Valid() {
		ps.Addf(field, cadre.ErrInvalid, "not a real calendar date")
		return false
	}
	return !d.IsZero()
}

// checkSpan checks a required start date and an optional end date after it.
func checkSpan(ps *cadre.Problems, fromField string, from cadre.Date, toField string, to cadre.Date) {
	okFrom := checkRequiredDate(ps, fromField, from)
	if checkOptionalDate(ps, toField, to) && okFrom && !to.After(from) {
		ps.Addf(toField, cadre.ErrOrder, "%s is not after %s", to, from)
	}
}

// compareUUID orders UUIDs by their bytes, the order every output is sorted in.
func compareUUID(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) }
