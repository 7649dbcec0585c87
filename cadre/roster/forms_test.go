package roster_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/cadre/roster"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// A roster as a bureau keeps it: a title, a line of who filled it in, the
// header in the bureau's words, labels spelt the bureau's way.
const bureauRoster = "历下区舜园社区离退休干部花名册,,,,,,,,,\n" +
	"填报单位：舜园社区,,,,填报日期：2026年11月,,,,,\n" +
	",,,,,,,,,\n" +
	"序号,姓 名,身份证号码,出生年月,人员类别,离退休时间,级别,政治面貌,\"健康\n状况\",居住情况,社区,联系电话\n" +
	"1,王　建国,３７０１０２１９４４０３１５００１２,1944.03,退休干部,2004年4月,正科级,中共党员,慢性病,与配偶同住,sy,0531 8600 1234\n" +
	"2, 李秀英 ,370103195006120021,1950年6月,离休干部,1990/5/1,副处级,群众,健康,独自居住,sy,\n"

func TestReadBureauRoster(t *testing.T) {
	res := read(t, bureauRoster)
	require.Empty(t, res.Errors)
	assert.Equal(t, 4, res.HeaderLine, "the header is found below the title rows")
	assert.Equal(t, []string{"序号"}, res.UnknownColumns)
	assert.Equal(t, []string{"name", "id_number", "birth_date", "category", "retired_on", "rank", "party", "health", "living", "community", "phone"}, res.Columns)
	require.Len(t, res.Rows, 2)
	wang, li := res.Rows[0], res.Rows[1]
	assert.Equal(t, 6, wang.Line, "the header's wrapped cell takes two lines")
	assert.Equal(t, "王建国", wang.Cadre.Name, "the space that lines up a name is no part of it")
	assert.Equal(t, idWang, wang.Cadre.IDNumber, "full-width digits")
	assert.Equal(t, testkit.Date("1944-03-15"), wang.Cadre.BirthDate, "a birth month takes its day from the ID number")
	assert.Equal(t, cadre.Tuixiu, wang.Cadre.Category)
	assert.Equal(t, testkit.Date("2004-04-01"), wang.Cadre.RetiredOn, "a month alone is the first of the month")
	assert.Equal(t, cadre.RankSection, wang.Cadre.Rank)
	assert.Equal(t, cadre.PartyFull, wang.Cadre.Party)
	assert.Equal(t, cadre.HealthChronic, wang.Cadre.Health)
	assert.Equal(t, cadre.LivingSpouse, wang.Cadre.Living)
	assert.Equal(t, "053186001234", wang.Cadre.Phone)
	assert.Equal(t, "李秀英", li.Cadre.Name)
	assert.Equal(t, cadre.Lixiu, li.Cadre.Category)
	assert.Equal(t, cadre.RankCountyDeputyPlus, li.Cadre.Rank)
	assert.Equal(t, cadre.PartyNone, li.Cadre.Party)
	assert.Equal(t, cadre.HealthGood, li.Cadre.Health)
	assert.Equal(t, cadre.LivingAlone, li.Cadre.Living)
}

func TestReadHeaderVariants(t *testing.T) {
	for header, field := range map[string]string{
		"身份证号码": "id_number", "公民身份号码": "id_number", "*身份证号：": "id_number", "身份证号(18位)": "id_number",
		"姓 名": "name", "姓\n名": "name", "出生年月": "birth_date", "出生日期": "birth_date",
		"联系电话": "phone", "联系电话（手机）": "phone", "手机号码": "phone", "家庭住址": "address",
		"政治面貌": "party", "入党年月": "party_joined_on", "退休时间": "retired_on", "身体状况": "health",
		"原单位": "original_unit", "离退休费（元/月）": "pension_fen", "退休金": "pension_fen", "ＩＤ＿ＮＵＭＢＥＲ": "id_number",
	} {
		t.Run(header, func(t *testing.T) {
			h := `"` + header + `"`
			if field != "id_number" {
				h += ",身份证号"
			}
			res := read(t, h+"\n")
			assert.Equal(t, field, res.Columns[0])
		})
	}
}

