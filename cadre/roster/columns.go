package roster

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

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
	// birthMonth is set when the birth date cell gave only a year and
	// month; the day is then the ID number's (see layout.row).
	birthMonth bool
}

// columns is the layout in the order of the contract's field table.
var columns = []column{
	textColumn("name", "姓名", "name", func(c *cadre.Cadre) *string { return &c.Name }),
	enumColumn("gender", "性别", "gender", cadre.ParseGender, func(c *cadre.Cadre) *cadre.Gender { return &c.Gender }),
	{field: "id_number", zh: "身份证号", en: "id_number", read: readIDNumber,
		write: func(c *cadre.Cadre, _ cadre.Lang) string { return c.IDNumber }},
	{field: "birth_date", zh: "出生日期", en: "birth_date",
		read: func(d *draft, cell string) (err error) {
			d.c.BirthDate, d.birthMonth, err = parseDate(cell, true)
			return err
		},
		write: func(c *cadre.Cadre, _ cadre.Lang) string { return c.BirthDate.String() }},
	enumColumn("category", "类别", "category", cadre.ParseCategory, func(c *cadre.Cadre) *cadre.Category { return &c.Category }),
	dateColumn("retired_on", "离退休时间", "retired_on", true, func(c *cadre.Cadre) *cadre.Date { return &c.RetiredOn }),
	enumColumn("rank", "职级", "rank", cadre.ParseRank, func(c *cadre.Cadre) *cadre.Rank { return &c.Rank }),
	enumColumn("party", "党员", "party", cadre.ParseParty, func(c *cadre.Cadre) *cadre.Party { return &c.Party }),
	dateColumn("party_joined_on", "入党时间", "party_joined_on", true, func(c *cadre.Cadre) *cadre.Date { return &c.PartyJoinedOn }),
	enumColumn("health", "健康状况", "health", cadre.ParseHealth, func(c *cadre.Cadre) *cadre.Health { return &c.Health }),
	enumColumn("living", "居住情况", "living", cadre.ParseLiving, func(c *cadre.Cadre) *cadre.Living { return &c.Living }),
	boolColumn("children_nearby", "子女在附近", "children_nearby", func(c *cadre.Cadre) *bool { return &c.ChildrenNearby }),
	boolColumn("living_difficulty", "生活困难", "living_difficulty", func(c *cadre.Cadre) *bool { return &c.Difficulty }),
	textColumn("community", "社区", "community", func(c *cadre.Cadre) *string { return &c.Community }),
	textColumn("address", "住址", "address", func(c *cadre.Cadre) *string { return &c.Address }),
	coordColumn("lat", "纬度", "lat", func(d *draft) **float64 { return &d.lat }, func(l *cadre.Location) float64 { return l.Lat }),
	coordColumn("lng", "经度", "lng", func(d *draft) **float64 { return &d.lng }, func(l *cadre.Location) float64 { return l.Lng }),
	{field: "phone", zh: "电话", en: "phone",
		// Spaces between the groups of digits and full-width digits are
		// how people type a number, not part of it.
		read:  func(d *draft, cell string) error { d.c.Phone = cadre.FoldValue(cell); return nil },
		write: func(c *cadre.Cadre, _ cadre.Lang) string { return c.Phone }},
	textColumn("emergency_contact", "紧急联系人", "emergency_contact", func(c *cadre.Cadre) *string { return &c.EmergencyContact }),
	textColumn("original_unit", "原工作单位", "original_unit", func(c *cadre.Cadre) *string { return &c.OriginalUnit }),
	{field: "pension_fen", zh: "基本离退休费(元)", en: "pension_yuan",
		read: func(d *draft, cell string) (err error) {
			d.c.PensionFen, err = cadre.ParseYuan(cadre.FoldValue(cell))
			if err != nil {
				err = cadre.Worded(err, fmt.Sprintf("“%s”不是金额；写成 5123.40 这样的元数，最多两位小数，不带逗号和“元”", cell), "")
			}
			return err
		},
		write: func(c *cadre.Cadre, _ cadre.Lang) string { return cadre.FormatYuan(c.PensionFen) }},
	enumColumn("status", "状态", "status", cadre.ParseStatus, func(c *cadre.Cadre) *cadre.Status { return &c.Status }),
	dateColumn("status_on", "状态日期", "status_on", false, func(c *cadre.Cadre) *cadre.Date { return &c.StatusOn }),
}

