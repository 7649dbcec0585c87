package desk_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
)

func TestListBranchesCountsHeldMembersOnTheDate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := openBranchReplica(t, syncsvc.RoleOffice, nil)
	a, b := putBranchCadre(t, r, 1, "王建国", "sy"), putBranchCadre(t, r, 2, "李秀英", "sy")
	late := putBranchCadre(t, r, 3, "张伟", "sy")
	br := putBranch(t, r, a, b)
	m := branch.Membership{CadreID: late.ID, BranchID: br.ID, From: branchToday.AddDays(1)}
	_, err := r.PutMembership(ctx, &m)
	require.NoError(t, err)
	putPost(t, r, branch.Post{BranchID: br.ID, CadreID: a.ID, Role: branch.RoleSecretary, TermStart: cadre.NewDate(2024, 6, 1)})

	list, err := desk.ListBranches(ctx, r, desk.ListBranchesInput{On: branchToday})
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, br.ID, list[0].Branch.ID)
	assert.Equal(t, []string{"sy"}, list[0].CommunityNames, "an unnamed community shows its code")
	assert.Equal(t, 2, list[0].Members, "a membership that begins tomorrow does not count today")
	assert.Equal(t, desk.MemberRef{ID: a.ID, Name: "王建国", Held: true}, list[0].Secretary)

	list, err = desk.ListBranches(ctx, r, desk.ListBranchesInput{On: cadre.NewDate(2024, 5, 31)})
	require.NoError(t, err)
	assert.Equal(t, uuid.Nil, list[0].Secretary.ID, "no secretary before the term")
}

func TestShowBranch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := openBranchReplica(t, syncsvc.RoleOffice, nil)
	a, b := putBranchCadre(t, r, 1, "王建国", "sy"), putBranchCadre(t, r, 2, "安红", "sy")
	br := putBranch(t, r, a, b)
	away := uuid.Must(uuid.NewV7()) // a holder another office holds
	putPost(t, r, branch.Post{BranchID: br.ID, CadreID: away, Role: branch.RoleDeputy, TermStart: cadre.NewDate(2024, 6, 1)})
	putPost(t, r, branch.Post{BranchID: br.ID, CadreID: a.ID, Role: branch.RoleSecretary, TermStart: cadre.NewDate(2024, 6, 1)})
	mt := branch.Meeting{BranchID: br.ID, Kind: branch.MeetingThemeDay, On: cadre.NewDate(2026, 11, 5), Topic: "学习",
		Attendance: []branch.Attendance{{CadreID: a.ID, Present: true}, {CadreID: b.ID, Absence: branch.AbsenceHealth}}}
	_, err := r.PutMeeting(ctx, &mt)
	require.NoError(t, err)

	s, err := desk.ShowBranch(ctx, r, desk.ShowBranchInput{BranchID: br.ID, On: branchToday})
	require.NoError(t, err)
	assert.Equal(t, br.Name, s.Branch.Name)
	assert.Equal(t, branch.NewMonth(2026, time.November), s.Month)
	require.Len(t, s.Members, 2)
	assert.Equal(t, []string{"安红", "王建国"}, []string{s.Members[0].Cadre.Name, s.Members[1].Cadre.Name}, "members in pinyin order")
	assert.Equal(t, cadre.NewDate(2020, 1, 1), s.Members[0].Since)
	require.Len(t, s.Posts, 2)
	assert.Equal(t, branch.RoleSecretary, s.Posts[0].Post.Role, "the secretary is listed first")
	assert.Equal(t, desk.MemberRef{ID: away, Held: false}, s.Posts[1].Holder, "a holder not held here is marked, not named")
	assert.NotEmpty(t, s.Findings, "a deputy who is no member of the branch is a finding")
	var themeDay *branch.MeetingStatus
	for i := range s.Meetings {
		if s.Meetings[i].Kind == branch.MeetingThemeDay {
			themeDay = &s.Meetings[i]
		}
	}
	require.NotNil(t, themeDay)
	assert.Equal(t, branch.MeetingHeld, themeDay.State)
	require.Len(t, s.Deliveries, 1, "the member absent ill is owed 送学上门")
	assert.Equal(t, b.ID, s.Deliveries[0].Cadre.ID)
	assert.Equal(t, mt.On, s.Deliveries[0].MeetingOn)
	assert.Equal(t, branch.NotDelivered, s.Deliveries[0].Item.State)
	require.Len(t, s.Training, 1)
	assert.Equal(t, a.ID, s.Training[0].Holder.ID)
	assert.False(t, s.Training[0].Status.Done)

	_, err = desk.ShowBranch(ctx, r, desk.ShowBranchInput{BranchID: uuid.Must(uuid.NewV7()), On: branchToday})
	assert.ErrorIs(t, err, syncsvc.ErrNotFound)
}

func TestElectEndsThePostsAndIsIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := openBranchReplica(t, syncsvc.RoleOffice, nil)
	a, b, c := putBranchCadre(t, r, 1, "王建国", "sy"), putBranchCadre(t, r, 2, "李秀英", "sy"), putBranchCadre(t, r, 3, "张伟", "sy")
	br := putBranch(t, r, a, b, c)
	old := putPost(t, r, branch.Post{BranchID: br.ID, CadreID: a.ID, Role: branch.RoleSecretary, TermStart: cadre.NewDate(2021, 6, 1)})
	on := cadre.NewDate(2026, 11, 20)
	in := desk.ElectInput{BranchID: br.ID, On: on, Holders: map[branch.Role]uuid.UUID{
		branch.RoleDeputy: c.ID, branch.RoleSecretary: b.ID}}

	e, err := desk.Elect(ctx, r, in)
	require.NoError(t, err)
	assert.True(t, e.Changed)
	require.Len(t, e.Ended, 1)
	assert.Equal(t, old.ID, e.Ended[0].Post.ID)
	assert.Equal(t, on, e.Ended[0].Post.EndedOn)
	require.Len(t, e.Elected, 2)
	assert.Equal(t, branch.RoleSecretary, e.Elected[0].Post.Role, "elected posts in committee order")
	assert.Equal(t, desk.MemberRef{ID: b.ID, Name: "李秀英", Held: true}, e.Elected[0].Holder)

	again, err := desk.Elect(ctx, r, in)
	require.NoError(t, err)
	assert.False(t, again.Changed, "the same election entered again changes nothing")
	posts, err := r.Posts(ctx, br.ID)
	require.NoError(t, err)
	assert.Len(t, posts, 3)

	// The same day with another secretary corrects the post in place.
	in.Holders[branch.RoleSecretary] = c.ID
	fixed, err := desk.Elect(ctx, r, in)
	require.NoError(t, err)
	assert.True(t, fixed.Changed)
	assert.Equal(t, e.Elected[0].Post.ID, fixed.Elected[0].Post.ID)
	assert.Equal(t, c.ID, fixed.Elected[0].Post.CadreID)
}

func TestElectRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := openBranchReplica(t, syncsvc.RoleOffice, nil)
	a, b := putBranchCadre(t, r, 1, "王建国", "sy"), putBranchCadre(t, r, 2, "李秀英", "sy")
	br := putBranch(t, r, a, b)
	on := cadre.NewDate(2026, 11, 20)
	_, err := desk.Elect(ctx, r, desk.ElectInput{BranchID: br.ID, On: on, Holders: map[branch.Role]uuid.UUID{branch.RoleDeputy: a.ID}})
	assert.ErrorIs(t, err, desk.ErrNoSecretary)

	_, err = desk.Elect(ctx, r, desk.ElectInput{BranchID: br.ID, On: on, Holders: map[branch.Role]uuid.UUID{
		branch.RoleSecretary: a.ID, branch.RoleDeputy: b.ID}})
	require.NoError(t, err)
	_, err = desk.Elect(ctx, r, desk.ElectInput{BranchID: br.ID, On: on, Holders: map[branch.Role]uuid.UUID{branch.RoleSecretary: a.ID}})
	require.ErrorIs(t, err, desk.ErrPostLeftOut)
	var left *desk.OmittedPostError
	require.True(t, errors.As(err, &left))
	assert.Equal(t, branch.RoleDeputy, left.Post.Role)
	assert.Equal(t, desk.MemberRef{ID: b.ID, Name: "李秀英", Held: true}, left.Holder)
	posts, err := r.Posts(ctx, br.ID)
	require.NoError(t, err)
	assert.Len(t, posts, 2, "a refused election writes nothing")
}

