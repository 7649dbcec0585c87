package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
)

// refusalJSON is one change the hub refused.
type refusalJSON struct {
	Office   string  `json:"office"`
	Node     string  `json:"node"`
	Seq      int64   `json:"seq"`
	Table    string  `json:"table"`
	RecordID string  `json:"record_id"`
	Code     string  `json:"code"`
	Reason   string  `json:"reason"`
	At       string  `json:"at"`
	State    string  `json:"state"`
	Settled  *string `json:"settled_at"`
	Note     string  `json:"note,omitempty"`
}

// rejectedJSON is one record the hub refused, as office rejected lists it.
type rejectedJSON struct {
	Table    string `json:"table"`
	RecordID string `json:"record_id"`
	// What the record is, in the language asked for: 干部 王秀英, 王秀英的走访（2026-11-20）.
	What  string `json:"what"`
	Name  string `json:"name,omitempty"`
	State string `json:"state"`
	// Held: the office still holds the record (it is never dropped while a
	// refusal is open).
	Held bool   `json:"held"`
	Code string `json:"code"`
	// Reason is why, in the language asked for; Detail the hub's own words.
	Reason string `json:"reason"`
	Detail string `json:"detail"`
	Todo   string `json:"todo"`
	// Fields are the record's fields as held here, ID numbers masked.
	Fields     map[string]any `json:"fields"`
	Pending    int            `json:"pending"`
	KnownAtHub bool           `json:"known_at_hub"`
	RefusedAt  string         `json:"refused_at"`
	Refusals   []refusalJSON  `json:"refusals"`
	// lines are a cadre's fields as cadre show words them.
	lines []string
}

// tableLabels name the record types for a clerk.
var tableLabels = map[string][2]string{
	syncsvc.CadresTable: {"干部", "cadre"}, syncsvc.VisitsTable: {"走访", "visit"}, syncsvc.PairsTable: {"结对", "pair"},
	syncsvc.HospitalStaysTable: {"住院", "hospital stay"}, syncsvc.HelpCasesTable: {"求助", "help case"},
	syncsvc.MembershipsTable: {"党支部关系", "branch membership"}, syncsvc.BranchesTable: {"党支部", "branch"},
	syncsvc.PostsTable: {"支委职务", "branch post"}, syncsvc.MeetingsTable: {"会议", "meeting"},
	syncsvc.AttendanceTable: {"会议出席", "meeting attendance"}, syncsvc.DeliveriesTable: {"送学上门", "study delivered"},
	syncsvc.TrainingTable: {"培训", "training"}, syncsvc.DuesPaymentsTable: {"党费缴纳", "dues payment"},
	syncsvc.DuesReliefsTable: {"党费减免", "dues relief"}, syncsvc.FeedbackTable: {"群众反映", "feedback"},
	syncsvc.CommunitiesTable: {"社区", "community"}, syncsvc.HelpersTable: {"帮扶人", "helper"},
	syncsvc.VenuesTable: {"阵地", "venue"}, syncsvc.EnrolmentsTable: {"试点", "program enrolment"},
}

// dateFields are the fields that date a record, most telling first; a
// register's first column is its date.
var dateFields = []string{"visited_on", "held_on", "paid_on", "attended_on", "delivered_on", "received_on", "opened_at",
	"span", "stay", "relief", "term_start", "founded_on"}

func (a *app) tableLabel(table string) string {
	if l, ok := tableLabels[table]; ok {
		return a.t(l[0], l[1])
	}
	return table
}

func (a *app) rejectedCmd() *cobra.Command {
	var asJSON, all bool
	list := func(cmd *cobra.Command, _ []string) error {
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *syncsvc.Replica) error {
			return a.listRejected(cmd.Context(), r, all, asJSON)
		})
	}
	cmd := a.group("rejected", "What the hub refused (被拒绝的记录): list with content, reason and what to do; fix, resend, discard", "")
	cmd.RunE = list
	cmd.Flags().BoolVar(&all, "all", false, "also the refusals already resent or discarded")
	jsonFlag(cmd, &asJSON)
	var listJSON, listAll bool
	listCmd := a.leaf("list", "List the records the hub refused, with their content, the reason and what to do", 0, func(cmd *cobra.Command, _ []string) error {
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *syncsvc.Replica) error {
			return a.listRejected(cmd.Context(), r, listAll, listJSON)
		})
	})
	listCmd.Flags().BoolVar(&listAll, "all", false, "also the refusals already resent or discarded")
	jsonFlag(listCmd, &listJSON)
	cmd.AddCommand(listCmd, a.rejectedFixCmd(), a.rejectedResendCmd(), a.rejectedDiscardCmd())
	return cmd
}

