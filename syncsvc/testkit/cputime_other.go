//go:build !unix

package testkit

import "time"

// CPUTime is the processor time this process has used; 0 where the
// system gives no getrusage (benchmarks then report wall time only).
func CPUTime() time.Duration { return 0 }
