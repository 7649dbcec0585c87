package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
)

func cadreNamed(t *testing.T, d *district, name string) cadre.Cadre {
	t.Helper()
	for _, c := range d.cadres {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no cadre named %s", name)
	return cadre.Cadre{}
}

func TestDues(t *testing.T) {
	d := newDistrict()
	rep := planJSON(t)
	byName := map[string]duesLine{}
	for _, l := range rep.Dues {
		byName[l.Name] = l
	}
	require.Len(t, byName, 7)

	// 4321.50 yuan at 0.5 %: 2160.75 fen, rounded half up to 2161.
	assert.Equal(t, int64(432_150), cadreNamed(t, d, "马建国").PensionFen)
	assert.Equal(t, int64(2161), byName["马建国"].MonthlyDueFen)
	assert.Equal(t, int64(5123), byName["高玉梅"].MonthlyDueFen)
	assert.Equal(t, int64(2500), byName["唐秀珍"].MonthlyDueFen)

	for name, want := range map[string]struct {
		unpaid int
		action branch.ArrearsAction
	}{
		"马建国": {0, branch.ActionNone},
		"高玉梅": {2, branch.ActionNone},
		"唐秀珍": {3, branch.ActionReminder},
		"冯学军": {6, branch.ActionReview},
		"朱翠萍": {0, branch.ActionNone},
		"许凤英": {0, branch.ActionNone},
		"郭守仁": {0, branch.ActionNone},
	} {
		l := byName[name]
		assert.Len(t, l.Unpaid, want.unpaid, name)
		assert.Equal(t, want.unpaid, l.Consecutive, name)
		assert.Equal(t, want.action, l.Action, name)
	}
	assert.Equal(t, "提请组织处理", byName["冯学军"].ActionLabel, "six months unpaid is the most serious action")
	assert.Equal(t, int64(6*1930), byName["冯学军"].ArrearsFen)

	assert.Equal(t, branch.ReliefReduced, byName["朱翠萍"].Relief)
	assert.Equal(t, int64(500), byName["朱翠萍"].MonthlyDueFen)
	assert.Equal(t, int64(1600), byName["朱翠萍"].StandardDueFen)
	assert.Equal(t, branch.ReliefExempt, byName["许凤英"].Relief)
	assert.Equal(t, int64(0), byName["许凤英"].MonthlyDueFen)

	// Dues end on the date of death: September was paid but not owed.
	assert.Equal(t, cadre.StatusDeceased, byName["郭守仁"].Status)
	assert.Equal(t, int64(6540), byName["郭守仁"].CreditFen)
}

// The made-up records are valid records: a check that the district shows
// the rules at work rather than the mistakes of its data.
func TestDistrictIsValid(t *testing.T) {
	d := newDistrict()
	asOf := planOn.In(time.UTC) // Validate reads the date only
	assert.GreaterOrEqual(t, len(d.cadres), 60)
	assert.LessOrEqual(t, len(d.cadres), 150)
	ids, names := map[string]bool{}, map[string]bool{}
	for _, c := range d.cadres {
		assert.NoError(t, c.Validate(asOf), c.Name)
		assert.False(t, ids[c.IDNumber], "ID number of %s repeated", c.Name)
		assert.False(t, names[c.Name], "name %s repeated", c.Name)
		ids[c.IDNumber], names[c.Name] = true, true
	}
	for _, c := range d.communities {
		assert.NoError(t, c.Validate(), c.Code)
	}
	for _, b := range d.branches {
		assert.NoError(t, b.Validate(), b.Name)
	}
	for _, m := range d.memberships {
		assert.NoError(t, m.Validate())
	}
	for _, p := range d.posts {
		assert.NoError(t, p.Validate())
	}
	for _, p := range d.payments {
		assert.NoError(t, p.Validate())
	}
	for _, r := range d.reliefs {
		assert.NoError(t, r.Validate())
	}
}
