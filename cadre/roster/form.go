package roster

import (
	"slices"
	"time"

	"github.com/wanxia/wanxia/cadre"
)

// ReadForm reads a cadre typed into a form, one cell per field (by JSON
// key; "lat" and "lng" for the position), as a roster's row is read: the
// same forms of dates, labels, yes/no, amounts and ID numbers, so that a
// clerk may type into the form what a roster may hold. A field whose cell
// is empty or absent stays unknown (未填). It returns the cadre,
// normalised (the birth date and gender from a valid ID number when not
// given); the fields whose cells were filled, in the contract's order; and
// every problem, as a roster row's: the cells that could not be read, then
// what validation as of asOf finds in the rest.
func ReadForm(cells map[string]string, asOf time.Time) (cadre.Cadre, []string, []*cadre.FieldError) {
	var d draft
	var ps []*cadre.FieldError
	var given []string
	for i := range columns {
		col := &columns[i]
		cell := cleanCell(cells[col.field])
		if cell == "" {
			continue
		}
		given = append(given, col.field)
		if err := col.read(&d, cell); err != nil {
			ps = append(ps, &cadre.FieldError{Field: col.field, Err: err})
		}
	}
	if p := d.locate(ps); p != nil {
		ps = append(ps, p)
	}
	if p := d.birthFromMonth(); p != nil {
		ps = append(ps, p)
	}
	c := d.c
	c.Normalize()
	ps = append(ps, validate(c, asOf, ps)...)
	slices.SortStableFunc(ps, func(a, b *cadre.FieldError) int { return fieldIndex(a.Field) - fieldIndex(b.Field) })
	return c, given, ps
}

// fieldIndex is a field's place in the layout, for listing problems in
// the form's order; a problem of no column comes first.
func fieldIndex(field string) int {
	if field == "location" {
		field = "lat"
	}
	for i, col := range columns {
		if col.field == field {
			return i + 1
		}
	}
	return 0
}

// ParseDay reads a day typed by a person in any of the forms a roster's
// date cell may take (1990-05-01, 1990/5/1, 1990年5月1日, 19900501, …); a
// year and month alone is refused, with the forms accepted.
func ParseDay(cell string) (cadre.Date, error) {
	d, _, err := parseDate(cleanCell(cell), false)
	return d, err
}
