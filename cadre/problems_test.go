package cadre_test

import (
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
)

func TestProblemsEmptyIsNil(t *testing.T) {
	var ps cadre.Problems
	ps.RequireID("id", uuid.New())
	ps.Enum("kind", "a", true)
	assert.NoError(t, ps.Err())
}

func TestProblemsCollectInOrder(t *testing.T) {
	var ps cadre.Problems
	ps.RequireID("id", uuid.Nil)
	ps.Enum("kind", "", false)
	ps.Enum("role", "chief", false)
	ps.Add("code", cadre.ErrIDLength)
	ps.Addf("seats", cadre.ErrInvalid, "%d is negative", -2)
	ps.AddWorded("on", cadre.ErrOrder, "日期先后有误", "before the start")

	err := ps.Err()
	var ve *cadre.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []string{"id", "kind", "role", "code", "seats", "on"}, ve.Fields())
	assert.Equal(t, `id: is required; kind: is required; role: invalid value: "chief" is not a known value; `+
		`code: invalid resident ID number: wrong length; seats: invalid value: -2 is negative; on: dates out of order: before the start`, err.Error())

	for i, want := range []error{cadre.ErrRequired, cadre.ErrRequired, cadre.ErrInvalid, cadre.ErrIDLength, cadre.ErrInvalid, cadre.ErrOrder} {
		assert.True(t, errors.Is(ve.Problems[i], want), "problem %d wraps %v", i, want)
	}
	zh := make([]string, len(ve.Problems))
	for i, p := range ve.Problems {
		zh[i] = p.Message(cadre.Chinese)
	}
	// Chinese comes from the sentinel unless the problem was worded at the source.
	assert.Equal(t, []string{"必填", "必填", "填写有误", "身份证号应为18位", "填写有误", "日期先后有误"}, zh)
}

func TestOnRoll(t *testing.T) {
	d := cadre.NewDate(2026, 11, 28)
	c := cadre.Cadre{Status: cadre.StatusActive}
	assert.True(t, c.OnRoll(d))
	c.Status, c.StatusOn = cadre.StatusDeceased, d
	assert.False(t, c.OnRoll(d), "not on the roll on the day of death")
	assert.True(t, c.OnRoll(d.AddDays(-1)))
	c.StatusOn = cadre.Date{}
	assert.False(t, c.OnRoll(d.AddDays(-1000)), "a status without its date counts from always")
}

func TestDistanceMetres(t *testing.T) {
	a := cadre.Location{Lat: 36.66, Lng: 117.0}
	assert.Zero(t, a.DistanceMetres(a))
	// One hundredth of a degree of latitude is about 1.112 km.
	assert.InDelta(t, 1111.95, a.DistanceMetres(cadre.Location{Lat: 36.67, Lng: 117.0}), 0.5)
}
