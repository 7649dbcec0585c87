package care_test

import (
	"fmt"
	"time"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
)

func ExampleAssign() {
	on := cadre.NewDate(2026, 11, 28)
	home := func(lng float64) *cadre.Location { return &cadre.Location{Lat: 36.65, Lng: lng} }
	lixiu := cadre.Cadre{ID: id(1), Name: "王建国", BirthDate: cadre.NewDate(1930, 3, 1), Category: cadre.Lixiu,
		Health: cadre.HealthChronic, Living: cadre.LivingSpouse, ChildrenNearby: true, Status: cadre.StatusActive, Location: home(117.02)}
	alone := cadre.Cadre{ID: id(2), Name: "李秀英", BirthDate: cadre.NewDate(1941, 5, 1), Category: cadre.Tuixiu,
		Health: cadre.HealthGood, Living: cadre.LivingAlone, Status: cadre.StatusActive, Location: home(117.00)}
	aged := cadre.Cadre{ID: id(3), Name: "赵德明", BirthDate: cadre.NewDate(1944, 8, 1), Category: cadre.Junxiu,
		Health: cadre.HealthGood, Living: cadre.LivingFamily, ChildrenNearby: true, Status: cadre.StatusActive, Location: home(117.05)}
	in := care.AssignInput{
		On:     on,
		Cadres: []cadre.Cadre{lixiu, alone, aged},
		Helpers: []care.Helper{
			{ID: id(100), Name: "局长", Base: home(117.01), Capacity: 1, ActiveFrom: cadre.NewDate(2024, 1, 1)},
			{ID: id(101), Name: "副局长", Base: home(117.03), Capacity: 1, ActiveFrom: cadre.NewDate(2024, 1, 1)},
		},
	}
	r := care.Assign(in, care.DefaultAssignSettings())
	names := map[any]string{id(1): lixiu.Name, id(2): alone.Name, id(3): aged.Name, id(100): "局长", id(101): "副局长"}
	for _, a := range r.Pairs {
		fmt.Printf("%s – %s: tier %d, %s, %.1f km\n", names[a.HelperID], names[a.CadreID], a.Tier, a.Reason.Label(cadre.Chinese), a.Km)
	}
	for _, u := range r.Unpaired {
		fmt.Printf("unpaired: %s, tier %d: %s\n", names[u.CadreID], u.Tier, u.Reason.Label(cadre.English))
	}
	fmt.Printf("total %.1f km\n", r.TotalKm())
	// Output:
	// 局长 – 李秀英: tier 3, 高龄独居或空巢, 0.9 km
	// 副局长 – 王建国: tier 1, 离休干部, 0.9 km
	// unpaired: 赵德明, tier 5: no helper capacity left
	// total 1.8 km
}

func ExampleSchedule() {
	c := cadre.Cadre{ID: id(1), Name: "李秀英", BirthDate: cadre.NewDate(1947, 1, 20), Category: cadre.Tuixiu,
		Health: cadre.HealthGood, Living: cadre.LivingAlone, Status: cadre.StatusActive}
	rec := care.Records{
		Pairs: []care.Pair{{HelperID: id(100), CadreID: c.ID, From: cadre.NewDate(2026, 6, 1), Reason: cadre.NeedAloneElderly}},
		Visits: []care.Visit{
			{CadreID: c.ID, Kind: care.VisitHome, On: cadre.NewDate(2026, 10, 15)},
			{CadreID: c.ID, Kind: care.VisitCall, On: cadre.NewDate(2026, 11, 10)},
			{CadreID: c.ID, Kind: care.VisitCall, On: cadre.NewDate(2027, 1, 8)},
		},
	}
	for _, d := range care.Schedule(c, rec, cadre.NewDate(2027, 1, 25), care.DefaultScheduleSettings()) {
		status := "open"
		switch {
		case d.SatisfiedBy != nil:
			status = "done " + d.SatisfiedBy.On.String()
		case d.Overdue:
			status = "OVERDUE"
		}
		fmt.Printf("%s %-8s %s (%s – %s)\n", d.DueOn, status, d.Kind.Label(cadre.Chinese), d.WindowStart, d.WindowEnd)
	}
	// Output:
	// 2026-12-31 OVERDUE  月度电话或视频联系 (2026-12-01 – 2026-12-31)
	// 2027-01-20 OVERDUE  逢十寿辰 (2027-01-06 – 2027-01-27)
	// 2027-01-31 done 2027-01-08 月度电话或视频联系 (2027-01-01 – 2027-01-31)
	// 2027-01-31 open     冬送温暖 (2027-01-01 – 2027-01-31)
	// 2027-02-06 open     春节走访 (2027-01-23 – 2027-02-13)
	// 2027-03-31 open     季度入户走访 (2027-01-01 – 2027-03-31)
}

func ExampleSpringFestival() {
	for y := 2026; y <= 2028; y++ {
		fmt.Println(y, care.SpringFestival(y), care.DoubleNinth(y))
	}
	// Output:
	// 2026 2026-02-17 2026-10-18
	// 2027 2027-02-06 2027-10-08
	// 2028 2028-01-26 2028-10-26
}

func ExampleUrgentUnattended() {
	cst := time.FixedZone("CST", 8*3600)
	cases := []care.HelpCase{
		{ID: id(1), Kind: care.HelpMedical, Urgent: true, Status: care.HelpOpen, Opened: time.Date(2026, 11, 27, 8, 0, 0, 0, cst)},
		{ID: id(2), Kind: care.HelpHousekeeping, Urgent: true, Status: care.HelpOpen, Opened: time.Date(2026, 11, 27, 16, 0, 0, 0, cst)},
		{ID: id(3), Kind: care.HelpEconomic, Status: care.HelpOpen, Opened: time.Date(2026, 11, 20, 9, 0, 0, 0, cst)},
	}
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, cst)
	for _, c := range care.UrgentUnattended(cases, now, care.DefaultHelpSettings()) {
		fmt.Println(c.Kind.Label(cadre.Chinese), "opened", now.Sub(c.Opened), "ago")
	}
	for _, k := range care.HelpSummary(cases) {
		fmt.Printf("%s open %d closed %d urgent %d\n", k.Kind.Label(cadre.English), k.Open, k.Closed, k.Urgent)
	}
	// Output:
	// 医疗 opened 26h0m0s ago
	// economic open 1 closed 0 urgent 0
	// medical open 1 closed 0 urgent 1
	// housekeeping open 1 closed 0 urgent 1
	// spiritual open 0 closed 0 urgent 0
}
