package branch_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/wanxia/wanxia/branch"
)

// TestMeetingChoicesAreEveryValue: a form offers every kind of meeting and
// every reason for an absence, each valid, 送学上门's first.
func TestMeetingChoicesAreEveryValue(t *testing.T) {
	ks := branch.MeetingKindLabels()
	assert.Len(t, ks, 7)
	for _, k := range ks {
		assert.True(t, branch.MeetingKind(k.Code).Valid(), k.Code)
	}
	var codes []string
	for _, a := range branch.AbsenceLabels() {
		codes = append(codes, a.Code)
	}
	assert.Equal(t, []string{"health", "away", "other", "unexcused"}, codes)
}
