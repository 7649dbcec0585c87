package cadre_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

func TestValidateAcceptsAValidRecord(t *testing.T) {
	assert.NoError(t, testkit.Wang().Validate(testkit.FixedNow()))
}

func TestValidateReportsEveryProblemAtOnce(t *testing.T) {
	c := testkit.Wang()
	c.Name = "  "
	c.IDNumber = c.IDNumber[:17] + "0"
	if c.IDNumber == testkit.Wang().IDNumber {
		c.IDNumber = c.IDNumber[:17] + "1"
	}
	c.Health = "sickly"
	c.PensionFen = -1
	c.Location = &cadre.Location{Lat: 91, Lng: 0}
	c.Phone = "call me"
	c.Community = "Shun Yuan"

	err := c.Validate(testkit.FixedNow())
	require.Error(t, err)
	var ve *cadre.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []string{"name", "id_number", "health", "community", "location", "phone", "pension_fen"}, ve.Fields())
	assert.ErrorIs(t, err, cadre.ErrRequired)
	assert.ErrorIs(t, err, cadre.ErrIDCheck)
	assert.ErrorIs(t, err, cadre.ErrInvalid)

	var fe *cadre.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "name", fe.Field)
}

func TestValidateRefusesFutureBirthDate(t *testing.T) {
	c := testkit.Wang()
	c.IDNumber = testkit.IDNumberFor("370102", "20261129", 13)
	c.BirthDate = testkit.Date("2026-11-29")
	err := c.Validate(testkit.FixedNow())
	require.Error(t, err)
	assertFieldErr(t, err, "birth_date", cadre.ErrFuture)
}

func TestValidateDates(t *testing.T) {
	tests := []struct {
		name   string
		change func(*cadre.Cadre)
		field  string
		want   error
	}{
		{"retired before born", func(c *cadre.Cadre) { c.RetiredOn = testkit.Date("1940-01-01") }, "retired_on", cadre.ErrOrder},
		{"retired in the future", func(c *cadre.Cadre) { c.RetiredOn = testkit.Date("2027-01-01") }, "retired_on", cadre.ErrFuture},
		{"name missing", func(c *cadre.Cadre) { c.Name = " " }, "name", cadre.ErrRequired},
		{"community missing", func(c *cadre.Cadre) { c.Community = "" }, "community", cadre.ErrRequired},
		{"ID number missing", func(c *cadre.Cadre) { c.IDNumber = "" }, "id_number", cadre.ErrRequired},
		{"joined party before birth", func(c *cadre.Cadre) { c.PartyJoinedOn = testkit.Date("1930-01-01") }, "party_joined_on", cadre.ErrOrder},
		{"joined date for non-member", func(c *cadre.Cadre) { c.Party = cadre.PartyNone }, "party_joined_on", cadre.ErrInvalid},
		{"deceased without date", func(c *cadre.Cadre) { c.Status = cadre.StatusDeceased }, "status_on", cadre.ErrRequired},
		{"moved in the future", func(c *cadre.Cadre) { c.Status, c.StatusOn = cadre.StatusMoved, testkit.Date("2026-12-01") }, "status_on", cadre.ErrFuture},
		{"status before birth", func(c *cadre.Cadre) { c.Status, c.StatusOn = cadre.StatusMoved, testkit.Date("1900-12-01") }, "status_on", cadre.ErrOrder},
		{"birth date disagrees with ID", func(c *cadre.Cadre) { c.BirthDate = testkit.Date("1944-03-16") }, "birth_date", cadre.ErrMismatch},
		{"gender disagrees with ID", func(c *cadre.Cadre) { c.Gender = cadre.Female }, "gender", cadre.ErrMismatch},
		{"impossible date", func(c *cadre.Cadre) { c.RetiredOn = cadre.Date{Year: 2004, Month: 2, Day: 30} }, "retired_on", cadre.ErrInvalid},
		{"reserved community", func(c *cadre.Cadre) { c.Community = "district" }, "community", cadre.ErrInvalid},
		{"unknown category code", func(c *cadre.Cadre) { c.Category = "retired" }, "category", cadre.ErrInvalid},
		{"unknown health code", func(c *cadre.Cadre) { c.Health = "ill" }, "health", cadre.ErrInvalid},
		{"zero-width space in the name", func(c *cadre.Cadre) { c.Name = "王\u200b六" }, "name", cadre.ErrInvalid},
		{"line break in the address", func(c *cadre.Cadre) { c.Address = "舜园路1号\n2单元" }, "address", cadre.ErrInvalid},
		{"terminal escape in the unit", func(c *cadre.Cadre) { c.OriginalUnit = "\x1b[31m市委" }, "original_unit", cadre.ErrInvalid},
		{"NUL in the contact", func(c *cadre.Cadre) { c.EmergencyContact = "王\x00" }, "emergency_contact", cadre.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testkit.Wang()
			tt.change(&c)
			assertFieldErr(t, c.Validate(testkit.FixedNow()), tt.field, tt.want)
		})
	}

	c := testkit.Wang()
	c.Status, c.StatusOn = cadre.StatusDeceased, testkit.Date("2026-11-28")
	assert.NoError(t, c.Validate(testkit.FixedNow()), "a death on the as-of date itself is fine")
}

