package care

import (
	"time"

	"github.com/wanxia/wanxia/cadre"
)

// day is a date as a count of days since 1970-01-01 (proleptic Gregorian).
// Schedule works in days because it compares and shifts dates a few hundred
// times per cadre, and plain integers cost a fraction of time.Date's
// normalisation.
type day int

// dayOf converts a real calendar date to its day number.
func dayOf(d cadre.Date) day {
	// Howard Hinnant's days_from_civil.
	y, m := d.Year, int(d.Month)
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d.Day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return day(era*146097 + doe - 719468)
}

// date converts back (Hinnant's civil_from_days).
func (n day) date() cadre.Date {
	z := int(n) + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return cadre.Date{Year: y, Month: time.Month(m), Day: d}
}

// monthStart returns the first day of month m of year y; m may run past 12
// or below 1 and carries into the year.
func monthStart(y int, m int) day {
	y += (m - 1) / 12
	m = (m-1)%12 + 1
	if m < 1 {
		m += 12
		y--
	}
	return dayOf(cadre.Date{Year: y, Month: time.Month(m), Day: 1})
}
