package report_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/report"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// build makes a report of the test district for the whole district, or
// for the communities given.
func build(t *testing.T, d *district, k report.Kind, communities ...string) *report.Report {
	t.Helper()
	rep, err := report.Build(ctx, d.r, k, report.Options{On: on, Now: now, Communities: communities})
	require.NoError(t, err)
	require.Equal(t, k, rep.Kind)
	require.Equal(t, on, rep.On)
	return rep
}

// table returns the report's table with the key.
func table(t *testing.T, rep *report.Report, key string) *report.Table {
	t.Helper()
	for _, tb := range rep.Tables {
		if tb.Key == key {
			return tb
		}
	}
	t.Fatalf("report %s has no table %s", rep.Kind, key)
	return nil
}

func TestVisitsListsOverdueThenDueWithinFourteenDays(t *testing.T) {
	d := newDistrict(t)
	rep := build(t, d, report.Visits)
	assert.Equal(t, report.Scope{All: true, Hub: true, Communities: []report.Community{{"gsq", "杆石桥社区"}, {"hx", "华信社区"}, {"sy", "舜园社区"}}}, rep.Scope)
	require.Len(t, rep.Tables, 1)
	v := rep.Tables[0]
	// On 2026-07-10, with the default schedule:
	//   - 周桂兰 (paired since 04-01): April's contact and Q2's home visit
	//     were made on 04-20; May's contact (due 05-31, 40 days ago) and
	//     June's (due 06-30, 10 days ago) were not.
	//   - 李秀英 turned 80 on 07-01: the window closed on 07-08, 9 days
	//     overdue.
	//   - 马学军, admitted on 07-05: the hospital visit was due within 3
	//     days, by 07-08 (2 days ago); he turns 90 on 07-15 (in 5 days).
	//   - 赵志刚 died on 07-08: the condolence is due by 07-11 (in 1 day).
	//   - 高兰英 had every visit; July's contacts and the summer visit
	//     (due 07-31, 21 days) are further off than 14 days. Nobody else
	//     is paired, and no other occasion is open in July.
	assert.Equal(t, [][]any{
		{"overdue", "sy", "周桂兰", "王立军", "contact", testkit.Date("2026-05-31"), testkit.Date("2026-05-01"), testkit.Date("2026-05-31"), int64(40)},
		{"overdue", "sy", "周桂兰", "王立军", "contact", testkit.Date("2026-06-30"), testkit.Date("2026-06-01"), testkit.Date("2026-06-30"), int64(10)},
		{"overdue", "gsq", "李秀英", "", "birthday", testkit.Date("2026-07-01"), testkit.Date("2026-06-17"), testkit.Date("2026-07-08"), int64(9)},
		{"overdue", "sy", "马学军", "", "admission", testkit.Date("2026-07-08"), testkit.Date("2026-07-05"), testkit.Date("2026-07-08"), int64(2)},
		{"upcoming", "sy", "赵志刚", "", "condolence", testkit.Date("2026-07-11"), testkit.Date("2026-07-08"), testkit.Date("2026-07-11"), int64(1)},
		{"upcoming", "sy", "马学军", "", "birthday", testkit.Date("2026-07-15"), testkit.Date("2026-07-01"), testkit.Date("2026-07-22"), int64(5)},
	}, rows(v))
	assert.Equal(t, "逢十寿辰（80岁）", v.Rows[2][4].(report.Label).Zh)
	assert.Equal(t, "milestone birthday visit (90)", v.Rows[5][4].(report.Label).En)
	assert.Equal(t, "逾期 4 项，14 天内到期 2 项，涉及干部 4 名", v.Summary.Zh)
	assert.Equal(t, "4 overdue, 2 due within 14 days, for 4 cadres", v.Summary.En)

	// Settings: with 3 days ahead, 马学军's birthday (in 5) is left out.
	s := report.DefaultSettings()
	s.UpcomingDays = 3
	short, err := report.Build(ctx, d.r, report.Visits, report.Options{On: on, Settings: &s})
	require.NoError(t, err)
	assert.Len(t, short.Tables[0].Rows, 5)
	assert.Equal(t, "逾期 4 项，3 天内到期 1 项，涉及干部 4 名", short.Tables[0].Summary.Zh)

	// gsq-1's communities: 李秀英's birthday alone.
	rep = build(t, d, report.Visits, "gsq", "hx")
	assert.Equal(t, "杆石桥社区、华信社区", rep.Scope.Label().Zh)
	assert.Equal(t, [][]any{
		{"overdue", "gsq", "李秀英", "", "birthday", testkit.Date("2026-07-01"), testkit.Date("2026-06-17"), testkit.Date("2026-07-08"), int64(9)},
	}, rows(rep.Tables[0]))
}

