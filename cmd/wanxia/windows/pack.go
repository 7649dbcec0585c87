//go:build ignore

// Command pack writes the office zip: wanxia.exe, the double-click start
// 启动晚霞.bat and the Chinese guide 使用说明.txt, at the zip's top level.
// build.sh runs it after building wanxia.exe:
//
//	go run ./cmd/wanxia/windows/pack.go -exe dist/wanxia.exe -bat cmd/wanxia/windows/start.bat \
//		-guide docs/windows-office.md -out dist/wanxia-windows.zip
//
// The guide is written as Notepad reads it best: UTF-8 with a byte-order
// mark and CRLF line ends. Names are stored as UTF-8 with the zip's UTF-8
// flag, which Windows' own "Extract all" honours. The zip is written whole
// or not at all.
package main

import (
	"archive/zip"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/wanxia/wanxia/syncsvc/atomicfile"
)

func main() {
	exe := flag.String("exe", "", "wanxia.exe to pack")
	bat := flag.String("bat", "", "the double-click start, packed as 启动晚霞.bat")
	guide := flag.String("guide", "", "the Chinese guide (Markdown), packed as 使用说明.txt")
	out := flag.String("out", "", "the zip to write")
	flag.Parse()
	if *exe == "" || *bat == "" || *guide == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "pack: give -exe, -bat, -guide and -out")
		os.Exit(2)
	}
	if err := pack(*exe, *bat, *guide, *out); err != nil {
		fmt.Fprintln(os.Stderr, "pack:", err)
		os.Exit(1)
	}
	fmt.Println(*out)
}

func pack(exe, bat, guide, out string) error {
	batText, err := os.ReadFile(bat)
	if err != nil {
		return err
	}
	guideText, err := os.ReadFile(guide)
	if err != nil {
		return err
	}
	notepad := "\ufeff" + strings.ReplaceAll(strings.ReplaceAll(string(guideText), "\r\n", "\n"), "\n", "\r\n")
	return atomicfile.Write(out, func(w io.Writer) error {
		zw := zip.NewWriter(w)
		files := []struct {
			name string
			open func() (io.ReadCloser, error)
		}{
			{"wanxia.exe", func() (io.ReadCloser, error) { return os.Open(exe) }},
			{"启动晚霞.bat", func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(batText)), nil }},
			{"使用说明.txt", func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(notepad)), nil }},
		}
		for _, f := range files {
			if err := add(zw, f.name, f.open); err != nil {
				return fmt.Errorf("%s: %w", f.name, err)
			}
		}
		return zw.Close()
	})
}

func add(zw *zip.Writer, name string, open func() (io.ReadCloser, error)) error {
	r, err := open()
	if err != nil {
		return err
	}
	defer r.Close()
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Now()})
	if err != nil {
		return err
	}
	_, err = io.Copy(w, r)
	return err
}
