package venue_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/testkit"
	"github.com/wanxia/wanxia/venue"
)

func TestEligible(t *testing.T) {
	on := testkit.Date("2026-11-28")
	enrolments := []venue.Enrolment{
		enrolled(1, "sy", venue.StagePilot, testkit.Date("2024-03-01")),
		enrolled(2, "gsq", venue.StageExtended, on),              // from the date itself
		enrolled(3, "later", venue.StageExtended, on.AddDays(1)), // from the day after
		{ID: id(4), Community: "ended", Stage: venue.StagePilot, Since: testkit.Date("2024-03-01"), Until: on},
		{ID: id(5), Community: "ending", Stage: venue.StagePilot, Since: testkit.Date("2024-03-01"), Until: on.AddDays(1)},
	}
	type change func(*cadre.Cadre)
	aged := func(age int) change { return func(c *cadre.Cadre) { c.BirthDate = bornYearsBefore(on, age) } }
	dayBefore80 := func(c *cadre.Cadre) { c.BirthDate = bornYearsBefore(on, 80).AddDays(1) }
	category := func(k cadre.Category) change { return func(c *cadre.Cadre) { c.Category = k } }
	status := func(s cadre.Status, d cadre.Date) change { return func(c *cadre.Cadre) { c.Status, c.StatusOn = s, d } }
	community := func(code string) change { return func(c *cadre.Cadre) { c.Community = code } }
	alone := func(c *cadre.Cadre) { c.Living, c.ChildrenNearby = cadre.LivingAlone, false }

	tests := []struct {
		name    string
		changes []change
		rule    venue.Rule
		need    cadre.Need
		stage   venue.Stage
	}{
		{"退休 70, nothing else", nil, venue.RuleNotInGroup, "", ""},
		{"退休 79, turning 80 tomorrow", []change{dayBefore80}, venue.RuleNotInGroup, "", ""},
		{"退休 80 on the date", []change{aged(80)}, venue.RuleAged, "", venue.StagePilot},
		{"离休 at 96", []change{category(cadre.Lixiu), aged(96)}, venue.RuleLixiu, "", venue.StagePilot},
		{"离休 at any age, even 60", []change{category(cadre.Lixiu), aged(60)}, venue.RuleLixiu, "", venue.StagePilot},
		{"离休 comes before difficulty", []change{category(cadre.Lixiu), func(c *cadre.Cadre) { c.Difficulty = true }}, venue.RuleLixiu, "", venue.StagePilot},
		{"军休 85: the age rule is for 退休", []change{category(cadre.Junxiu), aged(85)}, venue.RuleNotInGroup, "", ""},
		{"seriously ill at 70", []change{func(c *cadre.Cadre) { c.Health = cadre.HealthSerious }}, venue.RuleDifficulty, cadre.NeedSeriousHealth, venue.StagePilot},
		{"dependent at 70", []change{func(c *cadre.Cadre) { c.Health = cadre.HealthDependent }}, venue.RuleDifficulty, cadre.NeedSeriousHealth, venue.StagePilot},
		{"军休 alone at 80", []change{category(cadre.Junxiu), aged(80), alone}, venue.RuleDifficulty, cadre.NeedAloneElderly, venue.StagePilot},
		{"军休 alone at 79", []change{category(cadre.Junxiu), dayBefore80, alone}, venue.RuleNotInGroup, "", ""},
		{"退休 alone at 80: aged comes first", []change{aged(80), alone}, venue.RuleAged, "", venue.StagePilot},
		{"living difficulty", []change{func(c *cadre.Cadre) { c.Difficulty = true }}, venue.RuleDifficulty, cadre.NeedLivingDifficulty, venue.StagePilot},
		{"died on the date", []change{aged(90), status(cadre.StatusDeceased, on)}, venue.RuleDeceased, "", ""},
		{"died the day after", []change{aged(90), status(cadre.StatusDeceased, on.AddDays(1))}, venue.RuleAged, "", venue.StagePilot},
		{"died, date unknown", []change{aged(90), status(cadre.StatusDeceased, cadre.Date{})}, venue.RuleDeceased, "", ""},
		{"moved away the day before", []change{category(cadre.Lixiu), status(cadre.StatusMoved, on.AddDays(-1))}, venue.RuleMoved, "", ""},
		{"moved away the day after", []change{category(cadre.Lixiu), status(cadre.StatusMoved, on.AddDays(1))}, venue.RuleLixiu, "", venue.StagePilot},
		{"community never enrolled", []change{category(cadre.Lixiu), community("xyz")}, venue.RuleNotEnrolled, "", ""},
		{"community never enrolled, not in a group", []change{community("xyz")}, venue.RuleNotInGroup, "", ""},
		{"difficulty, community never enrolled", []change{alone, aged(81), category(cadre.Junxiu), community("xyz")}, venue.RuleNotEnrolled, cadre.NeedAloneElderly, ""},
		{"enrolment from the date", []change{aged(80), community("gsq")}, venue.RuleAged, "", venue.StageExtended},
		{"enrolment from the day after", []change{aged(80), community("later")}, venue.RuleNotEnrolled, "", ""},
		{"enrolment ended on the date", []change{aged(80), community("ended")}, venue.RuleNotEnrolled, "", ""},
		{"enrolment ends the day after", []change{aged(80), community("ending")}, venue.RuleAged, "", venue.StagePilot},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := person(1, "sy", nil)
			for _, f := range tt.changes {
				f(&c)
			}
			e := venue.Eligible(c, enrolments, on, venue.DefaultSettings())
			assert.Equal(t, tt.rule, e.Rule)
			eligible := tt.rule == venue.RuleLixiu || tt.rule == venue.RuleAged || tt.rule == venue.RuleDifficulty
			assert.Equal(t, eligible, e.Eligible)
			assert.Equal(t, tt.need, e.Need)
			assert.Equal(t, tt.stage, e.Stage)
			assert.NotEmpty(t, e.Reason.Zh)
			assert.NotEmpty(t, e.Reason.En)
		})
	}
}

