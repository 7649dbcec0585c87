package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// meetingCmd is `office meeting`.
func (a *app) meetingCmd() *cobra.Command {
	cmd := a.group("meeting", "Branch meetings (三会一课, 主题党日 …) and 送学上门: add, list, deliver", "")
	cmd.AddCommand(a.meetingAddCmd(), a.meetingListCmd(), a.meetingDeliverCmd())
	return cmd
}

// absence is one --absent entry: a cadre, why, and a note.
type absence struct {
	ref    string
	reason branch.Absence
	note   string
}

// absentFlag is --absent C1=health,C2=away:note.
type absentFlag struct{ p *[]absence }

func (f *absentFlag) Set(s string) error {
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' }) {
		ref, rest, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || strings.TrimSpace(ref) == "" {
			return cadre.WordedZH(fmt.Errorf("%q: want CADRE=REASON or CADRE=REASON:NOTE", part), fmt.Sprintf("“%s”应写成 干部=原因 或 干部=原因:备注（原因：health、away、other、unexcused）", part))
		}
		reason, note, _ := strings.Cut(strings.Replace(rest, "：", ":", 1), ":")
		why, err := parseAbsence(reason)
		if err != nil {
			return err
		}
		*f.p = append(*f.p, absence{ref: strings.TrimSpace(ref), reason: why, note: strings.TrimSpace(note)})
	}
	return nil
}

// parseAbsence is branch.ParseAbsence, also taking the short 因病 that
// clerks write for the label 因病（送学上门）.
func parseAbsence(s string) (branch.Absence, error) {
	if strings.TrimSpace(s) == "因病" {
		return branch.AbsenceHealth, nil
	}
	return branch.ParseAbsence(s)
}

func (f *absentFlag) String() string {
	if f.p == nil {
		return ""
	}
	parts := make([]string, len(*f.p))
	for i, x := range *f.p {
		parts[i] = x.ref + "=" + string(x.reason)
	}
	return strings.Join(parts, ",")
}

func (f *absentFlag) Type() string { return "CADRE=REASON[:NOTE],…" }

// attendanceJSON is one member's attendance.
type attendanceJSON struct {
	CadreID      uuid.UUID      `json:"cadre_id"`
	Name         string         `json:"name"`
	Present      bool           `json:"present"`
	Absence      branch.Absence `json:"absence"`
	AbsenceLabel string         `json:"absence_label"`
	Note         string         `json:"note"`
}

// deliveryJSON is a 送学上门 visit made.
type deliveryJSON struct {
	CadreID uuid.UUID  `json:"cadre_id"`
	Name    string     `json:"name"`
	On      cadre.Date `json:"on"`
	Note    string     `json:"note"`
}

// meetingJSON is a meeting as scripts see it.
type meetingJSON struct {
	ID         uuid.UUID          `json:"id"`
	BranchID   uuid.UUID          `json:"branch_id"`
	BranchName string             `json:"branch_name"`
	Kind       branch.MeetingKind `json:"kind"`
	KindLabel  string             `json:"kind_label"`
	On         cadre.Date         `json:"on"`
	Topic      string             `json:"topic"`
	Attendance []attendanceJSON   `json:"attendance"`
	Deliveries []deliveryJSON     `json:"deliveries"`
}

func (a *app) toMeetingJSON(v desk.MeetingView) meetingJSON {
	m := v.Meeting
	j := meetingJSON{ID: m.ID, BranchID: m.BranchID, BranchName: v.BranchName, Kind: m.Kind, KindLabel: m.Kind.Label(a.lang), On: m.On,
		Topic: m.Topic, Attendance: []attendanceJSON{}, Deliveries: []deliveryJSON{}}
	for _, av := range v.Attendance {
		at := av.Attendance
		label := ""
		if at.Absence != "" {
			label = at.Absence.Label(a.lang)
		}
		j.Attendance = append(j.Attendance, attendanceJSON{CadreID: at.CadreID, Name: a.refName(av.Cadre), Present: at.Present,
			Absence: at.Absence, AbsenceLabel: label, Note: at.Note})
	}
	sortByName(j.Attendance, func(x attendanceJSON) string { return x.Name })
	for _, dv := range v.Deliveries {
		d := dv.Delivery
		j.Deliveries = append(j.Deliveries, deliveryJSON{CadreID: d.CadreID, Name: a.refName(dv.Cadre), On: d.On, Note: d.Note})
	}
	return j
}

