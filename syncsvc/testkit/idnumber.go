package testkit

import (
	"fmt"

	"github.com/wanxia/wanxia/cadre"
)

// IDNumber returns a valid 18-character ID number, a different one for
// every n from 0 to 100,000,000. Its birth date lies between 1930 and 1962;
// its gender follows n's parity (odd: male); its province is Shandong (37).
// Below 36,000 it is the number that syncsvc's and the command's tests
// have always given cadre n: region 370102, born 1930-01-01 plus n×37 days
// (modulo 12,000), sequence 100 + n mod 900.
func IDNumber(n int) string {
	if n < 0 || n >= 100_000_000 {
		panic(fmt.Sprintf("testkit.IDNumber(%d): n must be in [0, 100000000)", n))
	}
	// n×37 mod 12,000 and n mod 900 repeat together only every 36,000;
	// each further 36,000 takes the next region code.
	born := cadre.NewDate(1930, 1, 1).AddDays(n * 37 % 12000)
	region := fmt.Sprintf("37%04d", 102+n/36000)
	return IDNumberFor(region, fmt.Sprintf("%04d%02d%02d", born.Year, born.Month, born.Day), 100+n%900)
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