func TestEligibleReasons(t *testing.T) {
	on := testkit.Date("2026-11-28")
	enrolments := []venue.Enrolment{
		enrolled(1, "sy", venue.StagePilot, testkit.Date("2024-03-01")),
		enrolled(2, "gsq", venue.StageExtended, testkit.Date("2027-01-01")),
		{ID: id(3), Community: "old", Stage: venue.StagePilot, Since: testkit.Date("2024-03-01"), Until: testkit.Date("2026-01-01")},
	}
	s := venue.DefaultSettings()
	tests := []struct {
		name string
		c    func() cadre.Cadre
		want venue.Text
	}{
		{"lixiu", func() cadre.Cadre { return lixiu(1, "sy", nil) }, venue.Text{
			Zh: "离休干部；所在社区sy为四就近试点社区",
			En: "a lixiu cadre; community sy is in the four-nearby program (pilot)",
		}},
		{"aged", func() cadre.Cadre {
			c := person(1, "sy", nil)
			c.BirthDate = bornYearsBefore(on, 82)
			return c
		}, venue.Text{
			Zh: "退休干部，该日82岁，在80岁以上；所在社区sy为四就近试点社区",
			En: "a retired cadre aged 82 on the date, 80 or over; community sy is in the four-nearby program (pilot)",
		}},
		{"not in a group", func() cadre.Cadre { return person(1, "sy", nil) }, venue.Text{
			Zh: "退休干部，该日70岁：不是离休干部，不是80岁以上的退休干部，也没有特殊困难",
			En: "a retired cadre aged 70 on the date: not lixiu, not a retired cadre aged 80 or over, and in no special difficulty",
		}},
		{"not yet enrolled", func() cadre.Cadre {
			c := person(1, "gsq", nil)
			c.Health = cadre.HealthSerious
			return c
		}, venue.Text{
			Zh: "特殊困难（重病或失能），但所在社区gsq自2027-01-01起才纳入四就近",
			En: "in special difficulty (seriously ill or dependent), but community gsq joins the four-nearby program only on 2027-01-01",
		}},
		{"no longer enrolled", func() cadre.Cadre { return lixiu(1, "old", nil) }, venue.Text{
			Zh: "离休干部，但所在社区old已于2026-01-01退出四就近",
			En: "a lixiu cadre, but community old left the four-nearby program on 2026-01-01",
		}},
		{"never enrolled", func() cadre.Cadre { return lixiu(1, "xyz", nil) }, venue.Text{
			Zh: "离休干部，但所在社区xyz未纳入四就近",
			En: "a lixiu cadre, but community xyz is not in the four-nearby program",
		}},
		{"deceased", func() cadre.Cadre {
			c := lixiu(1, "sy", nil)
			c.Status, c.StatusOn = cadre.StatusDeceased, testkit.Date("2026-05-01")
			return c
		}, venue.Text{Zh: "已于2026-05-01去世", En: "deceased on 2026-05-01"}},
		{"moved", func() cadre.Cadre {
			c := lixiu(1, "sy", nil)
			c.Status = cadre.StatusMoved
			return c
		}, venue.Text{Zh: "已迁出", En: "moved away"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, venue.Eligible(tt.c(), enrolments, on, s).Reason)
		})
	}
}