func TestReadHeaderNotFound(t *testing.T) {
	_, err := roster.Read(strings.NewReader(strings.Repeat("名册\n", 10)+minHeader+"\n"), testkit.FixedNow())
	require.ErrorIs(t, err, roster.ErrMissingColumn, "the header is looked for in the first 10 rows")
	assert.Contains(t, roster.Describe(err, cadre.Chinese), "没有含“身份证号”一列的表头")
	_, err = roster.Read(strings.NewReader("姓名,身份证号码,身份证号\n"), testkit.FixedNow())
	require.ErrorIs(t, err, roster.ErrDuplicateColumn)
	assert.Equal(t, "第 2 列“身份证号码”和第 3 列“身份证号”都是身份证号：删去其中一列", roster.Describe(err, cadre.Chinese))
	_, err = roster.Read(strings.NewReader(""), testkit.FixedNow())
	assert.Contains(t, roster.Describe(err, cadre.Chinese), "文件是空的")
}

func TestReadDateForms(t *testing.T) {
	tests := []struct {
		header, cell, want string // want "" when the cell is refused
	}{
		{"入党时间", "1968-07-01", "1968-07-01"},
		{"入党时间", "1968/7/1", "1968-07-01"},
		{"入党时间", "1968.07.01", "1968-07-01"},
		{"入党时间", "1968年7月1日", "1968-07-01"},
		{"入党时间", "1968年07月01日", "1968-07-01"},
		{"入党时间", "19680701", "1968-07-01"},
		{"入党时间", "１９６８－０７－０１", "1968-07-01"},
		{"入党时间", " 1968 / 7 / 1 ", "1968-07-01"},
		{"入党时间", "1968/7/1 0:00", "1968-07-01"},
		{"入党时间", "25020", "1968-07-01"}, // an Excel serial, as a General cell shows it
		{"入党时间", "25020.5", "1968-07-01"},
		{"入党时间", "1968-07", "1968-07-01"},
		{"入党时间", "1968.7", "1968-07-01"},
		{"入党时间", "1968年7月", "1968-07-01"},
		{"入党时间", "196807", "1968-07-01"},
		{"离退休时间", "2004年4月", "2004-04-01"},
		{"离退休时间", "200404", "2004-04-01"},
		{"状态日期", "2025-12-03", "2025-12-03"},
		{"入党时间", "1968-02-30", ""},
		{"入党时间", "1968年13月", ""},
		{"入党时间", "1968", ""},
		{"入党时间", "68-7-1", ""},
		{"入党时间", "1968/7/1 9:30", ""},
		{"入党时间", "七月一日", ""},
		{"状态日期", "2025-12", ""},
		{"状态日期", "202512", ""},
	}
	for _, tt := range tests {
		t.Run(tt.header+" "+tt.cell, func(t *testing.T) {
			base := strings.Replace(minHeader, tt.header, "原"+tt.header, 1)
			header, row := base+",状态,"+tt.header, minRow("王建国", idWang)+",去世,"+tt.cell
			if tt.header != "状态日期" {
				header, row = header+",状态日期", row+",2025-12-03"
			}
			res := read(t, header+"\n"+row+"\n")
			if tt.want == "" {
				require.Len(t, res.Errors, 1)
				e := res.Errors[0]
				assert.ErrorIs(t, e, cadre.ErrInvalid)
				assert.Equal(t, tt.header, e.Column)
				assert.Equal(t, strings.TrimSpace(tt.cell), e.Value)
				zh := e.Message(cadre.Chinese)
				assert.Contains(t, zh, "1990年5月1日", "the accepted forms")
				assert.Contains(t, zh, strings.TrimSpace(tt.cell), "the value")
				assert.Equal(t, tt.header != "状态日期", strings.Contains(zh, "只知年月时可写 1990-05"), "a month alone where the column allows it: %s", zh)
				assert.Contains(t, e.Message(cadre.English), "1990/5/1")
				return
			}
			require.Empty(t, res.Errors)
			c := res.Rows[0].Cadre
			got := map[string]cadre.Date{"入党时间": c.PartyJoinedOn, "离退休时间": c.RetiredOn, "状态日期": c.StatusOn}[tt.header]
			assert.Equal(t, tt.want, got.String())
		})
	}
}

func TestReadBirthMonth(t *testing.T) {
	res := read(t, minHeader+",出生年月\n"+minRow("王建国", idWang)+",1944-04\n"+minRow("李秀英", idLi)+",195006\n")
	require.Len(t, res.Rows, 1)
	assert.Equal(t, testkit.Date("1950-06-12"), res.Rows[0].Cadre.BirthDate)
	require.Len(t, res.Errors, 1)
	e := res.Errors[0]
	assert.Equal(t, "birth_date", e.Field)
	assert.ErrorIs(t, e, cadre.ErrMismatch)
	assert.Equal(t, "出生年月 1944-04 与身份证号不符，身份证号中为 1944-03-15；改正本列或身份证号", e.Message(cadre.Chinese))
}

