package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/cadre/roster"
	"github.com/wanxia/wanxia/syncsvc/testkit"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// outbox returns how many changes wait to be pushed: what an import that
// changed nothing must leave as it was.
func (o *office) outbox() float64 {
	o.t.Helper()
	var st map[string]any
	o.okJSON(&st, "status")
	return st["outbox"].(float64)
}

func TestImportKeepsGoodRowsAndReportsBadOnes(t *testing.T) {
	o := newOffice(t, "sy-1", "sy-1.secret", "http://127.0.0.1:1")
	wang, li, zhao := testkit.IDNumberFor("370102", "19440315", 1), testkit.IDNumberFor("370102", "19450601", 2), testkit.IDNumberFor("370102", "19380210", 3)
	csv := "姓名,身份证号,类别,离退休时间,职级,党员,健康状况,居住情况,社区,基本离退休费(元),电话,备注\n" +
		"王建国," + wang + ",退休,2004/4/1,科级,正式党员,慢性病,独居,sy,5123.4,0531-1,\n" +
		"," + li + ",退休,2005-07-01,其他,非党员,良好,与子女同住,sy,4800,,\n" +
		"李秀英,3.70102E+17,退休,2005-07-01,其他,非党员,良好,与子女同住,sy,4800,,\n" +
		"赵志强," + zhao + ",离休,1988-10-01,副县处级及以上,正式党员,重病,独居,sy,9000,,已故?\n"
	path := filepath.Join(t.TempDir(), "名册.csv")
	require.NoError(t, os.WriteFile(path, []byte(csv), 0o600))

	res := o.run("import", path)
	assert.Equal(t, 1, res.code, res.stderr)
	assert.Contains(t, res.stdout, "新增 2")
	assert.Contains(t, res.stderr, "第 3 行：姓名：必填")
	assert.Contains(t, res.stderr, "第 4 行：身份证号")
	assert.Contains(t, res.stderr, "设置单元格格式", "says how to fix the sheet")
	assert.Contains(t, res.stderr, "备注", "unknown columns are reported")
	lines := strings.Split(strings.TrimSpace(res.stderr), "\n")
	assert.Contains(t, lines[len(lines)-1], "2 行有误", "ends with one line that says what to do")

	var cadres []map[string]any
	o.okJSON(&cadres, "cadre", "list")
	assert.ElementsMatch(t, []string{"王建国", "赵志强"}, names(t, cadres), "good rows kept")
	before := o.outbox()

	// The same file again changes nothing.
	var rep map[string]any
	res = o.run("import", path, "--json", "--lang", "en")
	assert.Equal(t, 1, res.code)
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &rep))
	assert.Equal(t, float64(0), rep["added"])
	assert.Equal(t, float64(0), rep["updated"])
	assert.Equal(t, float64(2), rep["unchanged"])
	assert.Equal(t, float64(2), rep["bad_rows"])
	errs := rep["errors"].([]any)
	require.NotEmpty(t, errs)
	first := errs[0].(map[string]any)
	assert.Equal(t, float64(3), first["line"])
	assert.Equal(t, "name", first["field"])
	assert.Equal(t, []any{"备注"}, rep["unknown_columns"])
	assert.Equal(t, before, o.outbox())

	// A row whose ID number is registered updates that cadre, which keeps
	// its ID; the columns the roster lacks keep their values.
	var old map[string]any
	o.okJSON(&old, "cadre", "show", wang)
	update := filepath.Join(t.TempDir(), "health.csv")
	require.NoError(t, os.WriteFile(update, []byte("name,id_number,category,retired_on,rank,party,health,living,community\n"+
		"王建国,"+wang+",tuixiu,2004-04-01,section,full,serious,alone,sy\n"), 0o600))
	o.okJSON(&rep, "import", update)
	assert.Equal(t, float64(1), rep["updated"])
	var now map[string]any
	o.okJSON(&now, "cadre", "show", wang)
	assert.Equal(t, old["id"], now["id"])
	assert.Equal(t, "serious", now["health"])
	assert.Equal(t, "0531-1", now["phone"])
	assert.Equal(t, float64(512340), now["pension_fen"])
}

