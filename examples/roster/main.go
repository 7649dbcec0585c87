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
	"fmt"
	"io"
	"os"

	"github.com/wanxia/wanxia/cadre/roster"
	"github.com/wanxia/wanxia/examples/demo"
)

// sample is embedded so that the program runs from any directory.
//
//go:embed testdata/roster.csv
var sample []byte

// command is the program's command line; see the package comment.
var command = demo.Command{
	Name:  "roster",
	Usage: "go run ./examples/roster [--on YYYY-MM-DD] [--lang zh|en] [FILE.csv]",
	On:    "compute ages and tiers on",
	File:  "roster file",
}

func main() { command.Main(run) }

// run reads the roster the arguments name and prints the report to stdout,
// and notices about the file to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, err := command.Parse(args, stdout)
	if err != nil {
		return err
	}
	in, name, err := open(f)
	if err != nil {
		return err
	}
	defer in.Close()
	res, err := roster.Read(ctxReader{ctx, in}, f.At())
	if err != nil {
		return fmt.Errorf("reading %s: %w", name, err)
	}
	w := wordsFor(f.Lang)
	if len(res.UnknownColumns) > 0 {
		fmt.Fprintf(stderr, w.unknown+"\n", res.UnknownColumns)
	}
	report(stdout, w, name, res, f.On)
	return nil
}

// open returns the roster to read and the name to show for it.
func open(f demo.Flags) (io.ReadCloser, string, error) {
	if f.File == "" {
		return io.NopCloser(bytes.NewReader(sample)), wordsFor(f.Lang).sample, nil
	}
	file, err := os.Open(f.File)
	if err != nil {
		return nil, "", fmt.Errorf("opening the roster: %w", err)
	}
	return file, f.File, nil
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
