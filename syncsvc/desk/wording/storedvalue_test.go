package wording_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/desk/wording"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

func TestStoredValueIsWhatAClerkReads(t *testing.T) {
	id := testkit.IDNumberFor("370102", "19440315", 13)
	assert.Equal(t, "离休", wording.StoredValue("cadres", "category", "lixiu", cadre.Chinese))
	assert.Equal(t, "5123.40", wording.StoredValue("cadres", "pension_fen", int64(512340), cadre.Chinese))
	got := wording.StoredValue("cadres", "id_number", []any{id, "1944-03-15", "male"}, cadre.English)
	assert.NotContains(t, got, id, "the ID number is masked")
	assert.Contains(t, got, "1944-03-15 / male")
	assert.Equal(t, "-", wording.StoredValue("cadres", "phone", nil, cadre.Chinese))
	assert.Equal(t, "lixiu", wording.StoredValue("visits", "category", "lixiu", cadre.Chinese), "only a cadre's codes are labels")
}

func TestTableNames(t *testing.T) {
	assert.Equal(t, "走访", wording.TableLabel("visits", cadre.Chinese))
	assert.Equal(t, "dues payment", wording.TableLabel("dues_payments", cadre.English))
	assert.Equal(t, "my_records", wording.TableLabel("my_records", cadre.Chinese), "a program's own type as it is")
}