// idEndingInX returns a valid ID number whose check character is X.
func idEndingInX(t *testing.T) string {
	t.Helper()
	for seq := range 1000 {
		if id := testkit.IDNumberFor("370102", "19440315", seq); strings.HasSuffix(id, "X") {
			return id
		}
	}
	t.Fatal("no sequence gives X")
	return ""
}

func TestReadIDNumberForms(t *testing.T) {
	x := idEndingInX(t)
	for _, cell := range []string{
		x,
		strings.ToLower(x),
		strings.TrimSuffix(x, "X") + "ｘ",
		width.Widen.String(x),
		x[:6] + " " + x[6:14] + " " + x[14:],
		"'" + x,
		" " + x + "\n",
	} {
		t.Run(cell, func(t *testing.T) {
			res := read(t, minHeader+"\n"+minRow("王建国", `"`+cell+`"`)+"\n")
			require.Empty(t, res.Errors)
			assert.Equal(t, x, res.Rows[0].Cadre.IDNumber)
		})
	}
}

func TestReadEnumerationSpellings(t *testing.T) {
	tests := []struct{ header, cell, want string }{
		{"类别", "离休干部", "lixiu"}, {"类别", "退休干部", "tuixiu"}, {"类别", "退休人员", "tuixiu"},
		{"类别", "军队离退休干部", "junxiu"}, {"类别", "退 休", "tuixiu"}, {"类别", "TUIXIU", "tuixiu"}, {"类别", "ｔｕｉｘｉｕ", "tuixiu"},
		{"职级", "正处级", "county_deputy_plus"}, {"职级", "副县级", "county_deputy_plus"}, {"职级", "副科级", "section"}, {"职级", "科员", "other"},
		{"党员", "中共党员", "full"}, {"党员", "中共预备党员", "probationary"}, {"党员", "群众", "none"},
		{"健康状况", "健康", "good"}, {"健康状况", "生活不能自理", "dependent"}, {"健康状况", "病重", "serious"},
		{"居住情况", "独自居住", "alone"}, {"居住情况", "与老伴同住", "spouse"}, {"居住情况", "和子女同住", "family"},
	}
	for _, tt := range tests {
		t.Run(tt.header+" "+tt.cell, func(t *testing.T) {
			header := strings.Replace(minHeader, tt.header, "x"+tt.header, 1) + "," + tt.header
			res := read(t, header+"\n"+minRow("王建国", idWang)+","+tt.cell+"\n")
			require.Empty(t, res.Errors)
			c := res.Rows[0].Cadre
			got := map[string]string{"类别": string(c.Category), "职级": string(c.Rank), "党员": string(c.Party),
				"健康状况": string(c.Health), "居住情况": string(c.Living)}[tt.header]
			assert.Equal(t, tt.want, got)
		})
	}
	for _, tt := range []struct{ cell, want string }{{"已故", "deceased"}, {"已迁出", "moved"}} {
		res := read(t, minHeader+",状态,状态日期\n"+minRow("王建国", idWang)+","+tt.cell+",2025-01-01\n")
		require.Empty(t, res.Errors)
		assert.Equal(t, tt.want, string(res.Rows[0].Cadre.Status))
	}
	res := read(t, minHeader+",子女在附近\n"+minRow("王建国", idWang)+",有\n")
	require.Empty(t, res.Errors)
	assert.True(t, res.Rows[0].Cadre.ChildrenNearby)
}

func TestReadBadCellIsReportedWithColumnValueAndChoices(t *testing.T) {
	res := read(t, "人员类别,姓名,身份证号码,社区,纬度,经度,基本离退休费（元）\n"+
		"离休老同志,王建国,"+idWang+",sy,北纬36度,117,5千\n"+
		"退休,李秀英,"+idLi[:17]+"9,sy,,,\n")
	require.Len(t, res.Errors, 4)
	cat := res.Errors[0]
	assert.Equal(t, 2, cat.Line)
	assert.Equal(t, "category", cat.Field)
	assert.Equal(t, "人员类别", cat.Column, "the header as the file writes it")
	assert.Equal(t, "离休老同志", cat.Value)
	assert.Equal(t, "“离休老同志”不是可填的值；可填：离休、退休、军休", cat.Message(cadre.Chinese))
	assert.Equal(t, `invalid value: category "离休老同志": want one of lixiu 离休, tuixiu 退休, junxiu 军休`, cat.Message(cadre.English))
	lat := res.Errors[1]
	assert.Equal(t, "纬度", lat.Column)
	assert.Equal(t, "“北纬36度”不是度数；写成 36.6512 这样的小数", lat.Message(cadre.Chinese))
	pension := res.Errors[2]
	assert.Equal(t, "基本离退休费（元）", pension.Column)
	assert.Contains(t, pension.Message(cadre.Chinese), "“5千”不是金额")
	id := res.Errors[3]
	assert.Equal(t, 3, id.Line)
	assert.Equal(t, "身份证号码", id.Column)
	assert.Equal(t, "370103********0029", id.Value, "an ID number is masked")
	assert.NotContains(t, id.Message(cadre.Chinese), idLi[:17])
	assert.Contains(t, id.Message(cadre.Chinese), "校验位不符")
	assertNoFullID(t, res, idWang, idLi, idLi[:17]+"9")
}

