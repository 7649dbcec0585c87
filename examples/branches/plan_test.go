package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
)

// block returns the indented lines that follow the first line of out,
// after the line starting with after, that is exactly "  "+name: a branch's
// findings in the committee section.
func block(t *testing.T, out, after, name string) []string {
	t.Helper()
	_, rest, ok := strings.Cut(out, after)
	require.True(t, ok, "no %q in the output", after)
	_, rest, ok = strings.Cut(rest, "\n  "+name+"\n")
	require.True(t, ok, "no heading %q after %q", name, after)
	var lines []string
	for l := range strings.Lines(rest) {
		if !strings.HasPrefix(l, "    ") {
			break
		}
		lines = append(lines, strings.TrimSpace(l))
	}
	return lines
}

// partyMembers returns the district's Party members on the roll on the
// plan date, by ID: whom the plan must place, each exactly once.
func partyMembers(d *district) map[uuid.UUID]cadre.Cadre {
	out := map[uuid.UUID]cadre.Cadre{}
	for _, c := range d.cadres {
		onRoll := c.Status == cadre.StatusActive || c.StatusOn.After(planOn)
		if c.Party.IsMember() && onRoll {
			out[c.ID] = c
		}
	}
	return out
}

func TestPlanChinese(t *testing.T) {
	code, out, errOut := runArgs(t, context.Background(), "--on", "2026-11-28")
	require.Equal(t, 0, code, errOut)
	assert.Empty(t, errOut)

	members := len(partyMembers(newDistrict()))
	assert.Equal(t, "示例城区离退休干部党支部设置方案，截至 2026-11-28", lineOf(t, out, "示例城区"))
	// 18 moves: 6 split off 舜园, 韩宝山 who moved house, 7 in 燕山 and 2
	// in 经五路 who had no branch, and the memberships of the member who
	// died and the one who moved away.
	assert.Equal(t, fmt.Sprintf("在册党员%d名，拟设党支部7个；组织关系调整18人次，撤销党支部0个", members), lineOf(t, out, "在册党员"))

	for _, want := range []string{
		"趵突泉社区离退休干部党支部  社区党支部  趵突泉社区  党员15名（正式党员14名）  调整",
		"大明湖社区离退休干部党支部  社区党支部  大明湖社区  党员10名（正式党员9名）  不变",
		"杆石桥社区离退休干部党支部  社区党支部  杆石桥社区  党员16名（正式党员15名）  调整",
		"舜园社区离退休干部党支部  社区党支部  舜园社区  党员50名（正式党员44名）  调整",
		"舜园社区离退休干部第二党支部  社区党支部  舜园社区  党员6名（正式党员5名）  新建",
		"燕山社区离退休干部党支部  社区党支部  燕山社区  党员7名（正式党员6名）  新建",
		// 经四路 is left with two full members: with 经五路 next door it
		// forms a joint branch of exactly these two communities.
		"经四路社区离退休干部党支部  联合党支部  经四路社区、经五路社区  党员5名（正式党员3名）  调整",
	} {
		name, _, _ := strings.Cut(want, "  ")
		assert.Equal(t, want, lineOf(t, out, name+"  "))
	}
	assert.Contains(t, out, "· 经四路社区正式党员不足3名，不能单独成立党支部，与相邻社区组成联合党支部\n")
	assert.Contains(t, out, "· 覆盖经四路社区、经五路社区，相邻社区中心点相距不超过0.5公里\n")
	assert.Contains(t, out, "· 由社区党支部改为联合党支部\n")
	assert.Contains(t, out, "· 超过50人，按年龄和健康状况分设：6名年龄较大或行动不便的党员另行编组，便于就近活动或送学上门\n")

	for _, want := range []string{
		"郭守仁：「经四路社区离退休干部党支部」 → （组织关系终止）。去世，组织关系终止",
		"胡广田：「趵突泉社区离退休干部党支部」 → （组织关系终止）。迁出，组织关系随人转出",
		"韩宝山：「杆石桥社区离退休干部党支部」 → 「趵突泉社区离退休干部党支部」。居住社区或原单位不在所在党支部范围内",
		"钱锡山：（未编入党支部） → 「经四路社区离退休干部党支部」。尚未编入党支部",
		// The frail members leave the 舜园 branch for the second one.
		"孙德明：「舜园社区离退休干部党支部」 → 「舜园社区离退休干部第二党支部」。所在党支部人数超过上限，分设",
		"周桂兰：「舜园社区离退休干部党支部」 → 「舜园社区离退休干部第二党支部」。所在党支部人数超过上限，分设",
		"赵永福：「舜园社区离退休干部党支部」 → 「舜园社区离退休干部第二党支部」。所在党支部人数超过上限，分设",
		"吴淑贞：「舜园社区离退休干部党支部」 → 「舜园社区离退休干部第二党支部」。所在党支部人数超过上限，分设",
	} {
		name, _, _ := strings.Cut(want, "：")
		assert.Equal(t, want, lineOf(t, out, name+"："))
	}
	// Members kept where they are have no move: the 舜园 committee stays.
	assert.NotContains(t, out, "刘振华：")
	assert.NotContains(t, out, "徐立新：")

	const committees = "三、支部班子"
	assert.Equal(t, []string{"未发现问题"}, block(t, out, committees, "舜园社区离退休干部党支部"))
	assert.Equal(t, []string{"问题  任期已满，应换届：本届任期自2023-05-10起3年，已于2026-05-10届满，应当换届选举"},
		block(t, out, committees, "杆石桥社区离退休干部党支部"))
	assert.Equal(t, []string{"提示  即将换届：本届任期将于2027-01-20届满（还有53天），请准备换届选举"},
		block(t, out, committees, "趵突泉社区离退休干部党支部"))
	assert.Equal(t, []string{
		"问题  支委会人数不足：正式党员9名，应设3至5人的支部委员会，现有1人",
		"提示  委员职务空缺：支部委员会未设组织委员",
		"提示  委员职务空缺：支部委员会未设宣传委员",
		"提示  委员职务空缺：支部委员会未设纪检委员",
	}, block(t, out, committees, "大明湖社区离退休干部党支部"))
	assert.Equal(t, []string{
		"问题  未设书记：支部未设书记",
		"问题  任职者不是本支部党员：书记的任职者不是本支部在册党员（郭守仁）",
		"提示  不设支委会：正式党员3名，不足7名，不设支部委员会：下次选举只设书记（必要时设副书记）",
	}, block(t, out, committees, "经四路社区离退休干部党支部"))
	assert.Equal(t, []string{"问题  未设书记：支部未设书记"}, block(t, out, committees, "燕山社区离退休干部党支部"))

	// Dues, worked by hand: 4321.50 × 0.5 % = 21.6075 → 21.61; 5123.40 ×
	// 1 % = 51.234 → 51.23; 5000.00 is still at 0.5 %: 25.00; 3860.00 ×
	// 0.5 % = 19.30, six months 115.80; 3200.00 × 0.5 % = 16.00, reduced to
	// 5.00; 2980.00 × 0.5 % = 14.90, exempt.
	assert.Contains(t, out, "四、党费（核对 2026-01 至 2026-10）\n")
	for name, want := range map[string]string{
		"马建国": "马建国  基本离退休费4321.50元  月交党费21.61元  无欠交  无：党费已按月交纳",
		"高玉梅": "高玉梅  基本离退休费5123.40元  月交党费51.23元  未交2个月（2026-09、2026-10）共102.46元  无：欠交2个月党费",
		"唐秀珍": "唐秀珍  基本离退休费5000.00元  月交党费25.00元  未交3个月（2026-08、2026-09、2026-10）共75.00元  提醒交纳：连续3个月未交纳党费，请提醒交纳",
		"冯学军": "冯学军  基本离退休费3860.00元  月交党费19.30元  未交6个月（2026-05、2026-06、2026-07、2026-08、2026-09、2026-10）共115.80元  " +
			"提请组织处理：连续6个月未交纳党费，提请党支部按规定研究处理（是否按自行脱党处理由党组织决定，软件不作处置）",
		"朱翠萍": "朱翠萍  基本离退休费3200.00元  月交党费5.00元（减交，标准16.00元）  无欠交  无：党费已按月交纳",
		"许凤英": "许凤英  基本离退休费2980.00元  月交党费0.00元（免交，标准14.90元）  无欠交  无：党费已按月交纳",
		// Died on 15 August: September, paid with the quarter, is not owed.
		"郭守仁": "郭守仁  基本离退休费6540.00元  去世 2026-08-15，党费至此终止  无欠交  无：党费已按月交纳  多交65.40元，应退还或按本人（家属）意愿处理",
	} {
		assert.Equal(t, want, lineOf(t, out, name+"  "))
	}
}