func TestPairsShowsCoverageReasonsAndLoad(t *testing.T) {
	d := newDistrict(t)
	rep := build(t, d, report.Pairs)
	// Who needs a pair on 2026-07-10: 高兰英 (tier 1, 离休), 周桂兰, 马学军
	// and 李秀英 (tier 2, seriously ill or dependent), 钱淑芬 (tier 4,
	// difficulty), 周红 (tier 5, 81). 王建国 (78, not alone), 孙立 and
	// 吴国庆 (under 80) need none; 赵志刚 died.
	// Assign keeps 王立军's two pairs (his capacity, 2). 李红梅 has room
	// for 1: tier 2 comes first, and of its two unpaired cadres 李秀英 has
	// no coordinates, so 马学军 is proposed and 李秀英 waits (no_location).
	// Tiers 4 and 5 find no room (no_capacity). 张伟 stopped serving.
	// Listed unpaired first, then proposed, then paired; by tier within.
	assert.Equal(t, [][]any{
		{"unpaired", int64(2), "serious_health", "gsq", "李秀英", "", "no_location"},
		{"unpaired", int64(4), "living_difficulty", "gsq", "钱淑芬", "", "no_capacity"},
		{"unpaired", int64(5), "elderly", "hx", "周红", "", "no_capacity"},
		{"proposed", int64(2), "serious_health", "sy", "马学军", "李红梅", ""},
		{"paired", int64(1), "lixiu", "sy", "高兰英", "王立军", ""},
		{"paired", int64(2), "serious_health", "sy", "周桂兰", "王立军", ""},
	}, rows(table(t, rep, "cadres")))
	// 2 of 6 paired: 33.3%.
	assert.Equal(t, "需结对 6 名：已结对 2 名，帮扶人有空位待结对 1 名，未结对 3 名；结对率 33.3%", table(t, rep, "cadres").Summary.Zh)
	// Per tier: needing, paired, proposed, unpaired.
	assert.Equal(t, [][]any{
		{int64(1), "lixiu", int64(1), int64(1), int64(0), int64(0)},
		{int64(2), "serious_health", int64(3), int64(1), int64(1), int64(1)},
		{int64(3), "alone_elderly", int64(0), int64(0), int64(0), int64(0)},
		{int64(4), "living_difficulty", int64(1), int64(0), int64(0), int64(1)},
		{int64(5), "elderly", int64(1), int64(0), int64(0), int64(1)},
	}, rows(table(t, rep, "by_tier")))
	// Per community: sy 2 of 3 paired (66.7%), gsq 0 of 2, hx 0 of 1.
	assert.Equal(t, [][]any{
		{"gsq", int64(2), int64(0), int64(0), int64(2), 0.0},
		{"hx", int64(1), int64(0), int64(0), int64(1), 0.0},
		{"sy", int64(3), int64(2), int64(1), int64(0), 66.7},
	}, rows(table(t, rep, "by_community")))
	// Helpers serving on 07-10, by pinyin: 李红梅 (1: 1 proposed), 王立军
	// (2: both taken).
	load := table(t, rep, "helpers")
	assert.Equal(t, [][]any{
		{"李红梅", int64(1), int64(0), int64(1), int64(0), testkit.Date("2026-01-01")},
		{"王立军", int64(2), int64(2), int64(0), int64(0), testkit.Date("2026-01-01")},
	}, rows(load))
	assert.Equal(t, "在岗帮扶人 2 名，可结对 3 名干部，已用 3 个", load.Summary.Zh)

	// sy-1's community only; the helpers' load stays the district's.
	rep = build(t, d, report.Pairs, "sy")
	assert.Len(t, table(t, rep, "cadres").Rows, 3)
	assert.Equal(t, [][]any{{"sy", int64(3), int64(2), int64(1), int64(0), 66.7}}, rows(table(t, rep, "by_community")))
	assert.Len(t, table(t, rep, "helpers").Rows, 2)
}