func assertFieldErr(t *testing.T, err error, field string, want error) {
	t.Helper()
	var ve *cadre.ValidationError
	require.ErrorAs(t, err, &ve)
	for _, p := range ve.Problems {
		if p.Field == field && errors.Is(p, want) {
			return
		}
	}
	t.Errorf("want %s: %v, got %v", field, want, err)
}

func TestNormalizeFillsFromIDNumber(t *testing.T) {
	c := testkit.Wang()
	want := c
	c.IDNumber = " " + "11010519491231002x" + " "
	c.BirthDate, c.Gender, c.Status = cadre.Date{}, "", ""
	c.Name = " 王建国 "
	c.PartyJoinedOn = cadre.Date{}
	c.Normalize()
	assert.Equal(t, "11010519491231002X", c.IDNumber)
	assert.Equal(t, cadre.NewDate(1949, 12, 31), c.BirthDate)
	assert.Equal(t, cadre.Female, c.Gender, "sequence 002 is even")
	assert.Equal(t, cadre.StatusActive, c.Status)
	assert.Equal(t, want.Name, c.Name)

	c.Gender = cadre.Male
	c.Normalize()
	assert.Equal(t, cadre.Male, c.Gender, "Normalize never overwrites a given value")
	assertFieldErr(t, c.Validate(testkit.FixedNow()), "gender", cadre.ErrMismatch)
}

func TestCadreJSONUsesContractKeys(t *testing.T) {
	c := testkit.Wang()
	b, err := json.Marshal(c)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	for _, k := range []string{"id", "name", "gender", "id_number", "birth_date", "category", "retired_on", "rank",
		"party", "party_joined_on", "health", "living", "children_nearby", "living_difficulty", "community",
		"address", "lat", "lng", "phone", "emergency_contact", "original_unit", "pension_fen", "status", "status_on"} {
		assert.Contains(t, m, k)
	}
	assert.Len(t, m, 24)
	assert.Equal(t, 36.65, m["lat"])

	var back cadre.Cadre
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, c, back)

	c.Location = nil
	b, err = json.Marshal(c)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"lat":null`)
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Nil(t, back.Location)

	assert.ErrorIs(t, json.Unmarshal([]byte(`{"lat":36.6}`), &back), cadre.ErrInvalid)
	require.NoError(t, json.Unmarshal([]byte(`{"category":"离休","health":"重病"}`), &back))
	assert.Equal(t, cadre.Lixiu, back.Category)
	assert.Equal(t, cadre.HealthSerious, back.Health)
}

func TestValidateCommunityCode(t *testing.T) {
	for _, ok := range []string{"sy", "gsq", "a1", "shun-yuan_2"} {
		assert.NoError(t, cadre.ValidateCommunityCode(ok), ok)
	}
	for _, bad := range []string{"", "SY", "1sy", "舜园", "district", "a b", "abcdefghijabcdefghijabcdefghijabc"} {
		assert.ErrorIs(t, cadre.ValidateCommunityCode(bad), cadre.ErrInvalid, bad)
	}
}
