package roster

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/width"

	"github.com/wanxia/wanxia/cadre"
)

// The date forms a roster cell may hold, for messages. A month-only form is
// read where the column allows it (see dateColumn) and stored as the first
// day of that month.
const (
	dayFormsZh   = "1990-05-01、1990/5/1、1990.05.01、1990年5月1日、19900501 或 Excel 日期"
	monthFormsZh = "1990-05、1990/5、1990.05、1990年5月、199005"
	dayFormsEn   = "1990-05-01, 1990/5/1, 1990.05.01, 1990年5月1日, 19900501 or an Excel date"
	monthFormsEn = "1990-05, 1990/5, 1990.05, 1990年5月, 199005"
)

// excelEpoch is day 0 of Excel's 1900 date system as it counts from day 61
// on: serial 1 would be 1900-01-01 but for the leap day 1900-02-29 that
// Excel counts and the calendar lacks. Serials below 61 are no date a
// roster holds, and a serial is only read with five digits (see parseDate).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// parseDate reads a date cell. It returns the date and whether the cell
// gave only a year and month (then the date is the first of that month and
// monthOK must be set, else the cell is refused). The forms are:
//
//   - year, month and day separated by -, / or . (1990-05-01, 1990/5/1,
//     1990.05.01), or written 1990年5月1日, or eight digits 19900501;
//   - a year and month: 1990-05, 1990/5, 1990.05, 1990年5月, six digits
//     199005;
//   - an Excel date serial of five digits (32994 for 1990-05-01), which is
//     how a CSV saved from Excel shows a date cell formatted as General;
//   - any of these followed by a midnight time (1990/5/1 0:00), as Excel
//     writes a date-and-time cell.
//
// Full-width digits and punctuation and spaces are ignored.
func parseDate(cell string, monthOK bool) (cadre.Date, bool, error) {
	if isoDate(cell) {
		// The form Write writes, read as the general path reads it.
		if date, err := cadre.ParseDate(cell); err == nil {
			return date, false, nil
		}
		return cadre.Date{}, false, badDate(cell, monthOK)
	}
	s := strings.TrimSpace(width.Narrow.String(cell))
	if day, clock, ok := strings.Cut(s, " "); ok && midnight(strings.TrimSpace(clock)) {
		s = day
	}
	s = cadre.FoldValue(s)
	y, m, d, ok := splitDate(s)
	switch {
	case !ok:
		return cadre.Date{}, false, badDate(cell, monthOK)
	case d == "" && !monthOK:
		return cadre.Date{}, true, cadre.Worded(cadre.ErrInvalid,
			fmt.Sprintf("“%s”只有年月，本列要填到日，可写 %s", strings.TrimSpace(cell), dayFormsZh),
			fmt.Sprintf("%q gives only a year and month; this column needs the day: write it as %s", cell, dayFormsEn))
	}
	month := d == ""
	if month {
		d = "1"
	}
	date, err := cadre.ParseDate(y + "-" + pad2(m) + "-" + pad2(d))
	if err != nil {
		return cadre.Date{}, false, badDate(cell, monthOK)
	}
	return date, month, nil
}

// isoDate reports whether cell is written YYYY-MM-DD in ASCII digits.
func isoDate(cell string) bool {
	return len(cell) == 10 && cell[4] == '-' && cell[7] == '-' &&
		allDigits(cell[:4]) && allDigits(cell[5:7]) && allDigits(cell[8:])
}

// splitDate splits a folded date cell into its year, month and day (""
// for a month-only form); an Excel serial gives them from the date it
// counts.
func splitDate(s string) (y, m, d string, ok bool) {
	if y, m, d, ok := serial(s); ok {
		return y, m, d, true
	}
	if rest, found := strings.CutSuffix(s, "日"); found {
		s = rest
	} else if rest, found := strings.CutSuffix(s, "号"); found {
		s = rest
	}
	if strings.Contains(s, "年") {
		s = strings.NewReplacer("年", "-", "月", "-").Replace(s)
		s = strings.TrimSuffix(s, "-")
	} else {
		s = strings.NewReplacer("/", "-", ".", "-").Replace(s)
	}
	parts := strings.Split(s, "-")
	for _, p := range parts {
		if !allDigits(p) {
			return "", "", "", false
		}
	}
	switch {
	case len(parts) == 1 && len(s) == 8:
		return s[:4], s[4:6], s[6:], true
	case len(parts) == 1 && len(s) == 6:
		return s[:4], s[4:], "", true
	case len(parts) == 1:
		return "", "", "", false
	case len(parts[0]) != 4 || len(parts[1]) > 2:
		return "", "", "", false
	case len(parts) == 2:
		return parts[0], parts[1], "", true
	case len(parts) == 3 && len(parts[2]) <= 2:
		return parts[0], parts[1], parts[2], true
	}
	return "", "", "", false
}

// serial reads an Excel date serial of five digits, with any fraction (a
// time of day) dropped.
func serial(s string) (y, m, d string, ok bool) {
	whole, _, _ := strings.Cut(s, ".")
	if len(whole) != 5 || !allDigits(whole) {
		return "", "", "", false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return "", "", "", false
	}
	t := excelEpoch.AddDate(0, 0, int(f))
	return strconv.Itoa(t.Year()), strconv.Itoa(int(t.Month())), strconv.Itoa(t.Day()), true
}

// excelSerialDate returns the date of an Excel serial as YYYY-MM-DD, or
// false when v is no serial of a date after 1900-02-28.
func excelSerialDate(v string) (string, bool) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 61 || f >= 2958466 {
		return "", false
	}
	return excelEpoch.AddDate(0, 0, int(f)).Format(time.DateOnly), true
}

func midnight(clock string) bool {
	switch clock {
	case "0:00", "00:00", "0:00:00", "00:00:00":
		return true
	}
	return false
}

func badDate(cell string, monthOK bool) error {
	zh := fmt.Sprintf("“%s”不是日期；可写 %s", strings.TrimSpace(cell), dayFormsZh)
	en := fmt.Sprintf("%q is not a date; write it as %s, and check that the day exists", cell, dayFormsEn)
	if monthOK {
		zh += fmt.Sprintf("；只知年月时可写 %s", monthFormsZh)
		en += fmt.Sprintf("; a year and month alone as %s", monthFormsEn)
	}
	return cadre.Worded(cadre.ErrInvalid, zh, en)
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

func allDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
