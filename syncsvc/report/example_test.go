package report_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/report"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// The spring forum's invitation list of a small district: the cadre of
// 副县处级 in good health is invited, the one who is seriously ill is not.
func ExampleBuild() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "wanxia-report")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	now := time.Date(2027, 1, 20, 9, 0, 0, 0, syncsvc.Shanghai())
	r, err := store.Open(ctx, filepath.Join(dir, "hub.db"), syncsvc.Options{Role: syncsvc.RoleHub, Now: func() time.Time { return now }})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	if err := r.SetCommunity(ctx, store.Community{Code: "sy", Name: "舜园社区"}); err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range []cadre.Cadre{
		{Name: "王建国", IDNumber: "370102194803150070", Health: cadre.HealthGood, Phone: "13805310001", OriginalUnit: "济南市财政局"},
		{Name: "马学军", IDNumber: "370102193607150052", Health: cadre.HealthSerious},
	} {
		c.Category, c.Rank, c.Party, c.Living, c.Community = cadre.Tuixiu, cadre.RankCountyDeputyPlus, cadre.PartyNone, cadre.LivingFamily, "sy"
		c.RetiredOn = cadre.NewDate(2008, 4, 1)
		c.Normalize()
		if _, err := r.PutCadre(ctx, &c); err != nil {
			fmt.Println(err)
			return
		}
	}
	rep, err := report.Build(ctx, r, report.Invitations, report.Options{On: cadre.DateOf(now)})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := rep.WriteText(os.Stdout, cadre.English); err != nil {
		fmt.Println(err)
	}
	// Output:
	// Spring forum invitation list
	// as of 2027-01-20; scope: the district (1 community)
	//
	// [Spring forum invitations]
	// community  name    gender  age  category  health  phone        original unit  ID number
	// 舜园社区   王建国  male     78  retired   good    13805310001  济南市财政局   370102********0070
	// 2 of county deputy rank and above, 2 on the roll; 1 invited, 1 not invited for their health (visit them instead)
}
