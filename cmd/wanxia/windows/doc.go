// Package windows holds what makes wanxia an office's Windows program and
// checks it on Windows' terms: build.sh builds wanxia.exe from Linux (cgo
// through mingw-w64) and packs the office zip with pack.go — wanxia.exe,
// the double-click start 启动晚霞.bat (start.bat) and the Chinese guide
// (docs/windows-office.md) — and the tests run the Windows builds under
// Wine: the test binaries of the packages that meet the operating system,
// and an office's first day end to end against a Linux hub, with the desk
// wanxia.exe serves driven by Linux's headless chromium (through
// syncsvc/desk/web/webtest, as the desk's own browser tests are).
//
// The tests need wine64 and gcc-mingw-w64-x86-64 and run when WANXIA_WINE=1
// (the Windows step of .ci/run sets it); otherwise they skip and say so.
// The browser step needs chromium: without it, it skips, unless
// WANXIA_BROWSER_REQUIRED is set.
//
// Each test process boots a fresh Wine prefix in a temporary folder and puts
// in it a stand-in for bcryptprimitives.dll built from testdata (Go's
// Windows runtime needs ProcessPrng, which Wine 8.0 lacks).
package windows
