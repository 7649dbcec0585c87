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

func TestValidateIDNumber(t *testing.T) {
	valid := testkit.IDNumberFor("370102", "19440315", 13)
	wrongCheck := valid[:17] + string("0123456789X"[(strings.IndexByte("0123456789X", valid[17])+1)%11])

	// 11010519491231002X is the standard's own worked example.
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"valid", valid, nil},
		{"standard example with X", "11010519491231002X", nil},
		{"lower-case x accepted", "11010519491231002x", nil},
		{"wrong check character", wrongCheck, cadre.ErrIDCheck},
		{"30 February", testkit.IDNumberFor("370102", "19440230", 13), cadre.ErrIDDate},
		{"month 13", testkit.IDNumberFor("370102", "19441301", 13), cadre.ErrIDDate},
		{"bad province 99", testkit.IDNumberFor("990102", "19440315", 13), cadre.ErrIDProvince},
		{"bad province 10", testkit.IDNumberFor("100102", "19440315", 13), cadre.ErrIDProvince},
		{"province 83 residence permit", testkit.IDNumberFor("830000", "19600101", 21), nil},
		{"17 characters", valid[:17], cadre.ErrIDLength},
		{"19 characters", valid + "1", cadre.ErrIDLength},
		{"empty", "", cadre.ErrIDLength},
		{"15-digit old format", "370102440315013", cadre.ErrIDOldFormat},
		{"letter inside", valid[:5] + "A" + valid[6:], cadre.ErrIDCharacter},
		{"X not last", "1101051949123100X2", cadre.ErrIDCharacter},
		{"full-width digits", strings.Repeat("１", 18), cadre.ErrIDCharacter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := cadre.ValidateIDNumber(tt.in)
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.want)
			assert.ErrorIs(t, err, cadre.ErrIDNumber)
			if len(tt.in) >= 14 {
				assert.NotContains(t, err.Error(), tt.in[6:14], "an error must not repeat the birth digits")
			}
		})
	}
}

func TestParseIDNumberEncodes(t *testing.T) {
	male, err := cadre.ParseIDNumber(testkit.IDNumberFor("370102", "19440229", 13))
	require.NoError(t, err)
	assert.Equal(t, cadre.IDInfo{Province: "37", BirthDate: cadre.NewDate(1944, 2, 29), Gender: cadre.Male}, male)

	female, err := cadre.ParseIDNumber(testkit.IDNumberFor("370102", "19500101", 24))
	require.NoError(t, err)
	assert.Equal(t, cadre.Female, female.Gender)

	_, err = cadre.ParseIDNumber(testkit.IDNumberFor("370102", "19450229", 13))
	assert.ErrorIs(t, err, cadre.ErrIDDate, "1945 is no leap year")
}

func TestIDCheckCharRefusesBadInput(t *testing.T) {
	_, err := cadre.IDCheckChar("1234")
	assert.ErrorIs(t, err, cadre.ErrIDCharacter)
}

func TestMaskIDNumber(t *testing.T) {
	assert.Equal(t, "110105********002X", cadre.MaskIDNumber("11010519491231002X"))
	assert.Equal(t, "*****", cadre.MaskIDNumber("12345"))
}

func FuzzValidateIDNumber(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "11010519491231002x", "370102440315013", "", "99", "110105194912310021", "１１０"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		info, err := cadre.ParseIDNumber(s)
		if err != nil {
			if !errors.Is(err, cadre.ErrIDNumber) {
				t.Fatalf("error %v does not wrap ErrIDNumber", err)
			}
			return
		}
		// Whatever is accepted is 18 ASCII characters whose check is right.
		if len(s) != 18 || !info.BirthDate.Valid() {
			t.Fatalf("accepted %q with info %+v", s, info)
		}
		c, cerr := cadre.IDCheckChar(s[:17])
		if cerr != nil || c != cadre.NormalizeIDNumber(s)[17] {
			t.Fatalf("accepted %q with wrong check %c", s, c)
		}
	})
}
