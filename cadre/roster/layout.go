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

// byHeader finds a column by headerKey of either of its headers or of one
// of its headerVariants.
var byHeader = func() map[string]*column {
	m := make(map[string]*column, 4*len(columns))
	for i := range columns {
		col := &columns[i]
		m[headerKey(col.zh)] = col
		m[headerKey(col.en)] = col
		for _, v := range headerVariants[col.field] {
			m[headerKey(v)] = col
		}
	}
	return m
}()

// headerKey is how a header is compared: full-width forms as ASCII (（元）
// as (元)), without spaces and line breaks (姓 名, a header wrapped with
// Alt+Enter), in lower case, without the * that marks a required column or
// a trailing colon.
func headerKey(h string) string {
	k := cadre.FoldValue(h)
	k = strings.TrimLeft(k, "*")
	return strings.TrimRight(k, ":")
}

// lookupHeader finds the column of a header, also without a trailing
// bracket (联系电话(手机), 基本离退休费(元/月)).
func lookupHeader(h string) *column {
	k := headerKey(h)
	if col := byHeader[k]; col != nil {
		return col
	}
	if i := strings.LastIndex(k, "("); i > 0 && strings.HasSuffix(k, ")") {
		return byHeader[k[:i]]
	}
	return nil
}

// headerScan is how many rows from the top of a sheet are searched for the
// header: a title, a line "填报单位：… 日期：…" and blank rows come before it.
const headerScan = 10

// isHeader reports whether rec is the header row: it has the ID number
// column, without which no row can be matched to a cadre. A title row
// that only mentions 身份证号 in a longer text is no header.
func isHeader(rec []string) bool {
	for _, h := range rec {
		if col := lookupHeader(h); col != nil && col.field == "id_number" {
			return true
		}
	}
	return false
}

// parseHeader maps the header row to columns and returns the headers it did
// not recognise.
func parseHeader(header []string) (layout, []string, error) {
	l := make(layout, len(header))
	var unknown []string
	at := map[string]int{} // field → position in the header
	for i, h := range header {
		if headerKey(h) == "" {
			continue
		}
		col := lookupHeader(h)
		if col == nil {
			unknown = append(unknown, cleanText(h, false))
			continue
		}
		if j, dup := at[col.field]; dup {
			return nil, nil, &columnError{err: ErrDuplicateColumn, first: j + 1, second: i + 1,
				a: cleanText(header[j], false), b: cleanText(h, false), col: col}
		}
		at[col.field] = i
		l[i] = col
	}
	if _, ok := at["id_number"]; !ok {
		return nil, nil, &columnError{err: ErrMissingColumn}
	}
	return l, unknown, nil
}

// row reads one record into a normalised cadre and returns it with every
// problem found: cells that could not be read, then validation problems.
// Each cell is read without its line breaks and the spaces around it.
func (l layout) row(rec []string, asOf time.Time) (cadre.Cadre, []*cadre.FieldError) {
	var d draft
	var ps []*cadre.FieldError
	n := min(len(rec), len(l))
	for i, cell := range rec[:n] {
		col, cell := l[i], cleanCell(cell)
		if col == nil || cell == "" {
			continue
		}
		if err := col.read(&d, cell); err != nil {
			ps = append(ps, &cadre.FieldError{Field: col.field, Err: err})
		}
	}
	if !blank(rec[n:]) {
		ps = append(ps, &cadre.FieldError{Err: cadre.Worded(
			errors.New("the row has more cells than the header has columns; a value probably contains a comma, so put it in quotes or remove the comma"),
			"这一行的格子比表头的列多：可能某个值里有逗号，请给它加上引号或去掉逗号", "")})
	}
	if p := d.locate(ps); p != nil {
		ps = append(ps, p)
	}
	if p := d.birthFromMonth(); p != nil {
		ps = append(ps, p)
	}
	c := d.c
	c.Normalize()
	return c, append(ps, validate(c, asOf, ps)...)
}

// cleanCell is a cell as it is read: its line breaks and tabs (Excel's
// Alt+Enter) as spaces, without spaces around it. Any other control or
// invisible character is left for Validate to refuse, with its place.
func cleanCell(cell string) string {
	if !strings.ContainsAny(cell, "\r\n\t") {
		return strings.TrimSpace(cell) // the usual cell: no copy
	}
	return strings.TrimSpace(cellBreaks.Replace(cell))
}

var cellBreaks = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ")

// birthFromMonth completes a birth date given as a year and month from
// the ID number, when they agree; a month the ID number contradicts is a
// problem. With an ID number that is itself at fault, the birth date stays
// unknown and the ID number's problem is reported.
func (d *draft) birthFromMonth() *cadre.FieldError {
	if !d.birthMonth {
		return nil
	}
	given := d.c.BirthDate
	d.c.BirthDate = cadre.Date{}
	info, err := cadre.ParseIDNumber(cadre.NormalizeIDNumber(d.c.IDNumber))
	if err != nil {
		return nil
	}
	if info.BirthDate.Year != given.Year || info.BirthDate.Month != given.Month {
		month := fmt.Sprintf("%04d-%02d", given.Year, int(given.Month))
		return &cadre.FieldError{Field: "birth_date", Err: cadre.Worded(cadre.ErrMismatch,
			fmt.Sprintf("出生年月 %s 与身份证号不符，身份证号中为 %s；改正本列或身份证号", month, info.BirthDate),
			fmt.Sprintf("the birth month %s: the ID number gives %s; correct this column or the ID number", month, info.BirthDate))}
	}
	d.c.BirthDate = info.BirthDate
	return nil
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
		return &cadre.FieldError{Field: "lng", Err: cadre.WordedZH(fmt.Errorf("%w: the latitude is given without it; fill in both or neither", cadre.ErrRequired),
			"填了纬度却没有经度：两个都填，或都不填")}
	case d.lng != nil:
		return &cadre.FieldError{Field: "lat", Err: cadre.WordedZH(fmt.Errorf("%w: the longitude is given without it; fill in both or neither", cadre.ErrRequired),
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
//
// The cell is read as cadre.NormalizeIDNumber writes it (full-width digits
// and Ｘ, a lower-case x and spaces between the digits are how people type
// a number), without the apostrophe that keeps a number as text in Excel.
func readIDNumber(d *draft, cell string) error {
	cell = cadre.NormalizeIDNumber(strings.TrimLeft(cell, "'‘’`"))
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

// cell returns the header as written and the cell of rec in the column of
// field, for a RowError; "location" is the latitude's column. An ID number
// is masked, as every message hides it.
func (l layout) cell(header, rec []string, field string) (string, string) {
	if field == "location" {
		field = "lat"
	}
	for i, col := range l {
		if col == nil || col.field != field {
			continue
		}
		value := ""
		if i < len(rec) {
			value = cleanCell(rec[i])
		}
		if field == "id_number" {
			value = maskCell(value)
		}
		return cleanText(header[i], false), value
	}
	return "", ""
}

// maskCell hides the middle of what was typed as an ID number, whatever
// its length: the first six and last four characters of a long one show
// where it went wrong without showing the birth date.
func maskCell(v string) string {
	r := []rune(v)
	if len(r) == 18 {
		return cadre.MaskIDNumber(v)
	}
	if len(r) < 12 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:6]) + strings.Repeat("*", len(r)-10) + string(r[len(r)-4:])
}
