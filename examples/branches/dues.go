package main

import (
	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/examples/demo"
)

// dues records this year's payments and reliefs of the members the report
// shows.
func (g *generator) dues() {
	jan, feb, mar, apr := branch.NewMonth(2026, 1), branch.NewMonth(2026, 2), branch.NewMonth(2026, 3), branch.NewMonth(2026, 4)
	may, jun, jul, aug := branch.NewMonth(2026, 5), branch.NewMonth(2026, 6), branch.NewMonth(2026, 7), branch.NewMonth(2026, 8)
	oct, nov := branch.NewMonth(2026, 10), branch.NewMonth(2026, 11)

	g.monthly("马建国", jan, nov) // paid up, November included
	g.monthly("高玉梅", jan, aug) // September and October unpaid
	// 唐秀珍 paid half a year at once in January, then July.
	g.pay("唐秀珍", cadre.NewDate(2026, 1, 8), 6*2500, jan, feb, mar, apr, may, jun)
	g.monthly("唐秀珍", jul, jul)
	g.monthly("冯学军", jan, apr) // nothing since May

	// 朱翠萍's husband is seriously ill: the branch reduced her dues to
	// 5 yuan a month from March.
	g.monthly("朱翠萍", jan, feb)
	g.relief("朱翠萍", mar, false, 500, "dm", cadre.NewDate(2026, 2, 26), "老伴重病，医疗支出大")
	g.monthlyFen("朱翠萍", mar, oct, 500)

	// 许凤英 is bedridden and in hardship: exempt from July.
	g.pay("许凤英", cadre.NewDate(2026, 1, 15), 3*1490, jan, feb, mar)
	g.pay("许凤英", cadre.NewDate(2026, 4, 12), 3*1490, apr, may, jun)
	g.relief("许凤英", jul, true, 0, "btq", cadre.NewDate(2026, 6, 28), "长期卧床，生活困难")

	// 郭守仁 paid by the quarter and died in August: September was paid
	// but is not owed.
	for _, q := range []branch.Month{jan, apr, jul} {
		g.pay("郭守仁", q.First().AddDays(5), 3*6540, q, q.Add(1), q.Add(2))
	}

	for _, n := range duesNames {
		g.d.duesShown = append(g.d.duesShown, g.byName[n].ID)
	}
}

// monthly records name's payment of the full due of each month from first
// to last, on the 10th of the month.
func (g *generator) monthly(name string, first, last branch.Month) {
	g.monthlyFen(name, first, last, branch.RetiredMonthlyDues(g.byName[name].PensionFen))
}

func (g *generator) monthlyFen(name string, first, last branch.Month, fen int64) {
	for m := first; !m.After(last); m = m.Add(1) {
		g.pay(name, m.First().AddDays(9), fen, m)
	}
}

func (g *generator) pay(name string, on cadre.Date, fen int64, months ...branch.Month) {
	c := g.byName[name]
	g.d.payments = append(g.d.payments, branch.DuesPayment{
		ID: demo.KeyID("payment", c.IDNumber+"/"+on.String()), CadreID: c.ID, Months: months, AmountFen: fen, PaidOn: on,
	})
}

func (g *generator) relief(name string, from branch.Month, exempt bool, reducedFen int64, in string, approved cadre.Date, reason string) {
	c := g.byName[name]
	g.d.reliefs = append(g.d.reliefs, branch.DuesRelief{
		ID: demo.KeyID("relief", c.IDNumber+"/"+from.String()), CadreID: c.ID, From: from, Exempt: exempt, ReducedFen: reducedFen,
		ApprovedBy: placeOf(in).name + "离退休干部党支部（支部党员大会）", ApprovedOn: approved, Reason: reason,
	})
}
