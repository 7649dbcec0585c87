package main

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/atomicfile"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/report"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// reportFormats are the formats a report is written in.
var reportFormats = []string{"text", "json", "csv", "xlsx"}

// formatFlag is --format: one of reportFormats.
type formatFlag struct{ p *string }

func (f *formatFlag) Set(s string) error {
	s = strings.ToLower(strings.TrimSpace(s))
	if !slices.Contains(reportFormats, s) {
		return cadre.WordedZH(errors.New("choose text, json, csv or xlsx"), "可填 text、json、csv 或 xlsx")
	}
	*f.p = s
	return nil
}

func (f *formatFlag) String() string {
	if f.p == nil {
		return ""
	}
	return *f.p
}

func (f *formatFlag) Type() string { return "text|json|csv|xlsx" }

// allReports is the KIND that writes every report.
const allReports = "all"

// reportCmd is `hub report` (the district, or one office's communities)
// and `office report` (the office's replica).
func (a *app) reportCmd(role syncsvc.Role) *cobra.Command {
	var officeID, format, out string
	var on, since cadre.Date
	var asJSON bool
	short := "Write a report as of a day (default today): visits, pairs, branches, dues, nearby, invitations, completeness, sync, or all of them (" +
		"--format text|json|csv|xlsx, --out FILE); --office ID for one office's communities"
	if role == syncsvc.RoleOffice {
		short = "Write a report of this office's communities as of a day (default today): visits, pairs, branches, dues, nearby, invitations, completeness, or all of them (--format text|json|csv|xlsx, --out FILE)"
	}
	cmd := a.leaf("report KIND", short, 1, func(cmd *cobra.Command, args []string) error {
		kinds, err := a.reportKinds(args[0], role)
		if err != nil {
			return err
		}
		format, err = a.reportFormat(format, cmd.Flags().Changed("format"), asJSON, out)
		if err != nil {
			return err
		}
		if len(kinds) > 1 && format == "csv" {
			return a.usage("all 的各份报表写在一个工作簿里：用 --format xlsx（或 text、json）", "all writes every report into one workbook: use --format xlsx (or text, json)")
		}
		if format == "xlsx" && out == "" && a.stdoutIsTerminal() {
			return a.usage("xlsx 不能显示在终端上：用 --out 文件.xlsx 指定文件", "xlsx cannot be shown on a terminal: name a file with --out FILE.xlsx")
		}
		req := desk.ReportRequest{Kinds: kinds, On: a.orToday(on), Now: a.now(), Office: officeID}
		if !since.IsZero() {
			req.Since = since.In(syncsvc.Shanghai())
		}
		return a.withReplica(cmd.Context(), role, false, func(r *store.Replica) error {
			reps, err := desk.BuildReports(cmd.Context(), r, req)
			if errors.Is(err, desk.ErrUnknownOffice) {
				return a.fail(err, "没有办公室 %s：用 wanxia hub office list 查看", "no office %s: see wanxia hub office list", officeID)
			}
			if err != nil {
				return err
			}
			write := func(w io.Writer) error { return a.writeReports(w, format, reps) }
			if out == "" {
				return write(a.stdout)
			}
			if err := atomicfile.Write(out, write); err != nil {
				return a.fail(err, "没有写成 %s：%v", "could not write %s: %v", out, a.libText(err))
			}
			titles := make([]string, 0, len(reps))
			for _, rep := range reps {
				titles = append(titles, rep.Title.In(a.lang))
			}
			a.printf("已写入 %s：%s\n", "wrote %s: %s\n", out, strings.Join(titles, a.t("、", ", ")))
			return nil
		})
	})
	f := cmd.Flags()
	f.Var(&dateFlag{&on}, "on", "the day the report is made for (default today)")
	f.Var(&formatFlag{&format}, "format", "text, json, csv or xlsx (default text, or what --out's extension says)")
	f.StringVar(&out, "out", "", "write to this file instead of the screen (written whole or not at all)")
	jsonFlag(cmd, &asJSON)
	if role == syncsvc.RoleHub {
		f.StringVar(&officeID, "office", "", "only the communities of this office")
		f.Var(&dateFlag{&since}, "since", "sync: count from the start of this day (default the day before --on)")
	}
	return cmd
}

// reportKinds parses KIND: a report's code or label, or all.
func (a *app) reportKinds(arg string, role syncsvc.Role) ([]report.Kind, error) {
	if strings.EqualFold(strings.TrimSpace(arg), allReports) || strings.TrimSpace(arg) == "全部" {
		return desk.ReportKinds(role), nil
	}
	k, err := report.ParseKind(arg)
	if err != nil {
		return nil, a.usage("没有报表 %q：可选 %s，或 all", "no report %q: choose %s, or all", arg, report.KindChoices())
	}
	if k.HubOnly() && role != syncsvc.RoleHub {
		return nil, a.usage("%s 只在 hub 上生成：用 wanxia hub report %s", "%s is made on the hub: use wanxia hub report %s", k.Label(a.lang), k)
	}
	return []report.Kind{k}, nil
}

// reportFormat settles the format: --format, else --json, else the
// extension of --out, else text.
func (a *app) reportFormat(format string, given, asJSON bool, out string) (string, error) {
	switch {
	case given && asJSON && format != "json":
		return "", a.usage("--json 与 --format %s 矛盾：只给一个", "--json contradicts --format %s: give one", format)
	case given:
		return format, nil
	case asJSON:
		return "json", nil
	}
	if ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(out), ".")); slices.Contains(reportFormats[1:], ext) {
		return ext, nil
	}
	return "text", nil
}

// stdoutIsTerminal reports whether the command writes to a terminal.
func (a *app) stdoutIsTerminal() bool {
	f, ok := a.stdout.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// writeReports writes the reports in the format, labels in the language
// asked for.
func (a *app) writeReports(w io.Writer, format string, reps []*report.Report) error {
	switch format {
	case "xlsx":
		return report.WriteXLSX(w, a.lang, reps...)
	case "csv":
		return reps[0].WriteCSV(w, a.lang)
	case "json":
		if len(reps) == 1 {
			return reps[0].WriteJSON(w)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(reps)
	}
	for i, rep := range reps {
		if i > 0 {
			if _, err := io.WriteString(w, "\n"); err != nil {
				return err
			}
		}
		if err := rep.WriteText(w, a.lang); err != nil {
			return err
		}
	}
	return nil
}
