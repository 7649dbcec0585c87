package report

import (
	"strings"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/venue"
)

// nearby reports four-nearby coverage on On: venue's Coverage over the
// cadres in scope, per community and in all, and each eligible cadre who
// lacks a service within walking distance, with what is missing.
func (b *builder) nearby() ([]*Table, error) {
	venues, err := b.c.Venues()
	if err != nil {
		return nil, err
	}
	enrolments, err := b.c.Enrolments()
	if err != nil {
		return nil, err
	}
	ix := venue.NewIndex(venues, b.s.Venue)
	cov := ix.Coverage(b.scoped, enrolments, b.on)

	services := venue.AllServices()
	columns := []Column{
		{"community", "社区", "community", 14},
		{"stage", "参加阶段", "stage", 10},
		{"cadres", "在册干部", "cadres", 10},
		{"eligible", "服务对象", "served", 10},
		{"not_enrolled", "社区未参加", "community not enrolled", 12},
		{"unlocated", "无住址坐标", "no coordinates", 12},
	}
	for _, s := range services {
		columns = append(columns, Column{Key: string(s), Zh: s.Label(cadre.Chinese), En: s.Label(cadre.English), Width: 8})
	}
	columns = append(columns, Column{"all_four", "四项齐全", "all four", 10})
	coverage := &Table{Key: "coverage", Name: Text{"四就近：覆盖", "Four-nearby coverage"}, Columns: columns}
	byCode := map[string]venue.CommunityCoverage{}
	for _, c := range cov.Communities {
		byCode[c.Community] = c
	}
	codes := make([]string, 0, len(b.scope.Communities))
	for _, c := range b.scope.Communities {
		codes = append(codes, c.Code)
	}
	for _, code := range codes {
		c := byCode[code]
		stage := venue.Stage("")
		if e, ok := enrolledOn(enrolments, code, b.on); ok {
			stage = e.Stage
		}
		coverage.add(append([]any{b.community(code), labelOf(stage, venue.Stage.Label)}, tallyCells(c.Tally)...)...)
	}
	coverage.Summary = tf("在册干部 %d 名，服务对象 %d 名（另有 %d 名因社区未参加而未纳入），四项服务齐全 %d 名",
		"%d cadres on the roll, %d served (%d more once their community enrols), %d with all four services nearby",
		cov.Cadres, cov.Eligible, cov.NotEnrolled, cov.AllFour)

	missing := &Table{Key: "missing", Name: Text{"四就近：缺少服务的对象", "Served cadres missing a service"}, Columns: []Column{
		{"community", "社区", "community", 14},
		{"name", "姓名", "name", 10},
		{"rule", "服务依据", "served as", 16},
		{"located", "有住址坐标", "located", 10},
		{"missing", "缺少的服务", "services missing", 24},
		{"text", "说明", "explanation", 60},
	}}
	for _, c := range b.scoped {
		ans := ix.FourNearby(c, enrolments, b.on)
		if !ans.Eligibility.Eligible {
			continue
		}
		var lacks, why Text
		for _, s := range ans.Services {
			if s.Covered {
				continue
			}
			lacks = joinText(lacks, Text{s.Service.Label(cadre.Chinese), s.Service.Label(cadre.English)}, "、", ", ")
			if ans.Located {
				why = joinText(why, Text(s.Missing), "；", "; ")
			}
		}
		if lacks.Zh == "" {
			continue
		}
		if !ans.Located {
			why = Text(ans.Note)
		}
		missing.add(b.community(c.Community), c.Name, labelOf(ans.Eligibility.Rule, venue.Rule.Label), ans.Located, lacks, why)
	}
	missing.Summary = tf("服务对象中缺少至少一项服务的 %d 名", "%d served cadres lack at least one service nearby", len(missing.Rows))
	return []*Table{coverage, missing}, nil
}

// enrolledOn returns the community's enrolment in force on d.
func enrolledOn(es []venue.Enrolment, code string, d cadre.Date) (venue.Enrolment, bool) {
	for _, e := range es {
		if e.Community == code && e.InForce(d) {
			return e, true
		}
	}
	return venue.Enrolment{}, false
}

// tallyCells are a tally's counts in the coverage table's order.
func tallyCells(t venue.Tally) []any {
	cells := []any{int64(t.Cadres), int64(t.Eligible), int64(t.NotEnrolled), int64(t.Unlocated)}
	for _, s := range t.Covered {
		cells = append(cells, int64(s.Cadres))
	}
	return append(cells, int64(t.AllFour))
}

// joinText appends t to acc with the separator of each language.
func joinText(acc, t Text, zhSep, enSep string) Text {
	if acc.Zh == "" && acc.En == "" {
		return t
	}
	return Text{Zh: strings.Join([]string{acc.Zh, t.Zh}, zhSep), En: strings.Join([]string{acc.En, t.En}, enSep)}
}
