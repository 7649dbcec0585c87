//go:build !windows

package main

import (
	"errors"
	"syscall"
)

// consoleUTF8 has nothing to do outside Windows: terminals take the UTF-8
// the command writes.
func consoleUTF8() (restore func()) { return func() {} }

// startedByDoubleClick is false outside Windows: the command is typed.
func startedByDoubleClick() bool { return false }

// officeDataDir is where an office's replica lives by default: "", the
// folder the command runs in (docs/cli.md).
func officeDataDir() string { return "" }

// diskFull reports whether err means the disk is full.
func diskFull(err error) bool { return errors.Is(err, syscall.ENOSPC) }

// connRefused reports whether err means that nothing listens at the
// address a connection was made to.
func connRefused(err error) bool { return errors.Is(err, syscall.ECONNREFUSED) }
