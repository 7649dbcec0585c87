package care

import (
	"sync"
	"time"

	"github.com/6tail/lunar-go/calendar"

	"github.com/wanxia/wanxia/cadre"
)

// Years for which the lunar holidays are computed. lunar-go gives Julian
// dates before the Gregorian reform of 1582, and cadre.Date is Gregorian.
const (
	minLunarYear = 1583
	maxLunarYear = 9999
)

// holidays are one Gregorian year's lunar holidays.
type holidays struct{ springFestival, doubleNinth day }

// holidayCache keeps each year's holidays once computed. lunar-go spends
// about a millisecond on a year behind one global lock, and Schedule asks
// for the same few years for every cadre; the dates of a year never change,
// so remembering them keeps Schedule pure and fast.
var holidayCache sync.Map // int → holidays

func holidaysOf(year int) (holidays, bool) {
	if year < minLunarYear || year > maxLunarYear {
		return holidays{}, false
	}
	if h, ok := holidayCache.Load(year); ok {
		return h.(holidays), true
	}
	h := holidays{
		springFestival: dayOf(solarOf(calendar.NewLunarFromYmd(year, 1, 1))),
		doubleNinth:    dayOf(solarOf(calendar.NewLunarFromYmd(year, 9, 9))),
	}
	holidayCache.Store(year, h)
	return h, true
}

func solarOf(l *calendar.Lunar) cadre.Date {
	s := l.GetSolar()
	return cadre.NewDate(s.GetYear(), time.Month(s.GetMonth()), s.GetDay())
}

// SpringFestival returns the Gregorian date of the Spring Festival (春节,
// the first day of the first lunar month) of the given lunar year, which
// falls in the Gregorian year of the same number (2027 → 2027-02-06). It
// returns the zero Date for years before 1583 or after 9999.
func SpringFestival(year int) cadre.Date {
	h, ok := holidaysOf(year)
	if !ok {
		return cadre.Date{}
	}
	return h.springFestival.date()
}

// DoubleNinth returns the Gregorian date of the Double Ninth Festival (重阳节,
// the ninth day of the ninth lunar month) of the given year (2027 →
// 2027-10-08). It returns the zero Date for years before 1583 or after 9999.
func DoubleNinth(year int) cadre.Date {
	h, ok := holidaysOf(year)
	if !ok {
		return cadre.Date{}
	}
	return h.doubleNinth.date()
}
