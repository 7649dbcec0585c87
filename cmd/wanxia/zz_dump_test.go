package main

import (
	"fmt"
	"os"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/wanxia/wanxia/cadre"
)

func TestZZDump(t *testing.T) {
	a := &app{lang: cadre.English}
	root := a.rootCmd()
	seen := map[string]bool{}
	f, _ := os.Create("/tmp/helpstrings.txt")
	defer f.Close()
	var walk func(c *cobra.Command)
	emit := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			fmt.Fprintf(f, "%q\n", s)
		}
	}
	walk = func(c *cobra.Command) {
		fmt.Fprintf(f, "## %s\n", c.CommandPath())
		emit(c.Short)
		emit(c.Long)
		c.LocalNonPersistentFlags().VisitAll(func(fl *pflag.Flag) { emit(fl.Usage) })
		c.PersistentFlags().VisitAll(func(fl *pflag.Flag) { emit(fl.Usage) })
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(root)
}