func (a *app) listRejected(ctx context.Context, r *syncsvc.Replica, all, asJSON bool) error {
	recs, err := r.RefusedRecords(ctx, all)
	if err != nil {
		return err
	}
	scopes, err := r.OfficeScopes(ctx)
	if err != nil {
		return err
	}
	out := make([]rejectedJSON, 0, len(recs))
	for _, rr := range recs {
		out = append(out, a.rejected(ctx, r, rr, scopes))
	}
	if asJSON {
		return a.printJSON(out)
	}
	if len(out) == 0 {
		a.printf("（没有待处理的被拒绝记录）\n", "(no refused records waiting)\n")
		return nil
	}
	for i, rj := range out {
		if i > 0 {
			a.printf("\n", "\n")
		}
		state := map[string][2]string{syncsvc.RefusalOpen: {"待处理", "open"}, syncsvc.RefusalResent: {"已重新发送", "resent"},
			syncsvc.RefusalDiscarded: {"已放弃", "discarded"}}[rj.State]
		a.printf("%s  [%s]  %s\n", "%s  [%s]  %s\n", rj.What, a.t(state[0], state[1]), shortID(rj.RecordID))
		a.printf("  原因：%s\n", "  why: %s\n", rj.Reason)
		a.printf("  hub 拒绝于 %s（%d 条更改）；hub 的原话：%s\n", "  refused at %s (%d changes); the hub said: %s\n",
			showTime(parseTime(rj.RefusedAt)), len(rj.Refusals), rj.Detail)
		if rj.Held {
			a.printf("  内容：%s\n", "  content: %s\n", a.fieldsLine(rj))
		} else {
			a.printf("  内容：本机已没有这条记录\n", "  content: no longer held here\n")
		}
		if rj.Pending > 0 {
			a.printf("  还有 %d 条更改待发送\n", "  %d changes still to send\n", rj.Pending)
		}
		if rj.State == syncsvc.RefusalOpen {
			a.printf("  怎么办：%s\n", "  what to do: %s\n", rj.Todo)
		} else if n := rj.Refusals[0].Note; n != "" {
			a.printf("  说明：%s\n", "  note: %s\n", n)
		}
	}
	return nil
}

func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