func TestBranchesShowsCoverageCommitteesMeetingsAndStudy(t *testing.T) {
	d := newDistrict(t)
	rep := build(t, d, report.Branches)
	// On 07-10: the joint branch has 钱淑芬, 李秀英 (full) and 周红
	// (probationary), no secretary; sy's has 高兰英, 周桂兰, 马学军,
	// 王建国 (赵志刚's membership ended with his death on 07-08).
	// Last month, 2026-06, ended the second quarter: the joint branch held
	// no members' meeting, theme day or Party lecture (3 missed); sy's
	// held its members' meeting (04-15) and theme day (06-12) but no
	// lecture (1 missed). Committee and group meetings are not due below 7
	// full and 20 members; the yearly ones are due by December.
	// 送学上门: 马学军, absent for his health on 06-12, is still owed the
	// study (overdue since 06-30); 周红 was visited on 07-08.
	assert.Equal(t, [][]any{
		{"杆石桥华信联合党支部", "joint", "杆石桥社区、华信社区", int64(3), int64(2), "", int64(2), int64(0), int64(3), int64(0)},
		{"舜园社区离退休干部党支部", "community", "舜园社区", int64(4), int64(4), "王建国", int64(1), int64(0), int64(1), int64(1)},
	}, rows(table(t, rep, "branches")))
	// Party members on the roll: 8 (孙立 is none, 赵志刚 died); 吴国庆 has
	// no branch.
	without := table(t, rep, "without_branch")
	assert.Equal(t, [][]any{{"gsq", "吴国庆", "full", testkit.Date("1985-01-01")}}, rows(without))
	assert.Equal(t, "在册党员 8 名，已编入党支部 7 名，未编入 1 名", without.Summary.Zh)
	// Committees: the joint branch has no secretary, and its deputy 周红 is
	// probationary; sy's term began 2023-03-01 and ended 2026-03-01.
	committees := table(t, rep, "committees")
	assert.Equal(t, [][]any{
		{"杆石桥华信联合党支部", "problem", "no_secretary", "", "secretary", cadre.Date{}, "支部未设书记"},
		{"杆石桥华信联合党支部", "problem", "holder_not_full", "周红", "deputy", cadre.Date{}, "副书记周红是预备党员，职务应由正式党员担任"},
		{"舜园社区离退休干部党支部", "problem", "term_expired", "", "", testkit.Date("2026-03-01"), "本届任期自2023-03-01起3年，已于2026-03-01届满，应当换届选举"},
	}, rows(committees))
	assert.Equal(t, "班子问题 3 项，其中需换届 1 个支部", committees.Summary.Zh)
	missed := table(t, rep, "meetings_missed")
	assert.Equal(t, [][]any{
		{"杆石桥华信联合党支部", "members_meeting", "2026-04", "2026-06"},
		{"杆石桥华信联合党支部", "theme_day", "2026-06", "2026-06"},
		{"杆石桥华信联合党支部", "lecture", "2026-04", "2026-06"},
		{"舜园社区离退休干部党支部", "lecture", "2026-04", "2026-06"},
	}, rows(missed))
	assert.Equal(t, "2026-06 应开未开 4 次", missed.Summary.Zh)
	assert.Equal(t, "4 meetings missed in 2026-06", missed.Summary.En)
	assert.Equal(t, [][]any{
		{"overdue", "舜园社区离退休干部党支部", "sy", "马学军", "theme_day", testkit.Date("2026-06-12"), testkit.Date("2026-06-30")},
	}, rows(table(t, rep, "study_at_home")))

	// hx's office sees the joint branch only, and hx's members.
	rep = build(t, d, report.Branches, "hx")
	assert.Len(t, table(t, rep, "branches").Rows, 1)
	assert.Empty(t, table(t, rep, "without_branch").Rows)
	assert.Equal(t, "在册党员 1 名，已编入党支部 1 名，未编入 0 名", table(t, rep, "without_branch").Summary.Zh)
}

