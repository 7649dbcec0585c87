package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/venue"
)

func TestAnswersChinese(t *testing.T) {
	out := output(t, "--on", "2026-11-28")
	assert.True(t, strings.HasPrefix(out, "四就近（2026-11-28）：4 个社区，14 处开放的场所，步行500米以内\n"), "杆石桥棋牌室 closed on 2026-10-01")

	assert.Equal(t, []string{
		"王建国（舜园社区）",
		"  服务对象：是（高龄退休干部）——退休干部，该日82岁，在80岁以上；所在社区sy为四就近试点社区",
		"  就近学习  未覆盖  500米内没有提供学习的场所；最近的是市中区老年大学，1.1公里",
		"  就近活动  已覆盖  舜园社区老干部活动室（活动室），149米",
		"  就近关心照顾  已覆盖  舜园社区服务站（社区服务站），232米",
		"  就近发挥作用  已覆盖  舜园社区老干部活动室（活动室），149米",
		"  已覆盖 3 项，缺 1 项：学习",
	}, section(t, out, "王建国（舜园社区）"))

	// 许凤英 (36.6640, 116.9940) lives beyond every venue of gsq: 543 m to
	// its activity room, 769 m to its service station.
	xu := section(t, out, "许凤英（杆石桥社区）")
	assert.Contains(t, xu, "  就近学习  未覆盖  500米内没有提供学习的场所；最近的是杆石桥社区老干部活动室，543米")
	assert.Contains(t, xu, "  就近关心照顾  未覆盖  500米内没有提供关心照顾的场所；最近的是杆石桥社区服务站，769米")
	assert.Equal(t, "  已覆盖 0 项，缺 4 项：学习、活动、关心照顾、发挥作用", xu[len(xu)-1])

	assert.Equal(t, []string{
		"罗守仁（舜园社区）",
		"  服务对象：是（离休干部）——离休干部；所在社区sy为四就近试点社区",
		"  注意：住址没有坐标，无法计算步行距离；各项列出本社区（sy）登记的场所",
		"  就近学习  无法判断  住址没有坐标，无法判断500米内是否有提供学习的场所；本社区没有登记提供学习的场所",
		"  就近活动  无法判断  住址没有坐标，无法判断500米内是否有提供活动的场所；本社区登记提供活动的场所：舜园社区老干部活动室",
		"  就近关心照顾  无法判断  住址没有坐标，无法判断500米内是否有提供关心照顾的场所；本社区登记提供关心照顾的场所：舜园社区服务站、舜园日间照料中心、舜园社区卫生服务站",
		"  就近发挥作用  无法判断  住址没有坐标，无法判断500米内是否有提供发挥作用的场所；本社区登记提供发挥作用的场所：舜园社区老干部活动室、舜园社区服务站",
	}, section(t, out, "罗守仁（舜园社区）"))

	zheng := section(t, out, "郑庆云（泉福社区）")
	assert.Equal(t, "  服务对象：否（所在社区未纳入）——退休干部，该日81岁，在80岁以上，但所在社区qf自2027-03-01起才纳入四就近", zheng[1])
	assert.Contains(t, zheng, "  就近关心照顾  已覆盖  泉福社区服务站（社区服务站），92米")

	wu := section(t, out, "吴国庆（大明湖社区）")
	assert.Equal(t, "  服务对象：否（不属于服务对象）——军休干部，该日83岁：不是离休干部，不是80岁以上的退休干部，也没有特殊困难", wu[1])
	assert.Equal(t, "  就近学习  已覆盖  历下区老年大学分校（老年大学），355米", wu[2])
	assert.Equal(t, "  四项都在步行范围内", wu[len(wu)-1])
}

// TestCoverageChinese checks the counts against the district, cadre by
// cadre. On 2026-11-28 冯志刚 has died: 21 cadres on the roll. Served (14):
// sy 孙振华 高兰英 罗守仁 (离休), 王建国 李秀英 (80+), 周桂兰 (重病); gsq 赵德明
// 许凤英 梁春生 (80+), 钱淑芬 (生活困难), 马学军 (重病, 79); dm 刘玉兰 黄卫东
// (80+), 韩广田 (军休, 80+ with a spouse only). Not served: 潘建新, 宋立新,
// 陈宝山, 彭秉义 (under 80), 吴国庆 (军休 living with family), and qf's
// 郑庆云 and 杨桂芳, who qualify but qf joins only in 2027. Within 500 m:
// 赵德明 and 钱淑芬 have all four (杆石桥 activity room and service
// station); 孙 高 王 周 刘 韩 activities, care and role; 李秀英 care and
// role; 许 马 梁 黄 nothing. So learning 2, activities 8, care 9, role 9.
func TestCoverageChinese(t *testing.T) {
	out := output(t, "--on", "2026-11-28")
	assert.Equal(t, []string{
		"全区覆盖情况（步行500米以内）",
		"  在册干部 21 人，服务对象 14 人（其中住址无坐标 1 人）；另有 2 人符合条件但所在社区未纳入四就近",
		"  就近学习  2 人（14.3%）",
		"  就近活动  8 人（57.1%）",
		"  就近关心照顾  9 人（64.3%）",
		"  就近发挥作用  9 人（64.3%）",
		"  四项齐全  2 人（14.3%）",
		"各社区",
		"  大明湖社区  推广  在册 5  服务对象 3  待纳入 0  无坐标 0  学习 0  活动 2  关心照顾 2  发挥作用 2  四项齐全 0",
		"  杆石桥社区  试点  在册 6  服务对象 5  待纳入 0  无坐标 0  学习 2  活动 2  关心照顾 2  发挥作用 2  四项齐全 2",
		"  泉福社区  未纳入  在册 3  服务对象 0  待纳入 2  无坐标 0  学习 0  活动 0  关心照顾 0  发挥作用 0  四项齐全 0",
		"  舜园社区  试点  在册 7  服务对象 6  待纳入 0  无坐标 1  学习 0  活动 4  关心照顾 5  发挥作用 5  四项齐全 0",
	}, section(t, out, "全区覆盖情况（步行500米以内）"))
}

