package report_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
	"github.com/wanxia/wanxia/venue"
)

// The district of the tests, as it stands on 2026-07-10, a Friday: the
// day after a quarter and a half-year ended, so that last month's
// quarterly meetings and this quarter's visits are all in play.
var (
	on  = cadre.NewDate(2026, 7, 10)
	now = testkit.At("2026-07-10 08:00")
	ctx = context.Background()
)

// district is a hub replica holding every community: three communities,
// ten cadres, three helpers, two branches, four venues. Every record is
// described where it is made; report_test.go works out every figure of
// every report from these descriptions.
type district struct {
	r        *store.Replica
	cadres   map[string]cadre.Cadre // by name
	helpers  map[string]uuid.UUID
	branches map[string]uuid.UUID
}

// person is what a test says about a cadre; the rest is filled in.
type person struct {
	community, name, birth string
	seq                    int
	category               cadre.Category
	rank                   cadre.Rank
	party                  cadre.Party
	joined                 string
	health                 cadre.Health
	living                 cadre.Living
	difficulty             bool
	lat, lng               float64 // 0: no location
	phone, unit            string
	pensionYuan            string
}

func (p person) cadre(t testing.TB) cadre.Cadre {
	t.Helper()
	pension, err := cadre.ParseYuan(p.pensionYuan)
	require.NoError(t, err)
	c := cadre.Cadre{Name: p.name, IDNumber: testkit.IDNumberFor("370102", p.birth, p.seq), Category: p.category, Rank: p.rank, Party: p.party,
		Health: p.health, Living: p.living, ChildrenNearby: p.living != cadre.LivingAlone, Difficulty: p.difficulty,
		Community: p.community, Phone: p.phone, OriginalUnit: p.unit, PensionFen: pension}
	c.Normalize()
	c.RetiredOn = c.BirthDate.AddDays(60 * 365)
	if p.joined != "" {
		c.PartyJoinedOn, err = cadre.ParseDate(p.joined)
		require.NoError(t, err)
	}
	if p.lat != 0 {
		c.Location = &cadre.Location{Lat: p.lat, Lng: p.lng}
	}
	return c
}

// The cadres. Ages are on 2026-07-10; tiers are cadre.NeedTier's.
var people = []person{
	// sy 舜园社区
	// 高兰英, 96: 离休 (tier 1), 副县处级, healthy. Dues 1% of 8000.00 = 80.00.
	{"sy", "高兰英", "19300512", 2, cadre.Lixiu, cadre.RankCountyDeputyPlus, cadre.PartyFull, "1947-07-01", cadre.HealthGood,
		cadre.LivingFamily, false, 36.6602, 117.0003, "0531-86001001", "济南市人民政府办公厅", "8000.00"},
	// 周桂兰, 74: seriously ill (tier 2). Dues 0.5% of 5000.00 = 25.00.
	{"sy", "周桂兰", "19520418", 4, cadre.Tuixiu, cadre.RankSection, cadre.PartyFull, "1975-07-01", cadre.HealthSerious,
		cadre.LivingSpouse, false, 36.6605, 117.0005, "", "", "5000.00"},
	// 马学军, 89 (90 on 2026-07-15): dependent (tier 2), 副县处级. Dues 20.00.
	{"sy", "马学军", "19360715", 5, cadre.Tuixiu, cadre.RankCountyDeputyPlus, cadre.PartyFull, "1958-01-01", cadre.HealthDependent,
		cadre.LivingFamily, false, 36.6650, 117.0150, "", "", "4000.00"},
	// 王建国, 78: chronic illness, with his wife and children nearby: no
	// tier. 副县处级, the branch's secretary. Dues 60.00.
	{"sy", "王建国", "19480315", 7, cadre.Tuixiu, cadre.RankCountyDeputyPlus, cadre.PartyFull, "1970-01-01", cadre.HealthChronic,
		cadre.LivingSpouse, false, 36.6601, 117.0001, "13805310001", "济南市财政局", "6000.00"},
	// 赵志刚, 副县处级: died on 2026-07-08 (set after his membership). Dues 15.00.
	{"sy", "赵志刚", "19400202", 9, cadre.Tuixiu, cadre.RankCountyDeputyPlus, cadre.PartyFull, "1965-01-01", cadre.HealthChronic,
		cadre.LivingFamily, false, 36.6604, 117.0002, "", "", "3000.00"},
	// gsq 杆石桥社区
	// 钱淑芬, 69: in living difficulty (tier 4); dues exempt. Lives at the
	// service station.
	{"gsq", "钱淑芬", "19561005", 6, cadre.Tuixiu, cadre.RankSection, cadre.PartyFull, "1980-01-01", cadre.HealthGood,
		cadre.LivingFamily, true, 36.6702, 117.0302, "", "", "2000.00"},
	// 孙立, 76: 军休, 副县处级, healthy, not a Party member.
	{"gsq", "孙立", "19500120", 11, cadre.Junxiu, cadre.RankCountyDeputyPlus, cadre.PartyNone, "", cadre.HealthGood,
		cadre.LivingSpouse, false, 36.6710, 117.0310, "13905310002", "济南军分区", "7000.00"},
	// 李秀英, 80 since 2026-07-01: seriously ill (tier 2), no home
	// coordinates. Dues 0.5% of 4500.00 = 22.50.
	{"gsq", "李秀英", "19460701", 8, cadre.Tuixiu, cadre.RankSection, cadre.PartyFull, "1968-01-01", cadre.HealthSerious,
		cadre.LivingFamily, false, 0, 0, "", "", "4500.00"},
	// 吴国庆, 67: a full member with no branch.
	{"gsq", "吴国庆", "19580909", 13, cadre.Tuixiu, cadre.RankOther, cadre.PartyFull, "1985-01-01", cadre.HealthGood,
		cadre.LivingFamily, false, 36.6720, 117.0320, "", "", "3500.00"},
	// hx 华信社区 (not in the four-nearby program)
	// 周红, 81: tier 5 (a 退休 cadre of 80 and over), probationary member.
	// Dues 17.50.
	{"hx", "周红", "19440909", 10, cadre.Tuixiu, cadre.RankSection, cadre.PartyProbationary, "2025-12-01", cadre.HealthGood,
		cadre.LivingFamily, false, 36.6800, 117.0600, "", "", "3500.00"},
}

