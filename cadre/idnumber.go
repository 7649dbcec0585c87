package cadre

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// IDInfo is what an 18-character resident ID number encodes.
type IDInfo struct {
	// Province is the two-digit province code (for example "37" for Shandong).
	Province string
	// BirthDate is the date in digits 7–14.
	BirthDate Date
	// Gender follows from the parity of digit 17: odd is male.
	Gender Gender
}

// idWeights are the ISO 7064 MOD 11-2 weights 2^(17-i) mod 11 of GB 11643-1999.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheckChars maps the weighted sum mod 11 to the check character.
const idCheckChars = "10X98765432"

// provinces lists the valid first two digits: provinces, autonomous regions
// and municipalities, Taiwan (71), Hong Kong (81), Macao (82) and residence
// permits for people from Hong Kong, Macao and Taiwan (83).
var provinces = map[string]bool{}

func init() {
	for _, r := range [][2]int{{11, 15}, {21, 23}, {31, 37}, {41, 46}, {50, 54}, {61, 65}, {71, 71}, {81, 83}} {
		for p := r[0]; p <= r[1]; p++ {
			provinces[fmt.Sprint(p)] = true
		}
	}
}

// IDCheckChar returns the check character ('0'–'9' or 'X') for the first 17
// digits of an ID number. It is what a generator of test data needs, and
// what ValidateIDNumber compares with the 18th character.
func IDCheckChar(first17 string) (byte, error) {
	if len(first17) != 17 || !allDigits(first17) {
		return 0, fmt.Errorf("%w: want 17 digits to compute a check character", ErrIDCharacter)
	}
	sum := 0
	for i := range 17 {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return idCheckChars[sum%11], nil
}

// ValidateIDNumber checks an 18-character resident ID number as GB 11643-1999
// defines it: 17 digits and a check character (0–9 or X; x is accepted as
// X), a valid province code, a real birth date, and the ISO 7064 MOD 11-2
// check. A 15-digit old-format number is refused with ErrIDOldFormat. Every
// error wraps ErrIDNumber and one of the more precise ErrID… sentinels, and
// says what to correct without repeating the number.
func ValidateIDNumber(s string) error {
	_, err := ParseIDNumber(s)
	return err
}

// ParseIDNumber validates s as ValidateIDNumber does and returns what it encodes.
func ParseIDNumber(s string) (IDInfo, error) {
	n := utf8.RuneCountInString(s)
	switch {
	case n == 15 && allDigits(s):
		return IDInfo{}, ErrIDOldFormat
	case n != 18:
		return IDInfo{}, fmt.Errorf("%w: %d characters, want 18", ErrIDLength, n)
	}
	for i := range 17 {
		if s[i] < '0' || s[i] > '9' {
			return IDInfo{}, fmt.Errorf("%w: character %d must be a digit", ErrIDCharacter, i+1)
		}
	}
	last := s[17]
	if last == 'x' {
		last = 'X'
	}
	if (last < '0' || last > '9') && last != 'X' {
		return IDInfo{}, fmt.Errorf("%w: character 18 must be a digit or X", ErrIDCharacter)
	}
	if !provinces[s[:2]] {
		return IDInfo{}, fmt.Errorf("%w: %s is not a province code", ErrIDProvince, s[:2])
	}
	t, err := time.Parse("20060102", s[6:14])
	if err != nil || t.Year() < 1850 {
		return IDInfo{}, fmt.Errorf("%w: characters 7–14 must be a birth date YYYYMMDD", ErrIDDate)
	}
	want, _ := IDCheckChar(s[:17])
	if last != want {
		return IDInfo{}, fmt.Errorf("%w: a character was probably mistyped; check every digit against the ID card", ErrIDCheck)
	}
	g := Female
	if (s[16]-'0')%2 == 1 {
		g = Male
	}
	return IDInfo{Province: s[:2], BirthDate: DateOf(t), Gender: g}, nil
}

// NormalizeIDNumber writes full-width digits and letters as ASCII, removes
// every space (one typed between the groups of digits, or a full-width
// one) and writes a final x as X: the form in which ID numbers are stored
// and compared.
func NormalizeIDNumber(s string) string {
	return strings.ToUpper(FoldValue(s))
}

// MaskIDNumber hides the birth date and sequence of an ID number for output
// that others may see: "370102********0013" keeps the region and the last four
// characters. Anything that is not 18 characters is masked whole.
func MaskIDNumber(s string) string {
	if utf8.RuneCountInString(s) != 18 {
		return strings.Repeat("*", utf8.RuneCountInString(s))
	}
	return s[:6] + "********" + s[14:]
}

func allDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}