// TestSites checks the best new site per service. Learning: 11 served
// cadres with a home position lack it; the homes of 孙振华, 高兰英, 王建国
// and 周桂兰 are all within 500 m of each other, and no home holds more, so
// the first of them by ID (孙振华's, 37 m from sy's centre) wins.
// Activities: 李秀英, 许凤英, 马学军, 梁春生 and 黄卫东 lack them; only
// 许凤英 and 梁春生 are near each other (her home is first by ID).
func TestSites(t *testing.T) {
	out := output(t, "--on", "2026-11-28")
	assert.Equal(t, []string{
		"新场所选址（每项一处，以尚未覆盖的服务对象住址为候选点）",
		"  就近学习：11 人步行不可达；在 36.6562, 117.0118（舜园社区，距社区中心步行37米）新设场所，可覆盖其中 4 人：孙振华、高兰英、王建国、周桂兰",
		"  就近活动：5 人步行不可达；在 36.6640, 116.9940（杆石桥社区，距社区中心步行635米）新设场所，可覆盖其中 2 人：许凤英、梁春生",
		"  就近关心照顾：4 人步行不可达；在 36.6640, 116.9940（杆石桥社区，距社区中心步行635米）新设场所，可覆盖其中 2 人：许凤英、梁春生",
		"  就近发挥作用：4 人步行不可达；在 36.6640, 116.9940（杆石桥社区，距社区中心步行635米）新设场所，可覆盖其中 2 人：许凤英、梁春生",
	}, section(t, out, "新场所选址（每项一处，以尚未覆盖的服务对象住址为候选点）"))

	r := jsonReport(t, "--on", "2026-11-28")
	require.Len(t, r.Sites, 4)
	assert.Equal(t, "孙振华", r.Sites[0].HomeOf)
	assert.Equal(t, "sy", r.Sites[0].Community)
	assert.Equal(t, "许凤英", r.Sites[1].HomeOf)
}

// TestRulesHold checks every answer of the report against the district
// rather than against figures: a covered service has an open venue
// offering it within the radius, measured independently.
func TestRulesHold(t *testing.T) {
	for _, on := range []string{"2025-06-01", "2026-09-15", "2026-11-28", "2027-06-01"} {
		t.Run(on, func(t *testing.T) {
			day, err := cadre.ParseDate(on)
			require.NoError(t, err)
			r := jsonReport(t, "--on", on)
			d := sampleDistrict()
			s := venue.DefaultSettings()
			venues := map[string]venue.Venue{}
			for _, v := range d.venues {
				venues[v.Name] = v
			}
			homes := map[string]cadre.Cadre{}
			for _, c := range d.cadres {
				homes[c.Name] = c
			}
			for _, a := range r.Answers {
				c := homes[a.Cadre]
				assert.Equal(t, venue.Eligible(c, d.enrolments, day, s).Eligible, a.Eligible, a.Cadre)
				for _, sv := range a.Services {
					if !a.Located {
						assert.False(t, sv.Covered)
						assert.Nil(t, sv.Metres)
						continue
					}
					if sv.Venue == "" {
						assert.False(t, sv.Covered)
						continue
					}
					v := venues[sv.Venue]
					assert.True(t, v.OpenOn(day) && v.Offers(sv.Service), "%s: %s", a.Cadre, sv.Venue)
					m := venue.GreatCircleMetres(*c.Location, *v.Location) * s.DetourFactor
					require.NotNil(t, sv.Metres)
					assert.InDelta(t, m, *sv.Metres, 0.001, "%s: %s", a.Cadre, sv.Venue)
					assert.Equal(t, m <= s.RadiusMetres, sv.Covered, "%s: %s", a.Cadre, sv.Service)
				}
			}
			total := 0
			for _, cc := range r.Coverage.Communities {
				total += cc.Cadres
			}
			assert.Equal(t, r.Coverage.Cadres, total)
		})
	}
}
