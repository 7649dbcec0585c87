package syncsvc_test

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

func month(t *testing.T, s string) branch.Month {
	t.Helper()
	m, err := branch.ParseMonth(s)
	require.NoError(t, err)
	return m
}

func TestBranchRecordsRoundTrip(t *testing.T) {
	t.Parallel()
	r := openReplica(t, syncsvc.RoleOffice, testkit.NewClock(testkit.At("2026-11-28 09:00")).Now)
	a, b := testkit.Cadre(1, "sy"), testkit.Cadre(2, "sy")
	a.PensionFen = 612_300
	for _, c := range []*cadre.Cadre{&a, &b} {
		_, err := r.PutCadre(ctx, c)
		require.NoError(t, err)
	}
	br := branch.Branch{Name: "舜园社区离退休干部党支部", Kind: branch.KindCommunity, Communities: []string{"sy"}, FoundedOn: cadre.NewDate(2019, 7, 1)}
	_, err := r.PutBranch(ctx, &br)
	require.NoError(t, err)
	require.NotEqual(t, uuid.Nil, br.ID, "a new branch gets an id")
	got, err := r.Branch(ctx, br.ID)
	require.NoError(t, err)
	assert.Equal(t, br, got)

	ms := []branch.Membership{
		{CadreID: a.ID, BranchID: br.ID, From: cadre.NewDate(2019, 7, 1)},
		{CadreID: b.ID, BranchID: br.ID, From: cadre.NewDate(2020, 3, 1), To: cadre.NewDate(2026, 1, 1)},
	}
	for i := range ms {
		_, err := r.PutMembership(ctx, &ms[i])
		require.NoError(t, err)
	}
	list, err := r.Memberships(ctx, store.MembershipFilter{BranchID: br.ID})
	require.NoError(t, err)
	assert.ElementsMatch(t, ms, list)
	list, err = r.Memberships(ctx, store.MembershipFilter{CadreID: b.ID})
	require.NoError(t, err)
	assert.Equal(t, []branch.Membership{ms[1]}, list)

	post := branch.Post{BranchID: br.ID, CadreID: a.ID, Role: branch.RoleSecretary, TermStart: cadre.NewDate(2024, 6, 1)}
	_, err = r.PutPost(ctx, &post)
	require.NoError(t, err)
	posts, err := r.Posts(ctx, br.ID)
	require.NoError(t, err)
	assert.Equal(t, []branch.Post{post}, posts)

	mt := branch.Meeting{BranchID: br.ID, Kind: branch.MeetingThemeDay, On: cadre.NewDate(2026, 11, 5), Topic: "学习二十届四中全会精神",
		Attendance: []branch.Attendance{{CadreID: a.ID, Present: true}, {CadreID: b.ID, Absence: branch.AbsenceHealth, Note: "住院"}},
		Deliveries: []branch.Delivery{{CadreID: b.ID, On: cadre.NewDate(2026, 11, 8), Note: "书记上门"}}}
	require.True(t, mt.Kind.Valid())
	_, err = r.PutMeeting(ctx, &mt)
	require.NoError(t, err)
	gotM, err := r.Meeting(ctx, mt.ID)
	require.NoError(t, err)
	assert.Equal(t, mt.Topic, gotM.Topic)
	assert.ElementsMatch(t, mt.Attendance, gotM.Attendance)
	assert.Equal(t, mt.Deliveries, gotM.Deliveries)
	ms2, err := r.Meetings(ctx, store.MeetingFilter{BranchID: br.ID, From: cadre.NewDate(2026, 11, 1), To: cadre.NewDate(2026, 11, 30)})
	require.NoError(t, err)
	require.Len(t, ms2, 1)
	ms2, err = r.Meetings(ctx, store.MeetingFilter{From: cadre.NewDate(2026, 12, 1)})
	require.NoError(t, err)
	assert.Empty(t, ms2)
	assert.NotNil(t, ms2, "an empty list is [], not null")

	// Recording the meeting again with one member's attendance corrected
	// changes that member's entry only.
	again := mt
	again.Attendance = []branch.Attendance{{CadreID: b.ID, Absence: branch.AbsenceAway, Note: "外出"}}
	again.Deliveries = nil
	_, err = r.PutMeeting(ctx, &again)
	require.NoError(t, err)
	gotM, err = r.Meeting(ctx, mt.ID)
	require.NoError(t, err)
	assert.ElementsMatch(t, []branch.Attendance{{CadreID: a.ID, Present: true}, {CadreID: b.ID, Absence: branch.AbsenceAway, Note: "外出"}}, gotM.Attendance)

	pay := branch.DuesPayment{CadreID: a.ID, Months: []branch.Month{month(t, "2026-10"), month(t, "2026-09")}, AmountFen: 2 * branch.RetiredMonthlyDues(a.PensionFen), PaidOn: cadre.NewDate(2026, 10, 20)}
	_, err = r.PutDuesPayment(ctx, &pay)
	require.NoError(t, err)
	pays, err := r.DuesPayments(ctx, a.ID)
	require.NoError(t, err)
	require.Len(t, pays, 1)
	assert.Equal(t, []branch.Month{month(t, "2026-09"), month(t, "2026-10")}, pays[0].Months, "months are kept in order")
	assert.Equal(t, pay.AmountFen, pays[0].AmountFen)

	rel := branch.DuesRelief{CadreID: b.ID, From: month(t, "2026-01"), Exempt: true, ApprovedBy: "支部委员会 王书记", ApprovedOn: cadre.NewDate(2025, 12, 20), Reason: "重病"}
	_, err = r.PutDuesRelief(ctx, &rel)
	require.NoError(t, err)
	rels, err := r.DuesReliefs(ctx, uuid.Nil)
	require.NoError(t, err)
	assert.Equal(t, []branch.DuesRelief{rel}, rels)

	tr := branch.TrainingAttendance{CadreID: a.ID, Course: "支部书记培训班", On: cadre.NewDate(2026, 5, 12)}
	_, err = r.PutTraining(ctx, &tr)
	require.NoError(t, err)
	trs, err := r.Trainings(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, []branch.TrainingAttendance{tr}, trs)

	fb := branch.Feedback{BranchID: br.ID, On: cadre.NewDate(2026, 6, 1), Good: true, Source: "居民座谈会", Note: "送学上门很及时"}
	_, err = r.PutFeedback(ctx, &fb)
	require.NoError(t, err)
	fbs, err := r.Feedback(ctx, br.ID)
	require.NoError(t, err)
	assert.Equal(t, []branch.Feedback{fb}, fbs)

	// The records feed the rules: a's dues are paid through October.
	st := branch.Arrears(a, list2(t, r, a.ID), pays, nil, cadre.NewDate(2026, 11, 28), branch.DefaultDuesSettings())
	assert.NotContains(t, st.Unpaid, month(t, "2026-10"))
}

