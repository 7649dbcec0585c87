package roster

import (
	"errors"
	"fmt"
	"testing"

	"github.com/wanxia/wanxia/cadre"
)

// A date written YYYY-MM-DD, which parseDate reads without folding, reads
// as the general path reads it (the same cell with a midnight time after
// it goes that way): real days, and days, months and years that are not.
func TestParseDateShortcutReadsAsTheGeneralPath(t *testing.T) {
	var cells []string
	for _, y := range []int{0, 1900, 1944, 2000, 2026, 9999} {
		for m := 0; m <= 13; m++ {
			for _, d := range []int{0, 1, 28, 29, 30, 31, 32} {
				cells = append(cells, fmt.Sprintf("%04d-%02d-%02d", y, m, d))
			}
		}
	}
	for _, cell := range cells {
		for _, monthOK := range []bool{false, true} {
			date, month, err := parseDate(cell, monthOK)
			wDate, wMonth, wErr := parseDate(cell+" 0:00", monthOK)
			if date != wDate || month != wMonth || (err == nil) != (wErr == nil) || err != nil && !errors.Is(err, cadre.ErrInvalid) {
				t.Fatalf("%s: %v %v %v, the general path %v %v %v", cell, date, month, err, wDate, wMonth, wErr)
			}
		}
	}
}
