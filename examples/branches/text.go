package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
)

// words are the texts of the report in one language.
type words struct {
	lang          cadre.Lang
	heading       string // date
	summary       string // members, branches, moves, dissolved
	branches      string
	branch        string // name, kind, communities, members, full members, change
	joiner        string // between communities and months
	note          string
	moves         string
	dissolved     string
	dissolvedLine string // name, why
	committees    string
	finding       string // severity, label, text
	holder        string // name
	noFinding     string
	dues          string // first month examined, last month examined
	duesLine      string // name, pension, due, unpaid, action, text
	monthly       string // due, relief
	relieved      string // relief, standard due
	notOnRoll     string // status, date
	unpaid        string // months, list, amount
	noUnpaid      string
	credit        string // amount
}

var chinese = words{
	lang:          cadre.Chinese,
	heading:       "示例城区离退休干部党支部设置方案，截至 %s\n",
	summary:       "在册党员%d名，拟设党支部%d个；组织关系调整%d人次，撤销党支部%d个\n",
	branches:      "\n一、党支部\n",
	branch:        "%s  %s  %s  党员%d名（正式党员%d名）  %s\n",
	joiner:        "、",
	note:          "    · %s\n",
	moves:         "\n二、组织关系调整\n",
	dissolved:     "\n撤销的党支部\n",
	dissolvedLine: "  %s：%s\n",
	committees:    "\n三、支部班子\n",
	finding:       "    %s  %s：%s\n",
	holder:        "（%s）",
	noFinding:     "    未发现问题\n",
	dues:          "\n四、党费（核对 %s 至 %s）\n",
	duesLine:      "%s  基本离退休费%s元  %s  %s  %s：%s",
	monthly:       "月交党费%s元%s",
	relieved:      "（%s，标准%s元）",
	notOnRoll:     "%s %s，党费至此终止",
	unpaid:        "未交%d个月（%s）共%s元",
	noUnpaid:      "无欠交",
	credit:        "  多交%s元，应退还或按本人（家属）意愿处理",
}

var english = words{
	lang:          cadre.English,
	heading:       "Proposed Party branches of the sample district's retired cadres, as of %s\n",
	summary:       "%d members on the roll in %d branches; %d membership changes, %d branches dissolved\n",
	branches:      "\n1. Branches\n",
	branch:        "%s  %s  %s  %d members (%d full)  %s\n",
	joiner:        ", ",
	note:          "    - %s\n",
	moves:         "\n2. Membership changes\n",
	dissolved:     "\nBranches dissolved\n",
	dissolvedLine: "  %s: %s\n",
	committees:    "\n3. Committees\n",
	finding:       "    %s  %s — %s\n",
	holder:        " (%s)",
	noFinding:     "    nothing found\n",
	dues:          "\n4. Party dues (checked %s to %s)\n",
	duesLine:      "%s  pension %s yuan  %s  %s  %s: %s",
	monthly:       "dues %s yuan a month%s",
	relieved:      " (%s; standard %s yuan)",
	notOnRoll:     "%s %s: dues end",
	unpaid:        "%d months unpaid (%s), %s yuan",
	noUnpaid:      "nothing unpaid",
	credit:        "  overpaid %s yuan: refund it or apply it as the member (or family) asks",
}

func wordsFor(lang cadre.Lang) words {
	if lang == cadre.English {
		return english
	}
	return chinese
}

// printReport prints rep as text.
func printReport(w io.Writer, t words, rep report) {
	fmt.Fprintf(w, t.heading, rep.On)
	fmt.Fprintf(w, t.summary, rep.Members, len(rep.Branches), len(rep.Moves), len(rep.Dissolved))

	fmt.Fprint(w, t.branches)
	for _, b := range rep.Branches {
		fmt.Fprintf(w, t.branch, b.Name, b.KindLabel, communityList(t, b), b.Members, b.FullMembers, b.ChangeLabel)
		for _, n := range b.Notes {
			fmt.Fprintf(w, t.note, n)
		}
	}
	fmt.Fprint(w, t.moves)
	for _, m := range rep.Moves {
		fmt.Fprintln(w, "  "+m.Text)
	}
	if len(rep.Dissolved) > 0 {
		fmt.Fprint(w, t.dissolved)
		for _, x := range rep.Dissolved {
			fmt.Fprintf(w, t.dissolvedLine, x.Name, x.Text)
		}
	}

	fmt.Fprint(w, t.committees)
	for _, c := range rep.Committees {
		fmt.Fprintln(w, "  "+c.Branch)
		if len(c.Findings) == 0 {
			fmt.Fprint(w, t.noFinding)
		}
		for _, f := range c.Findings {
			text := f.Text
			if f.Holder != "" && !strings.Contains(text, f.Holder) {
				text += fmt.Sprintf(t.holder, f.Holder)
			}
			fmt.Fprintf(w, t.finding, f.SeverityLabel, f.Label, text)
		}
	}

	fmt.Fprintf(w, t.dues, rep.DuesSince, monthBefore(rep.On))
	for _, d := range rep.Dues {
		fmt.Fprintln(w, "  "+duesText(t, d))
	}
}

func communityList(t words, b branchLine) string {
	out := make([]string, len(b.Communities))
	for i, code := range b.Communities {
		out[i] = b.CommunityNames[i]
		if t.lang == cadre.English {
			out[i] += " (" + code + ")"
		}
	}
	return strings.Join(out, t.joiner)
}

// monthBefore is the last month Arrears examines on the date on: a month
// may be paid until its end.
func monthBefore(on cadre.Date) branch.Month { return branch.MonthOf(on).Add(-1) }

func duesText(t words, d duesLine) string {
	var due string
	switch {
	case d.Status != cadre.StatusActive:
		// Arrears still gives the due at the pension: nothing is owed, but
		// the due would mislead.
		due = fmt.Sprintf(t.notOnRoll, d.StatusLabel, d.StatusOn)
	case d.Relief != branch.ReliefNone:
		due = fmt.Sprintf(t.monthly, cadre.FormatYuan(d.MonthlyDueFen), fmt.Sprintf(t.relieved, d.ReliefLabel, cadre.FormatYuan(d.StandardDueFen)))
	default:
		due = fmt.Sprintf(t.monthly, cadre.FormatYuan(d.MonthlyDueFen), "")
	}
	unpaid := t.noUnpaid
	if len(d.Unpaid) > 0 {
		months := make([]string, len(d.Unpaid))
		for i, m := range d.Unpaid {
			months[i] = m.String()
		}
		unpaid = fmt.Sprintf(t.unpaid, len(d.Unpaid), strings.Join(months, t.joiner), cadre.FormatYuan(d.ArrearsFen))
	}
	s := fmt.Sprintf(t.duesLine, d.Name, cadre.FormatYuan(d.PensionFen), due, unpaid, d.ActionLabel, d.Text)
	if d.CreditFen > 0 {
		s += fmt.Sprintf(t.credit, cadre.FormatYuan(d.CreditFen))
	}
	return s
}
