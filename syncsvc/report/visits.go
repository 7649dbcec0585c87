package report

import (
	"cmp"
	"slices"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
)

var (
	stateOverdue  = Label{"overdue", Text{"逾期", "overdue"}}
	stateUpcoming = Label{"upcoming", Text{"即将到期", "due soon"}}
)

// visitRow is one visit owed, before it becomes a row.
type visitRow struct {
	c      cadre.Cadre
	due    care.Due
	helper string
}

// visits lists, for every cadre in scope, the visits care.Schedule finds
// unmade on On: overdue first, then those due within UpcomingDays.
func (b *builder) visits() ([]*Table, error) {
	recs, err := b.c.ScheduleRecords()
	if err != nil {
		return nil, err
	}
	helpers, err := b.c.Helpers()
	if err != nil {
		return nil, err
	}
	helperName := map[uuid.UUID]string{}
	for _, h := range helpers {
		helperName[h.ID] = h.Name
	}
	var rows []visitRow
	cadres := map[uuid.UUID]bool{}
	for _, c := range b.scoped {
		rec := recs[c.ID]
		// A condolence is owed after the pair ended on the date of death:
		// name the helper who looked after the cadre until then.
		helperOn := b.on
		if !c.OnRoll(b.on) && !c.StatusOn.IsZero() {
			helperOn = c.StatusOn.AddDays(-1)
		}
		helper := ""
		for _, p := range rec.Pairs {
			if p.InForce(helperOn) {
				helper = cmp.Or(helperName[p.HelperID], p.HelperID.String()[:8])
			}
		}
		for _, d := range care.Schedule(c, rec, b.on, b.s.Schedule) {
			if d.SatisfiedBy != nil || (!d.Overdue && d.DueOn.DaysSince(b.on) > b.s.UpcomingDays) {
				continue
			}
			rows = append(rows, visitRow{c: c, due: d, helper: helper})
			cadres[c.ID] = true
		}
	}
	slices.SortStableFunc(rows, func(x, y visitRow) int {
		if x.due.Overdue != y.due.Overdue {
			if x.due.Overdue {
				return -1
			}
			return 1
		}
		return cmp.Or(x.due.DueOn.Compare(y.due.DueOn), cmp.Compare(x.c.Community, y.c.Community), b.compareNames(x.c.Name, y.c.Name))
	})
	t := &Table{Key: "visits", Name: Text{"走访：逾期与近期到期", "Visits overdue and due soon"}, Columns: []Column{
		{"state", "状态", "state", 10},
		{"community", "社区", "community", 14},
		{"name", "姓名", "name", 10},
		{"helper", "帮扶人", "helper", 10},
		{"visit", "走访事项", "visit", 22},
		{"due_on", "应于", "due", 12},
		{"window_start", "窗口开始", "window opens", 12},
		{"window_end", "窗口结束", "window closes", 12},
		{"days", "逾期或剩余天数", "days overdue or left", 14},
	}}
	overdue := 0
	for _, v := range rows {
		state, days := stateUpcoming, v.due.DueOn.DaysSince(b.on)
		if v.due.Overdue {
			state, days = stateOverdue, -days
			overdue++
		}
		t.add(state, b.community(v.c.Community), v.c.Name, v.helper, dueLabel(v.due), v.due.DueOn, v.due.WindowStart, v.due.WindowEnd, int64(days))
	}
	t.Summary = tf("逾期 %d 项，%d 天内到期 %d 项，涉及干部 %d 名", "%[1]d overdue, %[3]d due within %[2]d days, for %[4]d cadres",
		overdue, b.s.UpcomingDays, len(rows)-overdue, len(cadres))
	return []*Table{t}, nil
}

// dueLabel is a due's kind, with the age of a birthday.
func dueLabel(d care.Due) Label {
	l := labelOf(d.Kind, care.DueKind.Label)
	if d.Milestone > 0 {
		age := tf("（%d岁）", " (%d)", d.Milestone)
		l.Zh += age.Zh
		l.En += age.En
	}
	return l
}
