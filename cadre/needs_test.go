package cadre_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/wanxia/wanxia/cadre"
)

func TestAge(t *testing.T) {
	leap := cadre.Cadre{BirthDate: cadre.NewDate(1944, 2, 29)}
	tests := []struct {
		on   cadre.Date
		want int
	}{
		{cadre.NewDate(2024, 2, 28), 79},
		{cadre.NewDate(2024, 2, 29), 80},
		{cadre.NewDate(2025, 2, 28), 80},
		{cadre.NewDate(2023, 2, 28), 78},
		{cadre.NewDate(2023, 3, 1), 79},
		{cadre.NewDate(1944, 2, 29), 0},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, leap.Age(tt.on), tt.on.String())
	}
	c := cadre.Cadre{BirthDate: cadre.NewDate(1946, 11, 28)}
	assert.Equal(t, 79, c.Age(cadre.NewDate(2026, 11, 27)))
	assert.Equal(t, 80, c.Age(cadre.NewDate(2026, 11, 28)))
}

func TestEmptyNestAndDoubleHigh(t *testing.T) {
	p := cadre.DefaultPolicy()
	on := cadre.NewDate(2026, 11, 28)
	c := cadre.Cadre{BirthDate: cadre.NewDate(1946, 11, 29), Category: cadre.Tuixiu, Living: cadre.LivingSpouse}
	assert.True(t, c.IsEmptyNest())
	c.ChildrenNearby = true
	assert.False(t, c.IsEmptyNest())
	c.Living, c.ChildrenNearby = cadre.LivingFamily, false
	assert.False(t, c.IsEmptyNest())

	assert.False(t, c.InDoubleHighPeriod(on, p), "79 years old")
	assert.True(t, c.InDoubleHighPeriod(on.AddDays(1), p), "80 years old")
	c.Category = cadre.Lixiu
	assert.True(t, c.InDoubleHighPeriod(on, p), "every lixiu cadre")
	p.DoubleHighAge = 85
	c.Category = cadre.Junxiu
	assert.False(t, c.InDoubleHighPeriod(on.AddDays(1), p), "the age is a setting")
}

func TestNeedsAndTiers(t *testing.T) {
	p := cadre.DefaultPolicy()
	on := cadre.NewDate(2026, 11, 28)
	age79 := cadre.NewDate(1946, 11, 29)
	age80 := cadre.NewDate(1946, 11, 28)
	base := func(born cadre.Date) cadre.Cadre {
		return cadre.Cadre{BirthDate: born, Category: cadre.Tuixiu, Health: cadre.HealthGood, Living: cadre.LivingFamily, Status: cadre.StatusActive}
	}
	tests := []struct {
		name   string
		change func(*cadre.Cadre)
		born   cadre.Date
		needs  []cadre.Need
		tier   int
	}{
		{"79, well, with family", nil, age79, nil, 0},
		{"80 retired", nil, age80, []cadre.Need{cadre.NeedElderly}, 5},
		{"80 military retiree", func(c *cadre.Cadre) { c.Category = cadre.Junxiu }, age80, []cadre.Need{cadre.NeedElderly}, 5},
		{"lixiu at 79", func(c *cadre.Cadre) { c.Category = cadre.Lixiu }, age79, []cadre.Need{cadre.NeedLixiu}, 1},
		{"lixiu at 80 is not also 'elderly'", func(c *cadre.Cadre) { c.Category = cadre.Lixiu }, age80, []cadre.Need{cadre.NeedLixiu}, 1},
		{"seriously ill at 79", func(c *cadre.Cadre) { c.Health = cadre.HealthSerious }, age79, []cadre.Need{cadre.NeedSeriousHealth}, 2},
		{"dependent", func(c *cadre.Cadre) { c.Health = cadre.HealthDependent }, age79, []cadre.Need{cadre.NeedSeriousHealth}, 2},
		{"chronic is not serious", func(c *cadre.Cadre) { c.Health = cadre.HealthChronic }, age79, nil, 0},
		{"alone at 79", func(c *cadre.Cadre) { c.Living = cadre.LivingAlone }, age79, nil, 0},
		{"alone at 80", func(c *cadre.Cadre) { c.Living = cadre.LivingAlone }, age80, []cadre.Need{cadre.NeedAloneElderly, cadre.NeedElderly}, 3},
		{"alone at 80 with children nearby", func(c *cadre.Cadre) { c.Living, c.ChildrenNearby = cadre.LivingAlone, true }, age80, []cadre.Need{cadre.NeedAloneElderly, cadre.NeedElderly}, 3},
		{"spouse only at 80", func(c *cadre.Cadre) { c.Living = cadre.LivingSpouse }, age80, []cadre.Need{cadre.NeedAloneElderly, cadre.NeedElderly}, 3},
		{"spouse and children nearby at 80", func(c *cadre.Cadre) { c.Living, c.ChildrenNearby = cadre.LivingSpouse, true }, age80, []cadre.Need{cadre.NeedElderly}, 5},
		{"difficulty at 79", func(c *cadre.Cadre) { c.Difficulty = true }, age79, []cadre.Need{cadre.NeedLivingDifficulty}, 4},
		{"everything", func(c *cadre.Cadre) {
			c.Category, c.Health, c.Living, c.Difficulty = cadre.Lixiu, cadre.HealthDependent, cadre.LivingAlone, true
		}, age80, []cadre.Need{cadre.NeedLixiu, cadre.NeedSeriousHealth, cadre.NeedAloneElderly, cadre.NeedLivingDifficulty}, 1},
		{"deceased needs nothing", func(c *cadre.Cadre) { c.Category, c.Status = cadre.Lixiu, cadre.StatusDeceased }, age80, nil, 0},
		{"moved needs nothing", func(c *cadre.Cadre) { c.Difficulty, c.Status = true, cadre.StatusMoved }, age80, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base(tt.born)
			if tt.change != nil {
				tt.change(&c)
			}
			assert.Equal(t, tt.needs, c.Needs(on, p))
			assert.Equal(t, tt.tier, c.NeedTier(on, p))
		})
	}
}

func TestNeedLabelsAndTiers(t *testing.T) {
	for i, n := range []cadre.Need{cadre.NeedLixiu, cadre.NeedSeriousHealth, cadre.NeedAloneElderly, cadre.NeedLivingDifficulty, cadre.NeedElderly} {
		assert.Equal(t, i+1, n.Tier())
		assert.NotEqual(t, n.Label(cadre.Chinese), n.Label(cadre.English))
	}
	assert.Equal(t, 0, cadre.Need("other").Tier())
}

func TestPolicyAgesAreSettings(t *testing.T) {
	p := cadre.DefaultPolicy()
	p.ElderlyAge, p.AloneAge = 85, 85
	on := cadre.NewDate(2026, 11, 28)
	c := cadre.Cadre{BirthDate: cadre.NewDate(1944, 1, 1), Category: cadre.Tuixiu, Living: cadre.LivingAlone, Status: cadre.StatusActive}
	assert.Empty(t, c.Needs(on, p), "82 is below the district's 85")
	assert.Equal(t, 3, c.NeedTier(on, cadre.DefaultPolicy()))
}
