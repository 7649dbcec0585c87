package cadre_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
)

func TestParseDate(t *testing.T) {
	d, err := cadre.ParseDate("2028-02-29")
	require.NoError(t, err)
	assert.Equal(t, "2028-02-29", d.String())
	for _, bad := range []string{"2026-02-29", "2026-13-01", "26-01-01", "2026/01/01", ""} {
		_, err := cadre.ParseDate(bad)
		assert.ErrorIs(t, err, cadre.ErrInvalid, bad)
	}
}

func TestDateArithmetic(t *testing.T) {
	d := cadre.NewDate(2026, 12, 30)
	assert.Equal(t, cadre.NewDate(2027, 1, 2), d.AddDays(3))
	assert.Equal(t, 3, d.AddDays(3).DaysSince(d))
	assert.Equal(t, -3, d.DaysSince(d.AddDays(3)))
	assert.True(t, d.Before(d.AddDays(1)))
	assert.True(t, d.AddDays(1).After(d))
	assert.Equal(t, 0, d.Compare(cadre.NewDate(2026, 12, 30)))
	assert.True(t, cadre.Date{Year: 2026, Month: 2, Day: 30}.Valid() == false)

	shanghai := time.FixedZone("CST", 8*3600)
	late := time.Date(2026, 11, 28, 23, 30, 0, 0, shanghai)
	assert.Equal(t, cadre.NewDate(2026, 11, 28), cadre.DateOf(late))
	assert.Equal(t, cadre.NewDate(2026, 11, 28), cadre.DateOf(late.UTC()), "15:30 UTC is still the 28th")
}

func TestDateJSON(t *testing.T) {
	type rec struct {
		D cadre.Date `json:"d"`
		E cadre.Date `json:"e"`
	}
	b, err := json.Marshal(rec{D: cadre.NewDate(1944, 3, 15)})
	require.NoError(t, err)
	assert.JSONEq(t, `{"d":"1944-03-15","e":""}`, string(b))
	var back rec
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, cadre.NewDate(1944, 3, 15), back.D)
	assert.True(t, back.E.IsZero())
	assert.Error(t, json.Unmarshal([]byte(`{"d":"1944-02-30"}`), &back))
}