// TestElectReadsPostsInItsTransaction enters a second election of the same
// day while the first is inside its transaction. Had the second read the
// posts before taking the write lock, it would not see the first's posts and
// would add a second secretary; reading them in its own transaction, it
// corrects the first's posts in place.
func TestElectReadsPostsInItsTransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var (
		armed   bool
		mu      sync.Mutex
		once    sync.Once
		started = make(chan struct{})
		second  = make(chan error, 1)
		r       *store.Replica
	)
	on := cadre.NewDate(2026, 11, 20)
	var in2 desk.ElectInput
	now := func() time.Time {
		mu.Lock()
		fire := armed
		mu.Unlock()
		if fire {
			once.Do(func() {
				// Inside the first election's transaction: start the
				// second, and give it time to make every read it makes
				// before it waits for the write lock.
				go func() {
					close(started)
					_, err := desk.Elect(ctx, r, in2)
					second <- err
				}()
				<-started
				time.Sleep(300 * time.Millisecond)
			})
		}
		return branchNow
	}
	r = openBranchReplica(t, syncsvc.RoleOffice, now)
	a, b := putBranchCadre(t, r, 1, "王建国", "sy"), putBranchCadre(t, r, 2, "李秀英", "sy")
	br := putBranch(t, r, a, b)
	putPost(t, r, branch.Post{BranchID: br.ID, CadreID: a.ID, Role: branch.RoleSecretary, TermStart: cadre.NewDate(2021, 6, 1)})
	in1 := desk.ElectInput{BranchID: br.ID, On: on, Holders: map[branch.Role]uuid.UUID{branch.RoleSecretary: b.ID}}
	in2 = desk.ElectInput{BranchID: br.ID, On: on, Holders: map[branch.Role]uuid.UUID{branch.RoleSecretary: a.ID}}

	mu.Lock()
	armed = true
	mu.Unlock()
	_, err := desk.Elect(ctx, r, in1)
	require.NoError(t, err)
	require.NoError(t, <-second)

	posts, err := r.Posts(ctx, br.ID)
	require.NoError(t, err)
	var begun []branch.Post
	for _, p := range posts {
		if p.TermStart == on {
			begun = append(begun, p)
		}
	}
	require.Len(t, begun, 1, "one secretary elected that day, corrected by the second entry: %+v", posts)
	assert.Equal(t, a.ID, begun[0].CadreID, "the second entry, made after the first, holds")
}

func TestAssessBranch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := openBranchReplica(t, syncsvc.RoleOffice, nil)
	a := putBranchCadre(t, r, 1, "王建国", "sy")
	br := putBranch(t, r, a)

	_, err := desk.AssessBranch(ctx, r, desk.AssessInput{BranchID: br.ID, Year: 2027, On: branchToday})
	assert.ErrorIs(t, err, desk.ErrYearOutOfRange)
	assert.ErrorIs(t, desk.CheckAssessYear(1948, branchToday), desk.ErrYearOutOfRange)
	assert.NoError(t, desk.CheckAssessYear(1949, branchToday))

	ev, err := desk.AssessmentEvidence(ctx, r, br, 2026, branchToday)
	require.NoError(t, err)
	assert.Equal(t, branchToday, ev.On, "in its own year only what was done by then counts")
	require.Len(t, ev.Members, 1)
	ev, err = desk.AssessmentEvidence(ctx, r, br, 2019, branchToday)
	require.NoError(t, err)
	assert.True(t, ev.On.IsZero(), "a past year is complete")
	assert.Empty(t, ev.Members, "no member before 2020")

	v, err := desk.AssessBranch(ctx, r, desk.AssessInput{BranchID: br.ID, Year: 2026, On: branchToday})
	require.NoError(t, err)
	assert.Equal(t, br.ID, v.Branch.ID)
	assert.Equal(t, branch.FiveGood().Name, v.Assessment.Set, "五好 by default")
	assert.False(t, v.Assessment.Met, "a branch with no meetings, dues or committee does not meet 五好")
}

func TestRecordTrainingAndFeedback(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := openBranchReplica(t, syncsvc.RoleOffice, nil)
	a := putBranchCadre(t, r, 1, "王建国", "sy")
	br := putBranch(t, r, a)

	tr, err := desk.RecordTraining(ctx, r, desk.TrainingInput{CadreID: a.ID, Course: "  2026年度支部书记培训班 ", On: cadre.NewDate(2026, 9, 1)})
	require.NoError(t, err)
	assert.Equal(t, "2026年度支部书记培训班", tr.Attendance.Course, "the course is trimmed")
	ts, err := r.Trainings(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, []branch.TrainingAttendance{tr.Attendance}, ts)

	_, err = desk.RecordTraining(ctx, r, desk.TrainingInput{CadreID: a.ID, Course: " ", On: cadre.NewDate(2026, 9, 1)})
	var ve *cadre.ValidationError
	assert.True(t, errors.As(err, &ve), "a course without a name is refused field by field: %v", err)

	fb, err := desk.RecordFeedback(ctx, r, desk.FeedbackInput{BranchID: br.ID, On: branchToday, Good: true, Source: "居民座谈会", Note: " 好 "})
	require.NoError(t, err)
	assert.Equal(t, "好", fb.Feedback.Note)
	got, err := r.Feedback(ctx, br.ID)
	require.NoError(t, err)
	assert.Equal(t, []branch.Feedback{fb.Feedback}, got)
}