func TestDuesListsArrearsMostSeriousFirst(t *testing.T) {
	d := newDistrict(t)
	rep := build(t, d, report.Dues)
	a := rep.Tables[0]
	// Months owed on 07-10: 2026-01 to 2026-06 (members since 01-01).
	//   马学军: 4000.00 × 0.5% = 20.00, nothing paid: 6 months in a row,
	//     120.00, referred.
	//   周桂兰: 25.00, paid to March: April–June, 75.00, a reminder.
	//   李秀英: 22.50, paid to April, May short by 12.50: 2 months, 35.00.
	//   赵志刚: died 07-08 (no monthly due now), June unpaid: 15.00.
	//   高兰英, 王建国, 周红 paid up; 钱淑芬 is exempt; 吴国庆 has no
	//   membership, 孙立 is no member.
	assert.Equal(t, [][]any{
		{"review", "sy", "马学军", "舜园社区离退休干部党支部", report.Yuan(2000), int64(6), int64(6), "2026-01—2026-06", report.Yuan(12000),
			"连续6个月未交纳党费，提请党支部按规定研究处理（是否按自行脱党处理由党组织决定，软件不作处置）"},
		{"reminder", "sy", "周桂兰", "舜园社区离退休干部党支部", report.Yuan(2500), int64(3), int64(3), "2026-04—2026-06", report.Yuan(7500),
			"连续3个月未交纳党费，请提醒交纳"},
		{"none", "gsq", "李秀英", "杆石桥华信联合党支部", report.Yuan(2250), int64(2), int64(2), "2026-05—2026-06", report.Yuan(3500), "欠交2个月党费"},
		{"none", "sy", "赵志刚", "舜园社区离退休干部党支部", report.Yuan(0), int64(1), int64(1), "2026-06", report.Yuan(1500), "欠交1个月党费"},
	}, rows(a))
	// 8 members with a membership; 120 + 75 + 35 + 15 = 245.00.
	assert.Equal(t, "有党支部记录的党员 8 名，欠交 4 名，合计 245.00 元；提醒 1 名，提请组织处理 1 名", a.Summary.Zh)

	rep = build(t, d, report.Dues, "gsq")
	assert.Equal(t, "有党支部记录的党员 2 名，欠交 1 名，合计 35.00 元；提醒 0 名，提请组织处理 0 名", rep.Tables[0].Summary.Zh)
}

