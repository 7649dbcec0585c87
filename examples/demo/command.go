package demo

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"time"

	"github.com/wanxia/wanxia/cadre"
)

// ErrUsage marks a wrong command line: ExitCode returns 2 for it.
var ErrUsage = errors.New("bad usage")

// Command is the command line of an example program:
//
//	go run ./examples/NAME [--on YYYY-MM-DD] [--lang zh|en] [--json] [FILE]
//
// --on is the day the rules are applied on (today in Shanghai when absent),
// --lang the language of the output, --json (when the program takes it)
// asks for one JSON object instead of text, and FILE (when the program
// takes one) is read instead of the built-in data. Flags may come before or
// after FILE. --help prints the usage to stdout and ends with exit code 0.
type Command struct {
	// Name names the program in its messages: "care: bad usage: …".
	Name string
	// Usage is the first line --help prints.
	Usage string
	// On says what the program does on the date of --on, for --help:
	// "plan for", "pair and schedule on".
	On string
	// JSON adds the --json flag.
	JSON bool
	// File names the one optional argument in messages ("roster file");
	// "" when the program takes none because its district is built in.
	File string
}

// Flags is a command line as Command.Parse read it.
type Flags struct {
	// On is the date of --on, or today in Shanghai.
	On cadre.Date
	// Lang is the language of --lang, Chinese by default.
	Lang cadre.Lang
	// JSON is set by --json.
	JSON bool
	// File is the argument, "" when none was given.
	File string
}

// At returns the first instant of f.On in Shanghai, the as-of time of rules
// that want one.
func (f Flags) At() time.Time { return f.On.In(shanghai()) }

// Parse reads the command line. A mistake is returned as one line wrapping
// ErrUsage, not with the whole usage; --help prints the usage to stdout,
// because it was asked for, and returns flag.ErrHelp.
func (c Command) Parse(args []string, stdout io.Writer) (Flags, error) {
	fs := flag.NewFlagSet(c.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	on := fs.String("on", "", c.On+" `YYYY-MM-DD` (default today in Asia/Shanghai)")
	lang := fs.String("lang", "zh", "language of the output: zh or en")
	var asJSON bool
	if c.JSON {
		fs.BoolVar(&asJSON, "json", false, "print one JSON object instead of text")
	}
	var files []string
	for {
		if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, "usage:", c.Usage)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return Flags{}, err
		} else if err != nil {
			return Flags{}, fmt.Errorf("%w: %w; see --help", ErrUsage, err)
		}
		if fs.NArg() == 0 {
			break
		}
		files, args = append(files, fs.Arg(0)), fs.Args()[1:]
	}
	switch {
	case len(files) > 0 && c.File == "":
		return Flags{}, fmt.Errorf("%w: unexpected argument %q: the district is built in; see --help", ErrUsage, files[0])
	case len(files) > 1:
		return Flags{}, fmt.Errorf("%w: one %s at a time, not %d", ErrUsage, c.File, len(files))
	}
	f := Flags{JSON: asJSON}
	if len(files) == 1 {
		f.File = files[0]
	}
	var err error
	if f.Lang, err = cadre.ParseLang(*lang); err != nil {
		return Flags{}, fmt.Errorf("%w: --lang: %w", ErrUsage, err)
	}
	f.On = Today()
	if *on != "" {
		if f.On, err = cadre.ParseDate(*on); err != nil {
			return Flags{}, fmt.Errorf("%w: --on: %w", ErrUsage, err)
		}
	}
	return f, nil
}

// Main runs a program and exits: run gets a context that Ctrl-C cancels,
// the arguments, stdout and stderr, and Main ends the process with the
// code ExitCode gives for run's error.
func (c Command) Main(run func(ctx context.Context, args []string, stdout, stderr io.Writer) error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(c.ExitCode(err, os.Stderr))
}

// ExitCode reports err on stderr in one line, "name: err", and returns
// the exit code for it: 0 for none (or for --help), 2 for ErrUsage, 1 for
// anything else.
func (c Command) ExitCode(err error, stderr io.Writer) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintf(stderr, "%s: %v\n", c.Name, err)
	if errors.Is(err, ErrUsage) {
		return 2
	}
	return 1
}

// PrintJSON writes v as indented JSON, with Chinese and the characters
// <, > and & as they are.
func PrintJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// Today returns today's date in Shanghai.
func Today() cadre.Date { return cadre.DateOf(time.Now().In(shanghai())) }

// shanghai is Asia/Shanghai, loaded once. Without a time zone database on
// the machine it is +08:00: China has kept it without daylight saving
// since 1991, so the fixed zone is exact for the dates of a district.
var shanghai = sync.OnceValue(func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
})
