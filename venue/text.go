package venue

import (
	"math"
	"strconv"
	"strings"

	"github.com/wanxia/wanxia/cadre"
)

// Text is an explanation in both languages: answers are read by people who
// choose zh or en, so each is kept in both rather than translated later.
type Text struct {
	// Zh is the Chinese text.
	Zh string `json:"zh"`
	// En is the English text.
	En string `json:"en"`
}

// In returns t in lang: English when asked for, Chinese otherwise, as
// labels do.
func (t Text) In(lang cadre.Lang) string {
	if lang == cadre.English {
		return t.En
	}
	return t.Zh
}

// words builds a Text in both languages at once. Eligible and FourNearby
// run for every cadre of a district, so texts are written piece by piece
// into one buffer per language rather than through intermediate strings.
type words struct{ z, e strings.Builder }

func (w *words) zh(parts ...string) { write(&w.z, parts) }
func (w *words) en(parts ...string) { write(&w.e, parts) }

func write(b *strings.Builder, parts []string) {
	if b.Cap() == 0 {
		b.Grow(160)
	}
	for _, p := range parts {
		b.WriteString(p)
	}
}

func (w *words) text() Text { return Text{Zh: w.z.String(), En: w.e.String()} }

// distance words a distance as people say it: whole metres below a
// kilometre ("320米", "320 m"), kilometres to one decimal from there
// ("1.8公里", "1.8 km").
func distance(metres float64) Text {
	m := math.Round(metres)
	if m < 1000 {
		n := strconv.FormatFloat(m, 'f', -1, 64)
		return Text{Zh: n + "米", En: n + " m"}
	}
	km := strconv.FormatFloat(math.Round(metres/100)/10, 'f', -1, 64)
	return Text{Zh: km + "公里", En: km + " km"}
}
