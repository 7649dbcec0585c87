package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

// doubleClickArgs is what the program does when a clerk starts it by a
// double click (on Windows, from Explorer or a shortcut): the office's
// start, which sets the computer up on the first start and opens the
// office desk.
var doubleClickArgs = []string{"office", "start"}

func main() {
	restoreConsole := consoleUTF8()
	args := os.Args[1:]
	clicked := len(args) == 0 && startedByDoubleClick()
	if clicked {
		args = doubleClickArgs
	}
	// cobra's own answer to a double click is to say "this is a command
	// line tool" and quit; a clerk's double click starts the office instead.
	cobra.MousetrapHelpText = ""
	// On Windows, closing the console window or logging off arrives as
	// SIGTERM, so the desk and hub serve stop as cleanly as on Ctrl+C.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, args, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if clicked && code != 0 {
		// The window closes when the program ends: let the clerk read why.
		waitForEnter(os.Stdin, os.Stdout)
	}
	restoreConsole()
	os.Exit(code)
}

// waitForEnter asks for the Enter key and waits for it (or for the end of
// input). A double click gives no --lang, so it asks in Chinese.
func waitForEnter(in io.Reader, out io.Writer) {
	fmt.Fprint(out, "按回车键关闭这个窗口。")
	_, _ = bufio.NewReader(in).ReadString('\n')
}
