package branch

import (
	"cmp"
	"slices"

	"github.com/google/uuid"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/wanxia/wanxia/cadre"
)

// PlanSettings holds the district's settings for the branch setup.
type PlanSettings struct {
	// MinFullMembers is the number of full members (正式党员) from which a
	// branch may stand on its own; with fewer, members join a joint branch.
	MinFullMembers int
	// MaxMembers is the most members (full and probationary) a branch has.
	MaxMembers int
	// MaxJointCommunities is the most communities one joint branch covers.
	MaxJointCommunities int
}

// DefaultPlanSettings returns the settings of the domain notes: a branch
// from 3 full members, at most 50 members, a joint branch of at most 5
// communities.
func DefaultPlanSettings() PlanSettings {
	return PlanSettings{MinFullMembers: 3, MaxMembers: 50, MaxJointCommunities: 5}
}

// Validate reports settings under which no setup can exist: fewer than one
// full member per branch, branches smaller than their full members, or
// joint branches of no community. Plan raises such values to their least
// workable ones rather than fail, so Validate is for whoever edits settings.
func (s PlanSettings) Validate() error {
	var ps cadre.Problems
	if s.MinFullMembers < 1 {
		ps.Addf("min_full_members", cadre.ErrInvalid, "at least 1")
	}
	if s.MaxMembers < max(s.MinFullMembers, 1) {
		ps.Addf("max_members", cadre.ErrInvalid, "at least min_full_members")
	}
	if s.MaxJointCommunities < 1 {
		ps.Addf("max_joint_communities", cadre.ErrInvalid, "at least 1")
	}
	return ps.Err()
}

func (s PlanSettings) workable() PlanSettings {
	s.MinFullMembers = max(s.MinFullMembers, 1)
	s.MaxMembers = max(s.MaxMembers, s.MinFullMembers)
	s.MaxJointCommunities = max(s.MaxJointCommunities, 1)
	return s
}

// PlanInput is what Plan plans from.
type PlanInput struct {
	// On is the date the plan is made for: it decides who is on the roll,
	// which memberships are current, members' ages, and the founding date
	// proposed for new branches.
	On cadre.Date
	// Cadres are the district's cadres. Party members (full or
	// probationary) on the roll are planned; for the others, any open
	// membership is proposed to end.
	Cadres []cadre.Cadre
	// Communities are the district's communities, with centres where known.
	Communities []Community
	// Branches are the existing branches; those dissolved on or before On
	// are left out.
	Branches []Branch
	// Memberships are the recorded memberships; those covering On are current.
	// Memberships of cadres not in Cadres are left alone.
	Memberships []Membership
}

// BranchChange says what a plan does to a branch.
type BranchChange string

// Branch changes.
const (
	BranchUnchanged BranchChange = "unchanged"
	BranchChanged   BranchChange = "changed"
	BranchNew       BranchChange = "new"
)

var branchChanges = cadre.NewEnum[BranchChange]("branch change",
	cadre.L("unchanged", "不变", "unchanged"),
	cadre.L("changed", "调整", "changed"),
	cadre.L("new", "新建", "new"),
)

// Label returns c's label in lang.
func (c BranchChange) Label(lang cadre.Lang) string { return branchChanges.Label(c, lang) }

// PlannedBranch is one branch of a plan.
type PlannedBranch struct {
	// Branch is the proposed record: an existing branch keeps its ID, name
	// and founding date, with kind and communities as the plan has them; a
	// new one has an ID derived from what defines it, so that planning again
	// proposes the same ID.
	Branch Branch `json:"branch"`
	// Change says whether the branch is new, changed or unchanged.
	Change BranchChange `json:"change"`
	// Members are the members' cadre IDs, sorted.
	Members []uuid.UUID `json:"members"`
	// FullMembers counts the full members among them.
	FullMembers int `json:"full_members"`
	// Notes explain how the branch was formed.
	Notes []Text `json:"notes"`
}

// MoveReason is why a plan moves a member.
type MoveReason string

// Reasons for a move.
const (
	ReasonNewMember        MoveReason = "new_member"
	ReasonBranchMissing    MoveReason = "branch_missing"
	ReasonNotCovered       MoveReason = "not_covered"
	ReasonBranchTooSmall   MoveReason = "branch_too_small"
	ReasonBranchSplit      MoveReason = "branch_split"
	ReasonJointRegrouped   MoveReason = "joint_regrouped"
	ReasonBranchesMerged   MoveReason = "branches_merged"
	ReasonFullMemberNeeded MoveReason = "full_member_needed"
	ReasonDuplicate        MoveReason = "duplicate_membership"
	ReasonDeceased         MoveReason = "deceased"
	ReasonMovedAway        MoveReason = "moved_away"
	ReasonNotMember        MoveReason = "not_member"
)

