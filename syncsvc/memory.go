package syncsvc

// OutsideGoMiB is the part of a hub process's memory that Go's runtime
// does not account for, and so leaves out of its soft memory limit:
// SQLite's page caches (a reader's 16 MiB each, the hub writer's up to
// 64 MiB), the C library's heap and the program itself. The nightly merge
// of a district of 50,000 cadres had 36–55 MiB of it at its peak
// (BENCHMARKS.md, "The hub at scale").
const OutsideGoMiB = 64

// GoMemoryLimit returns the soft memory limit, in bytes, to give Go's
// runtime (debug.SetMemoryLimit) in a process whose resident memory should
// keep to processMiB: processMiB less OutsideGoMiB, or less a quarter of
// it when that is smaller. The garbage collector lets the heap grow up to
// its limit, so a process that gave it the whole of processMiB would pass
// processMiB by SQLite's share.
func GoMemoryLimit(processMiB int64) int64 {
	return (processMiB - min(OutsideGoMiB, processMiB/4)) << 20
}
