package roster

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wanxia/wanxia/cadre"
)

// column is one column of the roster layout: the cadre field it fills, its
// headers, and how one of its cells is read and written.
type column struct {
	// field is the field's JSON key, the name a RowError gives the column.
	field  string
	zh, en string
	read   func(d *draft, cell string) error
	write  func(c *cadre.Cadre, lang cadre.Lang) string
}

// draft is a cadre being read from one row. The coordinates wait in lat and
// lng because a location exists only when both cells are filled.
type draft struct {
	c        cadre.Cadre
	lat, lng *float64
}

// columns is the layout in the order of the contract's field table.
var columns = []column{
	textColumn("name", "姓名", "name", func(c *cadre.Cadre) *string { return &c.Name }),
	enumColumn("gender", "性别", "gender", cadre.ParseGender, func(c *cadre.Cadre) *cadre.Gender { return &c.Gender }),
	{field: "id_number", zh: "身份证号", en: "id_number", read: readIDNumber,
		write: func(c *cadre.Cadre, _ cadre.Lang) string { return c.IDNumber }},
	dateColumn("birth_date", "出生日期", "birth_date", func(c *cadre.Cadre) *cadre.Date { return &c.BirthDate }),
	enumColumn("category", "类别", "category", cadre.ParseCategory, func(c *cadre.Cadre) *cadre.Category { return &c.Category }),
	dateColumn("retired_on", "离退休时间", "retired_on", func(c *cadre.Cadre) *cadre.Date { return &c.RetiredOn }),
	enumColumn("rank", "职级", "rank", cadre.ParseRank, func(c *cadre.Cadre) *cadre.Rank { return &c.Rank }),
	enumColumn("party", "党员", "party", cadre.ParseParty, func(c *cadre.Cadre) *cadre.Party { return &c.Party }),
	dateColumn("party_joined_on", "入党时间", "party_joined_on", func(c *cadre.Cadre) *cadre.Date { return &c.PartyJoinedOn }),
	enumColumn("health", "健康状况", "health", cadre.ParseHealth, func(c *cadre.Cadre) *cadre.Health { return &c.Health }),
	enumColumn("living", "居住情况", "living", cadre.ParseLiving, func(c *cadre.Cadre) *cadre.Living { return &c.Living }),
	boolColumn("children_nearby", "子女在附近", "children_nearby", func(c *cadre.Cadre) *bool { return &c.ChildrenNearby }),
	boolColumn("living_difficulty", "生活困难", "living_difficulty", func(c *cadre.Cadre) *bool { return &c.Difficulty }),
	textColumn("community", "社区", "community", func(c *cadre.Cadre) *string { return &c.Community }),
	textColumn("address", "住址", "address", func(c *cadre.Cadre) *string { return &c.Address }),
	coordColumn("lat", "纬度", "lat", func(d *draft) **float64 { return &d.lat }, func(l *cadre.Location) float64 { return l.Lat }),
	coordColumn("lng", "经度", "lng", func(d *draft) **float64 { return &d.lng }, func(l *cadre.Location) float64 { return l.Lng }),
	textColumn("phone", "电话", "phone", func(c *cadre.Cadre) *string { return &c.Phone }),
	textColumn("emergency_contact", "紧急联系人", "emergency_contact", func(c *cadre.Cadre) *string { return &c.EmergencyContact }),
	textColumn("original_unit", "原工作单位", "original_unit", func(c *cadre.Cadre) *string { return &c.OriginalUnit }),
	{field: "pension_fen", zh: "基本离退休费(元)", en: "pension_yuan",
		read: func(d *draft, cell string) (err error) {
			d.c.PensionFen, err = cadre.ParseYuan(cell)
			return err
		},
		write: func(c *cadre.Cadre, _ cadre.Lang) string { return cadre.FormatYuan(c.PensionFen) }},
	enumColumn("status", "状态", "status", cadre.ParseStatus, func(c *cadre.Cadre) *cadre.Status { return &c.Status }),
	dateColumn("status_on", "状态日期", "status_on", func(c *cadre.Cadre) *cadre.Date { return &c.StatusOn }),
}

// Headers returns the header row of the roster layout in lang (Chinese for
// any value but cadre.English), in the order of the contract's field table.
func Headers(lang cadre.Lang) []string {
	hs := make([]string, len(columns))
	for i, col := range columns {
		hs[i] = col.header(lang)
	}
	return hs
}

