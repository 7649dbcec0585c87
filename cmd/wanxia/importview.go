package main

import (
	"fmt"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/report/display"
)

// fieldChange shows one field of a row: the stored value and the roster's.
func (a *app) fieldChange(ch desk.RowChange, field string) fieldChangeJSON {
	out := fieldChangeJSON{Field: field, Column: fieldName(field, a.lang), New: cadreValue(&ch.New, field, a.lang, false)}
	if ch.Old != nil {
		out.Old = cadreValue(ch.Old, field, a.lang, false)
	}
	return out
}

// changesJSON lists what the rows of a dry run would do.
func (a *app) changesJSON(chs []desk.RowChange) []changeJSON {
	out := make([]changeJSON, 0, len(chs))
	for _, ch := range chs {
		c := changeJSON{Line: ch.Line, Name: ch.New.Name, IDNumber: cadre.MaskIDNumber(ch.New.IDNumber), Action: "add", Fields: []fieldChangeJSON{}}
		if ch.Old != nil {
			c.Action, c.CadreID = "update", ch.Old.ID.String()
		}
		for _, f := range ch.Fields {
			c.Fields = append(c.Fields, a.fieldChange(ch, f))
		}
		out = append(out, c)
	}
	return out
}

// heldJSON lists the rows held back, each field with why it is newer here
// and the row with what to do.
func (a *app) heldJSON(held []desk.HeldRow) []heldJSON {
	out := make([]heldJSON, 0, len(held))
	for _, h := range held {
		j := heldJSON{Line: h.Line, Name: h.New.Name, IDNumber: cadre.MaskIDNumber(h.New.IDNumber), Written: h.Written, Fields: []newerJSON{}}
		if h.Old != nil {
			j.CadreID = h.Old.ID.String()
		}
		for _, n := range h.Newer {
			f := newerJSON{Revives: n.Revives, Reason: a.newerReason(h.RowChange, n), fieldChangeJSON: a.fieldChange(h.RowChange, n.Field)}
			if !n.ChangedAt.IsZero() {
				f.ChangedAt = jsonTime(n.ChangedAt)
			}
			j.Fields = append(j.Fields, f)
		}
		j.Todo = a.t("核对这一行：名册没错就加 --overwrite 再导入同一文件（只写这些暂缓的行）；名册旧了就在名册里改正或删去这一行",
			"check this row: if the roster is right, import the same file again with --overwrite (which writes the rows held back); if the roster is out of date, correct or remove the row in it")
		if h.Written {
			j.Todo = a.t("已按 --overwrite 用名册覆盖", "written over with the roster, as --overwrite asked")
		}
		out = append(out, j)
	}
	return out
}

// newerReason says why a field of a held-back row is newer here.
func (a *app) newerReason(ch desk.RowChange, n desk.NewerField) string {
	at := display.Time(n.ChangedAt, "-")
	switch {
	case n.Revives:
		on := "-"
		if ch.Old != nil && !ch.Old.StatusOn.IsZero() {
			on = ch.Old.StatusOn.String()
		}
		return a.tf("名册写的是在册，但这里已登记为%s（%s，%s 登记）；名册可能早于这件事",
			"the roster says active, but the cadre is recorded here as %s (on %s, recorded %s); the roster may predate it",
			ch.Old.Status.Label(a.lang), on, at)
	}
	return a.tf("这里的值在 %s 修改过，晚于名册的时间", "the value here was changed at %s, after the roster was written", at)
}

// printHeld lists the held-back rows on stderr.
func (a *app) printHeld(out importJSON) {
	for _, h := range out.Held {
		head := a.tf("第 %d 行 %s（%s）暂缓导入，以免覆盖较新的修改：\n", "line %d, %s (%s), held back so as not to undo newer work:\n", h.Line, h.Name, h.IDNumber)
		if h.Written {
			head = a.tf("第 %d 行 %s（%s）覆盖了较新的修改：\n", "line %d, %s (%s), undid newer work:\n", h.Line, h.Name, h.IDNumber)
		}
		fmt.Fprint(a.stderr, head)
		for _, f := range h.Fields {
			fmt.Fprintf(a.stderr, a.t("  %s：这里 %s → 名册 %s（%s）\n", "  %s: here %s → roster %s (%s)\n"), f.Column, f.Old, f.New, f.Reason)
		}
		fmt.Fprintf(a.stderr, "  %s\n", h.Todo)
	}
}

// printChanges lists on stdout what a dry run would change.
func (a *app) printChanges(chs []changeJSON) {
	for _, c := range chs {
		if c.Action == "add" {
			a.printf("第 %d 行：新增 %s（%s）\n", "line %d: add %s (%s)\n", c.Line, c.Name, c.IDNumber)
			continue
		}
		a.printf("第 %d 行：更新 %s（%s）\n", "line %d: update %s (%s)\n", c.Line, c.Name, c.IDNumber)
		for _, f := range c.Fields {
			a.printf("  %s：%s → %s\n", "  %s: %s → %s\n", f.Column, f.Old, f.New)
		}
	}
}
