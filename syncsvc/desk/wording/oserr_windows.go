//go:build windows

package wording

import (
	"errors"

	"golang.org/x/sys/windows"
)

// DiskFull reports whether err means the disk is full: Windows says so in
// two ways of its own.
func DiskFull(err error) bool {
	return errors.Is(err, windows.ERROR_DISK_FULL) || errors.Is(err, windows.ERROR_HANDLE_DISK_FULL)
}

// ConnRefused reports whether err means that nothing listens at the
// address a connection was made to (Windows sockets' own code for it).
func ConnRefused(err error) bool { return errors.Is(err, windows.WSAECONNREFUSED) }