// FieldHeader returns the header in lang of the column that holds field, a
// JSON key as in RowError.Field, so that a problem can be shown under the
// name the clerk sees in the sheet. The cadre package reports a bad
// position as "location", which is two columns; a field that is no column
// is returned unchanged.
func FieldHeader(field string, lang cadre.Lang) string {
	if field == "location" {
		return FieldHeader("lat", lang) + "/" + FieldHeader("lng", lang)
	}
	for _, col := range columns {
		if col.field == field {
			return col.header(lang)
		}
	}
	return field
}

func (col *column) header(lang cadre.Lang) string {
	if lang == cadre.English {
		return col.en
	}
	return col.zh
}

func textColumn(field, zh, en string, ptr func(*cadre.Cadre) *string) column {
	return column{field: field, zh: zh, en: en,
		read:  func(d *draft, cell string) error { *ptr(&d.c) = cell; return nil },
		write: func(c *cadre.Cadre, _ cadre.Lang) string { return *ptr(c) }}
}

// enumColumn writes Chinese labels in a Chinese roster, because that is what
// a clerk reads, and codes in an English one, because the English labels are
// explanations rather than values anyone types.
func enumColumn[T interface {
	~string
	Label(cadre.Lang) string
}](field, zh, en string, parse func(string) (T, error), ptr func(*cadre.Cadre) *T) column {
	return column{field: field, zh: zh, en: en,
		read: func(d *draft, cell string) (err error) {
			*ptr(&d.c), err = parse(cell)
			return err
		},
		write: func(c *cadre.Cadre, lang cadre.Lang) string {
			if lang == cadre.English {
				return string(*ptr(c))
			}
			return (*ptr(c)).Label(cadre.Chinese)
		}}
}

func boolColumn(field, zh, en string, ptr func(*cadre.Cadre) *bool) column {
	return column{field: field, zh: zh, en: en,
		read: func(d *draft, cell string) (err error) {
			*ptr(&d.c), err = cadre.ParseBool(cell)
			return err
		},
		write: func(c *cadre.Cadre, lang cadre.Lang) string {
			if lang == cadre.English {
				return strconv.FormatBool(*ptr(c))
			}
			return cadre.BoolLabel(*ptr(c), cadre.Chinese)
		}}
}

func dateColumn(field, zh, en string, ptr func(*cadre.Cadre) *cadre.Date) column {
	return column{field: field, zh: zh, en: en,
		read: func(d *draft, cell string) (err error) {
			*ptr(&d.c), err = parseDate(cell)
			return err
		},
		write: func(c *cadre.Cadre, _ cadre.Lang) string { return ptr(c).String() }}
}

func coordColumn(field, zh, en string, slot func(*draft) **float64, get func(*cadre.Location) float64) column {
	return column{field: field, zh: zh, en: en,
		read: func(d *draft, cell string) error {
			v, err := strconv.ParseFloat(cell, 64)
			if err != nil {
				return cadre.Worded(fmt.Errorf("%w: %q is not a number of degrees; write it like 36.6512", cadre.ErrInvalid, cell),
					fmt.Sprintf("“%s”不是度数：应写成 36.6512 这样的小数", cell))
			}
			*slot(d) = &v
			return nil
		},
		write: func(c *cadre.Cadre, _ cadre.Lang) string {
			if c.Location == nil {
				return ""
			}
			// The shortest form that parses back to the same float64, so that
			// a roster written and read again keeps every position exactly.
			return strconv.FormatFloat(get(c.Location), 'f', -1, 64)
		}}
}

// parseDate reads YYYY-MM-DD and also YYYY/MM/DD and YYYY.MM.DD with one- or
// two-digit months and days, which is how Excel shows and people type dates.
func parseDate(s string) (cadre.Date, error) {
	parts := strings.Split(strings.NewReplacer("/", "-", ".", "-").Replace(s), "-")
	if len(parts) == 3 && len(parts[1]) <= 2 && len(parts[2]) <= 2 {
		d, err := cadre.ParseDate(parts[0] + "-" + pad2(parts[1]) + "-" + pad2(parts[2]))
		if err == nil {
			return d, nil
		}
	}
	return cadre.Date{}, cadre.Worded(fmt.Errorf("%w: %q is not a date; write it as YYYY-MM-DD (like 1945-03-15) and check that the day exists", cadre.ErrInvalid, s),
		fmt.Sprintf("“%s”不是可读的日期：应写成 YYYY-MM-DD（如 1945-03-15，也可写 1945/3/15 或 1945.3.15），并确认日历上有这一天", s))
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