func list2(t *testing.T, r *store.Replica, cadreID uuid.UUID) []branch.Membership {
	t.Helper()
	ms, err := r.Memberships(ctx, store.MembershipFilter{CadreID: cadreID})
	require.NoError(t, err)
	return ms
}

func TestBranchRecordsRefused(t *testing.T) {
	t.Parallel()
	r := openReplica(t, syncsvc.RoleOffice, testkit.NewClock(testkit.At("2026-11-28 09:00")).Now)
	c := testkit.Cadre(1, "sy")
	_, err := r.PutCadre(ctx, &c)
	require.NoError(t, err)
	one := branch.Branch{Name: "一支部", Kind: branch.KindCommunity, Communities: []string{"sy"}}
	two := branch.Branch{Name: "二支部", Kind: branch.KindCommunity, Communities: []string{"sy"}}
	for _, b := range []*branch.Branch{&one, &two} {
		_, err := r.PutBranch(ctx, b)
		require.NoError(t, err)
	}

	var verr *cadre.ValidationError
	_, err = r.PutBranch(ctx, &branch.Branch{Name: "无社区", Kind: branch.KindJoint})
	require.ErrorAs(t, err, &verr, "a joint branch without communities is refused")

	_, err = r.PutMembership(ctx, &branch.Membership{CadreID: c.ID, BranchID: uuid.Must(uuid.NewV7()), From: cadre.NewDate(2020, 1, 1)})
	require.ErrorIs(t, err, store.ErrParentMissing)

	m1 := branch.Membership{CadreID: c.ID, BranchID: one.ID, From: cadre.NewDate(2020, 1, 1), To: cadre.NewDate(2025, 1, 1)}
	_, err = r.PutMembership(ctx, &m1)
	require.NoError(t, err)
	_, err = r.PutMembership(ctx, &branch.Membership{CadreID: c.ID, BranchID: two.ID, From: cadre.NewDate(2024, 12, 31)})
	require.ErrorIs(t, err, store.ErrMembershipOverlap, "one day of overlap is refused")
	m2 := branch.Membership{CadreID: c.ID, BranchID: two.ID, From: cadre.NewDate(2025, 1, 1)}
	_, err = r.PutMembership(ctx, &m2)
	require.NoError(t, err, "a move ends one membership on the day the next begins")

	_, err = r.PutDuesPayment(ctx, &branch.DuesPayment{CadreID: c.ID, AmountFen: 100, PaidOn: cadre.NewDate(2026, 1, 1)})
	require.ErrorAs(t, err, &verr, "a payment names its months")
	_, err = r.PutMeeting(ctx, &branch.Meeting{BranchID: one.ID, Kind: branch.MeetingThemeDay, On: cadre.NewDate(2026, 1, 1),
		Attendance: []branch.Attendance{{CadreID: c.ID}}})
	require.ErrorAs(t, err, &verr, "an absence needs its reason")
	ms, err := r.Meetings(ctx, store.MeetingFilter{})
	require.NoError(t, err)
	assert.Empty(t, ms, "nothing half-written")
}

