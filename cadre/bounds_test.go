package cadre_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// Every text field of a cadre has a length limit, reported per field in
// both languages with the limit and the length, never the value.
func TestValidateBoundsEveryTextField(t *testing.T) {
	cases := []struct {
		field string
		max   int
		set   func(c *cadre.Cadre, v string)
		char  string
	}{
		{"name", cadre.MaxNameRunes, func(c *cadre.Cadre, v string) { c.Name = v }, "王"},
		{"address", cadre.MaxAddressRunes, func(c *cadre.Cadre, v string) { c.Address = v }, "路"},
		{"phone", cadre.MaxPhoneRunes, func(c *cadre.Cadre, v string) { c.Phone = v }, "1"},
		{"emergency_contact", cadre.MaxContactRunes, func(c *cadre.Cadre, v string) { c.EmergencyContact = v }, "张"},
		{"original_unit", cadre.MaxUnitRunes, func(c *cadre.Cadre, v string) { c.OriginalUnit = v }, "局"},
	}
	for _, tc := range cases {
		t.Run(tc.field, func(t *testing.T) {
			c := testkit.Wang()
			tc.set(&c, strings.Repeat(tc.char, tc.max))
			require.NoError(t, c.Validate(testkit.FixedNow()), "exactly at the limit is accepted")

			tc.set(&c, strings.Repeat(tc.char, tc.max+1))
			err := c.Validate(testkit.FixedNow())
			var ve *cadre.ValidationError
			require.True(t, errors.As(err, &ve), "%v", err)
			assert.Equal(t, []string{tc.field}, ve.Fields())
			assert.ErrorIs(t, err, cadre.ErrInvalid)
			msg := ve.Problems[0]
			assert.Contains(t, msg.Message(cadre.Chinese), "超过")
			assert.Contains(t, msg.Message(cadre.English), "longer than")
			assert.NotContains(t, err.Error(), strings.Repeat(tc.char, 3), "the value is not repeated")
		})
	}
}
