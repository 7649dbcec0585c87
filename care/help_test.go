package care_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/wanxia/wanxia/care"
)

var shanghai = time.FixedZone("CST", 8*3600)

func TestUrgentUnattended(t *testing.T) {
	opened := time.Date(2026, 11, 27, 9, 0, 0, 0, shanghai)
	cases := []care.HelpCase{
		{ID: id(1), Kind: care.HelpMedical, Opened: opened, Urgent: true, Status: care.HelpOpen},
		{ID: id(2), Kind: care.HelpMedical, Opened: opened, Urgent: true, Status: care.HelpInProgress, FirstActionAt: opened.Add(time.Hour)},
		{ID: id(3), Kind: care.HelpEconomic, Opened: opened, Urgent: false, Status: care.HelpOpen},
		{ID: id(4), Kind: care.HelpSpiritual, Opened: opened.Add(-time.Hour), Urgent: true, Status: care.HelpResolved,
			Closed: opened, Resolution: "done"},
		{ID: id(5), Kind: care.HelpHousekeeping, Opened: opened.Add(-48 * time.Hour), Urgent: true, Status: care.HelpInProgress},
	}
	s := care.DefaultHelpSettings()
	ids := func(cs []care.HelpCase) []int {
		out := []int{}
		for _, c := range cs {
			out = append(out, int(c.ID[15]))
		}
		return out
	}
	for _, tc := range []struct {
		name string
		now  time.Time
		want []int
	}{
		{"exactly 24 hours: still within", opened.Add(24 * time.Hour), []int{5}},
		{"one second more", opened.Add(24*time.Hour + time.Second), []int{5, 1}},
		{"long before", opened, []int{5}},
		{"another zone, the same instant", opened.Add(25 * time.Hour).UTC(), []int{5, 1}},
	} {
		assert.Equal(t, tc.want, ids(care.UrgentUnattended(cases, tc.now, s)), tc.name)
	}
	assert.Equal(t, []care.HelpCase{}, care.UrgentUnattended(nil, opened, s))
	assert.NoError(t, s.Validate())
	assert.Error(t, care.HelpSettings{}.Validate())
}

func TestHelpSummary(t *testing.T) {
	cases := []care.HelpCase{
		{Kind: care.HelpMedical, Status: care.HelpOpen, Urgent: true},
		{Kind: care.HelpMedical, Status: care.HelpInProgress},
		{Kind: care.HelpMedical, Status: care.HelpResolved, Urgent: true},
		{Kind: care.HelpEconomic, Status: care.HelpExplained},
		{Kind: "unknown", Status: care.HelpOpen},
	}
	assert.Equal(t, []care.KindSummary{
		{Kind: care.HelpEconomic, Closed: 1},
		{Kind: care.HelpMedical, Open: 2, Closed: 1, Urgent: 1},
		{Kind: care.HelpHousekeeping},
		{Kind: care.HelpSpiritual},
	}, care.HelpSummary(cases))
}
