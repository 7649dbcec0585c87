//go:build windows

package syncsvc

import (
	"syscall"

	"golang.org/x/sys/windows"
)

// osNetFaults are Windows sockets' codes of a network fault: Go gives
// them as they are, not as the POSIX codes IsNetworkFault looks for.
var osNetFaults = []syscall.Errno{windows.WSAECONNREFUSED, windows.WSAECONNRESET, windows.WSAECONNABORTED,
	windows.WSAENETUNREACH, windows.WSAEHOSTUNREACH, windows.WSAENETDOWN, windows.WSAETIMEDOUT, windows.WSAENETRESET}