// attendanceCounts sums up a meeting's attendance as recorded.
func (a *app) attendanceCounts(m meetingJSON) string {
	var present, ill, excused, unexcused int
	for _, at := range m.Attendance {
		switch {
		case at.Present:
			present++
		case at.Absence == branch.AbsenceHealth:
			ill++
		case at.Absence == branch.AbsenceUnexcused:
			unexcused++
		default:
			excused++
		}
	}
	return a.tf("出席%d，因病%d，请假%d，无故缺席%d", "%d present, %d ill, %d excused, %d without reason", present, ill, excused, unexcused)
}

func (a *app) meetingAddCmd() *cobra.Command {
	var branchRef, topic string
	var kind branch.MeetingKind
	var on cadre.Date
	var present []string
	var absent []absence
	var asJSON bool
	cmd := a.leaf("add", "Record a meeting held (会议记录) with who came and who was absent and why; members absent for health are owed 送学上门", 0, func(cmd *cobra.Command, _ []string) error {
		var missing []string
		for _, f := range []string{"branch", "kind", "on"} {
			if !cmd.Flags().Changed(f) {
				missing = append(missing, "--"+f)
			}
		}
		if len(missing) > 0 {
			return a.usage("缺少选项 %s", "missing %s", strings.Join(missing, " "))
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			b, err := a.findBranch(ctx, r, branchRef)
			if err != nil {
				return err
			}
			att, err := a.attendance(ctx, r, present, absent)
			if err != nil {
				return err
			}
			v, err := desk.RecordMeeting(ctx, r, desk.MeetingInput{BranchID: b.ID, Kind: kind, On: on, Topic: topic, Attendance: att})
			if err != nil {
				return a.invalid(err, "会议记录", "the meeting")
			}
			m, j := v.Meeting, a.toMeetingJSON(v)
			if asJSON {
				return a.printJSON(j)
			}
			a.printf("已记录%s %s（%s）：%s\n", "recorded the %[2]s of %[1]s on %[3]s: %[4]s\n", b.Name, j.KindLabel, m.On, a.attendanceCounts(j))
			a.printf("会议 ID：%s\n", "meeting id: %s\n", m.ID)
			for _, at := range j.Attendance {
				if at.Absence == branch.AbsenceHealth {
					a.printf("  %s 因病缺席，应于本月内送学上门；送达后运行 wanxia office meeting deliver %s %s\n",
						"  %s was absent ill and is owed the study at home this month; once delivered, run wanxia office meeting deliver %s %s\n",
						at.Name, m.ID, at.CadreID)
				}
			}
			return nil
		})
	})
	f := cmd.Flags()
	f.StringVar(&branchRef, "branch", "", "the branch: UUID or 8+ characters of it (see wanxia office branch list)")
	f.Var(&enumFlag[branch.MeetingKind]{&kind, branch.ParseMeetingKind}, "kind",
		"members_meeting 党员大会, committee_meeting 支委会, group_meeting 党小组会, theme_day 主题党日, life_meeting 组织生活会, appraisal 民主评议党员, lecture 党课")
	f.Var(&dateFlag{&on}, "on", "the day it was held")
	f.StringVar(&topic, "topic", "", "what it was about")
	f.StringSliceVar(&present, "present", nil, "members who came, comma-separated: UUID, 8+ characters of it, or ID number")
	f.Var(&absentFlag{&absent}, "absent", "members absent, as CADRE=REASON[:NOTE], comma-separated; REASON: health 因病 (送学上门), away 外出, other 其他事由, unexcused 无故缺席")
	jsonFlag(cmd, &asJSON)
	return cmd
}

