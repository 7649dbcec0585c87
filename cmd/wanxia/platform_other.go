//go:build !windows

package main

// consoleUTF8 has nothing to do outside Windows: terminals take the UTF-8
// the command writes.
func consoleUTF8() (restore func()) { return func() {} }

// startedByDoubleClick is false outside Windows: the command is typed.
func startedByDoubleClick() bool { return false }

// officeDataDir is where an office's replica lives by default: "", the
// folder the command runs in (docs/cli.md).
func officeDataDir() string { return "" }
