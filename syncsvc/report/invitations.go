package report

import (
	"github.com/wanxia/wanxia/cadre"
)

// invited reports whether the spring forum invites c on d: a cadre of
// 副县处级 and above (docs/domain.md, political treatment), on the roll, whose
// health allows a meeting (good, or a chronic illness).
func invited(c cadre.Cadre, d cadre.Date) bool {
	return c.Rank == cadre.RankCountyDeputyPlus && c.OnRoll(d) && (c.Health == cadre.HealthGood || c.Health == cadre.HealthChronic)
}

// invitations lists the cadres in scope the spring forum invites on On, by
// community and name. ID numbers are masked: the list goes to people who
// arrange seats and cars.
func (b *builder) invitations() ([]*Table, error) {
	t := &Table{Key: "invitations", Name: Text{"春季座谈会邀请名单", "Spring forum invitations"}, Columns: []Column{
		{"community", "社区", "community", 14},
		{"name", "姓名", "name", 10},
		{"gender", "性别", "gender", 6},
		{"age", "年龄", "age", 6},
		{"category", "类别", "category", 8},
		{"health", "健康状况", "health", 10},
		{"phone", "电话", "phone", 16},
		{"original_unit", "原工作单位", "original unit", 30},
		{"id_number", "身份证号", "ID number", 22},
	}}
	ranked, onTheRoll, byHealth := 0, 0, 0
	for _, c := range b.scoped {
		if c.Rank != cadre.RankCountyDeputyPlus {
			continue
		}
		ranked++
		if !c.OnRoll(b.on) {
			continue
		}
		onTheRoll++
		if !invited(c, b.on) {
			byHealth++
			continue
		}
		t.add(b.community(c.Community), c.Name, labelOf(c.Gender, cadre.Gender.Label), int64(c.Age(b.on)),
			labelOf(c.Category, cadre.Category.Label), labelOf(c.Health, cadre.Health.Label), c.Phone, c.OriginalUnit, cadre.MaskIDNumber(c.IDNumber))
	}
	t.Summary = tf("副县处级及以上 %d 名，在册 %d 名；邀请 %d 名，因健康状况未邀请 %d 名（可安排走访）",
		"%d of county deputy rank and above, %d on the roll; %d invited, %d not invited for their health (visit them instead)",
		ranked, onTheRoll, len(t.Rows), byHealth)
	return []*Table{t}, nil
}