func month(t testing.TB, s string) branch.Month {
	t.Helper()
	m, err := branch.ParseMonth(s)
	require.NoError(t, err)
	return m
}

func months(t testing.TB, from, to string) []branch.Month {
	t.Helper()
	var out []branch.Month
	for m := month(t, from); !m.After(month(t, to)); m = m.Add(1) {
		out = append(out, m)
	}
	return out
}

func newDistrict(t testing.TB) *district {
	t.Helper()
	// Each record is entered on the day it happened, the cadres at the start
	// of the year: a visit is owed from the day it could be known.
	clock := testkit.NewClock(testkit.At("2026-01-01 09:00"))
	d := &district{r: testkit.Open(t, syncsvc.Options{Role: syncsvc.RoleHub, Now: clock.Now}), cadres: map[string]cadre.Cadre{},
		helpers: map[string]uuid.UUID{}, branches: map[string]uuid.UUID{}}
	r := d.r
	for _, c := range []store.Community{
		{Code: "sy", Name: "舜园社区", Street: "舜华路街道", Centre: &cadre.Location{Lat: 36.660, Lng: 117.000}},
		{Code: "gsq", Name: "杆石桥社区", Street: "杆石桥街道", Centre: &cadre.Location{Lat: 36.670, Lng: 117.030}},
		{Code: "hx", Name: "华信社区", Street: "杆石桥街道", Centre: &cadre.Location{Lat: 36.680, Lng: 117.060}},
	} {
		require.NoError(t, r.SetCommunity(ctx, c))
	}
	for _, p := range people {
		c := p.cadre(t)
		_, err := r.PutCadre(ctx, &c)
		require.NoError(t, err, p.name)
		d.cadres[p.name] = c
	}

	// Helpers: 王立军 takes 2, 李红梅 1; 张伟 stopped serving on 2026-07-01.
	for _, h := range []care.Helper{
		{Name: "王立军", Base: &cadre.Location{Lat: 36.661, Lng: 117.001}, Capacity: 2, ActiveFrom: testkit.Date("2026-01-01")},
		{Name: "李红梅", Base: &cadre.Location{Lat: 36.671, Lng: 117.031}, Capacity: 1, ActiveFrom: testkit.Date("2026-01-01")},
		{Name: "张伟", Capacity: 5, ActiveFrom: testkit.Date("2025-01-01"), ActiveTo: testkit.Date("2026-07-01")},
	} {
		_, err := r.PutHelper(ctx, &h)
		require.NoError(t, err)
		d.helpers[h.Name] = h.ID
	}
	// 王立军 has looked after 高兰英 and 周桂兰 since 2026-04-01.
	for _, name := range []string{"高兰英", "周桂兰"} {
		p := care.Pair{HelperID: d.helpers["王立军"], CadreID: d.id(name), From: testkit.Date("2026-04-01"), Reason: d.cadres[name].Needs(on, cadre.DefaultPolicy())[0]}
		_, err := r.PutPair(ctx, &p)
		require.NoError(t, err)
	}
	clock.Set(testkit.At("2026-07-01 09:00"))
	// 高兰英 had her April call, her home visit (which counts as May's
	// contact too) and her June call; 周桂兰 one home visit in April only.
	for _, v := range []care.Visit{
		{CadreID: d.id("高兰英"), By: d.helpers["王立军"], Kind: care.VisitCall, On: testkit.Date("2026-04-10")},
		{CadreID: d.id("高兰英"), By: d.helpers["王立军"], Kind: care.VisitHome, On: testkit.Date("2026-05-20")},
		{CadreID: d.id("高兰英"), By: d.helpers["王立军"], Kind: care.VisitCall, On: testkit.Date("2026-06-15")},
		{CadreID: d.id("周桂兰"), By: d.helpers["王立军"], Kind: care.VisitHome, On: testkit.Date("2026-04-20")},
	} {
		_, err := r.PutVisit(ctx, &v)
		require.NoError(t, err)
	}
	// 马学军 went into hospital on 2026-07-05 and is still there.
	clock.Set(testkit.At("2026-07-05 09:00"))
	_, err := r.PutHospitalStay(ctx, &care.HospitalStay{CadreID: d.id("马学军"), Admitted: testkit.Date("2026-07-05")})
	require.NoError(t, err)

	// Branches: sy's own, and a joint branch of gsq and hx.
	for _, b := range []branch.Branch{
		{Name: "舜园社区离退休干部党支部", Kind: branch.KindCommunity, Communities: []string{"sy"}, FoundedOn: testkit.Date("2020-01-01")},
		{Name: "杆石桥华信联合党支部", Kind: branch.KindJoint, Communities: []string{"gsq", "hx"}, FoundedOn: testkit.Date("2024-05-01")},
	} {
		_, err := r.PutBranch(ctx, &b)
		require.NoError(t, err)
		d.branches[b.Name] = b.ID
	}
	sy, joint := d.branches["舜园社区离退休干部党支部"], d.branches["杆石桥华信联合党支部"]
	// Every member since 2026-01-01; 吴国庆 in no branch.
	for name, b := range map[string]uuid.UUID{"高兰英": sy, "周桂兰": sy, "马学军": sy, "王建国": sy, "赵志刚": sy,
		"钱淑芬": joint, "李秀英": joint, "周红": joint} {
		_, err := r.PutMembership(ctx, &branch.Membership{CadreID: d.id(name), BranchID: b, From: testkit.Date("2026-01-01")})
		require.NoError(t, err, name)
	}
	// 赵志刚 died on 2026-07-08: his membership ends that day.
	clock.Set(testkit.At("2026-07-08 09:00"))
	zhao := d.cadres["赵志刚"]
	zhao.Status, zhao.StatusOn = cadre.StatusDeceased, testkit.Date("2026-07-08")
	_, err = r.PutCadre(ctx, &zhao)
	require.NoError(t, err)
	d.cadres["赵志刚"] = zhao
	clock.Set(now)
	// 王建国 was elected secretary on 2023-03-01, so the 3-year term ended
	// on 2026-03-01; 周红, a probationary member, is the joint branch's
	// deputy, and it has no secretary.
	for _, p := range []branch.Post{
		{BranchID: sy, CadreID: d.id("王建国"), Role: branch.RoleSecretary, TermStart: testkit.Date("2023-03-01")},
		{BranchID: joint, CadreID: d.id("周红"), Role: branch.RoleDeputy, TermStart: testkit.Date("2024-05-01")},
	} {
		_, err := r.PutPost(ctx, &p)
		require.NoError(t, err)
	}
	// Meetings: sy held its members' meeting in April and its theme day in
	// June (马学军 absent for his health, the study not yet taken to him);
	// the joint branch held only a theme day in July, 周红 absent for her
	// health and visited two days later.
	for _, m := range []branch.Meeting{
		{BranchID: sy, Kind: branch.MeetingMembers, On: testkit.Date("2026-04-15"), Topic: "学习二十届四中全会精神"},
		{BranchID: sy, Kind: branch.MeetingThemeDay, On: testkit.Date("2026-06-12"), Topic: "七一主题党日", Attendance: []branch.Attendance{
			{CadreID: d.id("高兰英"), Present: true}, {CadreID: d.id("周桂兰"), Present: true},
			{CadreID: d.id("马学军"), Absence: branch.AbsenceHealth}, {CadreID: d.id("王建国"), Present: true},
			{CadreID: d.id("赵志刚"), Present: true},
		}},
		{BranchID: joint, Kind: branch.MeetingThemeDay, On: testkit.Date("2026-07-06"), Topic: "主题党日", Attendance: []branch.Attendance{
			{CadreID: d.id("钱淑芬"), Present: true}, {CadreID: d.id("李秀英"), Present: true},
			{CadreID: d.id("周红"), Absence: branch.AbsenceHealth},
		}, Deliveries: []branch.Delivery{{CadreID: d.id("周红"), On: testkit.Date("2026-07-08"), Note: "李秀英送学"}}},
	} {
		_, err := r.PutMeeting(ctx, &m)
		require.NoError(t, err)
	}
	// Dues for 2026-01 to 2026-06 (the months owed on 2026-07-10).
	for _, p := range []struct {
		name, from, to, amount, paid string
	}{
		{"高兰英", "2026-01", "2026-06", "480.00", "2026-06-28"}, // 6 × 80.00: paid up
		{"周桂兰", "2026-01", "2026-03", "75.00", "2026-03-25"},  // April to June unpaid
		{"王建国", "2026-01", "2026-06", "360.00", "2026-06-20"}, // paid up
		{"赵志刚", "2026-01", "2026-05", "75.00", "2026-05-20"},  // June unpaid
		{"李秀英", "2026-01", "2026-04", "90.00", "2026-04-28"},  // 4 × 22.50
		{"李秀英", "2026-05", "2026-05", "10.00", "2026-05-30"},  // 12.50 short
		{"周红", "2026-01", "2026-06", "105.00", "2026-06-30"},  // 6 × 17.50: paid up
	} {
		amount, err := cadre.ParseYuan(p.amount)
		require.NoError(t, err)
		_, err = r.PutDuesPayment(ctx, &branch.DuesPayment{CadreID: d.id(p.name), Months: months(t, p.from, p.to), AmountFen: amount,
			PaidOn: testkit.Date(p.paid)})
		require.NoError(t, err)
	}
	_, err = r.PutDuesRelief(ctx, &branch.DuesRelief{CadreID: d.id("钱淑芬"), From: month(t, "2026-01"), Exempt: true,
		ApprovedBy: "杆石桥华信联合党支部", ApprovedOn: testkit.Date("2025-12-20"), Reason: "生活困难"})
	require.NoError(t, err)

	// Venues: sy's activity room (learning, activities) and clinic (care)
	// within a few dozen metres of 高兰英 and 周桂兰; gsq's service station
	// (all four) at 钱淑芬's door; the old district centre (role), which
	// would reach them too, closed on 2026-01-01.
	for _, v := range []venue.Venue{
		{Kind: venue.KindActivityRoom, Name: "舜园社区老干部活动室", Community: "sy", Location: &cadre.Location{Lat: 36.6600, Lng: 117.0000},
			Services: []venue.Service{venue.Learning, venue.Activities}},
		{Kind: venue.KindClinic, Name: "舜园社区卫生服务站", Community: "sy", Location: &cadre.Location{Lat: 36.6610, Lng: 117.0010},
			Services: []venue.Service{venue.Care}},
		{Kind: venue.KindServiceStation, Name: "杆石桥社区服务站", Community: "gsq", Location: &cadre.Location{Lat: 36.6700, Lng: 117.0300},
			Services: venue.AllServices()},
		{Kind: venue.KindActivityCentre, Name: "原区老干部活动中心", Community: cadre.DistrictScope, Location: &cadre.Location{Lat: 36.6603, Lng: 117.0004},
			Services: []venue.Service{venue.Role}, ClosedOn: testkit.Date("2026-01-01")},
	} {
		_, err := r.PutVenue(ctx, &v)
		require.NoError(t, err, v.Name)
	}
	// sy is a pilot community; gsq joined on 2026-03-01; hx has not.
	for _, e := range []venue.Enrolment{
		{Community: "sy", Stage: venue.StagePilot, Since: testkit.Date("2025-01-01")},
		{Community: "gsq", Stage: venue.StageExtended, Since: testkit.Date("2026-03-01")},
	} {
		_, err := r.PutEnrolment(ctx, &e)
		require.NoError(t, err)
	}
	return d
}

// id returns a cadre's id by name.
func (d *district) id(name string) uuid.UUID { return d.cadres[name].ID }
