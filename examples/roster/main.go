// Roster is a first program on the wanxia libraries: it reads a CSV roster
// of retired cadres, as a community office keeps it in Excel, and prints who
// needs a 1对5 pair first, then the rows that could not be read and why.
//
//	go run ./examples/roster [--on YYYY-MM-DD] [--lang zh|en] [FILE.csv]
//
// Without FILE it reads the sample roster built into the program
// (testdata/roster.csv, made by testdata/gen.go), which has five broken rows
// on purpose. Broken rows are reported, not fatal: the exit code is 0 unless
// the file cannot be read at all (1) or the command line is wrong (2).
package main

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/cadre/roster"
)

// sample is embedded so that the program runs from any directory.
//
//go:embed testdata/roster.csv
var sample []byte

// errUsage marks a wrong command line, for exit code 2.
var errUsage = errors.New("bad usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "roster:", err)
	if errors.Is(err, errUsage) {
		return 2
	}
	return 1
}

// options are what the command line asks for.
type options struct {
	asOf time.Time
	lang cadre.Lang
	file string // "" for the built-in sample
}

// run reads the roster the arguments name and prints the report to stdout,
// and notices about the file to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	opts, err := parseArgs(args, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	in, name, err := open(opts)
	if err != nil {
		return err
	}
	defer in.Close()
	res, err := roster.Read(ctxReader{ctx, in}, opts.asOf)
	if err != nil {
		return fmt.Errorf("reading %s: %w", name, err)
	}
	w := wordsFor(opts.lang)
	if len(res.UnknownColumns) > 0 {
		fmt.Fprintf(stderr, w.unknown+"\n", res.UnknownColumns)
	}
	report(stdout, w, name, res, cadre.DateOf(opts.asOf))
	return nil
}

// parseArgs reads the flags and the optional file name, in any order. Help
// goes to stdout because it was asked for.
func parseArgs(args []string, stdout io.Writer) (options, error) {
	fs := flag.NewFlagSet("roster", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // run reports a mistake in one line, not with the whole usage
	on := fs.String("on", "", "compute ages and tiers on `YYYY-MM-DD` (default today in Asia/Shanghai)")
	lang := fs.String("lang", "zh", "language of the report: zh or en")
	var files []string
	for {
		if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, "usage: go run ./examples/roster [--on YYYY-MM-DD] [--lang zh|en] [FILE.csv]")
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return options{}, err
		} else if err != nil {
			return options{}, fmt.Errorf("%w: %w; see --help", errUsage, err)
		}
		if fs.NArg() == 0 {
			break
		}
		files, args = append(files, fs.Arg(0)), fs.Args()[1:]
	}
	if len(files) > 1 {
		return options{}, fmt.Errorf("%w: one roster file at a time, not %d", errUsage, len(files))
	}
	var opts options
	if len(files) == 1 {
		opts.file = files[0]
	}
	var err error
	if opts.lang, err = cadre.ParseLang(*lang); err != nil {
		return options{}, fmt.Errorf("%w: --lang: %w", errUsage, err)
	}
	if opts.asOf, err = asOf(*on); err != nil {
		return options{}, fmt.Errorf("%w: --on: %w", errUsage, err)
	}
	return opts, nil
}

// asOf returns midnight in Shanghai of the date on, or now when on is "".
func asOf(on string) (time.Time, error) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		// No time zone database on this machine; China has kept +08:00
		// without daylight saving since 1991, so a fixed zone is exact.
		loc = time.FixedZone("CST", 8*3600)
	}
	if on == "" {
		return time.Now().In(loc), nil
	}
	d, err := cadre.ParseDate(on)
	if err != nil {
		return time.Time{}, err
	}
	return d.In(loc), nil
}

// open returns the roster to read and the name to show for it.
func open(opts options) (io.ReadCloser, string, error) {
	if opts.file == "" {
		return io.NopCloser(bytes.NewReader(sample)), wordsFor(opts.lang).sample, nil
	}
	f, err := os.Open(opts.file)
	if err != nil {
		return nil, "", fmt.Errorf("opening the roster: %w", err)
	}
	return f, opts.file, nil
}

// ctxReader stops reading when ctx is done: main cancels ctx on Ctrl-C, so
// that reading a large roster from a slow network share stops with a
// one-line message.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