func TestDeathEndsMemberships(t *testing.T) {
	t.Parallel()
	r := openReplica(t, syncsvc.RoleOffice, testkit.NewClock(testkit.At("2026-11-28 09:00")).Now)
	c := testkit.Cadre(1, "sy")
	_, err := r.PutCadre(ctx, &c)
	require.NoError(t, err)
	b := branch.Branch{Name: "一支部", Kind: branch.KindCommunity, Communities: []string{"sy"}}
	_, err = r.PutBranch(ctx, &b)
	require.NoError(t, err)
	m := branch.Membership{CadreID: c.ID, BranchID: b.ID, From: cadre.NewDate(2020, 1, 1)}
	_, err = r.PutMembership(ctx, &m)
	require.NoError(t, err)
	before, err := r.OutboxLen(ctx)
	require.NoError(t, err)

	c.Status, c.StatusOn = cadre.StatusDeceased, cadre.NewDate(2026, 11, 2)
	_, err = r.PutCadre(ctx, &c)
	require.NoError(t, err)
	ms, err := r.Memberships(ctx, store.MembershipFilter{CadreID: c.ID})
	require.NoError(t, err)
	require.Len(t, ms, 1)
	assert.Equal(t, cadre.NewDate(2026, 11, 2), ms[0].To, "the membership ends on the date of death")
	after, err := r.OutboxLen(ctx)
	require.NoError(t, err)
	assert.Equal(t, before+2, after, "the status and the membership's end are both logged")
}