func TestEligibleSettings(t *testing.T) {
	on := testkit.Date("2026-11-28")
	enrolments := []venue.Enrolment{enrolled(1, "sy", venue.StagePilot, testkit.Date("2024-03-01"))}
	c := person(1, "sy", nil)
	c.Category, c.BirthDate = cadre.Junxiu, bornYearsBefore(on, 76)

	s := venue.DefaultSettings()
	assert.Equal(t, venue.RuleNotInGroup, venue.Eligible(c, enrolments, on, s).Rule)
	s.AgedCategories = append(s.AgedCategories, cadre.Junxiu)
	s.Policy.ElderlyAge = 75
	e := venue.Eligible(c, enrolments, on, s)
	assert.Equal(t, venue.RuleAged, e.Rule)
	assert.Equal(t, venue.Text{
		Zh: "军休干部，该日76岁，在75岁以上；所在社区sy为四就近试点社区",
		En: "a retired military officer aged 76 on the date, 75 or over; community sy is in the four-nearby program (pilot)",
	}, e.Reason)

	c.BirthDate = bornYearsBefore(on, 74)
	assert.Equal(t, venue.Text{
		Zh: "军休干部，该日74岁：不是离休干部，不是75岁以上的退休干部或军休干部，也没有特殊困难",
		En: "a retired military officer aged 74 on the date: not lixiu, not a retired cadre or retired military officer aged 75 or over, and in no special difficulty",
	}, venue.Eligible(c, enrolments, on, s).Reason)

	s.AgedCategories = nil
	assert.Equal(t, "军休干部，该日74岁：不是离休干部，也没有特殊困难", venue.Eligible(c, enrolments, on, s).Reason.Zh)
}

func TestEligibleOverlappingEnrolments(t *testing.T) {
	on := testkit.Date("2026-11-28")
	c := lixiu(1, "sy", nil)
	enrolments := []venue.Enrolment{
		enrolled(7, "sy", venue.StageExtended, testkit.Date("2025-01-01")),
		enrolled(8, "sy", venue.StagePilot, testkit.Date("2024-03-01")),
	}
	assert.Equal(t, venue.StagePilot, venue.Eligible(c, enrolments, on, venue.DefaultSettings()).Stage)
	assert.Equal(t, venue.StageExtended, venue.Eligible(c, enrolments[:1], on, venue.DefaultSettings()).Stage)
}
