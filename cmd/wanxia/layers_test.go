package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommandIsParseCallPrint: the command's files stay small (the use
// cases are in syncsvc/desk) and the command never speaks Connect itself
// (syncsvc/transport does, and maps its codes to the engine's errors).
func TestCommandIsParseCallPrint(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if n := bytes.Count(src, []byte("\n")); n > 400 {
			t.Errorf("%s has %d lines; a command file stays under 400 (move the use case to syncsvc/desk)", f, n)
		}
		if bytes.Contains(src, []byte("connectrpc.com/")) {
			t.Errorf("%s imports Connect; use syncsvc/transport", f)
		}
	}
}