func TestExportThenImportChangesNothing(t *testing.T) {
	o := newOffice(t, "sy-1", "sy-1.secret", "http://127.0.0.1:1")
	o.addCadre("王建国", testkit.IDNumberFor("370102", "19440315", 1), "sy", "--pension", "5123.40", "--lat", "36.651234567", "--lng", "117.12", "--address", "舜园小区, 3号楼")
	o.addCadre("李秀英", testkit.IDNumberFor("370102", "19450601", 2), "gsq", "--children-nearby", "是", "--party", "none", "--status", "moved", "--status-on", "2025-01-02")
	before := o.outbox()
	dir := t.TempDir()
	for _, name := range []string{"roster.csv", "roster.xlsx"} {
		path := filepath.Join(dir, name)
		var exp map[string]any
		o.okJSON(&exp, "export", path)
		assert.Equal(t, float64(2), exp["cadres"])
		var rep map[string]any
		o.okJSON(&rep, "import", path)
		assert.Equal(t, float64(2), rep["unchanged"], name)
		assert.Equal(t, float64(0), rep["added"], name)
		assert.Equal(t, float64(0), rep["updated"], name)
		assert.Equal(t, []any{}, rep["errors"])
		assert.Equal(t, before, o.outbox(), name)
	}

	// Opened and saved again by Excel on a Chinese Windows: GBK, no BOM.
	utf8CSV, err := os.ReadFile(filepath.Join(dir, "roster.csv"))
	require.NoError(t, err)
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(bytes.TrimPrefix(utf8CSV, []byte("\xef\xbb\xbf")))
	require.NoError(t, err)
	require.False(t, utf8.Valid(gbk), "really GBK")
	gbkPath := filepath.Join(dir, "roster-gbk.csv")
	require.NoError(t, os.WriteFile(gbkPath, gbk, 0o600))
	var rep map[string]any
	o.okJSON(&rep, "import", gbkPath)
	assert.Equal(t, float64(2), rep["unchanged"], "the GBK file imports as the same roster")
	assert.Equal(t, before, o.outbox())

	f, err := excelize.OpenFile(filepath.Join(dir, "roster.xlsx"))
	require.NoError(t, err)
	defer f.Close()
	sheet := f.GetSheetName(0)
	rows, err := f.GetRows(sheet)
	require.NoError(t, err)
	require.Len(t, rows, 3)
	assert.Equal(t, "姓名", rows[0][0])
	assert.Equal(t, "身份证号", rows[0][2])
	typ, err := f.GetCellType(sheet, "C2")
	require.NoError(t, err)
	assert.NotEqual(t, excelize.CellTypeNumber, typ, "ID numbers are text")
	assert.Equal(t, []string{testkit.IDNumberFor("370102", "19450601", 2), testkit.IDNumberFor("370102", "19440315", 1)}, []string{rows[1][2], rows[2][2]})
	style, err := f.GetCellStyle(sheet, "C2")
	require.NoError(t, err)
	st, err := f.GetStyle(style)
	require.NoError(t, err)
	assert.Equal(t, 49, st.NumFmt, "the column is formatted as text")
}

func TestImportXLSXReportsSheetRows(t *testing.T) {
	o := newOffice(t, "sy-1", "sy-1.secret", "http://127.0.0.1:1")
	f := excelize.NewFile()
	sheet := f.GetSheetName(0)
	rows := [][]any{
		{"name", "id_number", "category", "retired_on", "rank", "party", "health", "living", "community", "address"},
		{"王建国", testkit.IDNumberFor("370102", "19440315", 1), "tuixiu", "2004-04-01", "section", "full", "good", "alone", "sy", "舜园\n3号楼"},
		{"李秀英", 370102194506010000, "tuixiu", "2005-07-01", "other", "none", "good", "family", "sy", ""},
		{"赵志强", testkit.IDNumberFor("370102", "19380210", 3), "lixiu", "1988-10-01", "other", "full", "serious", "alone", "sy", ""},
	}
	for i, row := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		require.NoError(t, err)
		require.NoError(t, f.SetSheetRow(sheet, cell, &row))
	}
	path := filepath.Join(t.TempDir(), "roster.xlsx")
	require.NoError(t, f.SaveAs(path))
	require.NoError(t, f.Close())

	res := o.run("import", path, "--lang", "en")
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "line 3: id_number:", "the sheet's row, though a cell above spans two lines")
	assert.Contains(t, res.stdout, "2 added")
	var wang map[string]any
	o.okJSON(&wang, "cadre", "show", testkit.IDNumberFor("370102", "19440315", 1))
	assert.Equal(t, "舜园 3号楼", wang["address"], "a line break in a cell (Alt+Enter) reads as a space: an address holds one line")
}

