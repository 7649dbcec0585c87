package cadre_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
)

func ExampleValidateIDNumber() {
	fmt.Println(cadre.ValidateIDNumber("11010519491231002X"))
	err := cadre.ValidateIDNumber("110105194912310021")
	fmt.Println(errors.Is(err, cadre.ErrIDCheck))
	fmt.Println(cadre.ValidateIDNumber("110105491231002"))
	// Output:
	// <nil>
	// true
	// invalid resident ID number: 15-digit old-format number; enter the 18-character number from the current ID card
}

func ExampleCadre_Validate() {
	c := cadre.Cadre{Name: "李秀英", IDNumber: "11010519491231002X", Category: cadre.Tuixiu}
	c.Normalize() // birth date, gender and status from the ID number and defaults
	err := c.Validate(time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC))
	var ve *cadre.ValidationError
	if errors.As(err, &ve) {
		fmt.Println(ve.Fields())
	}
	fmt.Println(errors.Is(err, cadre.ErrRequired))

	// Only the name, the ID number and the community are required; the
	// rest may be unknown (未填) and is listed as a gap, most needed first.
	c.Community = "sy"
	fmt.Println(c.Validate(time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)))
	for _, g := range c.Gaps()[:3] {
		fmt.Println(g.Label(cadre.Chinese))
	}
	// Output:
	// [community]
	// true
	// <nil>
	// 健康状况
	// 居住情况
	// 党员
}

func ExampleCadre_Needs() {
	c := cadre.Cadre{
		Name:      "张志强",
		BirthDate: cadre.NewDate(1940, 5, 1),
		Category:  cadre.Tuixiu,
		Health:    cadre.HealthChronic,
		Living:    cadre.LivingAlone,
		Status:    cadre.StatusActive,
	}
	on := cadre.NewDate(2026, 11, 28)
	policy := cadre.DefaultPolicy()
	fmt.Println(c.Age(on), c.IsEmptyNest(), c.InDoubleHighPeriod(on, policy))
	fmt.Println("tier", c.NeedTier(on, policy))
	for _, n := range c.Needs(on, policy) {
		fmt.Println(n.Tier(), n.Label(cadre.Chinese), n.Label(cadre.English))
	}
	// Output:
	// 86 true true
	// tier 3
	// 3 高龄独居或空巢 aged and living alone
	// 5 高龄 aged
}

func ExampleParseCategory() {
	for _, s := range []string{"离休", "junxiu"} {
		c, _ := cadre.ParseCategory(s)
		fmt.Println(c, c.Label(cadre.Chinese), c.Label(cadre.English))
	}
	// Output:
	// lixiu 离休 lixiu (pre-1949 veteran)
	// junxiu 军休 military retiree
}

// outing stands for a record of a package above cadre: a trip a cadre
// signed up for.
type outing struct {
	CadreID uuid.UUID
	Kind    string
	On      cadre.Date
	Seats   int
}

// Validate reports every problem with o as a *cadre.ValidationError, so that
// callers handle it like a cadre record's.
func (o outing) Validate() error {
	var ps cadre.Problems
	ps.RequireID("cadre_id", o.CadreID)
	ps.Enum("kind", o.Kind, o.Kind == "park" || o.Kind == "museum")
	if o.On.IsZero() {
		ps.Add("on", cadre.ErrRequired)
	}
	if o.Seats < 1 {
		ps.Addf("seats", cadre.ErrInvalid, "%d: want at least 1", o.Seats)
	}
	if o.Kind == "museum" && o.Seats > 20 {
		// A detail staff should read in Chinese, not just "填写有误".
		ps.AddWorded("seats", cadre.ErrInvalid, "博物馆一次最多接待20人", "a museum takes at most 20 at a time")
	}
	return ps.Err()
}

func ExampleProblems() {
	err := outing{Kind: "zoo"}.Validate()
	fmt.Println(err)
	fmt.Println(errors.Is(err, cadre.ErrRequired))

	err = outing{CadreID: uuid.New(), Kind: "museum", On: cadre.NewDate(2026, 12, 3), Seats: 30}.Validate()
	var ve *cadre.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Println(p.Field, p.Message(cadre.Chinese), "|", p.Message(cadre.English))
		}
	}

	fmt.Println(outing{CadreID: uuid.New(), Kind: "park", On: cadre.NewDate(2026, 12, 3), Seats: 2}.Validate())
	// Output:
	// cadre_id: is required; kind: invalid value: "zoo" is not a known value; on: is required; seats: invalid value: 0: want at least 1
	// true
	// seats 博物馆一次最多接待20人 | invalid value: a museum takes at most 20 at a time
	// <nil>
}

func ExampleFieldLabel() {
	fmt.Println(cadre.FieldLabel("id_number", cadre.Chinese), cadre.FieldLabel("id_number", cadre.English))
	// Output: 身份证号 id number
}
