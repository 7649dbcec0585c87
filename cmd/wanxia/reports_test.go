package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wanxia/wanxia/syncsvc/testkit"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// reportCadre is a valid 退休 cadre of 副县处级, not a Party member, in good
// health and living with family, born on birth (YYYYMMDD).
func reportCadre(t *testing.T, name, birth string, seq int, community string, edit func(c *cadre.Cadre)) cadre.Cadre {
	t.Helper()
	c := cadre.Cadre{Name: name, IDNumber: testkit.IDNumberFor("370102", birth, seq), Category: cadre.Tuixiu, RetiredOn: cadre.NewDate(2008, 1, 1),
		Rank: cadre.RankCountyDeputyPlus, Party: cadre.PartyNone, Health: cadre.HealthGood, Living: cadre.LivingFamily, ChildrenNearby: true,
		Community: community}
	if edit != nil {
		edit(&c)
	}
	c.Normalize()
	return c
}

// newReportHub is a hub of two communities, each with its office, and
// three cadres of 副县处级: 王建国 (sy, chronic illness, invited), 马学军
// (sy, seriously ill: not invited) and 孙立 (gsq, invited).
func newReportHub(t *testing.T) string {
	t.Helper()
	db := newHubDB(t, t.TempDir())
	withDB(t, db, syncsvc.RoleHub, func(ctx context.Context, r *store.Replica) {
		for _, o := range []struct{ id, name, community string }{{"sy-1", "舜园社区办公室", "sy"}, {"gsq-1", "杆石桥社区办公室", "gsq"}} {
			_, _, err := r.AddOffice(ctx, o.id, o.name, []string{o.community})
			require.NoError(t, err)
		}
		for code, name := range map[string]string{"sy": "舜园社区", "gsq": "杆石桥社区"} {
			require.NoError(t, r.SetCommunity(ctx, store.Community{Code: code, Name: name}))
		}
		for _, c := range []cadre.Cadre{
			reportCadre(t, "王建国", "19480315", 7, "sy", func(c *cadre.Cadre) { c.Health, c.Phone = cadre.HealthChronic, "13805310001" }),
			reportCadre(t, "马学军", "19360715", 5, "sy", func(c *cadre.Cadre) { c.Health = cadre.HealthSerious }),
			reportCadre(t, "孙立", "19500120", 11, "gsq", func(c *cadre.Cadre) { c.Category, c.Phone = cadre.Junxiu, "13905310002" }),
		} {
			_, err := r.PutCadre(ctx, &c)
			require.NoError(t, err)
		}
	})
	return db
}

func TestHubReportPrintsTheDistrictOrOneOffice(t *testing.T) {
	db := newReportHub(t)
	out := ok(t, hubArgs(db, "report", "invitations", "--on", "2026-11-20")...)
	assert.Contains(t, out, "春季座谈会邀请名单\n日期：2026-11-20　范围：全区（2 个社区）")
	lines := strings.Split(out, "\n")
	assert.Equal(t, "社区        姓名    性别  年龄  类别  健康状况  电话         原工作单位  身份证号", lines[4])
	assert.Equal(t, "杆石桥社区  孙立    男      76  军休  良好      13905310002              370102********0114", lines[5])
	assert.Equal(t, "舜园社区    王建国  男      78  退休  慢性病    13805310001              370102********0070", lines[6])
	assert.Contains(t, out, "副县处级及以上 3 名，在册 3 名；邀请 2 名，因健康状况未邀请 1 名")

	// One office's communities, labels in English.
	out = ok(t, hubArgs(db, "report", "邀请名单", "--office", "gsq-1", "--on", "2026-11-20", "--lang", "en")...)
	assert.Contains(t, out, "scope: 杆石桥社区")
	assert.Contains(t, out, "孙立")
	assert.NotContains(t, out, "王建国")

	res := wx(t, hubArgs(db, "report", "invitations", "--office", "nope")...)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "没有办公室 nope")
}

