package windows_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// osFacing names, per package, the test files whose tests meet the
// operating system — files and folders, locks, renames, modes, child
// processes killed, the network — and so run again as Windows programs.
// The rest of each package is logic that Go runs alike everywhere.
var osFacing = []struct {
	pkg   string
	files []string // nil: every test
}{
	{"syncsvc/atomicfile", nil},
	{"syncsvc", []string{"backup_test.go", "damage_test.go", "readonly_test.go", "replica_test.go", "upgrade_test.go",
		"recover_test.go", "netfault_test.go", "crash_test.go", "pushkill_test.go"}},
	{"cmd/wanxia", []string{"damage_test.go", "readonly_test.go", "neterr_test.go", "sync_test.go", "officestart_test.go",
		"upgrade_test.go", "roster_test.go", "reports_test.go", "merge_test.go", "history_test.go", "tls_test.go",
		"serve_warning_test.go", "golden_test.go"}},
}

var testFunc = regexp.MustCompile(`(?m)^func (Test\w+)\(t \*testing\.T\)`)

// TestOSFacingTestsPassAsWindowsPrograms builds the test binaries of the
// packages that meet the operating system for windows/amd64 (go test -c,
// cgo through mingw-w64) and runs their OS-facing tests under Wine, in a
// temporary folder with a Chinese name: the same tests that pass on Linux
// must pass as Windows programs. A test that skips says why in the log
// (a mode that does not bind under Wine run as root, for one).
func TestOSFacingTestsPassAsWindowsPrograms(t *testing.T) {
	w := needWine(t)
	t.Logf("Wine prefix booted in %s (the Wine server and wineboot)", w.boot.Round(time.Millisecond))
	start := time.Now()
	var pkgs []string
	for _, p := range osFacing {
		pkgs = append(pkgs, p.pkg)
	}
	exes, err := w.buildTests(pkgs)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("built the test binaries of %s for windows/amd64 in %s", strings.Join(pkgs, ", "), time.Since(start).Round(time.Millisecond))
	for _, p := range osFacing {
		t.Run(p.pkg, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(w.repo, filepath.FromSlash(p.pkg))
			run, err := testsIn(dir, p.files)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			defer cancel()
			cmd := w.command(ctx, dir, exes[p.pkg], "-test.run", run, "-test.v", "-test.timeout", "9m")
			out, err := combined(cmd)
			passed, skipped, failed := summarize(string(out))
			t.Logf("%s ran in %s under Wine: %d passed, %d skipped, %d failed; slowest: %s",
				p.pkg, time.Since(start).Round(time.Millisecond), len(passed), len(skipped), len(failed),
				strings.Join(slowest(string(out), 5), ", "))
			for _, s := range skipped {
				t.Logf("skipped %s", s)
			}
			if err != nil || len(failed) > 0 {
				t.Errorf("under Wine: %v; failed: %s\n%s\n--- the lines that tell why:\n%s\n--- under Wine: %v; failed: %s",
					err, strings.Join(failed, ", "), tail(string(out), 200), telling(string(out), 80), err, strings.Join(failed, ", "))
			}
			if len(passed) == 0 {
				t.Errorf("no test passed: %s", tail(string(out), 40))
			}
		})
	}
}

// testsIn returns the -test.run pattern of the tests in files of dir (all
// of them when files is nil).
func testsIn(dir string, files []string) (string, error) {
	if files == nil {
		return ".", nil
	}
	var names []string
	for _, f := range files {
		src, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			return "", err
		}
		for _, m := range testFunc.FindAllStringSubmatch(string(src), -1) {
			names = append(names, m[1])
		}
	}
	if len(names) == 0 {
		return "", fmt.Errorf("no tests in %s %v", dir, files)
	}
	return "^(" + strings.Join(names, "|") + ")$", nil
}

