package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/desk/wording"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// rejected describes one refused record: what it is, its fields, why and
// what to do.
func (a *app) rejected(ctx context.Context, r *store.Replica, rr syncsvc.RefusedRecord, scopes []string) rejectedJSON {
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
			v = cadre.MaskIDNumber(desk.IDNumberOf(vals))
		}
		rj.Fields[k] = v
	}
	view := desk.DescribeRefused(ctx, r, rr, scopes, a.now())
	if c := view.Cadre; c != nil {
		// A cadre is shown as cadre show shows it, the ID number masked.
		if b, err := json.Marshal(c); err == nil {
			fields := map[string]any{}
			if json.Unmarshal(b, &fields) == nil {
				fields["id_number"] = cadre.MaskIDNumber(c.IDNumber)
				delete(fields, "id")
				rj.Fields = fields
			}
		}
		for _, f := range cadreFieldOrder {
			if v := cadreValue(c, f, a.lang, false); v != "" && v != "-" {
				rj.lines = append(rj.lines, fieldName(f, a.lang)+" "+v)
			}
		}
	}
	ref := shortID(rj.RecordID)
	label := wording.TableLabel(rr.Table, a.lang)
	name, when := view.Name, view.When
	switch {
	case rr.Table == store.CadresTable:
		rj.What = label + " " + orDash(name)
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
	rj.Name = name
	community := view.Community
	own := strings.Join(scopes, a.t("、", ", "))
	discard := a.tf("放弃：wanxia office rejected discard %s --reason 原因", "discard: wanxia office rejected discard %s --reason WHY", ref)
	switch view.Kind {
	case desk.RefusalGone:
		rj.Reason = a.t("hub 拒绝了这条记录的更改，本机已没有这条记录", "the hub refused changes of this record, which is no longer held here")
		rj.Todo = a.tf("结束这条拒绝：wanxia office rejected discard %s --reason 原因", "close it: wanxia office rejected discard %s --reason WHY", ref)
	case desk.RefusalUnregisteredCommunity:
		rj.Reason = a.tf("社区 %s 没有在区里登记，hub 不接受转到这个社区", "community %s is not registered in the district; the hub does not take the move", community)
		rj.Todo = a.tf("改正社区后重新发送：wanxia office rejected fix %s --community 社区代码；或%s", "correct the community and send it again: wanxia office rejected fix %s --community CODE; or %s", ref, discard)
	case desk.RefusalOutsideOffice:
		rj.Reason = a.tf("社区 %s 不属于本办公室（本办公室的社区：%s），hub 不接受", "community %s is not this office's (its communities: %s); the hub does not take it", community, own)
		if rr.Table == store.CadresTable {
			rj.Todo = a.tf("改正社区后重新发送：wanxia office rejected fix %s --community %s；或%s", "correct the community and send it again: wanxia office rejected fix %s --community %s; or %s", ref, scopes[0], discard)
		} else {
			rj.Todo = a.tf("改正后运行 wanxia office rejected resend %s；或%s", "correct it, then wanxia office rejected resend %s; or %s", ref, discard)
		}
	case desk.RefusalCadreElsewhere:
		// One person is one record district-wide (the id comes from the
		// ID number): the hub holds this person in another community,
		// registered there by another office or moved there since.
		rj.Reason = a.t("hub 上这位干部属于别的社区（已由别的办公室登记，或已转到别的社区），本办公室的登记或更改没有被接受",
			"at the hub this cadre belongs to another community (registered there by another office, or moved there); this office's registration or change was not taken")
		rj.Todo = a.tf("如果他已搬到本社区，请原社区的办公室把他转过来（wanxia office cadre edit --community），再运行 wanxia office rejected resend %s；如果不是本社区的人，%s",
			"if the cadre has moved here, ask the other community's office to move the cadre over (wanxia office cadre edit --community), then wanxia office rejected resend %s; if not one of this community's, %s", ref, discard)
	case desk.RefusalMovedAway:
		rj.Reason = a.t("hub 上这条记录已不在本办公室的社区（可能已转到别的社区），本办公室的更改没有被接受",
			"at the hub this record is no longer in this office's communities (moved elsewhere?); this office's change was not taken")
		rj.Todo = a.tf("如确已转出，%s；如转错了，请区老干部局在 hub 上改回，再运行 wanxia office rejected resend %s",
			"if it did move away, %s; if the move was a mistake, ask the district to move it back at the hub, then wanxia office rejected resend %s", discard, ref)
	case desk.RefusalUnknownType:
		rj.Reason = a.t("hub 还不认识这种记录（hub 的程序比本机旧）", "the hub does not know this kind of record yet (its program is older than this one)")
		rj.Todo = a.tf("hub 升级后运行 wanxia office rejected resend %s；或%s", "once the hub is upgraded, wanxia office rejected resend %s; or %s", ref, discard)
	case desk.RefusalClock:
		rj.Reason = a.t("本机时钟超前，hub 没有接受", "this computer's clock was ahead; the hub did not take it")
		rj.Todo = a.tf("校准时钟后运行 wanxia office rejected resend %s", "set the clock right, then wanxia office rejected resend %s", ref)
	default:
		rj.Reason = a.t("hub 认为内容无效", "the hub found the content invalid")
		if len(view.Problems) > 0 {
			rj.Reason += a.t("：", ": ") + a.validationText(view.Problems)
		}
		if rr.Table == store.CadresTable {
			rj.Todo = a.tf("改正后重新发送：wanxia office rejected fix %s 加上要改的选项（与 cadre edit 相同）；或%s",
				"correct it and send it again: wanxia office rejected fix %s with the flags of cadre edit; or %s", ref, discard)
		} else {
			rj.Todo = a.tf("用原来的命令改正后运行 wanxia office rejected resend %s；或%s", "correct it with its own verb, then wanxia office rejected resend %s; or %s", ref, discard)
		}
	}
	return rj
}

// fieldsLine shows a record's fields on one line: a cadre's in the
// contract's order under the roster's headers, others by name.
func (a *app) fieldsLine(rj rejectedJSON) string {
	if len(rj.lines) > 0 {
		return strings.Join(rj.lines, a.t("；", "; "))
	}
	var keys []string
	if rj.Table == store.CadresTable {
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
		if rj.Table == store.CadresTable {
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