// TestJointBranchScope: a joint branch's scope is the set of communities
// it covers; every office holding one of them reads and writes it and its
// meetings, others neither; a change of its communities moves it.
func TestJointBranchScope(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, p []connect.ClientOption) {
		h := startHub(t, p, syncsvc.HubOptions{})
		sy, agentSY := h.office(t, "sy", "sy")
		gsq, agentGSQ := h.office(t, "gsq", "gsq")
		hx, agentHX := h.office(t, "hx", "hx")

		joint := branch.Branch{Name: "舜园、甸柳联合党支部", Kind: branch.KindJoint, Communities: []string{"sy", "gsq"}}
		_, err := h.r.PutBranch(ctx, &joint)
		require.NoError(t, err)
		rec, err := h.r.Get(ctx, store.BranchesTable, joint.ID)
		require.NoError(t, err)
		assert.Equal(t, "gsq+sy", rec.Scope)
		for _, a := range []*syncsvc.Agent{agentSY, agentGSQ, agentHX} {
			syncOK(t, a)
		}
		for _, o := range []*store.Replica{sy, gsq} {
			got, err := o.Branch(ctx, joint.ID)
			require.NoError(t, err)
			assert.Equal(t, []string{"gsq", "sy"}, got.Communities)
		}
		_, err = hx.Branch(ctx, joint.ID)
		require.ErrorIs(t, err, syncsvc.ErrNotFound, "an office of neither community does not get it")

		// Each office records its own members at one meeting.
		a, b := testkit.Cadre(1, "sy"), testkit.Cadre(2, "gsq")
		_, err = sy.PutCadre(ctx, &a)
		require.NoError(t, err)
		_, err = gsq.PutCadre(ctx, &b)
		require.NoError(t, err)
		mt := branch.Meeting{BranchID: joint.ID, Kind: branch.MeetingLecture, On: cadre.NewDate(2026, 11, 20), Topic: "党课",
			Attendance: []branch.Attendance{{CadreID: a.ID, Present: true}}}
		_, err = sy.PutMeeting(ctx, &mt)
		require.NoError(t, err)
		syncOK(t, agentSY)
		syncOK(t, agentGSQ)
		_, err = gsq.Branch(ctx, joint.ID)
		require.NoError(t, err, "a second sync keeps the joint branch")
		_, err = gsq.Meeting(ctx, mt.ID)
		require.NoError(t, err)
		_, err = gsq.PutMeeting(ctx, &branch.Meeting{ID: mt.ID, BranchID: joint.ID, Kind: mt.Kind, On: mt.On, Topic: mt.Topic,
			Attendance: []branch.Attendance{{CadreID: b.ID, Absence: branch.AbsenceHealth}}})
		require.NoError(t, err)
		rep := syncOK(t, agentGSQ)
		assert.Zero(t, rep.Refused, "an office of one of the communities writes the joint branch's records")
		syncOK(t, agentSY)
		for _, o := range []*store.Replica{h.r, sy, gsq} {
			got, err := o.Meeting(ctx, mt.ID)
			require.NoError(t, err)
			assert.ElementsMatch(t, []branch.Attendance{{CadreID: a.ID, Present: true}, {CadreID: b.ID, Absence: branch.AbsenceHealth}}, got.Attendance)
		}

		// hx writes to a branch outside its communities: refused on its own.
		_, err = hx.PutBranch(ctx, &branch.Branch{ID: joint.ID, Name: "改名", Kind: branch.KindJoint, Communities: []string{"gsq", "sy"}})
		require.NoError(t, err)
		rep = syncOK(t, agentHX)
		assert.Equal(t, 1, rep.Refused)
		got, err := h.r.Branch(ctx, joint.ID)
		require.NoError(t, err)
		assert.Equal(t, joint.Name, got.Name)

		// The hub moves the branch to cover gsq and hx: sy drops it with
		// its meeting, hx receives both.
		joint.Communities = []string{"hx", "gsq"}
		_, err = h.r.PutBranch(ctx, &joint)
		require.NoError(t, err)
		for _, a := range []*syncsvc.Agent{agentSY, agentGSQ, agentHX} {
			syncOK(t, a)
		}
		_, err = sy.Branch(ctx, joint.ID)
		require.ErrorIs(t, err, syncsvc.ErrNotFound)
		_, err = sy.Meeting(ctx, mt.ID)
		require.ErrorIs(t, err, syncsvc.ErrNotFound)
		for _, o := range []*store.Replica{gsq, hx} {
			got, err := o.Meeting(ctx, mt.ID)
			require.NoError(t, err)
			assert.Len(t, got.Attendance, 2)
		}
	})
}

func TestScopeSet(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "gsq+sy", syncsvc.ScopeSet("sy", "gsq", "sy"))
	assert.Equal(t, "sy", syncsvc.ScopeSet("sy"))
	assert.Equal(t, "", syncsvc.ScopeSet())
	assert.Equal(t, []string{"gsq", "sy"}, syncsvc.ScopeCommunities("gsq+sy"))

	// A scope set spelled otherwise is refused, locally and from the wire.
	typ := syncsvc.RecordType{Name: "groups", Fields: []syncsvc.Field{syncsvc.Col("scope_set", syncsvc.Text)}, Scope: syncsvc.ScopeByColumn("scope_set")}
	r := openReplica(t, syncsvc.RoleHub, testkit.NewClock(testkit.At("2026-11-28 09:00")).Now, typ)
	_, err := r.Put(ctx, "groups", newID(), map[string]any{"scope_set": "sy+gsq"})
	require.ErrorIs(t, err, syncsvc.ErrInvalidChange)
	node := uuid.Must(uuid.NewV7())
	res, err := r.Apply(ctx, []syncsvc.Change{{Seq: 1, Table: "groups", ID: newID(), Scope: "sy+gsq", Fields: []syncsvc.FieldChange{
		{Name: "scope_set", Value: "sy+gsq", Stamp: syncsvc.Stamp{HLC: 1 << 40, Node: node}}}}}, syncsvc.ApplyOptions{Source: "t"})
	require.NoError(t, err)
	require.Len(t, res.Refused, 1)
	assert.True(t, errors.Is(res.Refused[0].Err, syncsvc.ErrInvalidChange))
}