// rejected describes one refused record: what it is, its fields, why and
// what to do.
func (a *app) rejected(ctx context.Context, r *syncsvc.Replica, rr syncsvc.RefusedRecord, scopes []string) rejectedJSON {
	latest := rr.Latest()
	rj := rejectedJSON{Table: rr.Table, RecordID: rr.ID.String(), State: rr.State, Held: rr.Held, Code: latest.Code,
		Detail: latest.Reason, Pending: rr.Pending, KnownAtHub: rr.KnownAtHub, RefusedAt: latest.At.UTC().Format(time.RFC3339),
		Fields: map[string]any{}, Refusals: []refusalJSON{}}
	for _, f := range rr.Refusals {
		rj.Refusals = append(rj.Refusals, refusalJSON{Office: f.Office, Node: f.Node.String(), Seq: f.Seq, Table: f.Table,
			RecordID: f.RecordID.String(), Code: f.Code, Reason: f.Reason, At: f.At.UTC().Format(time.RFC3339),
			State: f.State, Settled: jsonTime(f.SettledAt), Note: f.Note})
	}
	vals := rr.Record.Values
	for k, v := range vals {
		if k == "id_number" {
			v = cadre.MaskIDNumber(idNumberOf(vals))
		}
		rj.Fields[k] = v
	}
	if rr.Table == syncsvc.CadresTable && rr.Held {
		// A cadre is shown as cadre show shows it, the ID number masked.
		if c, err := r.Cadre(ctx, rr.ID); err == nil {
			if b, err := json.Marshal(c); err == nil {
				fields := map[string]any{}
				if json.Unmarshal(b, &fields) == nil {
					fields["id_number"] = cadre.MaskIDNumber(c.IDNumber)
					delete(fields, "id")
					rj.Fields = fields
				}
			}
			for _, f := range cadreFieldOrder {
				if v := cadreValue(&c, f, a.lang, false); v != "" && v != "-" {
					rj.lines = append(rj.lines, fieldName(f, a.lang)+" "+v)
				}
			}
		}
	}
	ref := shortID(rj.RecordID)
	label := a.tableLabel(rr.Table)
	var name string
	switch {
	case rr.Table == syncsvc.CadresTable:
		name, _ = vals["name"].(string)
		rj.What = label + " " + orDash(name)
	default:
		if cid, ok := vals["cadre_id"].(string); ok {
			if id, err := uuid.Parse(cid); err == nil {
				if c, err := r.Get(ctx, syncsvc.CadresTable, id); err == nil {
					name, _ = c.Values["name"].(string)
				}
			}
		}
		when := recordDate(vals)
		switch {
		case name != "" && when != "":
			rj.What = a.tf("%s的%s（%s）", "%s of %s on %s", name, label, when)
			if a.lang == cadre.English {
				rj.What = fmt.Sprintf("%s of %s on %s", label, name, when)
			}
		case name != "":
			rj.What = a.tf("%s的%s", "%s of %s", name, label)
			if a.lang == cadre.English {
				rj.What = fmt.Sprintf("%s of %s", label, name)
			}
		default:
			rj.What = label + " " + ref
			if when != "" {
				rj.What += a.tf("（%s）", " (%s)", when)
			}
		}
	}
	rj.Name = name
	community := rr.Record.Scope
	if c, ok := vals["community"].(string); ok && c != "" {
		community = c
	}
	own := strings.Join(scopes, a.t("、", ", "))
	ownScope := false
	for _, s := range scopes {
		ownScope = ownScope || s == community
	}
	discard := a.tf("放弃：wanxia office rejected discard %s --reason 原因", "discard: wanxia office rejected discard %s --reason WHY", ref)
	switch {
	case !rr.Held:
		rj.Reason = a.t("hub 拒绝了这条记录的更改，本机已没有这条记录", "the hub refused changes of this record, which is no longer held here")
		rj.Todo = a.tf("结束这条拒绝：wanxia office rejected discard %s --reason 原因", "close it: wanxia office rejected discard %s --reason WHY", ref)
	case latest.Code == "scope" && !ownScope && len(scopes) > 0:
		rj.Reason = a.tf("社区 %s 不属于本办公室（本办公室的社区：%s），hub 不接受", "community %s is not this office's (its communities: %s); the hub does not take it", community, own)
		if rr.Table == syncsvc.CadresTable {
			rj.Todo = a.tf("改正社区后重新发送：wanxia office rejected fix %s --community %s；或%s", "correct the community and send it again: wanxia office rejected fix %s --community %s; or %s", ref, scopes[0], discard)
		} else {
			rj.Todo = a.tf("改正后运行 wanxia office rejected resend %s；或%s", "correct it, then wanxia office rejected resend %s; or %s", ref, discard)
		}
	case latest.Code == "scope" && rr.Table == syncsvc.CadresTable:
		// One person is one record district-wide (the id comes from the
		// ID number): the hub holds this person in another community,
		// registered there by another office or moved there since.
		rj.Reason = a.t("hub 上这位干部属于别的社区（已由别的办公室登记，或已转到别的社区），本办公室的登记或更改没有被接受",
			"at the hub this cadre belongs to another community (registered there by another office, or moved there); this office's registration or change was not taken")
		rj.Todo = a.tf("如果他已搬到本社区，请原社区的办公室把他转过来（wanxia office cadre edit --community），再运行 wanxia office rejected resend %s；如果不是本社区的人，%s",
			"if the cadre has moved here, ask the other community's office to move the cadre over (wanxia office cadre edit --community), then wanxia office rejected resend %s; if not one of this community's, %s", ref, discard)
	case latest.Code == "scope":
		rj.Reason = a.t("hub 上这条记录已不在本办公室的社区（可能已转到别的社区），本办公室的更改没有被接受",
			"at the hub this record is no longer in this office's communities (moved elsewhere?); this office's change was not taken")
		rj.Todo = a.tf("如确已转出，%s；如转错了，请区老干部局在 hub 上改回，再运行 wanxia office rejected resend %s",
			"if it did move away, %s; if the move was a mistake, ask the district to move it back at the hub, then wanxia office rejected resend %s", discard, ref)
	case latest.Code == "unknown_type":
		rj.Reason = a.t("hub 还不认识这种记录（hub 的程序比本机旧）", "the hub does not know this kind of record yet (its program is older than this one)")
		rj.Todo = a.tf("hub 升级后运行 wanxia office rejected resend %s；或%s", "once the hub is upgraded, wanxia office rejected resend %s; or %s", ref, discard)
	case latest.Code == "skew":
		rj.Reason = a.t("本机时钟超前，hub 没有接受", "this computer's clock was ahead; the hub did not take it")
		rj.Todo = a.tf("校准时钟后运行 wanxia office rejected resend %s", "set the clock right, then wanxia office rejected resend %s", ref)
	default:
		rj.Reason = a.t("hub 认为内容无效", "the hub found the content invalid")
		if rr.Table == syncsvc.CadresTable {
			if c, err := r.Cadre(ctx, rr.ID); err == nil {
				if err := c.Validate(a.now().In(syncsvc.Shanghai())); err != nil {
					var ve *cadre.ValidationError
					if errors.As(err, &ve) {
						rj.Reason += a.t("：", ": ") + a.validationText(desk.WithoutDerived(ve.Problems))
					}
				}
			}
			rj.Todo = a.tf("改正后重新发送：wanxia office rejected fix %s 加上要改的选项（与 cadre edit 相同）；或%s",
				"correct it and send it again: wanxia office rejected fix %s with the flags of cadre edit; or %s", ref, discard)
		} else {
			rj.Todo = a.tf("用原来的命令改正后运行 wanxia office rejected resend %s；或%s", "correct it with its own verb, then wanxia office rejected resend %s; or %s", ref, discard)
		}
	}
	return rj
}

