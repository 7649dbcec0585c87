package syncsvc_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/wanxia/wanxia/syncsvc"
)

func TestShanghai(t *testing.T) {
	loc := syncsvc.Shanghai()
	assert.Same(t, loc, syncsvc.Shanghai(), "loaded once")
	assert.Equal(t, "Asia/Shanghai", loc.String())
	for _, tc := range []struct {
		utc  time.Time
		want string
	}{
		{time.Date(2026, 11, 28, 2, 0, 0, 0, time.UTC), "2026-11-28 10:00"},
		{time.Date(2026, 12, 31, 16, 0, 0, 0, time.UTC), "2027-01-01 00:00"}, // the new year comes 8 hours early
		{time.Date(2028, 2, 28, 16, 30, 0, 0, time.UTC), "2028-02-29 00:30"}, // a leap day
		{time.Date(2026, 7, 1, 15, 59, 0, 0, time.UTC), "2026-07-01 23:59"},  // no summer time
	} {
		assert.Equal(t, tc.want, tc.utc.In(loc).Format("2006-01-02 15:04"), tc.utc)
	}
}
