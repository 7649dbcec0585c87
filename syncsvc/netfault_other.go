//go:build !windows

package syncsvc

import "syscall"

// osNetFaults are the system's own error codes of a network fault beyond
// the POSIX ones IsNetworkFault looks for: none here.
var osNetFaults []syscall.Errno
