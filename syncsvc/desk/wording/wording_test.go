package wording_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/desk/wording"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

func TestErrorWordsWhatItKnowsAndLeadsTheRestInChinese(t *testing.T) {
	errReason := errors.New("a reason is required")
	_, statErr := os.Stat("/no/such/file")
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"a file", fmt.Errorf("read roster: %w", statErr), "查看 /no/such/file 时出错：没有这个文件或文件夹"},
		{"the caller's sentinel", fmt.Errorf("remove: %w", errReason), "请写明原因"},
		{"worded at its source", cadre.WordedZH(cadre.ErrInvalid, "社区代码不对"), "社区代码不对"},
		{"no one worded it", errors.New("disk on fire"), "出了没有预料到的问题（disk on fire）"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := wording.Error(c.err, cadre.Chinese, wording.Sentinel{Err: errReason, ZH: "请写明原因"})
			assert.Contains(t, got, c.want)
			assert.Equal(t, c.err.Error(), wording.Error(c.err, cadre.English), "English is the error's own text")
		})
	}
	assert.Empty(t, wording.Error(nil, cadre.Chinese))
	assert.ErrorIs(t, statErr, fs.ErrNotExist)
}

func TestCadreValueAndStoredValueShowWhatAClerkReads(t *testing.T) {
	c := testkit.Wang()
	c.Health = ""
	assert.Equal(t, "未填", wording.CadreValue(&c, "health", cadre.Chinese, false), "an enumeration not filled in")
	assert.Equal(t, "unknown", wording.CadreValue(&c, "health", cadre.English, false))
	assert.Equal(t, cadre.MaskIDNumber(c.IDNumber), wording.CadreValue(&c, "id_number", cadre.Chinese, false), "masked in lists")
	assert.Equal(t, c.IDNumber, wording.CadreValue(&c, "id_number", cadre.Chinese, true))
	assert.Equal(t, "5123.40", wording.CadreValue(&c, "pension_fen", cadre.Chinese, false))
	assert.Equal(t, "电话", wording.FieldName("phone", cadre.Chinese))

	assert.Equal(t, "退休", wording.StoredValue(store.CadresTable, "category", "tuixiu", cadre.Chinese))
	assert.Equal(t, "5123.40", wording.StoredValue(store.CadresTable, "pension_fen", int64(512340), cadre.Chinese))
	assert.Equal(t, "舜园 / 36.65 / 117", wording.StoredValue(store.CadresTable, "address", []any{"舜园", 36.65, 117.0}, cadre.Chinese),
		"the columns of a field stored together")
	assert.Equal(t, cadre.MaskIDNumber(c.IDNumber)+" / 1944-03-15 / 男",
		wording.StoredValue(store.CadresTable, "id_number", []any{c.IDNumber, "1944-03-15", "male"}, cadre.Chinese))
	assert.Equal(t, "-", wording.StoredValue(store.CadresTable, "phone", nil, cadre.Chinese))
	assert.Equal(t, "走访", wording.TableLabel(store.VisitsTable, cadre.Chinese))
	assert.Equal(t, "visit", wording.TableLabel(store.VisitsTable, cadre.English))
}