// An import of a roster written before a death and a new phone were
// recorded holds both back, says so, and writes them with --overwrite;
// --dry-run lists the changes field by field and writes nothing.
func TestImportHoldsBackWhatWouldUndoNewerWork(t *testing.T) {
	o := newOffice(t, "sy-1", "sy-1.secret", "http://127.0.0.1:1")
	dead := o.addCadre("赵志强", testkit.IDNumberFor("370102", "19380210", 3), "sy", "--phone", "0531-1")
	phoned := o.addCadre("王建国", testkit.IDNumberFor("370102", "19440315", 1), "sy", "--phone", "0531-2")
	path := filepath.Join(t.TempDir(), "名册.csv")
	o.ok("export", path)
	// The roster was written the day before; the edits are made today.
	yesterday := testkit.At("2026-11-27 17:00")
	require.NoError(t, os.Chtimes(path, yesterday, yesterday))
	o.ok("cadre", "edit", dead, "--status", "去世", "--status-on", "2026-11-26")
	o.ok("cadre", "edit", phoned, "--phone", "13905310009")
	before := o.outbox()

	var dry map[string]any
	o.okJSON(&dry, "import", path, "--dry-run")
	assert.Equal(t, true, dry["dry_run"])
	assert.Equal(t, float64(2), dry["held_back"])
	assert.Equal(t, float64(0), dry["updated"])
	assert.Equal(t, before, o.outbox(), "a dry run writes nothing")

	res := o.run("import", path)
	assert.Equal(t, 0, res.code, res.stderr)
	assert.Contains(t, res.stdout, "暂缓 2 行")
	assert.Contains(t, res.stderr, "第 3 行 赵志强", "the export lists 王建国 first")
	assert.Contains(t, res.stderr, "状态：这里 去世 → 名册 在册")
	assert.Contains(t, res.stderr, "电话：这里 13905310009 → 名册 0531-2")
	assert.Contains(t, res.stderr, "--overwrite", "says what to do")
	var got map[string]any
	o.okJSON(&got, "cadre", "show", dead)
	assert.Equal(t, "deceased", got["status"], "still 去世")
	o.okJSON(&got, "cadre", "show", phoned)
	assert.Equal(t, "13905310009", got["phone"], "the new phone stays")

	var rep map[string]any
	o.okJSON(&rep, "import", path, "--json")
	held := rep["held"].([]any)
	require.Len(t, held, 2)
	second := held[1].(map[string]any)
	assert.Equal(t, dead, second["cadre_id"])
	f := second["fields"].([]any)[0].(map[string]any)
	assert.Equal(t, "status", f["field"])
	assert.Equal(t, true, f["revives"])
	assert.NotNil(t, f["changed_at"])

	o.ok("import", path, "--overwrite")
	o.okJSON(&got, "cadre", "show", dead)
	assert.Equal(t, "active", got["status"], "written over as told")
	o.okJSON(&got, "cadre", "show", phoned)
	assert.Equal(t, "0531-2", got["phone"])

	// A roster said to be written after the edits changes nothing now.
	var changes map[string]any
	o.okJSON(&changes, "import", path, "--dry-run", "--as-of", "2026-11-29")
	assert.Equal(t, float64(0), changes["held_back"])
	assert.Empty(t, changes["changes"])
}

// TestImportSheetAsABureauKeepsIt: --sheet picks the sheet, title rows and
// the bureau's headers are read, and a bad cell names its column as the
// file writes it, its value and the labels to choose from.
func TestImportSheetAsABureauKeepsIt(t *testing.T) {
	o := newOffice(t, "sy-1", "sy-1.secret", "http://127.0.0.1:1")
	f := excelize.NewFile()
	_, err := f.NewSheet("名册")
	require.NoError(t, err)
	for i, row := range [][]any{
		{"舜园社区离退休干部花名册"},
		{"姓 名", "身份证号码", "人员类别", "离退休时间", "社区"},
		{"王　建国", testkit.IDNumberFor("370102", "19440315", 1), "退休干部", "2004年4月", "sy"},
		{"李秀英", testkit.IDNumberFor("370102", "19450601", 2), "离休老同志", "2005-07-01", "sy"},
	} {
		require.NoError(t, f.SetSheetRow("名册", "A"+string(rune('1'+i)), &row))
	}
	path := filepath.Join(t.TempDir(), "名册.xlsx")
	require.NoError(t, f.SaveAs(path))

	res := o.run("import", path)
	assert.Equal(t, 1, res.code, res.stderr)
	assert.Contains(t, res.stderr, "不能作为名册读取", "the first sheet, empty here, is read by default")

	res = o.run("import", path, "--sheet", "9")
	assert.Equal(t, 1, res.code, res.stderr)
	assert.Contains(t, res.stderr, "1 Sheet1、2 名册", "an unknown sheet lists the sheets")

	res = o.run("import", path, "--sheet", "名册")
	assert.Equal(t, 1, res.code, res.stderr)
	assert.Contains(t, res.stdout, "新增 1")
	assert.Contains(t, res.stderr, "第 4 行：人员类别：“离休老同志”不是可填的值；可填：离休、退休、军休")

	res = o.run("import", path, "--sheet", "2", "--lang", "en")
	assert.Contains(t, res.stderr, `line 4: 人员类别: invalid value: category "离休老同志": want one of`)

	res = o.run("import", filepath.Join(t.TempDir(), "x.csv"), "--sheet", "2")
	assert.Equal(t, 2, res.code, res.stderr)
}

