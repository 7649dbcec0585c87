package main

import (
	"os"
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestMemoryLimitLeavesSQLiteItsShare: --memory-limit is the process's;
// Go's runtime is given it less SQLite's share, 64 MiB (a quarter of a
// small limit), and nothing when the limit is 0.
func TestMemoryLimitLeavesSQLiteItsShare(t *testing.T) {
	if os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("GOMEMLIMIT is set: it wins")
	}
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	setMemoryLimit(defaultMemoryLimitMiB)
	assert.Equal(t, int64(320<<20), debug.SetMemoryLimit(-1))
	setMemoryLimit(100)
	assert.Equal(t, int64(75<<20), debug.SetMemoryLimit(-1))
	setMemoryLimit(0)
	assert.Equal(t, int64(75<<20), debug.SetMemoryLimit(-1), "0: the limit is left as it was")
}