func TestPlanCoversEveryMember(t *testing.T) {
	d := newDistrict()
	rep := planJSON(t)
	members := partyMembers(d)

	seen := map[uuid.UUID]int{}
	final := map[uuid.UUID]uuid.UUID{}
	for _, b := range rep.Branches {
		assert.LessOrEqual(t, b.Members, 50, b.Name)
		assert.Len(t, b.MemberIDs, b.Members, b.Name)
		full := 0
		for _, id := range b.MemberIDs {
			seen[id]++
			final[id] = b.ID
			if members[id].Party == cadre.PartyFull {
				full++
			}
		}
		assert.Equal(t, full, b.FullMembers, b.Name)
		switch b.Kind {
		case branch.KindCommunity:
			assert.GreaterOrEqual(t, full, 3, b.Name)
			assert.Len(t, b.Communities, 1, b.Name)
		case branch.KindJoint:
			assert.Equal(t, []string{"jsl", "jwl"}, b.Communities, b.Name)
			assert.LessOrEqual(t, len(b.Communities), 5, b.Name)
		default:
			t.Errorf("%s: unexpected kind %s", b.Name, b.Kind)
		}
	}
	for id, c := range members {
		assert.Equal(t, 1, seen[id], "%s is in %d branches", c.Name, seen[id])
	}
	assert.Len(t, seen, len(members), "only Party members on the roll are placed")
	assert.Equal(t, len(members), rep.Members)

	// Every member whose branch changes has exactly one move, and no one
	// else moves but the two whose memberships end.
	current := map[uuid.UUID]uuid.UUID{}
	for _, m := range d.memberships {
		if m.Covers(planOn) {
			current[m.CadreID] = m.BranchID
		}
	}
	var wantMoved, moved []string
	for id, c := range members {
		if current[id] != final[id] {
			wantMoved = append(wantMoved, c.Name)
		}
	}
	wantMoved = append(wantMoved, "郭守仁", "胡广田")
	for _, m := range rep.Moves {
		moved = append(moved, m.Name)
		assert.NotEmpty(t, m.Text, m.Name)
		assert.NotEmpty(t, m.ReasonLabel, m.Name)
	}
	slices.Sort(wantMoved)
	slices.Sort(moved)
	assert.Equal(t, wantMoved, moved)
}