func TestNearbyCountsCoverageAndListsWhatIsMissing(t *testing.T) {
	d := newDistrict(t)
	rep := build(t, d, report.Nearby)
	// On the roll: sy 4 (赵志刚 died), gsq 4, hx 1.
	// Served: sy 高兰英 (离休), 周桂兰 (seriously ill), 马学军 (退休, 89);
	// gsq 钱淑芬 (difficulty), 李秀英 (退休, 80; no coordinates); hx's 周红
	// (81) would be, were hx enrolled.
	// Within 500 m walking: 高兰英 and 周桂兰 have the activity room
	// (learning, activities) and the clinic (care), not the closed
	// centre's role; 马学军 lives 1.7 km and more from every venue; 钱淑芬
	// lives at the service station (all four).
	cov := table(t, rep, "coverage")
	assert.Equal(t, [][]any{
		{"gsq", "extended", int64(4), int64(2), int64(0), int64(1), int64(1), int64(1), int64(1), int64(1), int64(1)},
		{"hx", "", int64(1), int64(0), int64(1), int64(0), int64(0), int64(0), int64(0), int64(0), int64(0)},
		{"sy", "pilot", int64(4), int64(3), int64(0), int64(0), int64(2), int64(2), int64(2), int64(0), int64(0)},
	}, rows(cov))
	assert.Equal(t, "在册干部 9 名，服务对象 5 名（另有 1 名因社区未参加而未纳入），四项服务齐全 1 名", cov.Summary.Zh)
	missing := table(t, rep, "missing")
	got := rows(missing)
	require.Len(t, got, 4)
	for i, want := range [][]any{
		{"gsq", "李秀英", "aged", false, "学习、活动、关心照顾、发挥作用"},
		{"sy", "高兰英", "lixiu", true, "发挥作用"},
		{"sy", "马学军", "aged", true, "学习、活动、关心照顾、发挥作用"},
		{"sy", "周桂兰", "difficulty", true, "发挥作用"},
	} {
		assert.Equal(t, want, got[i][:5], "row %d", i)
	}
	assert.Contains(t, got[1][5], "杆石桥社区服务站", "the nearest venue with a role, beyond the radius")
	assert.Equal(t, "learning, activities, care, a role to play", missing.Rows[0][4].(report.Text).En)
}

func TestInvitationsListsSeniorCadresOnTheRollInHealth(t *testing.T) {
	d := newDistrict(t)
	rep := build(t, d, report.Invitations)
	inv := rep.Tables[0]
	// 副县处级及以上: 高兰英 (good), 马学军 (dependent: not invited),
	// 王建国 (chronic), 赵志刚 (died), 孙立 (good). By community code, then
	// pinyin. Ages on 07-10. ID numbers show the region and the last four.
	mask := func(name string) string { id := d.cadres[name].IDNumber; return id[:6] + "********" + id[14:] }
	assert.Equal(t, [][]any{
		{"gsq", "孙立", "male", int64(76), "junxiu", "good", "13905310002", "济南军分区", mask("孙立")},
		{"sy", "高兰英", "female", int64(96), "lixiu", "good", "0531-86001001", "济南市人民政府办公厅", mask("高兰英")},
		{"sy", "王建国", "male", int64(78), "tuixiu", "chronic", "13805310001", "济南市财政局", mask("王建国")},
	}, rows(inv))
	assert.Equal(t, "370102********0114", mask("孙立"))
	assert.Equal(t, "副县处级及以上 5 名，在册 4 名；邀请 3 名，因健康状况未邀请 1 名（可安排走访）", inv.Summary.Zh)
}

func TestBuildRefusesWhatItCannotMake(t *testing.T) {
	d := newDistrict(t)
	_, err := report.Build(ctx, d.r, report.Visits, report.Options{})
	assert.ErrorIs(t, err, report.ErrOptions)
	_, err = report.Build(ctx, d.r, report.Kind("weather"), report.Options{On: on})
	assert.ErrorIs(t, err, report.ErrOptions)

	office := openOffice(t)
	_, err = report.Build(ctx, office, report.Sync, report.Options{On: on})
	assert.ErrorIs(t, err, report.ErrHubOnly)
	reps, err := report.BuildAll(ctx, office, report.Options{On: on})
	require.NoError(t, err)
	assert.Len(t, reps, len(report.AllKinds())-1, "every report but the sync summary")

	k, err := report.ParseKind("党费")
	require.NoError(t, err)
	assert.Equal(t, report.Dues, k)
	_, err = report.ParseKind("weather")
	assert.Error(t, err)
}

// openOffice opens an office replica holding one cadre of sy.
func openOffice(t *testing.T) *store.Replica {
	t.Helper()
	r := testkit.Open(t, syncsvc.Options{Role: syncsvc.RoleOffice, Now: testkit.Fixed(now)})
	c := people[3].cadre(t) // 王建国
	_, err := r.PutCadre(ctx, &c)
	require.NoError(t, err)
	return r
}
