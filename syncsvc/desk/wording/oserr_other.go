//go:build !windows

package wording

import (
	"errors"
	"syscall"
)

// DiskFull reports whether err means the disk is full.
func DiskFull(err error) bool { return errors.Is(err, syscall.ENOSPC) }

// ConnRefused reports whether err means that nothing listens at the
// address a connection was made to.
func ConnRefused(err error) bool { return errors.Is(err, syscall.ECONNREFUSED) }
