package store_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// An office registers a cadre, and recording the cadre's death ends their
// branch membership on that day, in the same transaction.
func Example() {
	dir, err := os.MkdirTemp("", "wanxia-store")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 11, 28, 9, 0, 0, 0, syncsvc.Shanghai()) }
	r, err := store.Open(ctx, filepath.Join(dir, "office.db"), syncsvc.Options{Now: now})
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()

	c := cadre.Cadre{Name: "王建国", IDNumber: "11010519491231002X", Category: cadre.Tuixiu, Rank: cadre.RankSection,
		Party: cadre.PartyFull, Health: cadre.HealthGood, Living: cadre.LivingSpouse, Community: "sy"}
	c.Normalize()
	c.RetiredOn = cadre.NewDate(2009, 12, 31)
	b := branch.Branch{Name: "松园社区离退休干部党支部", Kind: branch.KindCommunity, Communities: []string{"sy"}, FoundedOn: cadre.NewDate(2020, 1, 1)}
	err = r.Update(ctx, func(tx *store.Tx) error {
		if _, err := tx.PutCadre(&c); err != nil {
			return err
		}
		if _, err := tx.PutBranch(&b); err != nil {
			return err
		}
		_, err := tx.PutMembership(&branch.Membership{CadreID: c.ID, BranchID: b.ID, From: cadre.NewDate(2020, 1, 1)})
		return err
	})
	if err != nil {
		log.Fatal(err)
	}

	c.Status, c.StatusOn = cadre.StatusDeceased, cadre.NewDate(2026, 11, 20)
	if _, err := r.PutCadre(ctx, &c); err != nil {
		log.Fatal(err)
	}
	ms, err := r.Memberships(ctx, store.MembershipFilter{CadreID: c.ID})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ms[0].From, "to", ms[0].To)
	// Output: 2020-01-01 to 2026-11-20
}
