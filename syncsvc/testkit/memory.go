package testkit

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// ResetPeak resets the process's peak resident set size, so that a
// benchmark's StatusMiB("VmHWM:") measures what follows (Linux; nothing
// elsewhere).
func ResetPeak() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// StatusMiB reads a size from /proc/self/status in MiB, such as the peak
// resident set size ("VmHWM:") or the current one ("VmRSS:"); 0 where
// there is no such file.
func StatusMiB(field string) float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			if err == nil {
				return kb / 1024
			}
		}
	}
	return 0
}
