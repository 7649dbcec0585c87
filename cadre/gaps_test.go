package cadre_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// onlyIdentity is a cadre of whom only the name, the ID number and the
// community are known.
func onlyIdentity(t *testing.T) cadre.Cadre {
	t.Helper()
	c := cadre.Cadre{Name: "王建国", IDNumber: testkit.Wang().IDNumber, Community: "sy"}
	c.Normalize()
	require.NoError(t, c.Validate(testkit.FixedNow()))
	return c
}

func TestGapsAreListedMostNeededFirst(t *testing.T) {
	c := onlyIdentity(t)
	var fields []string
	for _, g := range c.Gaps() {
		fields = append(fields, g.Field)
		assert.NotEmpty(t, g.WaitsIn(cadre.Chinese))
		assert.NotEmpty(t, g.WaitsIn(cadre.English))
	}
	assert.Equal(t, []string{"health", "category", "living", "party", "rank", "address", "phone", "emergency_contact", "retired_on", "original_unit"}, fields,
		"the pension and the date of joining count only for a member")

	c.Party = cadre.PartyFull
	gaps := c.Gaps()
	assert.Contains(t, fieldsOf(gaps), "pension_fen")
	assert.Contains(t, fieldsOf(gaps), "party_joined_on")
	assert.NotContains(t, fieldsOf(gaps), "party")

	full := testkit.Wang()
	full.PensionFen, full.Address, full.Phone, full.EmergencyContact, full.OriginalUnit = 500000, "舜园路1号", "0531-1", "王小明", "市委"
	assert.Empty(t, full.Gaps())
	assert.Equal(t, "未填", cadre.Unknown(cadre.Chinese))
}

func fieldsOf(gs []cadre.Gap) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = g.Field
	}
	return out
}

func TestUnknownsAreNeverGuessed(t *testing.T) {
	p := cadre.DefaultPolicy()
	on := cadre.NewDate(2026, 11, 28)
	c := onlyIdentity(t)
	c.BirthDate, c.IDNumber = cadre.NewDate(1940, 1, 1), "" // aged 86; the ID number does not matter here
	assert.Empty(t, c.Needs(on, p), "no tier on what is not known")
	assert.Equal(t, 0, c.NeedTier(on, p))
	assert.Equal(t, []cadre.Need{cadre.NeedLixiu, cadre.NeedSeriousHealth, cadre.NeedAloneElderly, cadre.NeedElderly}, c.PossibleNeeds(on, p))
	assert.True(t, c.NeedsFirstVisit(on, p))

	// Known to be 离休: tier 1 whatever the health, no first visit needed.
	c.Category = cadre.Lixiu
	assert.Equal(t, 1, c.NeedTier(on, p))
	assert.Equal(t, []cadre.Need{cadre.NeedSeriousHealth, cadre.NeedAloneElderly}, c.PossibleNeeds(on, p))
	assert.False(t, c.NeedsFirstVisit(on, p), "nothing unknown ranks above tier 1")

	// Known to be 退休 and aged: tier 5, but the unknown health could be tier 2.
	c.Category = cadre.Tuixiu
	assert.Equal(t, 5, c.NeedTier(on, p))
	assert.True(t, c.NeedsFirstVisit(on, p))
	c.Health, c.Living = cadre.HealthGood, cadre.LivingFamily
	assert.Empty(t, c.PossibleNeeds(on, p))
	assert.False(t, c.NeedsFirstVisit(on, p))

	// A young cadre of unknown living is not possibly 'aged and alone'.
	young := onlyIdentity(t)
	young.BirthDate = cadre.NewDate(1960, 1, 1)
	young.Category, young.Health = cadre.Tuixiu, cadre.HealthGood
	assert.Empty(t, young.PossibleNeeds(on, p))

	dead := onlyIdentity(t)
	dead.Status, dead.StatusOn = cadre.StatusDeceased, on
	assert.Empty(t, dead.PossibleNeeds(on, p))
}
