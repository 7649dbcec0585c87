package roster

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wanxia/wanxia/cadre"
)

// layout is the header of one file: the column at each position, nil where
// the header is empty or unknown.
type layout []*column

// byHeader finds a column by headerKey of either of its headers.
var byHeader = func() map[string]*column {
	m := make(map[string]*column, 2*len(columns))
	for i := range columns {
		m[headerKey(columns[i].zh)] = &columns[i]
		m[headerKey(columns[i].en)] = &columns[i]
	}
	return m
}()

// headerFolds are the variations of a header that people type: spaces, and
// full-width brackets and spaces from a Chinese input method.
var headerFolds = strings.NewReplacer(" ", "", "\u3000", "", "（", "(", "）", ")")

func headerKey(h string) string {
	return strings.ToLower(strings.TrimSpace(headerFolds.Replace(h)))
}

// parseHeader maps the header row to columns and returns the headers it did
// not recognise.
func parseHeader(header []string) (layout, []string, error) {
	l := make(layout, len(header))
	var unknown []string
	at := map[string]int{} // field → position in the header
	for i, h := range header {
		key := headerKey(h)
		if key == "" {
			continue
		}
		col := byHeader[key]
		if col == nil {
			unknown = append(unknown, strings.TrimSpace(h))
			continue
		}
		if j, dup := at[col.field]; dup {
			return nil, nil, cadre.Worded(fmt.Errorf("%w: columns %d and %d are both %s (%s); delete one of them", ErrDuplicateColumn, j+1, i+1, col.zh, col.en),
				fmt.Sprintf("第 %d 列和第 %d 列都是“%s”：删去其中一列", j+1, i+1, col.zh))
		}
		at[col.field] = i
		l[i] = col
	}
	if _, ok := at["id_number"]; !ok {
		return nil, nil, cadre.Worded(fmt.Errorf("%w: no 身份证号 (id_number) column; the first row must be the header, so delete any title rows above it", ErrMissingColumn),
			"第一行里没有“身份证号”一列：第一行应是表头（姓名、身份证号、社区……）；表头上面如有标题行，请删去；缺这一列就补上")
	}
	return l, unknown, nil
}

// cellBreaks turns the line breaks and tabs of a cell (Excel's Alt+Enter)
// into spaces: every field of a cadre holds one line. Any other control or
// invisible character is left for Validate to refuse, with its place.
var cellBreaks = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ")

// row reads one record into a normalised cadre and returns it with every
// problem found: cells that could not be read, then validation problems.
func (l layout) row(rec []string, asOf time.Time) (cadre.Cadre, []*cadre.FieldError) {
	var d draft
	var ps []*cadre.FieldError
	n := min(len(rec), len(l))
	for i, cell := range rec[:n] {
		col, cell := l[i], strings.TrimSpace(cellBreaks.Replace(cell))
		if col == nil || cell == "" {
			continue
		}
		if err := col.read(&d, cell); err != nil {
			ps = append(ps, &cadre.FieldError{Field: col.field, Err: err})
		}
	}
	if !blank(rec[n:]) {
		ps = append(ps, &cadre.FieldError{Err: cadre.Worded(errors.New("the row has more cells than the header has columns; a value probably contains a comma, so put it in quotes or remove the comma"),
			"这一行的格子比表头多：可能某个值里有英文逗号，请给它加上引号或去掉逗号")})
	}
	if p := d.locate(ps); p != nil {
		ps = append(ps, p)
	}
	c := d.c
	c.Normalize()
	return c, append(ps, validate(c, asOf, ps)...)
}

// locate sets the location when both coordinates were read. Only one of
// them is a problem, unless the other could not be read, which is already
// reported.
func (d *draft) locate(read []*cadre.FieldError) *cadre.FieldError {
	switch {
	case d.lat != nil && d.lng != nil:
		d.c.Location = &cadre.Location{Lat: *d.lat, Lng: *d.lng}
	case hasField(read, "lat") || hasField(read, "lng"):
	case d.lat != nil:
		return &cadre.FieldError{Field: "lng", Err: cadre.Worded(fmt.Errorf("%w: the latitude is given without it; fill in both or neither", cadre.ErrRequired),
			"填了纬度却没有经度：两个都填，或都不填")}
	case d.lng != nil:
		return &cadre.FieldError{Field: "lat", Err: cadre.Worded(fmt.Errorf("%w: the longitude is given without it; fill in both or neither", cadre.ErrRequired),
			"填了经度却没有纬度：两个都填，或都不填")}
	}
	return nil
}

// validate returns c's validation problems that add to those already found
// in reading: a cell that could not be read is not also reported as empty,
// and a missing birth date or gender is not reported when the ID number,
// which supplies them, is itself at fault.
func validate(c cadre.Cadre, asOf time.Time, read []*cadre.FieldError) []*cadre.FieldError {
	var ve *cadre.ValidationError
	if !errors.As(c.Validate(asOf), &ve) {
		return nil
	}
	idBad := hasField(read, "id_number") || slices.Contains(ve.Fields(), "id_number")
	var out []*cadre.FieldError
	for _, p := range ve.Problems {
		fromID := (p.Field == "birth_date" || p.Field == "gender") && errors.Is(p.Err, cadre.ErrRequired)
		if hasField(read, p.Field) || (idBad && fromID) {
			continue
		}
		out = append(out, p.WithErr(withHint(p.Err)))
	}
	return out
}

// withHint adds what to do to the validation problems whose message says
// only what is wrong.
func withHint(err error) error {
	var hint string
	switch {
	case errors.Is(err, cadre.ErrRequired):
		hint = "fill in this column"
	case errors.Is(err, cadre.ErrFuture):
		hint = "a date cannot be later than the day the roster is read; correct it"
	case errors.Is(err, cadre.ErrOrder):
		hint = "check both dates against the records"
	case errors.Is(err, cadre.ErrMismatch):
		hint = "correct this column or the ID number"
	default:
		return err
	}
	return fmt.Errorf("%w; %s", err, hint)
}

func hasField(ps []*cadre.FieldError, field string) bool {
	return slices.ContainsFunc(ps, func(p *cadre.FieldError) bool { return p.Field == field })
}

// readIDNumber refuses the forms an ID number takes after Excel has stored
// it as a number, since the lost digits cannot be recovered from the file:
// "3.70102E+17", a trailing ".0", 16 or 17 digits, or 18 digits whose last
// three became 000 and so fail the check. A 15-digit number is left to the
// cadre package, which knows it as the old format.
func readIDNumber(d *draft, cell string) error {
	n := len(cell)
	switch {
	case strings.Contains(strings.ToUpper(cell), "E+"), strings.HasSuffix(cell, ".0"),
		allDigits(cell) && (n == 16 || n == 17),
		allDigits(cell) && n == 18 && strings.HasSuffix(cell, "000") && errors.Is(cadre.ValidateIDNumber(cell), cadre.ErrIDCheck):
		return ErrIDAsNumber
	}
	d.c.IDNumber = cell
	return nil
}
