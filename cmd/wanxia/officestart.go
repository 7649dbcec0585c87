package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"
)

// The office's start is what a clerk's double click on wanxia.exe (or on
// 启动晚霞.bat in the office zip) runs. On the first start the computer
// has no replica yet: it asks for the three things the district bureau
// gives an office — the hub's address, the office's id and its token — and
// sets the replica up as office init does, the token checked with the hub.
// Then it opens the office desk (office desk) in the browser.

// deskPath is the verb the start opens once the replica is there.
var deskPath = []string{"office", "desk"}

func (a *app) officeStartCmd() *cobra.Command {
	var noBrowser bool
	cmd := a.leaf("start", "Start the office's work, as a double click on wanxia.exe does: the first time, ask for the hub's address, the office's id and the token and set up the replica (office init); then open the office desk in the browser (office desk)", 0, func(cmd *cobra.Command, _ []string) error {
		if _, err := os.Stat(a.officeDB); errors.Is(err, fs.ErrNotExist) {
			if err := a.firstStart(cmd); err != nil {
				return err
			}
		}
		args := append(deskPath, "--db", a.officeDB)
		if noBrowser {
			args = append(args, "--no-browser")
		}
		return a.nested(cmd, args...)
	})
	cmd.Flags().BoolVar(&noBrowser, "no-browser", false, "do not open the browser; print the address only")
	return cmd
}

// firstStart asks for the hub's address, the office's id and the token,
// and runs office init with them.
func (a *app) firstStart(cmd *cobra.Command) error {
	a.printf("欢迎使用晚霞。这台电脑还没有设置：请输入区老干部局给本办公室的三项信息，每项输完按回车。\n",
		"Welcome to Wanxia. This computer is not set up yet: type the three things the district bureau gave this office, each followed by Enter.\n")
	in := bufio.NewReader(cmd.InOrStdin())
	var answers []string
	for _, q := range []struct{ nameZH, nameEN, askZH, askEN string }{
		{"hub 地址", "the hub's address", "hub 地址（如 https://192.168.1.10:8443）：", "the hub's address (e.g. https://192.168.1.10:8443): "},
		{"办公室编号", "the office's id", "办公室编号：", "the office's id: "},
		{"令牌", "the token", "令牌：", "the token: "},
	} {
		fmt.Fprint(a.stdout, a.t(q.askZH, q.askEN))
		line, err := in.ReadString('\n')
		answer := strings.TrimSpace(strings.TrimPrefix(line, "\ufeff"))
		if answer == "" {
			if err != nil && !errors.Is(err, io.EOF) {
				return err
			}
			return a.fail(nil, "没有输入%s，没有设置：再启动一次，或运行 wanxia office init --hub 地址 --office 编号 --token 令牌",
				"%s was not given, nothing set up: start again, or run wanxia office init --hub ADDRESS --office ID --token TOKEN", a.t(q.nameZH, q.nameEN))
		}
		answers = append(answers, answer)
	}
	return a.nested(cmd, "office", "init", "--db", a.officeDB, "--hub", answers[0], "--office", answers[1], "--token", answers[2])
}

// nested runs another verb of the command, with this run's language and
// output, and returns its error for this run to report.
func (a *app) nested(cmd *cobra.Command, args ...string) error {
	root := a.rootCmd()
	root.SetArgs(append(args, "--lang", string(a.lang)))
	root.SetIn(cmd.InOrStdin())
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	_, err := root.ExecuteContextC(cmd.Context())
	return err
}
