package desk

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/settings"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// MemberRef is a cadre a branch view refers to: a member, a post holder,
// someone at a meeting.
type MemberRef struct {
	// ID is the cadre's id; uuid.Nil when the view refers to no one.
	ID uuid.UUID
	// Name is the cadre's name; "" when the cadre is not held here.
	Name string
	// Held is whether this replica holds the cadre (another office may
	// hold a member of a joint branch).
	Held bool
}

// BranchView is a branch with the names of the communities it covers.
type BranchView struct {
	// Branch is the branch as stored.
	Branch branch.Branch
	// CommunityNames are the names of Branch.Communities, in the same
	// order; a community not registered here is shown by its code.
	CommunityNames []string
}

// BranchSummary is one branch of ListBranches.
type BranchSummary struct {
	BranchView
	// Members counts the branch's members on the date who are held here.
	Members int
	// Secretary is the secretary on the date; ID is uuid.Nil when the
	// branch has none recorded.
	Secretary MemberRef
}

// ListBranchesInput says on which date to count.
type ListBranchesInput struct {
	// On is the date members and secretaries are counted on.
	On cadre.Date
}

// CommitteeRoles are the posts of a branch committee in the order a
// committee is listed.
func CommitteeRoles() []branch.Role {
	return []branch.Role{branch.RoleSecretary, branch.RoleDeputy, branch.RoleOrganisation, branch.RolePublicity, branch.RoleDiscipline}
}

// roleOrder is a post's place in CommitteeRoles.
func roleOrder(r branch.Role) int { return slices.Index(CommitteeRoles(), r) }

// ListBranches lists the branches held here with their members held here
// and their secretary on in.On.
func ListBranches(ctx context.Context, r *store.Replica, in ListBranchesInput) ([]BranchSummary, error) {
	bs, err := r.Branches(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("list branches: %w", err)
	}
	ppl, err := peopleHeld(ctx, r)
	if err != nil {
		return nil, fmt.Errorf("list branches: %w", err)
	}
	names, err := CommunityNames(ctx, r)
	if err != nil {
		return nil, fmt.Errorf("list branches: %w", err)
	}
	out := make([]BranchSummary, 0, len(bs))
	for _, b := range bs {
		s := BranchSummary{BranchView: viewOfBranch(b, names)}
		ms, err := r.Memberships(ctx, store.MembershipFilter{BranchID: b.ID})
		if err != nil {
			return nil, fmt.Errorf("list branches: members of %s: %w", b.ID, err)
		}
		for _, m := range ms {
			if _, known := ppl[m.CadreID]; known && m.Covers(in.On) {
				s.Members++
			}
		}
		posts, err := r.Posts(ctx, b.ID)
		if err != nil {
			return nil, fmt.Errorf("list branches: posts of %s: %w", b.ID, err)
		}
		for _, p := range posts {
			if p.Role == branch.RoleSecretary && p.Current(in.On) {
				s.Secretary = ppl.ref(p.CadreID)
			}
		}
		out = append(out, s)
	}
	return out, nil
}

// ShowBranchInput names the branch shown and the date.
type ShowBranchInput struct {
	// BranchID is the branch.
	BranchID uuid.UUID
	// On is the date the branch is shown as on; its month's meetings are
	// shown.
	On cadre.Date
}

// BranchMember is a member of a branch on a date.
type BranchMember struct {
	// Cadre is the member.
	Cadre cadre.Cadre
	// Since is the first day of the membership.
	Since cadre.Date
}

// PostView is a committee post with its holder.
type PostView struct {
	// Post is the post as stored.
	Post branch.Post
	// Holder is the cadre who holds it.
	Holder MemberRef
}

// FindingView is one thing the committee check found.
type FindingView struct {
	// Finding is what branch.CheckCommittee found.
	Finding branch.Finding
	// Cadre is the post holder concerned; ID is uuid.Nil for none.
	Cadre MemberRef
}

