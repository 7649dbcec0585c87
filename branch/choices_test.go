package branch_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/wanxia/wanxia/branch"
)

// TestMeetingChoicesAreEveryValue: a form offers every kind of meeting and
// every reason for an absence, each valid, 送学上门's first.
func TestMeetingChoicesAreEveryValue(t *testing.T) {
	ks := branch.MeetingKinds()
	assert.Len(t, ks, 7)
	for _, k := range ks {
		assert.True(t, k.Valid(), k)
	}
	as := branch.Absences()
	assert.Equal(t, []branch.Absence{branch.AbsenceHealth, branch.AbsenceAway, branch.AbsenceOther, branch.AbsenceUnexcused}, as)
}
