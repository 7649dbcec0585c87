package roster

import (
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

// utf8Check, written to in pieces cut anywhere, says what utf8.Valid says
// of the whole.
func TestUTF8CheckAgreesWithValid(t *testing.T) {
	samples := [][]byte{
		[]byte("姓名,身份证号\n王建国,370102194403150012\n"),
		[]byte("😀 emoji \uFFFD and 离休"),
		{0xe4, 0xb8}, {0xff}, {0xc0, 0x80}, {0xed, 0xa0, 0x80}, {0xf4, 0x90, 0x80, 0x80},
		[]byte("abc\x80"), []byte("\xe4\xb8\xad\xe4"),
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const bytes = "a\xe4\xb8\xad\xf0\x9f\x98\x80\xc3\xa9\xff\x80"
	for range 2000 {
		b := make([]byte, rng.IntN(24))
		for i := range b {
			b[i] = bytes[rng.IntN(len(bytes))]
		}
		samples = append(samples, b)
	}
	for _, b := range samples {
		for range 8 {
			checkPieces(t, b, rng)
		}
	}
}

func checkPieces(t *testing.T, b []byte, rng *rand.Rand) {
	t.Helper()
	var u utf8Check
	for rest := b; len(rest) > 0; {
		n := 1 + rng.IntN(len(rest))
		if _, err := u.Write(rest[:n]); err != nil {
			t.Fatal(err)
		}
		rest = rest[n:]
	}
	if u.valid() != utf8.Valid(b) {
		t.Fatalf("%q: the check says %v, utf8.Valid %v", b, u.valid(), utf8.Valid(b))
	}
}

func FuzzUTF8Check(f *testing.F) {
	f.Add([]byte("王建国\xe4"), uint64(3))
	f.Fuzz(func(t *testing.T, b []byte, seed uint64) {
		checkPieces(t, b, rand.New(rand.NewPCG(seed, 0)))
	})
}
