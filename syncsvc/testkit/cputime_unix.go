//go:build unix

package testkit

import (
	"syscall"
	"time"
)

// CPUTime is the processor time this process has used, user and system.
// On a machine shared with other work it grows with the work done, not
// with the waiting, so ratios of it hold where wall times do not.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
