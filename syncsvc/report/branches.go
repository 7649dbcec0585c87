package report

import (
	"cmp"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
)

var (
	deliveryOverdue = Label{"overdue", Text{"逾期未送", "overdue"}}
	deliveryPending = Label{"pending", Text{"本月待送", "due this month"}}
)

// branchRecords are the records of the branches, by branch.
type branchRecords struct {
	memberships map[uuid.UUID][]branch.Membership
	posts       map[uuid.UUID][]branch.Post
	meetings    map[uuid.UUID][]branch.Meeting
	// current maps each cadre to whether a membership covers On.
	current map[uuid.UUID]bool
}

// branches reports on the branches that cover a community in scope (or
// have a current member living in one) and exist on On: their members and
// secretary, branch.CheckCommittee's findings (elections due among them),
// the meetings branch.MeetingsDue finds missed last month, the 送学上门 visits
// not made for last month's and this month's meetings, and the Party
// members in scope on the roll with no current membership.
func (b *builder) branches() ([]*Table, error) {
	ix, err := b.c.BranchIndex(b.on, b.cadres)
	if err != nil {
		return nil, err
	}
	bs, rec := ix.of(b.in), ix.rec
	s := b.s.Branch
	last, this := branch.MonthOf(b.on).Add(-1), branch.MonthOf(b.on)

	overview := &Table{Key: "branches", Name: Text{"党支部：概况", "Branches"}, Columns: []Column{
		{"branch", "党支部", "branch", 30},
		{"kind", "类型", "kind", 14},
		{"communities", "社区", "communities", 20},
		{"members", "党员", "members", 8},
		{"full_members", "正式党员", "full members", 10},
		{"secretary", "书记", "secretary", 10},
		{"problems", "班子问题", "committee problems", 10},
		{"notices", "班子提示", "committee notices", 10},
		{"meetings_missed", "上月缺开会议", "meetings missed last month", 14},
		{"study_outstanding", "送学上门待办", "study at home outstanding", 14},
	}}
	findings := &Table{Key: "committees", Name: Text{"党支部：班子与换届", "Committees and elections"}, Columns: []Column{
		{"branch", "党支部", "branch", 30},
		{"severity", "性质", "severity", 8},
		{"finding", "问题", "finding", 20},
		{"holder", "人员", "holder", 10},
		{"role", "职务", "post", 10},
		{"due", "日期", "date", 12},
		{"text", "说明", "explanation", 50},
	}}
	missed := &Table{Key: "meetings_missed", Name: Text{"党支部：上月缺开会议", "Meetings missed last month"}, Columns: []Column{
		{"branch", "党支部", "branch", 30},
		{"meeting", "会议", "meeting", 16},
		{"period_from", "周期起", "period from", 10},
		{"period_to", "周期止", "period to", 10},
	}}
	study := &Table{Key: "study_at_home", Name: Text{"党支部：送学上门待办", "Study at home outstanding"}, Columns: []Column{
		{"state", "状态", "state", 10},
		{"branch", "党支部", "branch", 30},
		{"community", "社区", "community", 14},
		{"name", "姓名", "name", 10},
		{"meeting", "会议", "meeting", 16},
		{"meeting_on", "会议日期", "meeting day", 12},
		{"due_by", "应于", "due by", 12},
	}}

	var shown []branch.Branch
	for _, br := range bs {
		if !br.ExistsOn(b.on) {
			continue
		}
		members := branch.MembersDuringFunc(rec.memberships[br.ID], cadre.Through(b.on, b.on), b.cadres)
		if b.in == nil || b.coversAny(br.Communities) || slices.ContainsFunc(members, func(c cadre.Cadre) bool { return b.covers(c.Community) }) {
			shown = append(shown, br)
		}
	}
	slices.SortFunc(shown, func(x, y branch.Branch) int {
		return cmp.Or(b.compareNames(x.Name, y.Name), cmp.Compare(x.ID.String(), y.ID.String()))
	})
	var problems, elections, missedCount, outstanding int
	for _, br := range shown {
		members := branch.MembersDuringFunc(rec.memberships[br.ID], cadre.Through(b.on, b.on), b.cadres)
		full := 0
		for _, c := range members {
			if c.Party == cadre.PartyFull && c.OnRoll(b.on) {
				full++
			}
		}
		secretary := ""
		for _, p := range rec.posts[br.ID] {
			if p.Role == branch.RoleSecretary && p.Current(b.on) {
				secretary = b.cadreName(p.CadreID)
			}
		}
		var nProblems, nNotices int
		for _, f := range branch.CheckCommittee(br, members, rec.posts[br.ID], b.on, s.Committee) {
			if f.Severity == branch.SeverityProblem {
				nProblems++
			} else {
				nNotices++
			}
			if f.Code == branch.FindingTermExpired || f.Code == branch.FindingElectionDue {
				elections++
			}
			findings.add(br.Name, labelOf(f.Severity, branch.Severity.Label), labelOf(f.Code, branch.FindingCode.Label),
				b.cadreName(f.CadreID), labelOf(f.Role, branch.Role.Label), f.Due, Text(f.Text))
		}
		problems += nProblems

		nMissed := 0
		lastMembers := branch.MembersDuringFunc(rec.memberships[br.ID], last.Span(), b.cadres)
		lastStatus := branch.MeetingsDue(br, lastMembers, rec.meetings[br.ID], last, s.Meetings)
		for _, st := range lastStatus {
			if st.State == branch.MeetingMissed {
				nMissed++
				missed.add(br.Name, labelOf(st.Kind, branch.MeetingKind.Label), st.From.String(), st.To.String())
			}
		}
		missedCount += nMissed

		thisMembers := branch.MembersDuringFunc(rec.memberships[br.ID], this.Span(), b.cadres)
		held := map[uuid.UUID]branch.Meeting{}
		for _, m := range rec.meetings[br.ID] {
			held[m.ID] = m
		}
		nStudy := 0
		for _, st := range slices.Concat(lastStatus, branch.MeetingsDue(br, thisMembers, rec.meetings[br.ID], this, s.Meetings)) {
			for _, d := range st.Deliveries {
				if d.State != branch.NotDelivered {
					continue
				}
				nStudy++
				state := deliveryPending
				if d.DueBy.Before(b.on) {
					state = deliveryOverdue
				}
				c, _ := b.cadres(d.CadreID)
				study.add(state, br.Name, b.community(c.Community), b.cadreName(d.CadreID), labelOf(st.Kind, branch.MeetingKind.Label),
					held[d.MeetingID].On, d.DueBy)
			}
		}
		outstanding += nStudy

		overview.add(br.Name, labelOf(br.Kind, branch.Kind.Label), b.communityNames(br.Communities, br.Units), int64(len(members)), int64(full),
			secretary, int64(nProblems), int64(nNotices), int64(nMissed), int64(nStudy))
	}
	overview.Summary = tf("党支部 %d 个", "%d branches", len(shown))
	findings.Summary = tf("班子问题 %d 项，其中需换届 %d 个支部", "%d committee problems; %d branches due for election", problems, elections)
	missed.Summary = tf("%s 应开未开 %d 次", "%[2]d meetings missed in %[1]s", last, missedCount)
	study.Summary = tf("送学上门未完成 %d 人次", "%d home study visits outstanding", outstanding)

	uncovered := &Table{Key: "without_branch", Name: Text{"党支部：未编入支部的党员", "Members without a branch"}, Columns: []Column{
		{"community", "社区", "community", 14},
		{"name", "姓名", "name", 10},
		{"party", "党员", "party", 12},
		{"party_joined_on", "入党时间", "joined", 12},
	}}
	members, covered := 0, 0
	for _, c := range b.scoped {
		if !c.Party.IsMember() || !c.OnRoll(b.on) {
			continue
		}
		members++
		if rec.current[c.ID] {
			covered++
			continue
		}
		uncovered.add(b.community(c.Community), c.Name, labelOf(c.Party, cadre.Party.Label), c.PartyJoinedOn)
	}
	uncovered.Summary = tf("在册党员 %d 名，已编入党支部 %d 名，未编入 %d 名", "%d Party members on the roll, %d in a branch, %d without one",
		members, covered, members-covered)
	return []*Table{overview, uncovered, findings, missed, study}, nil
}

// communityNames names what a branch covers: its communities, or the
// original units of a unit branch.
func (b *builder) communityNames(codes, units []string) Text {
	names := slices.Clone(units)
	for _, c := range codes {
		names = append(names, b.name(c))
	}
	return Text{Zh: strings.Join(names, "、"), En: strings.Join(names, ", ")}
}