// recordDate is the date that tells a record apart: a visit's day, a
// meeting's, a payment's.
func recordDate(vals map[string]any) string {
	for _, f := range dateFields {
		switch v := vals[f].(type) {
		case string:
			if v != "" {
				return v
			}
		case []any:
			if len(v) > 0 {
				if s, ok := v[0].(string); ok && s != "" {
					return s
				}
			}
		}
	}
	return ""
}

// fieldsLine shows a record's fields on one line: a cadre's in the
// contract's order under the roster's headers, others by name.
func (a *app) fieldsLine(rj rejectedJSON) string {
	if len(rj.lines) > 0 {
		return strings.Join(rj.lines, a.t("；", "; "))
	}
	var keys []string
	if rj.Table == syncsvc.CadresTable {
		for _, f := range cadreFieldOrder {
			if _, ok := rj.Fields[f]; ok {
				keys = append(keys, f)
			}
		}
	} else {
		for k := range rj.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
	}
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		v := rj.Fields[k]
		if v == nil {
			continue
		}
		s := showValue(v)
		if s == "" {
			continue
		}
		name := k
		if rj.Table == syncsvc.CadresTable {
			if h := fieldName(k, a.lang); h != "" {
				name = h
			}
		}
		parts = append(parts, name+a.t(" ", "=")+s)
	}
	return strings.Join(parts, a.t("；", "; "))
}

func showValue(v any) string {
	switch v := v.(type) {
	case []any:
		var parts []string
		for _, x := range v {
			if x != nil {
				parts = append(parts, fmt.Sprint(x))
			}
		}
		return strings.Join(parts, "–")
	case string:
		return v
	}
	return fmt.Sprint(v)
}

