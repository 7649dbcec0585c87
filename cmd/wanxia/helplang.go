package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/report/display"
)

// The verbs' help is written in English where the verbs are built; the
// Chinese of every Short, Long and flag usage is in the catalogues
// helpZHHub and helpZHOffice, keyed by the English text. --lang is read
// before the command tree is built (prescanLang), so the tree is built in
// the language asked for: in Chinese, localizeHelp replaces each text by its
// Chinese and renders cobra's usage ("Usage:", "Flags:" …) in Chinese.
// A text missing from the catalogues stays English, and TestHelpIsChinese
// names it.

// helpZH returns the Chinese of an English help text, and whether there is one.
func helpZH(en string) (string, bool) {
	for _, cat := range []map[string]string{helpZHHub, helpZHOffice} {
		if zh, ok := cat[en]; ok {
			return zh, true
		}
	}
	return "", false
}

// localizeHelp puts the help of the tree under root in the language asked
// for: the help flag and the help verb in both languages, the texts and the
// usage layout in Chinese unless English was asked for.
func (a *app) localizeHelp(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	for _, c := range root.Commands() {
		if c.Name() == "help" {
			c.Short = a.t("显示某个动词的帮助（wanxia help 动词 …，同 --help）", "Help about any verb (as --help)")
			c.Long = a.t("显示某个动词的帮助：wanxia help office cadre add 与 wanxia office cadre add --help 相同。",
				"Help about any verb: wanxia help office cadre add is wanxia office cadre add --help.")
		}
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Flags().Lookup("help") == nil {
			c.Flags().BoolP("help", "h", false, a.tf("显示 %s 的帮助", "help for %s", c.CommandPath()))
		}
		if a.lang != cadre.English {
			c.Short = translated(c.Short)
			c.Long = translated(c.Long)
			for _, fs := range []*pflag.FlagSet{c.LocalNonPersistentFlags(), c.PersistentFlags()} {
				fs.VisitAll(func(f *pflag.Flag) { f.Usage = translated(f.Usage) })
			}
		}
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(root)
	if a.lang != cadre.English {
		root.SetUsageFunc(usageZH)
	}
}

// translated is the Chinese of an English help text, the text itself when
// the catalogues have none.
func translated(en string) string {
	if zh, ok := helpZH(en); ok {
		return zh
	}
	return en
}

// usageZH is cobra's usage layout in Chinese.
func usageZH(c *cobra.Command) error {
	w := c.OutOrStderr()
	fmt.Fprint(w, "用法：")
	if c.Runnable() {
		fmt.Fprintf(w, "\n  %s", strings.Replace(c.UseLine(), " [flags]", " [选项]", 1))
	}
	if c.HasAvailableSubCommands() {
		fmt.Fprintf(w, "\n  %s 动词 [选项]", c.CommandPath())
		fmt.Fprint(w, "\n\n动词：")
		for _, s := range c.Commands() {
			if s.IsAvailableCommand() || s.Name() == "help" {
				fmt.Fprintf(w, "\n  %s %s", s.Name()+strings.Repeat(" ", max(0, s.NamePadding()-len(s.Name()))), s.Short)
			}
		}
	}
	if c.HasAvailableLocalFlags() {
		fmt.Fprint(w, "\n\n选项：\n")
		writeFlagsZH(w, c.LocalFlags())
	}
	if c.HasAvailableInheritedFlags() {
		fmt.Fprint(w, "\n\n通用选项：\n")
		writeFlagsZH(w, c.InheritedFlags())
	}
	if c.HasAvailableSubCommands() {
		fmt.Fprintf(w, "\n\n每个动词的说明：%s 动词 --help", c.CommandPath())
	}
	fmt.Fprintln(w)
	return nil
}

// typeZH names in Chinese the kinds of value pflag names in English.
var typeZH = map[string]string{
	"string": "文字", "strings": "文字,…", "int": "整数", "float": "数", "duration": "时长（如 1m、30s）",
	"code": "代码或中文", "yuan": "元",
}

// writeFlagsZH writes the flags as pflag's FlagUsages does, with the kind
// of value and the default in Chinese, the usages aligned by display width.
func writeFlagsZH(w io.Writer, fs *pflag.FlagSet) {
	type line struct{ head, usage string }
	var lines []line
	widest := 0
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		head := "      --" + f.Name
		if f.Shorthand != "" && f.ShorthandDeprecated == "" {
			head = "  -" + f.Shorthand + ", --" + f.Name
		}
		varname, usage := pflag.UnquoteUsage(f)
		if zh, ok := typeZH[varname]; ok {
			varname = zh
		}
		if varname != "" {
			head += " " + varname
		}
		switch f.DefValue {
		case "", "0", "false", "[]", "0s", "<nil>":
		default:
			if f.Value.Type() == "string" {
				usage += fmt.Sprintf("（默认 %q）", f.DefValue)
			} else {
				usage += fmt.Sprintf("（默认 %s）", f.DefValue)
			}
		}
		widest = max(widest, display.Width(head))
		lines = append(lines, line{head, usage})
	})
	for i, l := range lines {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s%s   %s", l.head, strings.Repeat(" ", widest-display.Width(l.head)), l.usage)
	}
}