// The split keeps the members able to travel together: those who leave the
// 舜园 branch are the frail ones and the oldest.
func TestSplitByAgeAndHealth(t *testing.T) {
	d := newDistrict()
	rep := planJSON(t)
	members := partyMembers(d)
	var first, second []cadre.Cadre
	for _, b := range rep.Branches {
		for _, id := range b.MemberIDs {
			switch b.Name {
			case "舜园社区离退休干部党支部":
				first = append(first, members[id])
			case "舜园社区离退休干部第二党支部":
				second = append(second, members[id])
			}
		}
	}
	require.Len(t, first, 50)
	require.Len(t, second, 6)
	frail := func(c cadre.Cadre) bool { return c.Health == cadre.HealthSerious || c.Health == cadre.HealthDependent }
	youngestLeaving := 200
	var names []string
	for _, c := range second {
		names = append(names, c.Name)
		if !frail(c) {
			youngestLeaving = min(youngestLeaving, c.Age(planOn))
		}
	}
	for _, n := range []string{"孙德明", "周桂兰", "赵永福", "吴淑贞"} {
		assert.Contains(t, names, n)
	}
	for _, c := range first {
		assert.False(t, frail(c), "%s is frail and stays", c.Name)
		assert.LessOrEqual(t, c.Age(planOn), youngestLeaving, "%s is older than one who leaves", c.Name)
	}
}
