package windows_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wanxia/wanxia/syncsvc/desk/web/webtest"
)

// The Wine harness: one fresh Wine prefix for the test process, booted on
// first use, with the stand-in bcryptprimitives.dll in its system32 and
// its temporary folder at C:\临时, so that every t.TempDir() of a Windows
// test binary has a Chinese name.

// wine is the test process's Wine prefix.
type wine struct {
	root   string   // the temporary folder holding the prefix and the builds
	prefix string   // WINEPREFIX
	env    []string // the environment of every wine command
	repo   string   // the module's root
	boot   time.Duration
}

var (
	wineOnce sync.Once
	theWine  *wine
	wineErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	webtest.Stop()
	if theWine != nil {
		theWine.close()
	}
	os.Exit(code)
}

// needWine returns the Wine prefix, booting it on first use. Without
// WANXIA_WINE=1 the test skips; with it, missing tools fail the test, so
// that CI cannot pass by skipping.
func needWine(t *testing.T) *wine {
	t.Helper()
	if os.Getenv("WANXIA_WINE") != "1" {
		t.Skip("the Windows tests under Wine run with WANXIA_WINE=1 (the Windows step of .ci/run); they need wine64 and gcc-mingw-w64-x86-64")
	}
	if runtime.GOOS != "linux" {
		t.Skip("the Wine harness runs on Linux")
	}
	for _, tool := range []string{"wine", "wineboot", "wineserver", "x86_64-w64-mingw32-gcc"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("WANXIA_WINE=1 but %s is not installed: apt-get install wine64 gcc-mingw-w64-x86-64 (.ci/run does)", tool)
		}
	}
	wineOnce.Do(func() { theWine, wineErr = bootWine() })
	if wineErr != nil {
		t.Fatal(wineErr)
	}
	return theWine
}

func bootWine() (*wine, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return nil, fmt.Errorf("find the module: %w", err)
	}
	root, err := os.MkdirTemp("", "wanxia-wine-")
	if err != nil {
		return nil, err
	}
	w := &wine{root: root, prefix: filepath.Join(root, "prefix"), repo: filepath.Dir(strings.TrimSpace(string(out)))}
	w.env = append(os.Environ(),
		"WINEPREFIX="+w.prefix,
		"WINEARCH=win64",
		"WINEDEBUG=-all",
		// No Mono, no Gecko: nothing here needs .NET or a browser engine,
		// and wineboot would offer to install them.
		"WINEDLLOVERRIDES=mscoree,mshtml=",
		// Wine passes arguments and names through the Unix locale: a
		// Chinese file name needs UTF-8.
		"LC_ALL=C.UTF-8",
		"DISPLAY=",
	)
	start := time.Now()
	// A Wine server that stays up between programs, started before
	// wineboot so that wineboot uses it: each program then starts quickly.
	if err := os.Mkdir(w.prefix, 0o700); err != nil {
		w.close()
		return nil, err
	}
	if err := w.run(context.Background(), "wineserver", "--persistent"); err != nil {
		w.close()
		return nil, err
	}
	if err := w.run(context.Background(), "wineboot", "--init"); err != nil {
		w.close()
		return nil, err
	}
	w.boot = time.Since(start)
	steps := []func() error{w.installPrng, func() error {
		if err := os.MkdirAll(w.unix(`C:\临时`), 0o700); err != nil {
			return err
		}
		for _, v := range []string{"TEMP", "TMP"} {
			if err := w.run(context.Background(), "wine", "reg", "add", `HKCU\Environment`, "/v", v, "/t", "REG_SZ", "/d", `C:\临时`, "/f"); err != nil {
				return fmt.Errorf("set %s: %w", v, err)
			}
		}
		return nil
	}}
	for _, step := range steps {
		if err := step(); err != nil {
			w.close()
			return nil, err
		}
	}
	return w, nil
}

// installPrng builds the stand-in bcryptprimitives.dll from
// testdata/bcryptprimitives.c and puts it in the prefix's system32.
func (w *wine) installPrng() error {
	dll := w.unix(`C:\windows\system32\bcryptprimitives.dll`)
	cmd := exec.Command("x86_64-w64-mingw32-gcc", "-O2", "-shared", "-s", "-o", dll,
		"testdata/bcryptprimitives.c", "testdata/bcryptprimitives.def", "-lbcrypt")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("build bcryptprimitives.dll: %w\n%s", err, out)
	}
	return nil
}

// run runs a tool of Wine's (wineboot, wine reg …) in the prefix.
func (w *wine) run(ctx context.Context, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = w.env
	if out, err := combined(cmd); err != nil {
		return fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, out)
	}
	return nil
}

// combined runs cmd and returns its output and error, as CombinedOutput
// does, through a file rather than a pipe: the first Wine program of a
// prefix starts Wine's own services, which inherit its output and outlive
// it, and a pipe would not end until they do.
func combined(cmd *exec.Cmd) ([]byte, error) {
	f, err := os.CreateTemp("", "wanxia-wine-output-")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	cmd.Stdout, cmd.Stderr = f, f
	runErr := cmd.Run()
	out, err := os.ReadFile(f.Name())
	if err != nil {
		return nil, err
	}
	return out, runErr
}

// command is a Windows program run under Wine in dir (a Unix folder, which
// the program sees as Z:\…); its arguments are given as Windows sees them.
func (w *wine) command(ctx context.Context, dir, exe string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "wine", append([]string{exe}, args...)...)
	cmd.Dir = dir
	cmd.Env = w.env
	cmd.WaitDelay = 10 * time.Second
	return cmd
}

// unix is where a path on the prefix's drive C: is on this machine.
func (w *wine) unix(winPath string) string {
	rest, ok := strings.CutPrefix(winPath, `C:\`)
	if !ok {
		panic("not a path on C: " + winPath)
	}
	return filepath.Join(w.prefix, "drive_c", filepath.FromSlash(strings.ReplaceAll(rest, `\`, "/")))
}

// close stops the prefix's Wine server and removes everything.
func (w *wine) close() {
	cmd := exec.Command("wineserver", "--kill")
	cmd.Env = w.env
	_ = cmd.Run()
	_ = os.RemoveAll(w.root)
}

// windowsEnv is the environment of a build for windows/amd64 with cgo.
func windowsEnv() []string {
	return append(os.Environ(), "CGO_ENABLED=1", "CC=x86_64-w64-mingw32-gcc", "GOOS=windows", "GOARCH=amd64")
}

// goCmd runs the go command in the module's root.
func (w *wine) goCmd(env []string, args ...string) error {
	cmd := exec.Command("go", args...)
	cmd.Dir = w.repo
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, out.String())
	}
	return nil
}

// execIn is a command run in dir.
func execIn(dir, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	return cmd
}