func TestReadStraySpacesAndLineBreaks(t *testing.T) {
	res := read(t, minHeader+",住址,原工作单位\n"+
		"\" 王\u3000建国 \",\" "+idWang+"\",\"退\n休\",\" 2004-04-01\r\n\",科级,正式党员,良好,与子女同住,\" sy \",\"舜园小区  3号楼\n2单元\",\" 济南第一机床厂\t\"\n")
	require.Empty(t, res.Errors)
	c := res.Rows[0].Cadre
	assert.Equal(t, "王建国", c.Name)
	assert.Equal(t, cadre.Tuixiu, c.Category)
	assert.Equal(t, "sy", c.Community)
	assert.Equal(t, "舜园小区 3号楼 2单元", c.Address)
	assert.Equal(t, "济南第一机床厂", c.OriginalUnit)
	res = read(t, "name,id_number,community\n\"Ma  Li\",\""+idLi+"\",sy\n")
	require.Empty(t, res.Errors)
	assert.Equal(t, "Ma Li", res.Rows[0].Cadre.Name, "a space between Latin words is kept, once")
}

// TestReadNeverPanics is a fuzz-style test that runs with every go test:
// thousands of random mutations of rosters in every form Read knows.
func TestReadNeverPanics(t *testing.T) {
	seeds := []string{bureauRoster, zhSample, enSample, shuffledSample, gb18030(t, bureauRoster),
		minHeader + ",出生年月,入党时间\n" + minRow("王", idWang) + ",1944.03,25020\n"}
	alphabet := []string{",", "\"", "\n", "\r", " ", "\u3000", "年", "月", "日", "-", "/", ".", "0", "9", "X", "ｘ", "１", "\xff", "身份证号", "姓名", "离休干部", "\t", "\x00"}
	rng := rand.New(rand.NewPCG(14, 4))
	for i := range 3000 {
		b := []byte(seeds[i%len(seeds)])
		for range 1 + rng.IntN(8) {
			pos := rng.IntN(len(b) + 1)
			switch rng.IntN(3) {
			case 0: // insert
				b = append(b[:pos], append([]byte(alphabet[rng.IntN(len(alphabet))]), b[pos:]...)...)
			case 1: // delete
				if pos < len(b) {
					b = append(b[:pos], b[min(len(b), pos+1+rng.IntN(4)):]...)
				}
			case 2: // cut
				b = b[:pos]
			}
		}
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("Read panicked on %q: %v", b, p)
				}
			}()
			res, err := roster.Read(bytes.NewReader(b), testkit.FixedNow())
			if err != nil {
				return
			}
			for _, r := range res.Rows {
				require.NoError(t, r.Cadre.Validate(testkit.FixedNow()))
			}
			for _, e := range res.Errors {
				_ = e.Message(cadre.Chinese) + e.Message(cadre.English)
			}
		}()
	}
}

// workbook builds an .xlsx file with sheets of rows; a cell is a string, a
// number, or a dateCell.
func workbook(t *testing.T, sheets map[string][][]any, order ...string) *bytes.Buffer {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, name := range order {
		if i == 0 {
			require.NoError(t, f.SetSheetName(f.GetSheetName(0), name))
		} else {
			_, err := f.NewSheet(name)
			require.NoError(t, err)
		}
		for r, row := range sheets[name] {
			for c, v := range row {
				ref, err := excelize.CoordinatesToCellName(c+1, r+1)
				require.NoError(t, err)
				if d, ok := v.(dateCell); ok {
					style, err := f.NewStyle(&excelize.Style{CustomNumFmt: &d.format})
					require.NoError(t, err)
					require.NoError(t, f.SetCellValue(name, ref, d.serial))
					require.NoError(t, f.SetCellStyle(name, ref, ref, style))
					continue
				}
				require.NoError(t, f.SetCellValue(name, ref, v))
			}
		}
	}
	var b bytes.Buffer
	require.NoError(t, f.Write(&b))
	return &b
}

