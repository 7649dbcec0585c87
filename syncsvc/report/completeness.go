package report

import (
	"cmp"
	"slices"
	"strings"

	"github.com/wanxia/wanxia/cadre"
)

// gapRow is one cadre on the roll with at least one unknown field.
type gapRow struct {
	c        *cadre.Cadre // read only: the cadres are shared
	gaps     []cadre.Gap
	possible []cadre.Need
	visit    bool
}

// completeness lists, per community, the cadres on the roll whose records
// lack something (未填), most needed first: first those a home visit could
// put in a higher care tier (a first home visit to find out, by the tier it
// could reveal), then by the most needed field they lack and how many; and
// counts, per community, how many lack each field, with what waits on it.
// Rules never guess a field that is not known (docs/domain.md); this report
// is how the gaps get filled. ID numbers are masked.
func (b *builder) completeness() ([]*Table, error) {
	policy := b.s.Assign.Policy
	var rows []gapRow
	onRoll := 0
	count := map[string]map[string]int{} // community → field → cadres
	for i := range b.scoped {
		c := &b.scoped[i]
		if !c.OnRoll(b.on) {
			continue
		}
		onRoll++
		gaps := c.Gaps()
		if len(gaps) == 0 {
			continue
		}
		if count[c.Community] == nil {
			count[c.Community] = map[string]int{}
		}
		for _, g := range gaps {
			count[c.Community][g.Field]++
		}
		rows = append(rows, gapRow{c: c, gaps: gaps, possible: c.PossibleNeeds(b.on, policy), visit: c.NeedsFirstVisit(b.on, policy)})
	}
	visitTier := func(r gapRow) int {
		if !r.visit {
			return 99
		}
		return r.possible[0].Tier()
	}
	slices.SortStableFunc(rows, func(x, y gapRow) int {
		return cmp.Or(cmp.Compare(x.c.Community, y.c.Community), cmp.Compare(visitTier(x), visitTier(y)),
			cmp.Compare(x.gaps[0].Rank, y.gaps[0].Rank), cmp.Compare(len(y.gaps), len(x.gaps)))
	})

	who := &Table{Key: "gaps", Name: Text{"完整性：缺项名单", "Gaps by cadre"}, Columns: []Column{
		{"community", "社区", "community", 14},
		{"name", "姓名", "name", 10},
		{"id_number", "身份证号", "ID number", 22},
		{"age", "年龄", "age", 6},
		{"first_visit", "需入户了解", "first home visit", 10},
		{"possible_needs", "可能的结对需要", "possible care needs", 30},
		{"missing", "未填项目", "unknown fields", 40},
		{"missing_count", "未填项数", "unknown", 8},
	}}
	visits := 0
	for _, r := range rows {
		if r.visit {
			visits++
		}
		pz, pe := make([]string, 0, len(r.possible)), make([]string, 0, len(r.possible))
		for _, n := range r.possible {
			pz, pe = append(pz, n.Label(cadre.Chinese)), append(pe, n.Label(cadre.English))
		}
		mz, me := make([]string, 0, len(r.gaps)), make([]string, 0, len(r.gaps))
		for _, g := range r.gaps {
			mz, me = append(mz, g.Label(cadre.Chinese)), append(me, g.Label(cadre.English))
		}
		who.add(b.community(r.c.Community), r.c.Name, cadre.MaskIDNumber(r.c.IDNumber), int64(r.c.Age(b.on)), r.visit,
			Text{strings.Join(pz, "、"), strings.Join(pe, ", ")}, Text{strings.Join(mz, "、"), strings.Join(me, ", ")}, int64(len(r.gaps)))
	}
	who.Summary = tf("在册 %d 名，信息齐全 %d 名，有未填项 %d 名；其中 %d 名的健康、类别或居住情况可能使其进入更高的结对等级，请先入户了解",
		"%d on the roll, %d complete, %d with unknown fields; %d of them may be in a higher care tier once their health, category or living is known: visit them first",
		onRoll, onRoll-len(rows), len(rows), visits)

	what := &Table{Key: "fields", Name: Text{"完整性：缺项统计", "Gaps by field"}, Columns: []Column{
		{"community", "社区", "community", 14},
		{"field", "项目", "field", 14},
		{"cadres", "未填人数", "cadres", 10},
		{"waits", "等待此项的规则", "what waits on it", 60},
	}}
	communities := make([]string, 0, len(count))
	for code := range count {
		communities = append(communities, code)
	}
	slices.Sort(communities)
	gapByField := map[string]cadre.Gap{}
	for _, r := range rows {
		for _, g := range r.gaps {
			gapByField[g.Field] = g
		}
	}
	for _, code := range communities {
		for _, f := range cadre.GapFields() {
			n := count[code][f]
			if n == 0 {
				continue
			}
			g := gapByField[f]
			what.add(b.community(code), Label{Code: f, Text: Text{g.Label(cadre.Chinese), g.Label(cadre.English)}}, int64(n),
				Text{g.WaitsIn(cadre.Chinese), g.WaitsIn(cadre.English)})
		}
	}
	what.Summary = Text{"按需要程度排列：越靠前的项目影响的规则越多", "most needed first: the fields earlier in the list decide more rules"}
	return []*Table{who, what}, nil
}