var moveReasons = cadre.NewEnum[MoveReason]("move reason",
	cadre.L("new_member", "尚未编入党支部", "not yet in a branch"),
	cadre.L("branch_missing", "所在党支部无记录", "the recorded branch does not exist"),
	cadre.L("not_covered", "居住社区或原单位不在所在党支部范围内", "lives or retired outside the branch's communities or units"),
	cadre.L("branch_too_small", "所在党支部正式党员不足，撤销", "the branch had too few full members and is dissolved"),
	cadre.L("branch_split", "所在党支部人数超过上限，分设", "the branch was over the size limit and is split"),
	cadre.L("joint_regrouped", "联合党支部超过社区数或人数上限，调整", "the joint branch was over its community or size limit and is regrouped"),
	cadre.L("branches_merged", "正式党员不足的党支部与相邻党支部合并", "a branch short of full members merged with a neighbouring one"),
	cadre.L("full_member_needed", "调剂正式党员，使每个党支部有足够的正式党员", "moved so that each branch has enough full members"),
	cadre.L("duplicate_membership", "重复的组织关系", "a second current membership"),
	cadre.L("deceased", "去世，组织关系终止", "died: the membership ends"),
	cadre.L("moved_away", "迁出，组织关系随人转出", "moved away: the membership goes with the member"),
	cadre.L("not_member", "不是党员", "not a Party member"),
)

// Label returns r's label in lang.
func (r MoveReason) Label(lang cadre.Lang) string { return moveReasons.Label(r, lang) }

// Valid reports whether r is a known reason.
func (r MoveReason) Valid() bool { return moveReasons.Valid(r) }

// Move is one change of membership a plan proposes.
type Move struct {
	// CadreID is the member.
	CadreID uuid.UUID `json:"cadre_id"`
	// Name is the member's name, for reading.
	Name string `json:"name"`
	// From is the current branch; uuid.Nil when the member has none.
	From uuid.UUID `json:"from"`
	// To is the proposed branch; uuid.Nil when the membership ends.
	To uuid.UUID `json:"to"`
	// Reason is why.
	Reason MoveReason `json:"reason"`
	// Text explains the move.
	Text Text `json:"text"`
}

// Dissolution is an existing branch a plan leaves without members.
type Dissolution struct {
	// BranchID is the branch.
	BranchID uuid.UUID `json:"branch_id"`
	// Name is its name.
	Name string `json:"name"`
	// Text explains why.
	Text Text `json:"text"`
}

// Proposal is a proposed branch setup, the result of Plan (a function and a
// type cannot share the name). It changes nothing: applying it is a
// person's decision.
type Proposal struct {
	// On is the date the plan was made for.
	On cadre.Date `json:"on"`
	// Branches are the proposed branches, by kind and first community or
	// unit; a community's several branches in the order they are numbered.
	Branches []PlannedBranch `json:"branches"`
	// Moves are the proposed changes of membership, by cadre.
	Moves []Move `json:"moves"`
	// Dissolved are the existing branches left without members, by ID.
	Dissolved []Dissolution `json:"dissolved"`
}

// Plan proposes a branch setup for the date in.On in which every retired
// Party member on the roll is in exactly one branch.
//
// The rules, with s's numbers: a branch has at least s.MinFullMembers full
// members, or else is a joint branch (联合党支部) of at most
// s.MaxJointCommunities neighbouring communities, nearest centres first
// (communities without a centre are joined in code order, and the plan says
// so); no branch has more than s.MaxMembers members, and a branch over it is
// split by residence community, then age and health, so that members who can
// travel meet together and the frail oldest meet near home or get the study
// delivered. Members are organised by residence community, but an original-
// unit or interest-based branch that keeps to the rules is kept.
//
// Existing memberships are kept wherever the rules allow: a member moves
// only when the branch does not cover them (they moved house or it lists
// other units), or a rule forces a change, and then as few members as the
// rule needs. A community that grew to stand on its own stays in its joint
// branch while that branch keeps to the rules (the plan notes it could stand
// alone). Every move is explained.
//
// The same input gives the same plan: everything is sorted, and a new
// branch's ID is derived from what defines it (its community or
// communities), so a plan made twice proposes the same branches.
func Plan(in PlanInput, s PlanSettings) Proposal {
	p := newPlanner(in, s.workable())
	p.keepExisting()
	p.placeLoose()
	p.groupJoint()
	return p.result()
}

// MovesByDestination returns the plan's moves as an office reads them: by
// the branch they go to, in the plan's order, the memberships that only
// end last, and by name in pinyin order within each. Plan sorts them by
// cadre ID, which is stable but reads as no order at all.
func (p Proposal) MovesByDestination() []Move {
	index := map[uuid.UUID]int{uuid.Nil: len(p.Branches)}
	for i, pb := range p.Branches {
		index[pb.Branch.ID] = i
	}
	names := collate.New(language.Chinese)
	moves := slices.Clone(p.Moves)
	slices.SortStableFunc(moves, func(a, b Move) int {
		return cmp.Or(cmp.Compare(index[a.To], index[b.To]), names.CompareString(a.Name, b.Name))
	})
	return moves
}