// attendance resolves the cadres named present and absent; naming one
// twice is bad usage.
func (a *app) attendance(ctx context.Context, r *store.Replica, present []string, absent []absence) ([]branch.Attendance, error) {
	out := []branch.Attendance{}
	seen := map[uuid.UUID]string{}
	add := func(ref string, at branch.Attendance) error {
		c, err := a.findCadre(ctx, r, ref)
		if err != nil {
			return err
		}
		if first, twice := seen[c.ID]; twice {
			return a.usage("%s 被列了两次（%s 和 %s）：每人只列一次", "%s is listed twice (%s and %s): list each member once", c.Name, first, ref)
		}
		seen[c.ID] = ref
		at.CadreID = c.ID
		out = append(out, at)
		return nil
	}
	for _, ref := range present {
		if strings.TrimSpace(ref) == "" {
			continue
		}
		if err := add(ref, branch.Attendance{Present: true}); err != nil {
			return nil, err
		}
	}
	for _, x := range absent {
		if err := add(x.ref, branch.Attendance{Absence: x.reason, Note: x.note}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (a *app) meetingListCmd() *cobra.Command {
	var branchRef string
	var month branch.Month
	var asJSON bool
	cmd := a.leaf("list", "List the meetings held, by day, with attendance and 送学上门", 0, func(cmd *cobra.Command, _ []string) error {
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			var in desk.ListMeetingsInput
			if branchRef != "" {
				b, err := a.findBranch(ctx, r, branchRef)
				if err != nil {
					return err
				}
				in.BranchID = b.ID
			}
			in.Month = month
			list, err := desk.ListMeetings(ctx, r, in)
			if err != nil {
				return err
			}
			out := make([]meetingJSON, 0, len(list))
			for _, v := range list {
				out = append(out, a.toMeetingJSON(v))
			}
			if asJSON {
				return a.printJSON(out)
			}
			if len(out) == 0 {
				a.printf("（没有会议记录）\n", "(no meetings)\n")
				return nil
			}
			rows := make([][]string, 0, len(out))
			for _, m := range out {
				rows = append(rows, []string{m.ID.String(), m.On.String(), m.BranchName, m.KindLabel, orDash(m.Topic),
					a.attendanceCounts(m), strconv.Itoa(len(m.Deliveries))})
			}
			return writeTable(a.stdout, []string{"ID", a.t("日期", "on"), a.t("党支部", "branch"), a.t("类型", "kind"),
				a.t("主题", "topic"), a.t("出席情况", "attendance"), a.t("送学上门", "delivered")}, rows)
		})
	})
	cmd.Flags().StringVar(&branchRef, "branch", "", "only this branch: UUID or 8+ characters of it")
	cmd.Flags().Var(&monthFlag{&month}, "month", "only this month, YYYY-MM")
	jsonFlag(cmd, &asJSON)
	return cmd
}

// deliverJSON is what meeting deliver recorded.
type deliverJSON struct {
	MeetingID uuid.UUID  `json:"meeting_id"`
	CadreID   uuid.UUID  `json:"cadre_id"`
	Name      string     `json:"name"`
	On        cadre.Date `json:"on"`
	Note      string     `json:"note"`
	Changed   bool       `json:"changed"`
}

func (a *app) meetingDeliverCmd() *cobra.Command {
	var on cadre.Date
	var note string
	var asJSON bool
	cmd := a.leaf("deliver MEETING CADRE", "Record that a meeting's study was taken to the home of a member absent for health (送学上门)", 2, func(cmd *cobra.Command, args []string) error {
		on = a.orToday(on)
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			m, err := a.findMeeting(ctx, r, args[0])
			if err != nil {
				return err
			}
			c, err := a.findCadre(ctx, r, args[1])
			if err != nil {
				return err
			}
			rec, err := desk.DeliverStudy(ctx, r, desk.DeliverInput{MeetingID: m.ID, CadreID: c.ID, On: on, Note: note})
			var early *desk.DeliveryBeforeMeetingError
			if errors.As(err, &early) {
				return a.usage("--on %s 早于会议日期 %s：送学上门在会后", "--on %s is before the meeting on %s: the study is delivered after it", early.On, early.MeetingOn)
			}
			if err != nil {
				return a.invalid(err, "送学上门记录", "the delivery")
			}
			d, changed, ill := rec.Delivery, rec.Changed, rec.Owed
			if asJSON {
				return a.printJSON(deliverJSON{MeetingID: m.ID, CadreID: c.ID, Name: c.Name, On: on, Note: d.Note, Changed: changed})
			}
			a.printf("已记录送学上门：%s，%s %s 的学习内容，%s 送达\n", "recorded 送学上门: %s, the study of the %s of %s, delivered %s\n",
				c.Name, m.Kind.Label(a.lang), m.On, on)
			if !ill {
				a.printf("注意：%s 在这次会议没有记为因病缺席，这次送学不计入送学上门统计\n",
					"note: %s is not recorded as absent ill from this meeting, so this visit does not count as a 送学上门 owed\n", c.Name)
			}
			return nil
		})
	})
	cmd.Flags().Var(&dateFlag{&on}, "on", "the day of the visit (default today)")
	cmd.Flags().StringVar(&note, "note", "", "who went and what was studied")
	jsonFlag(cmd, &asJSON)
	return cmd
}
