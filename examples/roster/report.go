package main

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/cadre/roster"
)

// words are the texts of the report in one language.
type words struct {
	lang     cadre.Lang
	sample   string // the name of the built-in roster
	heading  string // roster name, date
	cadre    string // name, community, age, masked ID, tier, needs
	noPair   string
	joiner   string // between need labels
	status   string // status label, status date
	badField string // line, column header, problem
	badRow   string // line, problem
	summary  string // good rows, bad rows, then the tier counts
	tier     string // tier, count
	unknown  string // the unknown columns
}

var chinese = words{
	lang:     cadre.Chinese,
	sample:   "内置示例名单",
	heading:  "%s，截至 %s\n",
	cadre:    "%s  %s  %d岁  %s  第%d档  %s\n",
	noPair:   "无需结对",
	joiner:   "、",
	status:   "（%s %s）",
	badField: "第 %d 行 %s: %v\n",
	badRow:   "第 %d 行: %v\n",
	summary:  "合格 %d 行，有误 %d 行；%s\n",
	tier:     "第%d档 %d 人",
	unknown:  "未识别的列，已忽略：%v",
}

var english = words{
	lang:     cadre.English,
	sample:   "the built-in sample roster",
	heading:  "%s, as of %s\n",
	cadre:    "%s  %s  age %d  %s  tier %d  %s\n",
	noPair:   "no pair needed",
	joiner:   ", ",
	status:   " (%s %s)",
	badField: "line %d %s: %v\n",
	badRow:   "line %d: %v\n",
	summary:  "%d good rows, %d bad rows; %s\n",
	tier:     "tier %d: %d",
	unknown:  "ignored unknown columns: %v",
}

func wordsFor(lang cadre.Lang) words {
	if lang == cadre.English {
		return english
	}
	return chinese
}

// report prints the good cadres by need tier, the bad rows, and a summary.
func report(w io.Writer, t words, name string, res *roster.Result, on cadre.Date) {
	fmt.Fprintf(w, t.heading, name, on)
	policy := cadre.DefaultPolicy()
	counts := make([]int, 6) // by tier, 0 to 5
	for _, c := range byTier(res.Rows, on, policy) {
		tier := c.NeedTier(on, policy)
		counts[tier]++
		fmt.Fprintf(w, t.cadre, c.Name, c.Community, c.Age(on), cadre.MaskIDNumber(c.IDNumber), tier, needs(t, c, on, policy))
	}
	for _, e := range res.Errors {
		if e.Field == "" {
			fmt.Fprintf(w, t.badRow, e.Line, e.Message(t.lang))
		} else {
			fmt.Fprintf(w, t.badField, e.Line, roster.FieldHeader(e.Field, t.lang), e.Message(t.lang))
		}
	}
	tiers := make([]string, 0, len(counts))
	for _, tier := range []int{1, 2, 3, 4, 5, 0} {
		tiers = append(tiers, fmt.Sprintf(t.tier, tier, counts[tier]))
	}
	fmt.Fprintf(w, t.summary, len(res.Rows), len(res.BadLines()), strings.Join(tiers, t.joiner))
}

// byTier returns the cadres sorted by need tier, tier 1 first and those who
// need no pair last, then by name in pinyin order, as a Chinese list is read.
func byTier(rows []roster.Row, on cadre.Date, policy cadre.Policy) []cadre.Cadre {
	order := func(c cadre.Cadre) int { return cmp.Or(c.NeedTier(on, policy), 6) }
	names := collate.New(language.Chinese)
	cs := make([]cadre.Cadre, len(rows))
	for i, r := range rows {
		cs[i] = r.Cadre
	}
	slices.SortStableFunc(cs, func(a, b cadre.Cadre) int {
		return cmp.Or(cmp.Compare(order(a), order(b)), names.CompareString(a.Name, b.Name))
	})
	return cs
}

// needs returns the labels of c's needs, or why there are none.
func needs(t words, c cadre.Cadre, on cadre.Date, policy cadre.Policy) string {
	ns := c.Needs(on, policy)
	if len(ns) == 0 {
		if c.Status != cadre.StatusActive {
			return t.noPair + fmt.Sprintf(t.status, c.Status.Label(t.lang), c.StatusOn)
		}
		return t.noPair
	}
	labels := make([]string, len(ns))
	for i, n := range ns {
		labels[i] = n.Label(t.lang)
	}
	return strings.Join(labels, t.joiner)
}