// buildTests builds the test binaries of pkgs for windows/amd64 in one go
// command, with testdata/removeall_wine.go.txt laid into each package (see
// that file), and returns where each is.
func (w *wine) buildTests(pkgs []string) (map[string]string, error) {
	shim, err := os.ReadFile("testdata/removeall_wine.go.txt")
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(w.root, "tests")
	if err := os.Mkdir(dir, 0o700); err != nil {
		return nil, err
	}
	replace := map[string]string{}
	exes := map[string]string{}
	// -trimpath as build.sh builds wanxia.exe, so that the two share Go's
	// build cache: SQLite compiled by mingw-w64 once, not twice.
	args := []string{"test", "-c", "-trimpath", "-tags", "wine", "-ldflags=-checklinkname=0", "-o", dir + string(filepath.Separator)}
	for _, pkg := range pkgs {
		name, err := w.output("go", "list", "-f", "{{.Name}}", "./"+pkg)
		if err != nil {
			return nil, err
		}
		shimFile := filepath.Join(dir, strings.ReplaceAll(pkg, "/", "-")+".removeall.go")
		if err := os.WriteFile(shimFile, []byte(strings.Replace(string(shim), "package PACKAGE", "package "+name, 1)), 0o600); err != nil {
			return nil, err
		}
		replace[filepath.Join(w.repo, filepath.FromSlash(pkg), "zz_removeall_wine_test.go")] = shimFile
		exes[pkg] = filepath.Join(dir, path.Base(pkg)+".test.exe")
		args = append(args, "./"+pkg)
	}
	overlay, err := json.Marshal(map[string]map[string]string{"Replace": replace})
	if err != nil {
		return nil, err
	}
	overlayFile := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(overlayFile, overlay, 0o600); err != nil {
		return nil, err
	}
	args = append(args[:1], append([]string{"-overlay", overlayFile}, args[1:]...)...)
	return exes, w.goCmd(windowsEnv(), args...)
}

// output runs a command in the module's root and returns its output.
func (w *wine) output(name string, args ...string) (string, error) {
	cmd := execIn(w.repo, name, args...)
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", name, strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out)), nil
}

// summarize lists the tests a -test.v output says passed, skipped and
// failed.
func summarize(out string) (passed, skipped, failed []string) {
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		// A child process's output without a final newline can share a
		// line with the result that follows it: look anywhere in the line.
		line := sc.Text()
		for prefix, list := range map[string]*[]string{"--- PASS: ": &passed, "--- SKIP: ": &skipped, "--- FAIL: ": &failed} {
			if i := strings.Index(line, prefix); i >= 0 {
				if f := strings.Fields(line[i+len(prefix):]); len(f) > 0 {
					*list = append(*list, f[0])
				}
			}
		}
	}
	return passed, skipped, failed
}

var topLevelResult = regexp.MustCompile(`(?m)^--- (?:PASS|FAIL): (\S+) \(([0-9.]+)s\)`)

// slowest names the n slowest top-level tests of a -test.v output, with
// their times.
func slowest(out string, n int) []string {
	type timed struct {
		name string
		secs float64
	}
	var all []timed
	for _, m := range topLevelResult.FindAllStringSubmatch(out, -1) {
		secs, _ := strconv.ParseFloat(m[2], 64)
		all = append(all, timed{m[1], secs})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].secs > all[j].secs })
	var names []string
	for _, t := range all[:min(n, len(all))] {
		names = append(names, fmt.Sprintf("%s %.1fs", t.name, t.secs))
	}
	return names
}

// tail is the last n lines of s.
var tellingLine = regexp.MustCompile(`--- FAIL|^FAIL|panic|fatal error|Error Trace|Error:|\w+_test\.go:\d+: `)

// telling returns the last n lines of a test binary's output that say
// why it failed: results, panics and the tests' own log lines.
func telling(s string, n int) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if tellingLine.MatchString(l) {
			keep = append(keep, l)
		}
	}
	return tail(strings.Join(keep, "\n"), n)
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
