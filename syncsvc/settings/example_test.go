package settings_test

import (
	"fmt"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/settings"
)

// A district that pairs each helper with three cadres, and visits at home
// every two months.
func ExampleApply() {
	rules, err := settings.Apply(map[string]string{"pairing.capacity": "3", "visits.home_every_months": "2"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rules.Assign.Capacity, rules.Schedule.HomeEveryMonths, rules.Schedule.ContactEveryMonths)
	d, _ := settings.Lookup("pairing.capacity")
	fmt.Println(d.Label(cadre.Chinese))
	// Output:
	// 3 2 1
	// 每位帮扶人结对人数（1对5）
}
