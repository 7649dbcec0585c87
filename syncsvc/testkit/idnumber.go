package testkit

import (
	"fmt"

	"github.com/wanxia/wanxia/cadre"
)

// idSpan is how many birth days IDNumber uses, from 1930-01-01 (about
// 1962-11-08 is the last): everyone born then is retired by 2026.
const idSpan = 12000

// IDNumber returns a valid 18-character ID number, a different one for
// every n from 0 to 100,000,000. Its birth date lies between 1930 and 1962
// and moves on by a day with n; its gender follows n's parity (odd: male);
// its province is Shandong (37).
func IDNumber(n int) string {
	if n < 0 || n >= 100_000_000 {
		panic(fmt.Sprintf("testkit.IDNumber(%d): n must be in [0, 100000000)", n))
	}
	born := cadre.NewDate(1930, 1, 1).AddDays(n % idSpan)
	region := fmt.Sprintf("37%04d", 102+n/idSpan)
	return IDNumberFor(region, fmt.Sprintf("%04d%02d%02d", born.Year, born.Month, born.Day), n%1000)
}

// IDNumberFor returns the ID number of a region (six digits), a birth
// date (YYYYMMDD) and a sequence (0–999; odd for a man, even for a woman),
// with its real check character. It checks only that the 17 characters are
// digits, so a test can build numbers that are wrong in every other way
// (a 30 February, a province 99) yet carry the right check character; it
// panics when they are not.
func IDNumberFor(region, birth string, seq int) string {
	if len(region) != 6 || len(birth) != 8 || seq < 0 || seq > 999 {
		panic(fmt.Sprintf("testkit.IDNumberFor(%q, %q, %d): want 6 digits, 8 digits and 0–999", region, birth, seq))
	}
	first17 := fmt.Sprintf("%s%s%03d", region, birth, seq)
	c, err := cadre.IDCheckChar(first17)
	if err != nil {
		panic(fmt.Sprintf("testkit.IDNumberFor(%q, %q, %d): %v", region, birth, seq, err))
	}
	return first17 + string(c)
}
