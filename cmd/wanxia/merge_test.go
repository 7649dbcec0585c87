package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// TestMergeStepsAndFailures: hub merge runs and records every step; a
// backup directory that cannot be written fails that step alone, exits 1
// after printing the steps, and the run is listed afterwards.
func TestMergeStepsAndFailures(t *testing.T) {
	dir := t.TempDir()
	db := newHubDB(t, dir)
	ok(t, hubArgs(db, "office", "add", "--id", "sy", "--name", "舜园社区办公室", "--communities", "sy")...)

	out := ok(t, hubArgs(db, "merge", "--backup", filepath.Join(dir, "backups"))...)
	for _, step := range []string{"同步汇总", "重复登记", "1对5结对", "党支部设置方案", "报表", "压缩变更日志", "备份"} {
		assert.Contains(t, out, step)
	}
	assert.Contains(t, out, "备份（已检查）")

	blocker := filepath.Join(dir, "file")
	require.NoError(t, os.WriteFile(blocker, []byte("x"), 0o600))
	res := wx(t, hubArgs(db, "merge", "--backup", filepath.Join(blocker, "sub"), "--lang", "en")...)
	assert.Equal(t, 1, res.code)
	assert.Equal(t, 1, strings.Count(res.stderr, "\n"), res.stderr)
	assert.Contains(t, res.stderr, "a merge step failed")
	assert.Contains(t, res.stdout, "failed")
	assert.Contains(t, res.stdout, "check that", "what to do")

	var runs []struct {
		ID      int64  `json:"id"`
		Outcome string `json:"outcome"`
		Steps   []struct {
			Name    string `json:"name"`
			Outcome string `json:"outcome"`
		} `json:"steps"`
	}
	okJSON(t, &runs, hubArgs(db, "merge", "list")...)
	require.Len(t, runs, 2)
	assert.Equal(t, "failed", runs[0].Outcome)
	assert.Equal(t, "ok", runs[1].Outcome)
	require.Len(t, runs[0].Steps, 7)
	assert.Equal(t, "backup", runs[0].Steps[6].Name)
	assert.Equal(t, "failed", runs[0].Steps[6].Outcome)
	assert.Equal(t, "ok", runs[0].Steps[5].Outcome, "compaction ran")
	assert.Contains(t, ok(t, hubArgs(db, "merge", "list")...), "第2次合并")

	// With --reports, the reports step writes the district's workbook and
	// one per office, in a folder of the date.
	reports := filepath.Join(dir, "reports")
	var merged struct {
		Run struct {
			Started string `json:"started"`
			Steps   []struct {
				Name    string   `json:"name"`
				Outcome string   `json:"outcome"`
				Files   []string `json:"files"`
			} `json:"steps"`
		} `json:"run"`
	}
	okJSON(t, &merged, hubArgs(db, "merge", "--reports", reports)...)
	var files []string
	for _, s := range merged.Run.Steps {
		if s.Name == "reports" {
			assert.Equal(t, "ok", s.Outcome)
			files = s.Files
		}
	}
	require.Len(t, files, 2)
	assert.Equal(t, "区级报表.xlsx", filepath.Base(files[0]))
	assert.Equal(t, "sy.xlsx", filepath.Base(files[1]))
	f, err := excelize.OpenFile(files[1])
	require.NoError(t, err)
	defer f.Close()
	sheets := f.GetSheetList()
	assert.Greater(t, len(sheets), 5, "one sheet per table of every report")
	assert.Contains(t, strings.Join(sheets, ","), "邀请名单")
}
