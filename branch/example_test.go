package branch_test

import (
	"fmt"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
)

// At 5,000 yuan the rate is still 0.5 %; one fen more and 1 % of the whole
// base is due.
func ExampleRetiredMonthlyDues() {
	for _, base := range []int64{123_401, 500_000, 500_001} {
		due := branch.RetiredMonthlyDues(base)
		fmt.Printf("%s yuan → %s yuan\n", cadre.FormatYuan(base), cadre.FormatYuan(due))
	}
	// Output:
	// 1234.01 yuan → 6.17 yuan
	// 5000.00 yuan → 25.00 yuan
	// 5000.01 yuan → 50.00 yuan
}

func ExamplePlan() {
	ns := uuid.MustParse("6ba7b812-9dad-11d1-80b4-00c04fd430c8")
	member := func(name, community string, party cadre.Party) cadre.Cadre {
		return cadre.Cadre{ID: uuid.NewSHA1(ns, []byte(name)), Name: name, Party: party, Community: community,
			Status: cadre.StatusActive, BirthDate: cadre.NewDate(1945, 3, 1)}
	}
	in := branch.PlanInput{
		On: cadre.NewDate(2026, 11, 28),
		Communities: []branch.Community{
			{Code: "sy", Name: "舜园社区", Centre: &cadre.Location{Lat: 36.651, Lng: 117.003}},
			{Code: "gsq", Name: "杆石桥社区", Centre: &cadre.Location{Lat: 36.657, Lng: 116.998}},
			{Code: "dmh", Name: "大明湖社区", Centre: &cadre.Location{Lat: 36.675, Lng: 117.020}},
		},
		Cadres: []cadre.Cadre{
			member("王建国", "sy", cadre.PartyFull), member("李秀英", "sy", cadre.PartyFull),
			member("张志强", "sy", cadre.PartyFull), member("刘桂兰", "sy", cadre.PartyProbationary),
			member("陈明", "gsq", cadre.PartyFull), member("杨帆", "dmh", cadre.PartyFull),
			member("赵磊", "dmh", cadre.PartyFull), member("周红", "gsq", cadre.PartyNone),
		},
	}
	p := branch.Plan(in, branch.DefaultPlanSettings())
	for _, b := range p.Branches {
		fmt.Printf("%s (%s) %v: %d members, %d full\n", b.Branch.Name, b.Branch.Kind.Label(cadre.English), b.Branch.Communities, len(b.Members), b.FullMembers)
		for _, n := range b.Notes {
			fmt.Println("  " + n.En)
		}
	}
	fmt.Println(len(p.Moves), "moves, for example:", p.Moves[0].Text.Zh)
	// Output:
	// 舜园社区离退休干部党支部 (community branch) [sy]: 4 members, 3 full
	// 大明湖社区等2个社区离退休干部联合党支部 (joint branch) [dmh gsq]: 3 members, 3 full
	//   大明湖社区 has too few full members (fewer than 3) for a branch of its own, so it joins neighbouring communities in a joint branch
	//   covers 大明湖社区 (dmh), 杆石桥社区 (gsq); each community's centre is within 2.8 km of another's
	// 7 moves, for example: 王建国：（未编入党支部） → 「舜园社区离退休干部党支部」。尚未编入党支部
}

func ExampleArrears() {
	c := cadre.Cadre{ID: uuid.MustParse("7d444840-9dc0-11d1-b245-5ffdce74fad2"), Name: "王建国",
		Party: cadre.PartyFull, Status: cadre.StatusActive, PensionFen: 512_340}
	ms := []branch.Membership{{CadreID: c.ID, BranchID: uuid.New(), From: cadre.NewDate(2026, 1, 1)}}
	paid := []branch.DuesPayment{{CadreID: c.ID, AmountFen: 2 * 5123, PaidOn: cadre.NewDate(2026, 2, 3),
		Months: []branch.Month{branch.NewMonth(2026, 1), branch.NewMonth(2026, 2)}}}
	st := branch.Arrears(c, ms, paid, nil, cadre.NewDate(2026, 9, 10), branch.DefaultDuesSettings())
	fmt.Println("monthly due:", cadre.FormatYuan(st.MonthlyDueFen), "yuan")
	fmt.Println("unpaid:", st.Unpaid, "owing", cadre.FormatYuan(st.ArrearsFen), "yuan")
	fmt.Println(st.Action.Label(cadre.English)+":", st.Text.En)
	// Output:
	// monthly due: 51.23 yuan
	// unpaid: [2026-03 2026-04 2026-05 2026-06 2026-07 2026-08] owing 307.38 yuan
	// refer to the branch for handling: 6 consecutive months unpaid: refer to the branch for organisational handling (whether to treat it as leaving the Party is for the Party organisation to decide, never the software)
}

func ExampleCheckCommittee() {
	ns := uuid.MustParse("6ba7b812-9dad-11d1-80b4-00c04fd430c8")
	b := branch.Branch{ID: uuid.NewSHA1(ns, []byte("branch")), Name: "舜园社区离退休干部党支部", Kind: branch.KindCommunity, Communities: []string{"sy"}}
	var members []cadre.Cadre
	for i := range 8 {
		members = append(members, cadre.Cadre{ID: uuid.NewSHA1(ns, []byte{byte(i)}), Name: fmt.Sprint("党员", i), Party: cadre.PartyFull, Status: cadre.StatusActive})
	}
	posts := []branch.Post{
		{BranchID: b.ID, CadreID: members[0].ID, Role: branch.RoleSecretary, TermStart: cadre.NewDate(2024, 1, 10)},
		{BranchID: b.ID, CadreID: members[1].ID, Role: branch.RoleOrganisation, TermStart: cadre.NewDate(2024, 1, 10)},
		{BranchID: b.ID, CadreID: members[2].ID, Role: branch.RolePublicity, TermStart: cadre.NewDate(2024, 1, 10)},
	}
	for _, f := range branch.CheckCommittee(b, members, posts, cadre.NewDate(2026, 11, 28), branch.DefaultCommitteeSettings()) {
		fmt.Printf("%s: %s\n", f.Severity.Label(cadre.Chinese), f.Text.Zh)
	}
	// Output:
	// 提示: 本届任期将于2027-01-10届满（还有43天），请准备换届选举
	// 提示: 支部委员会未设纪检委员
}