// headerVariants are the other headers bureaus' rosters give the columns,
// by field. headerKey folds spaces, full-width forms, case, a leading * and
// a trailing colon, and a header is also tried without a trailing bracket
// (联系电话（手机） as 联系电话), so those need no entry here.
var headerVariants = map[string][]string{
	"name":              {"名字", "干部姓名", "老干部姓名"},
	"id_number":         {"身份证号码", "身份证", "公民身份号码", "公民身份证号", "公民身份证号码", "身份号码", "证件号码", "身份证件号码", "idnumber", "id_no"},
	"birth_date":        {"出生年月", "出生年月日", "生日", "出生时间"},
	"category":          {"人员类别", "离退休类别", "干部类别", "类型", "人员类型", "离退休类型"},
	"retired_on":        {"离退休日期", "退休时间", "退休日期", "离休时间", "离休日期", "离退休年月", "退休年月", "离休年月"},
	"rank":              {"级别", "职务级别", "原职级", "职务职级", "离退休前职级", "待遇级别"},
	"party":             {"政治面貌", "是否党员", "党籍"},
	"party_joined_on":   {"入党日期", "入党年月"},
	"health":            {"身体状况", "健康情况", "身体情况"},
	"living":            {"居住状况", "居住方式"},
	"children_nearby":   {"子女是否在附近", "子女在身边", "子女是否在身边"},
	"living_difficulty": {"是否生活困难", "生活困难户"},
	"community":         {"所属社区", "所在社区", "社区代码", "社区编码"},
	"address":           {"家庭住址", "现住址", "居住地址", "家庭地址", "现居住地址", "地址", "现住地址"},
	"phone":             {"联系电话", "电话号码", "手机", "手机号码", "手机号", "联系方式", "固定电话"},
	"emergency_contact": {"联系人", "紧急联系人及电话"},
	"original_unit":     {"原单位", "工作单位", "退休前单位", "原工作单位名称"},
	"pension_fen":       {"基本离退休费", "离退休费", "退休费", "养老金", "退休金", "月离退休费", "月退休费"},
	"status":            {"人员状态", "在册状态"},
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

// cleanText folds a cell's runs of spaces into one space; in a name, the
// spaces between two Chinese characters are removed, which clerks type to
// line up two-character names with three-character ones.
func cleanText(cell string, name bool) string {
	if strings.IndexFunc(cell, unicode.IsSpace) < 0 {
		return cell // one word: nothing to fold, no copy
	}
	words := strings.FieldsFunc(cell, unicode.IsSpace)
	var b strings.Builder
	for i, w := range words {
		if i > 0 {
			prev, _ := utf8.DecodeLastRuneInString(words[i-1])
			next, _ := utf8.DecodeRuneInString(w)
			if !name || !unicode.Is(unicode.Han, prev) || !unicode.Is(unicode.Han, next) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(w)
	}
	return b.String()
}

func (col *column) header(lang cadre.Lang) string {
	if lang == cadre.English {
		return col.en
	}
	return col.zh
}

// textColumn keeps a cell's text with its runs of spaces as one space (a
// name, with none between two Chinese characters: 王　五 is 王五).
func textColumn(field, zh, en string, ptr func(*cadre.Cadre) *string) column {
	return column{field: field, zh: zh, en: en,
		read:  func(d *draft, cell string) error { *ptr(&d.c) = cleanText(cell, field == "name"); return nil },
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

// dateColumn reads the date forms of parseDate; monthOK allows a year and
// month alone, stored as the first day of that month.
func dateColumn(field, zh, en string, monthOK bool, ptr func(*cadre.Cadre) *cadre.Date) column {
	return column{field: field, zh: zh, en: en,
		read: func(d *draft, cell string) (err error) {
			*ptr(&d.c), _, err = parseDate(cell, monthOK)
			return err
		},
		write: func(c *cadre.Cadre, _ cadre.Lang) string { return ptr(c).String() }}
}

func coordColumn(field, zh, en string, slot func(*draft) **float64, get func(*cadre.Location) float64) column {
	return column{field: field, zh: zh, en: en,
		read: func(d *draft, cell string) error {
			v, err := strconv.ParseFloat(cadre.FoldValue(cell), 64)
			if err != nil {
				return cadre.Worded(cadre.ErrInvalid, fmt.Sprintf("“%s”不是度数；写成 36.6512 这样的小数", cell),
					fmt.Sprintf("%q is not a number of degrees; write it like 36.6512", cell))
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