// DeliveryDue is a 送学上门 visit owed for a meeting of the month.
type DeliveryDue struct {
	// Item is the visit as branch.MeetingsDue reports it.
	Item branch.DeliveryItem
	// Kind is the kind of meeting missed.
	Kind branch.MeetingKind
	// MeetingOn is the day of the meeting missed.
	MeetingOn cadre.Date
	// Cadre is the member owed the visit.
	Cadre MemberRef
}

// TrainingView is whether a post holder was trained in the period.
type TrainingView struct {
	// Status is what branch.TrainingDue reports.
	Status branch.TrainingStatus
	// Holder is the post holder.
	Holder MemberRef
}

// BranchReport is everything ShowBranch reports about a branch.
type BranchReport struct {
	BranchView
	// On is the date shown.
	On cadre.Date
	// Month is On's month, whose meetings are shown.
	Month branch.Month
	// Members are the members on On held here, by name in pinyin order.
	Members []BranchMember
	// Posts are the posts held on On, in committee order.
	Posts []PostView
	// Findings are what the committee check found on On.
	Findings []FindingView
	// Meetings are the state of each kind of meeting due in Month.
	Meetings []branch.MeetingStatus
	// Deliveries are the 送学上门 visits owed for meetings of Month.
	Deliveries []DeliveryDue
	// Training is whether each post holder who must be trained was.
	Training []TrainingView
}

// ShowBranch reports a branch on a date: its members and committee, the
// committee check, the month's meetings and 送学上门, and the training of
// its post holders, with the district's settings applied.
func ShowBranch(ctx context.Context, r *store.Replica, in ShowBranchInput) (BranchReport, error) {
	out, err := showBranch(ctx, r, in)
	if err != nil {
		return BranchReport{}, fmt.Errorf("show branch %s on %s: %w", in.BranchID, in.On, err)
	}
	return out, nil
}

func showBranch(ctx context.Context, r *store.Replica, in ShowBranchInput) (BranchReport, error) {
	b, err := r.Branch(ctx, in.BranchID)
	if err != nil {
		return BranchReport{}, err
	}
	names, err := CommunityNames(ctx, r)
	if err != nil {
		return BranchReport{}, err
	}
	rec, err := readBranchRecords(ctx, r, b.ID)
	if err != nil {
		return BranchReport{}, err
	}
	var holders []uuid.UUID
	for _, p := range rec.posts {
		holders = append(holders, p.CadreID)
	}
	ppl, err := peopleHeld(ctx, r, holders...)
	if err != nil {
		return BranchReport{}, err
	}
	trainings, err := r.Trainings(ctx, uuid.Nil)
	if err != nil {
		return BranchReport{}, err
	}
	rules, err := settings.Load(ctx, r)
	if err != nil {
		return BranchReport{}, err
	}
	on, month := in.On, branch.MonthOf(in.On)
	out := BranchReport{BranchView: viewOfBranch(b, names), On: on, Month: month, Members: []BranchMember{}, Posts: []PostView{},
		Findings: []FindingView{}, Meetings: []branch.MeetingStatus{}, Deliveries: []DeliveryDue{}, Training: []TrainingView{}}

	var current []cadre.Cadre
	for _, m := range rec.memberships {
		c, known := ppl[m.CadreID]
		if !known || !m.Covers(on) {
			continue
		}
		current = append(current, c)
		out.Members = append(out.Members, BranchMember{Cadre: c, Since: m.From})
	}
	sortByPinyin(out.Members, func(m BranchMember) string { return m.Cadre.Name })
	for _, p := range rec.posts {
		if p.Current(on) {
			out.Posts = append(out.Posts, PostView{Post: p, Holder: ppl.ref(p.CadreID)})
		}
	}
	slices.SortStableFunc(out.Posts, func(x, y PostView) int { return cmp.Compare(roleOrder(x.Post.Role), roleOrder(y.Post.Role)) })
	for _, f := range branch.CheckCommittee(b, current, rec.posts, on, rules.Branch.Committee) {
		out.Findings = append(out.Findings, FindingView{Finding: f, Cadre: ppl.ref(f.CadreID)})
	}

	monthMembers := branch.MembersDuring(rec.memberships, month.Span(), ppl)
	held := map[uuid.UUID]branch.Meeting{}
	for _, m := range rec.meetings {
		held[m.ID] = m
	}
	for _, st := range branch.MeetingsDue(b, monthMembers, rec.meetings, month, rules.Branch.Meetings) {
		if st.Meetings == nil {
			st.Meetings = []branch.MeetingSummary{}
		}
		out.Meetings = append(out.Meetings, st)
		for _, d := range st.Deliveries {
			out.Deliveries = append(out.Deliveries, DeliveryDue{Item: d, Kind: st.Kind, MeetingOn: held[d.MeetingID].On, Cadre: ppl.ref(d.CadreID)})
		}
	}
	for _, t := range branch.TrainingDue(b, rec.posts, trainings, on, rules.Branch.Training) {
		out.Training = append(out.Training, TrainingView{Status: t, Holder: ppl.ref(t.CadreID)})
	}
	return out, nil
}