func TestApplyBranchPlan(t *testing.T) {
	t.Parallel()
	clk := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	hub := openReplica(t, syncsvc.RoleHub, clk.Now)
	on := cadre.NewDate(2026, 11, 28)
	centres := map[string]cadre.Location{"sy": {Lat: 36.660, Lng: 117.000}, "gsq": {Lat: 36.662, Lng: 117.004}, "hx": {Lat: 36.664, Lng: 117.008}}
	for code, c := range centres {
		require.NoError(t, hub.SetCommunity(ctx, store.Community{Code: code, Name: code + "社区", Centre: &c}))
	}
	var cadres []cadre.Cadre
	n := 0
	for code, k := range map[string]int{"sy": 5, "gsq": 2, "hx": 1} {
		for range k {
			n++
			c := testkit.Cadre(n, code)
			_, err := hub.PutCadre(ctx, &c)
			require.NoError(t, err)
			cadres = append(cadres, c)
		}
	}
	// hx has a branch of its own with its one member: too small.
	hxBranch := branch.Branch{Name: "华信社区党支部", Kind: branch.KindCommunity, Communities: []string{"hx"}, FoundedOn: cadre.NewDate(2018, 1, 1)}
	_, err := hub.PutBranch(ctx, &hxBranch)
	require.NoError(t, err)
	for _, c := range cadres {
		if c.Community == "hx" {
			_, err := hub.PutMembership(ctx, &branch.Membership{CadreID: c.ID, BranchID: hxBranch.ID, From: cadre.NewDate(2018, 1, 1)})
			require.NoError(t, err)
		}
	}

	in, err := hub.PlanInput(ctx, on)
	require.NoError(t, err)
	assert.Len(t, in.Cadres, 8)
	assert.Len(t, in.Communities, 3)
	plan := branch.Plan(in, branch.DefaultPlanSettings())
	require.NotEmpty(t, plan.Moves)
	applied, err := hub.ApplyBranchPlan(ctx, plan)
	require.NoError(t, err)
	assert.Equal(t, len(plan.Moves), applied.MembershipsBegun, "every member moved or placed joins a branch")
	ended := 0
	for _, mv := range plan.Moves {
		if mv.From != uuid.Nil {
			ended++
		}
	}
	assert.Equal(t, ended, applied.MembershipsEnded)
	// hx's branch, too small alone, became the joint branch of hx and its
	// nearest neighbour.
	hxNow, err := hub.Branch(ctx, hxBranch.ID)
	require.NoError(t, err)
	assert.Equal(t, branch.KindJoint, hxNow.Kind)
	assert.Equal(t, []string{"gsq", "hx"}, hxNow.Communities)
	rec, err := hub.Get(ctx, store.BranchesTable, hxBranch.ID)
	require.NoError(t, err)
	assert.Equal(t, "gsq+hx", rec.Scope)

	// Every Party member is in exactly one existing branch on the day.
	branches, err := hub.Branches(ctx, "")
	require.NoError(t, err)
	exists := map[uuid.UUID]bool{}
	for _, b := range branches {
		exists[b.ID] = b.ExistsOn(on)
	}
	for _, c := range cadres {
		current := 0
		for _, m := range list2(t, hub, c.ID) {
			if m.Covers(on) {
				current++
				assert.True(t, exists[m.BranchID], "%s is in a branch that exists", c.Name)
			}
		}
		assert.Equal(t, 1, current, "%s has one current membership", c.Name)
	}
	for _, d := range plan.Dissolved {
		b, err := hub.Branch(ctx, d.BranchID)
		require.NoError(t, err)
		assert.Equal(t, on, b.DissolvedOn)
	}

	// Planning again proposes nothing more; applying it writes nothing.
	in, err = hub.PlanInput(ctx, on)
	require.NoError(t, err)
	again := branch.Plan(in, branch.DefaultPlanSettings())
	assert.Empty(t, again.Moves)
	applied, err = hub.ApplyBranchPlan(ctx, again)
	require.NoError(t, err)
	assert.Equal(t, store.PlanApplied{}, applied)

	// A plan that cannot be applied whole writes nothing.
	before := dump(t, hub, "sy", "gsq", "hx", "district")
	bad := plan
	bad.Moves = append([]branch.Move{{CadreID: cadres[0].ID, To: uuid.Must(uuid.NewV7())}}, plan.Moves...)
	_, err = hub.ApplyBranchPlan(ctx, bad)
	require.ErrorIs(t, err, store.ErrParentMissing)
	assert.Equal(t, before, dump(t, hub, "sy", "gsq", "hx", "district"))
}