// A long import says how far it is on stderr, in the language asked for:
// a line redrawn on a terminal, a plain line now and then otherwise.
func TestImportShowsItsProgress(t *testing.T) {
	o := newOffice(t, "sy-1", "sy-1.secret", "http://127.0.0.1:1")
	cs := make([]cadre.Cadre, 300)
	for i := range cs {
		cs[i] = testkit.Cadre(i, "sy")
	}
	var b bytes.Buffer
	require.NoError(t, roster.Write(&b, cs, cadre.Chinese))
	path := filepath.Join(t.TempDir(), "名册.csv")
	require.NoError(t, os.WriteFile(path, b.Bytes(), 0o600))

	res := o.run("import", path)
	require.Equal(t, 0, res.code, res.stderr)
	assert.Contains(t, res.stdout, "新增 300")
	assert.Contains(t, res.stderr, "导入 0/300 行", "the rows under the header, counted before the first is stored")
	res = o.run("import", path, "--lang", "en")
	require.Equal(t, 0, res.code, res.stderr)
	assert.Contains(t, res.stderr, "importing row 0 of 300")

	// A workbook that does not say how many rows it has (as export writes
	// one) shows how far it has come.
	cs = make([]cadre.Cadre, 2500)
	for i := range cs {
		cs[i] = testkit.Cadre(1000+i, "sy")
	}
	book := filepath.Join(t.TempDir(), "名册.xlsx")
	f, err := os.Create(book)
	require.NoError(t, err)
	require.NoError(t, roster.WriteXLSX(f, cs))
	require.NoError(t, f.Close())
	res = o.run("import", book)
	require.Equal(t, 0, res.code, res.stderr)
	assert.Contains(t, res.stdout, "新增 2500")
	assert.Contains(t, res.stderr, "导入第 2000 行")
}

// TestExportOverARosterOpenInExcel: the roster a clerk left open in a
// spreadsheet program is written again. On Windows the program holds it
// (here a handle without shared deletion, as Excel keeps one): the export
// is refused in Chinese, saying what to do, and the file is as it was; on
// unix the rename replaces it. Either way, once it is closed the export
// works.
func TestExportOverARosterOpenInExcel(t *testing.T) {
	o := newOffice(t, "sy-1", "sy-1.secret", "http://127.0.0.1:1")
	o.addCadre("王建国", testkit.IDNumberFor("370102", "19440315", 1), "sy")
	path := filepath.Join(t.TempDir(), "花名册.xlsx")
	o.ok("export", path)
	before, err := os.ReadFile(path)
	require.NoError(t, err)
	held, err := os.Open(path)
	require.NoError(t, err)
	defer held.Close()

	o.addCadre("李秀英", testkit.IDNumberFor("370102", "19491231", 2), "sy")
	res := o.run("export", path)
	if runtime.GOOS == "windows" {
		assert.Equal(t, 1, res.code)
		assert.Equal(t, "错误：没有写成 "+path+"：文件正被其他程序（如 Excel、WPS）打开，不能替换：关闭它后再试；原来的文件没有改动\n", res.stderr)
		after, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, before, after, "the old roster is whole")
	} else {
		assert.Equal(t, 0, res.code, res.stderr)
	}
	require.NoError(t, held.Close())
	var exp map[string]any
	o.okJSON(&exp, "export", path)
	assert.EqualValues(t, 2, exp["cadres"])
}