// findRefused resolves REF among the refused records: the record's UUID,
// a unique prefix of at least 8 of its characters, or a cadre's ID number.
// Records with an open refusal come first.
func (a *app) findRefused(ctx context.Context, r *syncsvc.Replica, ref string) (syncsvc.RefusedRecord, error) {
	ref = strings.ToLower(strings.TrimSpace(ref))
	recs, err := r.RefusedRecords(ctx, true)
	if err != nil {
		return syncsvc.RefusedRecord{}, err
	}
	number := ""
	if len(ref) == 18 && cadre.ValidateIDNumber(cadre.NormalizeIDNumber(ref)) == nil {
		number = cadre.NormalizeIDNumber(ref)
	} else if len(ref) < 8 || strings.Trim(ref, "0123456789abcdef-") != "" {
		return syncsvc.RefusedRecord{}, a.usage("%q 不是记录的名字：给出 wanxia office rejected 列出的编号（至少 8 个字符），或干部的 18 位身份证号",
			"%q names no record: give the id office rejected lists (at least 8 characters), or a cadre's 18-character ID number", ref)
	}
	var found []syncsvc.RefusedRecord
	for _, rr := range recs {
		match := strings.HasPrefix(rr.ID.String(), ref)
		if number != "" {
			match = idNumberOf(rr.Record.Values) == number
		}
		if match {
			found = append(found, rr)
		}
	}
	sort.SliceStable(found, func(i, j int) bool {
		return found[i].State == syncsvc.RefusalOpen && found[j].State != syncsvc.RefusalOpen
	})
	switch {
	case len(found) == 0:
		return syncsvc.RefusedRecord{}, a.fail(syncsvc.ErrNotFound, "hub 没有拒绝过记录 %s：运行 wanxia office rejected 查看", "the hub refused no record %s: see wanxia office rejected", ref)
	case len(found) > 1 && found[1].State == syncsvc.RefusalOpen:
		return syncsvc.RefusedRecord{}, a.fail(syncsvc.ErrAmbiguous, "%s 是不止一条记录的开头：多给几个字符", "%s starts more than one record's id: give more characters", ref)
	}
	return found[0], nil
}

// settleError says what a failed resend or discard means.
func (a *app) settleError(err error) error {
	switch {
	case errors.Is(err, syncsvc.ErrNotRefused):
		return a.fail(err, "这条记录没有待处理的拒绝（已重新发送或已放弃）", "this record has no open refusal (already resent or discarded)")
	case errors.Is(err, syncsvc.ErrRefusedPending):
		return a.fail(err, "这条记录还有更改没有发送：先运行 wanxia office sync，再决定是否放弃", "this record still has changes to send: run wanxia office sync first, then decide")
	case errors.Is(err, syncsvc.ErrNotFound):
		return a.fail(err, "本机已没有这条记录，不能重新发送：用 discard 结束这条拒绝", "the record is no longer held here and cannot be sent again: close the refusal with discard")
	}
	return err
}

func (a *app) rejectedFixCmd() *cobra.Command {
	var in cadreInput
	var asJSON bool
	cmd := a.leaf("fix REF", "Correct a refused cadre with the flags of cadre edit and send it again, whole, in one change (改正后重新发送)", 1, func(cmd *cobra.Command, args []string) error {
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *syncsvc.Replica) error {
			ctx := cmd.Context()
			rr, err := a.findRefused(ctx, r, args[0])
			if err != nil {
				return err
			}
			if rr.Table != syncsvc.CadresTable {
				return a.usage("fix 用于干部记录；%s 请用原来的命令改正，再运行 wanxia office rejected resend %s",
					"fix is for cadres; correct a %s with its own verb, then run wanxia office rejected resend %s", a.tableLabel(rr.Table), shortID(rr.ID.String()))
			}
			if rr.State != syncsvc.RefusalOpen {
				return a.settleError(syncsvc.ErrNotRefused)
			}
			c, err := r.Cadre(ctx, rr.ID)
			if err != nil {
				return a.settleError(err)
			}
			input, err := in.input(a, cmd.Flags())
			if err != nil {
				return err
			}
			input.Apply(&c)
			res, err := r.ResubmitCadre(ctx, &c)
			if err != nil {
				return a.settleError(err)
			}
			if asJSON {
				return a.printJSON(map[string]any{"table": rr.Table, "record_id": rr.ID, "state": syncsvc.RefusalResent, "fields": res.Fields, "whole": res.Whole})
			}
			a.printf("已改正干部 %s，并重新写入 %d 个字段：运行 wanxia office sync 发送到 hub\n",
				"corrected cadre %s and wrote %d fields again: run wanxia office sync to send it to the hub\n", c.Name, res.Fields)
			return nil
		})
	})
	in.register(cmd.Flags())
	jsonFlag(cmd, &asJSON)
	return cmd
}