// TestLeaveAndReturnInOnePull: a record that leaves an office's scope and
// comes back between two of its pulls arrives as a departure followed by
// the record; the office drops it and stores it again, in one transaction.
func TestLeaveAndReturnInOnePull(t *testing.T) {
	t.Parallel()
	clk := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	hubR := openReplica(t, syncsvc.RoleHub, clk.Now)
	hub, err := syncsvc.NewHub(hubR.Replica, syncsvc.HubOptions{})
	require.NoError(t, err)
	both, _, err := hubR.AddOffice(ctx, "both", "两社区", []string{"gsq", "sy"})
	require.NoError(t, err)
	syOnly, _, err := hubR.AddOffice(ctx, "sy", "舜园", []string{"sy"})
	require.NoError(t, err)
	a := openReplica(t, syncsvc.RoleOffice, clk.Now)
	b := openReplica(t, syncsvc.RoleOffice, clk.Now)

	c := testkit.Cadre(1, "sy")
	for _, community := range []string{"sy", "gsq", "sy"} {
		c.Community = community
		_, err := a.PutCadre(ctx, &c)
		require.NoError(t, err)
		clk.Advance(time.Millisecond)
	}
	out, err := a.Outbox(ctx, 100)
	require.NoError(t, err)
	_, err = hub.Push(ctx, both, a.Node(), out)
	require.NoError(t, err)

	page, err := hub.Pull(ctx, syOnly, b.Node(), 0, 100)
	require.NoError(t, err)
	var departed bool
	for _, ch := range page.Changes {
		departed = departed || ch.MovedTo == "gsq"
	}
	require.True(t, departed, "the page holds the departure to gsq")
	_, err = b.Apply(ctx, page.Changes, syncsvc.ApplyOptions{Source: "pull", Through: page.Next, Scopes: syOnly.Scopes()})
	require.NoError(t, err)
	got, err := b.Cadre(ctx, c.ID)
	require.NoError(t, err, "the cadre came back to sy and is stored again")
	assert.Equal(t, "sy", got.Community)
}

// TestTwoProcessesOnOneHubFile: a command run on the hub's machine writes
// the file while hub serve has it open; neither may give a sequence number
// or a stamp the other gave.
func TestTwoProcessesOnOneHubFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "hub.db")
	clk := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	serve, err := store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleHub, Now: clk.Now})
	require.NoError(t, err)
	defer serve.Close()
	cli, err := store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleHub, Now: clk.Now})
	require.NoError(t, err)
	defer cli.Close()

	seqs := map[int64]bool{}
	stamps := map[syncsvc.Stamp]bool{}
	for i, r := range []*store.Replica{serve, cli, serve, cli, serve} {
		c := testkit.Cadre(100+i, "sy")
		_, err := r.PutCadre(ctx, &c)
		require.NoError(t, err)
		page, err := serve.ChangesSince(ctx, 0, nil, 1000)
		require.NoError(t, err)
		for _, ch := range page.Changes {
			if ch.ID == c.ID {
				require.False(t, seqs[ch.Seq], "sequence %d given twice", ch.Seq)
				seqs[ch.Seq] = true
				for _, f := range ch.Fields {
					require.False(t, stamps[f.Stamp] && f.Name == "name", "stamp given twice")
					if f.Name == "name" {
						stamps[f.Stamp] = true
					}
				}
			}
		}
	}
	assert.Len(t, seqs, 5, "every write reaches the feed under its own number")
}
