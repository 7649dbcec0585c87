package desk_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// An office registers a cadre, then changes one field: the edit reads and
// writes the record in one transaction and keeps every field not given.
func Example_registerAndEditCadre() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "wanxia-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	rep, err := store.Open(ctx, filepath.Join(dir, "office.db"), syncsvc.Options{Role: syncsvc.RoleOffice})
	if err != nil {
		panic(err)
	}
	defer rep.Close()

	saved, err := desk.RegisterCadre(ctx, rep, desk.CadreInput{
		Values: cadre.Cadre{
			Name: "王秀英", IDNumber: "370102194503150028", Category: cadre.Tuixiu, RetiredOn: cadre.NewDate(2000, 4, 1),
			Rank: cadre.RankSection, Party: cadre.PartyFull, Health: cadre.HealthGood, Living: cadre.LivingSpouse,
			Community: "shunyuan", Phone: "0531-88880001",
		},
		Set: []string{"name", "id_number", "category", "retired_on", "rank", "party", "health", "living", "community", "phone"},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(saved.Cadre.Name, saved.Cadre.Gender, saved.Cadre.BirthDate, "registered:", saved.Changed)

	edited, err := desk.EditCadre(ctx, rep, saved.Cadre.ID, desk.CadreInput{
		Values: cadre.Cadre{Living: cadre.LivingAlone},
		Set:    []string{"living"},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(edited.Cadre.Living, edited.Cadre.Phone, "changed:", edited.Changed)

	found, err := desk.FindCadre(ctx, rep, "370102194503150028")
	if err != nil {
		panic(err)
	}
	fmt.Println(found.ID == saved.Cadre.ID)
	// Output:
	// 王秀英 female 1945-03-15 registered: true
	// alone 0531-88880001 changed: true
	// true
}