func (a *app) rejectedResendCmd() *cobra.Command {
	var asJSON bool
	cmd := a.leaf("resend REF", "Send a refused record again as it is now (after correcting it, or once the hub can take it): the whole record when the hub never had it", 1, func(cmd *cobra.Command, args []string) error {
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *syncsvc.Replica) error {
			ctx := cmd.Context()
			rr, err := a.findRefused(ctx, r, args[0])
			if err != nil {
				return err
			}
			res, err := r.Resubmit(ctx, rr.Table, rr.ID)
			if err != nil {
				return a.settleError(err)
			}
			scopes, err := r.OfficeScopes(ctx)
			if err != nil {
				return err
			}
			what := a.rejected(ctx, r, rr, scopes).What
			if asJSON {
				return a.printJSON(map[string]any{"table": rr.Table, "record_id": rr.ID, "state": syncsvc.RefusalResent, "fields": res.Fields, "whole": res.Whole})
			}
			if res.Whole {
				a.printf("已把%s整条重新写入（%d 个字段）：运行 wanxia office sync 发送到 hub\n",
					"wrote %s again whole (%d fields): run wanxia office sync to send it to the hub\n", what, res.Fields)
			} else {
				a.printf("已把%s被拒绝的 %d 个字段重新写入：运行 wanxia office sync 发送到 hub\n",
					"wrote the %[2]d refused fields of %[1]s again: run wanxia office sync to send them to the hub\n", what, res.Fields)
			}
			return nil
		})
	})
	jsonFlag(cmd, &asJSON)
	return cmd
}

func (a *app) rejectedDiscardCmd() *cobra.Command {
	var reason string
	var asJSON bool
	cmd := a.leaf("discard REF", "Give up a refused record at this office, with --reason: it leaves this computer (the hub's copy, if it has one, comes back at the next sync)", 1, func(cmd *cobra.Command, args []string) error {
		if strings.TrimSpace(reason) == "" {
			return a.usage("缺少选项 --reason（为什么放弃）", "missing --reason (why the record is given up)")
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *syncsvc.Replica) error {
			ctx := cmd.Context()
			rr, err := a.findRefused(ctx, r, args[0])
			if err != nil {
				return err
			}
			scopes, err := r.OfficeScopes(ctx)
			if err != nil {
				return err
			}
			what := a.rejected(ctx, r, rr, scopes).What
			res, err := r.DiscardRefused(ctx, rr.Table, rr.ID, reason)
			if err != nil {
				return a.settleError(err)
			}
			if asJSON {
				return a.printJSON(map[string]any{"table": rr.Table, "record_id": rr.ID, "state": syncsvc.RefusalDiscarded,
					"dropped": res.Dropped, "refetch": res.Refetch, "reason": strings.TrimSpace(reason)})
			}
			a.printf("已放弃%s：从本机移除 %d 条记录\n", "gave up %s: %d records removed from this computer\n", what, res.Dropped)
			if res.Refetch {
				a.printf("hub 上有这条记录：下次同步时会取回 hub 上的版本\n", "the hub holds this record: the next sync brings the hub's copy back\n")
			}
			return nil
		})
	})
	cmd.Flags().StringVar(&reason, "reason", "", "why the record is given up")
	jsonFlag(cmd, &asJSON)
	return cmd
}

// idNumberOf reads the ID number of a record's values: a field of its own,
// or the first column of the register that holds it.
func idNumberOf(vals map[string]any) string {
	switch v := vals["id_number"].(type) {
	case string:
		return v
	case []any:
		if len(v) > 0 {
			s, _ := v[0].(string)
			return s
		}
	}
	return ""
}