// dateCell is a number shown in a date format, as Excel keeps a date.
type dateCell struct {
	serial float64
	format string
}

func TestReadXLSXAsBureausKeepIt(t *testing.T) {
	header := []any{"序号", "姓 名", "身份证号码", "出生年月", "人员类别", "离退休时间", "入党时间", "社区"}
	book := map[string][][]any{
		"说明": {{"本工作簿第二张表是名册"}},
		"名册": {
			{"舜园社区离退休干部花名册"},
			{"填报日期：2026年11月"},
			header,
			// 1944-03-15 is serial 16146, 1968-07-01 25020, 2004-04-17 38094.
			{1, "王\u3000建国", "370102194403150012", dateCell{16146, "yyyy.mm"}, "退休干部", dateCell{38094, "yyyy\"年\"m\"月\""}, 25020, "sy"},
			{2, "李秀英", "370103195006120021", "1950年6月", "离休干部", dateCell{38094, "m/d/yy"}, "1970年7月1日", "sy"},
			{3, "孙振华", "370102192809010037", "", "退伍", "2026年13月", "", "sy"},
		},
	}
	for _, sheet := range []string{"名册", "2", " 名册 "} {
		t.Run(sheet, func(t *testing.T) {
			res, err := roster.ReadXLSXSheet(workbook(t, book, "说明", "名册"), sheet, testkit.FixedNow())
			require.NoError(t, err)
			assert.Equal(t, 3, res.HeaderLine)
			require.Len(t, res.Rows, 2)
			wang, li := res.Rows[0], res.Rows[1]
			assert.Equal(t, 4, wang.Line, "the sheet's row")
			assert.Equal(t, "王建国", wang.Cadre.Name)
			assert.Equal(t, testkit.Date("1944-03-15"), wang.Cadre.BirthDate)
			assert.Equal(t, testkit.Date("2004-04-17"), wang.Cadre.RetiredOn, "a date cell is its date, whatever its format shows")
			assert.Equal(t, testkit.Date("1968-07-01"), wang.Cadre.PartyJoinedOn, "a serial in a General cell")
			assert.Equal(t, testkit.Date("2004-04-17"), li.Cadre.RetiredOn)
			assert.Equal(t, testkit.Date("1970-07-01"), li.Cadre.PartyJoinedOn)
			require.Len(t, res.Errors, 2)
			for _, e := range res.Errors {
				assert.Equal(t, 6, e.Line)
			}
			assert.Equal(t, "人员类别", res.Errors[0].Column)
			assert.Equal(t, "离退休时间", res.Errors[1].Column)
			assert.Equal(t, "2026年13月", res.Errors[1].Value)
		})
	}

	_, err := roster.ReadXLSXSheet(workbook(t, book, "说明", "名册"), "花名册", testkit.FixedNow())
	require.ErrorIs(t, err, roster.ErrNoSheet)
	assert.Equal(t, "工作簿里没有工作表“花名册”；它的工作表是 1 说明、2 名册（写名称或从 1 起的序号）", roster.Describe(err, cadre.Chinese))
	assert.Contains(t, roster.Describe(err, cadre.English), `its sheets are 1 说明, 2 名册`)
	_, err = roster.ReadXLSXSheet(workbook(t, book, "说明", "名册"), "3", testkit.FixedNow())
	require.ErrorIs(t, err, roster.ErrNoSheet)

	_, err = roster.ReadXLSX(workbook(t, book, "说明", "名册"), testkit.FixedNow())
	require.ErrorIs(t, err, roster.ErrMissingColumn, "the first sheet by default")
}

func ExampleReadXLSXSheet() {
	f := excelize.NewFile()
	defer f.Close()
	_, _ = f.NewSheet("名册")
	_ = f.SetSheetRow("名册", "A1", &[]any{"离退休干部名册"})
	_ = f.SetSheetRow("名册", "A2", &[]any{"姓名", "身份证号码", "人员类别", "离退休时间", "社区"})
	_ = f.SetSheetRow("名册", "A3", &[]any{"王建国", "370102194403150012", "退休干部", "2004年4月", "sy"})
	var b bytes.Buffer
	_ = f.Write(&b)
	res, err := roster.ReadXLSXSheet(&b, "名册", testkit.FixedNow())
	if err != nil {
		fmt.Println(err)
		return
	}
	c := res.Rows[0].Cadre
	fmt.Println(res.HeaderLine, res.Rows[0].Line, c.Name, c.Category, c.RetiredOn)
	// Output:
	// 2 3 王建国 tuixiu 2004-04-01
}
