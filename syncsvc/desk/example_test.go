package desk_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// exampleOffice opens an office replica in a temporary folder with a branch
// of two members, and returns it with the members and the branch; the
// folder goes when done is called.
func exampleOffice() (r *store.Replica, members []cadre.Cadre, b branch.Branch, done func()) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "desk-example")
	if err != nil {
		panic(err)
	}
	now := func() time.Time { return time.Date(2026, 11, 28, 9, 0, 0, 0, syncsvc.Shanghai()) }
	r, err = store.Open(ctx, filepath.Join(dir, "office.db"), syncsvc.Options{Now: now})
	if err != nil {
		panic(err)
	}
	b = branch.Branch{Name: "舜园社区离退休干部党支部", Kind: branch.KindCommunity, Communities: []string{"sy"}, FoundedOn: cadre.NewDate(2019, 7, 1)}
	if _, err := r.PutBranch(ctx, &b); err != nil {
		panic(err)
	}
	for i, name := range []string{"王建国", "李秀英"} {
		first17 := fmt.Sprintf("3701021950010%d00%d", i+1, i+1)
		check, _ := cadre.IDCheckChar(first17)
		c := cadre.Cadre{Name: name, IDNumber: first17 + string(check), Category: cadre.Tuixiu, Rank: cadre.RankSection,
			Party: cadre.PartyFull, Health: cadre.HealthGood, Living: cadre.LivingSpouse, Community: "sy", PensionFen: 420_000,
			RetiredOn: cadre.NewDate(2010, 1, 1)}
		c.Normalize()
		if _, err := r.PutCadre(ctx, &c); err != nil {
			panic(err)
		}
		m := branch.Membership{CadreID: c.ID, BranchID: b.ID, From: cadre.NewDate(2020, 1, 1)}
		if _, err := r.PutMembership(ctx, &m); err != nil {
			panic(err)
		}
		members = append(members, c)
	}
	return r, members, b, func() { r.Close(); os.RemoveAll(dir) }
}

// An election: the secretary and deputy elected take office on the day, in
// one transaction that reads the posts it ends.
func ExampleElect() {
	ctx := context.Background()
	r, members, b, done := exampleOffice()
	defer done()
	e, err := desk.Elect(ctx, r, desk.ElectInput{BranchID: b.ID, On: cadre.NewDate(2026, 11, 20),
		Holders: map[branch.Role]uuid.UUID{branch.RoleDeputy: members[1].ID, branch.RoleSecretary: members[0].ID}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range e.Elected {
		fmt.Println(p.Post.Role.Label(cadre.Chinese), p.Holder.Name, p.Post.TermStart)
	}
	// Output:
	// 书记 王建国 2026-11-20
	// 副书记 李秀英 2026-11-20
}

// A dues payment whose amount is the months' dues: 0.5% of a pension of
// 4,200 yuan, for two months.
func ExamplePayDues() {
	ctx := context.Background()
	r, members, _, done := exampleOffice()
	defer done()
	v, err := desk.PayDues(ctx, r, desk.PayDuesInput{CadreID: members[0].ID,
		Months: []branch.Month{branch.NewMonth(2026, time.November), branch.NewMonth(2026, time.October)}, PaidOn: cadre.NewDate(2026, 11, 28)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(branch.JoinMonths(v.Payment.Months, ", "), cadre.FormatYuan(v.Payment.AmountFen))
	// Output:
	// 2026-10—2026-11 42.00
}
