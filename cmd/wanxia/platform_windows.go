//go:build windows

package main

import (
	"os"
	"path/filepath"
	"unsafe"

	"golang.org/x/sys/windows"
)

// consoleUTF8 sets the console's code pages to UTF-8 (65001) for as long
// as the command runs, so that what it prints — and what a program reading
// its output through a pipe or a file receives — is readable on a Chinese
// Windows, whose console otherwise expects code page 936. It returns the
// function that puts the old code pages back, for the window's next
// program. Without a console (output to a file, under a service) it does
// nothing.
func consoleUTF8() (restore func()) {
	out, errOut := windows.GetConsoleOutputCP()
	in, errIn := windows.GetConsoleCP()
	if errOut != nil || errIn != nil {
		return func() {}
	}
	_ = windows.SetConsoleOutputCP(cpUTF8)
	_ = windows.SetConsoleCP(cpUTF8)
	return func() {
		_ = windows.SetConsoleOutputCP(out)
		_ = windows.SetConsoleCP(in)
	}
}

// cpUTF8 is the code page of UTF-8.
const cpUTF8 = 65001

var getConsoleProcessList = windows.NewLazySystemDLL("kernel32.dll").NewProc("GetConsoleProcessList")

// startedByDoubleClick reports whether the program has a console window of
// its own, as when a clerk double-clicks wanxia.exe in Explorer or starts a
// shortcut to it: the console's only process is this one. Started from
// cmd.exe or PowerShell, the shell shares the console and this is false.
func startedByDoubleClick() bool {
	var pids [2]uint32
	n, _, _ := getConsoleProcessList.Call(uintptr(unsafe.Pointer(&pids[0])), uintptr(len(pids)))
	return n == 1
}

// officeDataDir is where an office's replica and its backups live by
// default on Windows: Wanxia in the user's local application data
// (%LOCALAPPDATA%\Wanxia), not wherever the program was unpacked or
// started. The local folder, not the roaming one: a roaming profile would
// copy a database that is open, with its WAL, at every logon and logoff.
func officeDataDir() string {
	if d := os.Getenv("LOCALAPPDATA"); d != "" {
		return filepath.Join(d, "Wanxia")
	}
	if d, err := os.UserConfigDir(); err == nil {
		return filepath.Join(d, "Wanxia")
	}
	return ""
}