// branchRecords are a branch's records in this replica.
type branchRecords struct {
	memberships []branch.Membership
	posts       []branch.Post
	meetings    []branch.Meeting
}

func readBranchRecords(ctx context.Context, r *store.Replica, id uuid.UUID) (branchRecords, error) {
	var rec branchRecords
	var err error
	if rec.memberships, err = r.Memberships(ctx, store.MembershipFilter{BranchID: id}); err != nil {
		return rec, err
	}
	if rec.posts, err = r.Posts(ctx, id); err != nil {
		return rec, err
	}
	rec.meetings, err = r.Meetings(ctx, store.MeetingFilter{BranchID: id})
	return rec, err
}

// heldPeople are the cadres of a replica by id.
type heldPeople map[uuid.UUID]cadre.Cadre

// CadresByID reads every live cadre the replica holds, by id: what a view
// needs to name the people it refers to.
func CadresByID(ctx context.Context, r *store.Replica) (map[uuid.UUID]cadre.Cadre, error) {
	cs, err := r.Cadres(ctx, store.CadreFilter{})
	if err != nil {
		return nil, err
	}
	p := make(map[uuid.UUID]cadre.Cadre, len(cs))
	for _, c := range cs {
		p[c.ID] = c
	}
	return p, nil
}

// peopleHeld reads the cadres a branch's view names, without reading the
// others (an office may hold tens of thousands): every member of a branch
// held here, past or present, and the cadres of extra (post holders,
// people at a meeting) who are not.
func peopleHeld(ctx context.Context, r *store.Replica, extra ...uuid.UUID) (heldPeople, error) {
	members, err := r.Members(ctx)
	if err != nil {
		return nil, err
	}
	p := make(heldPeople, len(members))
	for _, c := range members {
		p[c.ID] = c
	}
	var missing []uuid.UUID
	for _, id := range extra {
		if _, ok := p[id]; !ok {
			missing = append(missing, id)
		}
	}
	others, err := CadresOf(ctx, r, missing)
	for id, c := range others {
		p[id] = c
	}
	return p, err
}

// ref refers to the cadre id: by name when held here.
func (p heldPeople) ref(id uuid.UUID) MemberRef {
	if id == uuid.Nil {
		return MemberRef{}
	}
	c, ok := p[id]
	return MemberRef{ID: id, Name: c.Name, Held: ok}
}

func viewOfBranch(b branch.Branch, names map[string]string) BranchView {
	v := BranchView{Branch: b, CommunityNames: make([]string, 0, len(b.Communities))}
	for _, code := range b.Communities {
		v.CommunityNames = append(v.CommunityNames, cmp.Or(names[code], code))
	}
	return v
}

// sortByPinyin sorts s stably in the order of names in Chinese (pinyin).
// A collator is not safe for concurrent use, so each sort takes its own.
func sortByPinyin[T any](s []T, name func(T) string) {
	c := collate.New(language.Chinese)
	slices.SortStableFunc(s, func(x, y T) int { return c.CompareString(name(x), name(y)) })
}