func TestHubReportWritesJSONCSVAndXLSX(t *testing.T) {
	db := newReportHub(t)
	var rep map[string]any
	okJSON(t, &rep, hubArgs(db, "report", "dues", "--on", "2026-11-20")...)
	assert.Equal(t, "dues", rep["kind"])
	tables := rep["tables"].([]any)
	assert.Equal(t, []any{}, tables[0].(map[string]any)["rows"], "no member owes dues: [] and not null")

	out := ok(t, hubArgs(db, "report", "invitations", "--on", "2026-11-20", "--format", "json", "--office", "sy-1")...)
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	rows := rep["tables"].([]any)[0].(map[string]any)["rows"].([]any)
	require.Len(t, rows, 1)
	assert.Equal(t, "王建国", rows[0].(map[string]any)["name"])
	assert.Equal(t, "male", rows[0].(map[string]any)["gender"])
	assert.Equal(t, 78.0, rows[0].(map[string]any)["age"])

	dir := t.TempDir()
	file := filepath.Join(dir, "邀请名单.csv")
	out = ok(t, hubArgs(db, "report", "invitations", "--on", "2026-11-20", "--out", file)...)
	assert.Equal(t, "已写入 "+file+"：春季座谈会邀请名单\n", out)
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(b, []byte("\uFEFF")), "CSV from the --out extension, with a BOM")
	records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF")))).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, []string{"社区", "姓名", "性别", "年龄", "类别", "健康状况", "电话", "原工作单位", "身份证号"}, records[0])
	assert.Len(t, records, 3)

	file = filepath.Join(dir, "晨报.xlsx")
	ok(t, hubArgs(db, "report", "all", "--on", "2026-11-20", "--out", file)...)
	f, err := excelize.OpenFile(file)
	require.NoError(t, err)
	defer f.Close()
	sheets := f.GetSheetList()
	assert.Len(t, sheets, 18, "every table of every report, the sync summary's too")
	assert.Equal(t, "走访：逾期与近期到期", sheets[0])
	assert.Equal(t, "同步：各办公室", sheets[16])
	rowsOf, err := f.GetRows("同步：各办公室")
	require.NoError(t, err)
	assert.Equal(t, "办公室", rowsOf[0][0])
	assert.Equal(t, []string{"gsq-1", "sy-1"}, []string{rowsOf[1][0], rowsOf[2][0]})

	// xlsx to stdout when it is not a terminal (a pipe, a file).
	out = ok(t, hubArgs(db, "report", "pairs", "--format", "xlsx")...)
	assert.True(t, strings.HasPrefix(out, "PK"), "a zip file")
}

func TestReportRefusesBadUsage(t *testing.T) {
	db := newReportHub(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"report", "weather"}, "没有报表 \"weather\""},
		{[]string{"report", "dues", "--format", "pdf"}, "--format"},
		{[]string{"report", "dues", "--json", "--format", "csv"}, "--json 与 --format csv 矛盾"},
		{[]string{"report", "all", "--format", "csv"}, "all 的各份报表写在一个工作簿里"},
		{[]string{"report", "dues", "--on", "2026-02-30"}, "--on"},
		{[]string{"report"}, "缺少参数 KIND"},
	} {
		res := wx(t, hubArgs(db, tc.args...)...)
		assert.Equal(t, 2, res.code, "%v: %s", tc.args, res.stderr)
		assert.Contains(t, res.stderr, tc.want, tc.args)
		assert.Equal(t, 1, strings.Count(res.stderr, "\n"), "one line")
	}
	res := wx(t, "hub", "report", "dues", "--db", filepath.Join(t.TempDir(), "none.db"))
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "没有数据库")
}

func TestOfficeReportUsesTheOfficesReplica(t *testing.T) {
	db := filepath.Join(t.TempDir(), "office.db")
	withDB(t, db, syncsvc.RoleOffice, func(ctx context.Context, r *store.Replica) {
		c := reportCadre(t, "王建国", "19480315", 7, "sy", func(c *cadre.Cadre) { c.Health = cadre.HealthChronic })
		_, err := r.PutCadre(ctx, &c)
		require.NoError(t, err)
	})
	out := ok(t, "office", "report", "invitations", "--on", "2026-11-20", "--db", db)
	assert.Contains(t, out, "范围：本机（sy）")
	assert.Contains(t, out, "王建国")

	var reps []map[string]any
	okJSON(t, &reps, "office", "report", "all", "--on", "2026-11-20", "--db", db)
	kinds := []any{}
	for _, r := range reps {
		kinds = append(kinds, r["kind"])
	}
	assert.Equal(t, []any{"visits", "pairs", "branches", "dues", "nearby", "invitations", "completeness"}, kinds, "all but the sync summary")

	res := wx(t, "office", "report", "sync", "--db", db)
	assert.Equal(t, 2, res.code)
	assert.Contains(t, res.stderr, "wanxia hub report sync")
	res = wx(t, "office", "report", "dues", "--office", "sy-1", "--db", db)
	assert.Equal(t, 2, res.code, "--office is the hub's")
}
