package main

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
)

// district is the made-up district the program plans: seven communities of
// Jinan's old town, their retired cadres, the branches they have today with
// the memberships and posts on record, and this year's dues records. The
// records stand as they would in late November 2026.
type district struct {
	communities []branch.Community
	cadres      []cadre.Cadre
	branches    []branch.Branch
	memberships []branch.Membership
	posts       []branch.Post
	payments    []branch.DuesPayment
	reliefs     []branch.DuesRelief
	// duesShown are the members whose dues the report shows, in order.
	duesShown []uuid.UUID
}

// duesSince is the first month of the district's dues records: months
// before it were never entered, so they are not examined.
var duesSince = branch.NewMonth(2026, time.January)

// namespace derives every ID of the district from a natural key, so that
// each run builds the same records.
var namespace = uuid.MustParse("0b8e3f5a-6c1d-5e27-8f49-a2d6c4b81e03")

func idFor(kind, key string) uuid.UUID { return uuid.NewSHA1(namespace, []byte(kind+"/"+key)) }

// place is one community: where it is, whether it has a branch today, and
// how many cadres live there.
type place struct {
	code, name string
	lat, lng   float64
	// founded is the founding date of the community's branch; zero when
	// the community has none.
	founded cadre.Date
	// elected is the day the branch's current posts were elected.
	elected cadre.Date
	// members is the number of Party members on the roll who live there,
	// the people below included; others are cadres who are not members.
	members, others int
}

// places are the communities, half a kilometre to a few kilometres apart. 舜园 has
// more members than one branch may have; 经四路 has a branch but only two
// full members left, and 经五路 next door has no branch at all; 燕山 has
// members and no branch yet.
var places = []place{
	{"sy", "舜园社区", 36.6510, 117.0430, cadre.NewDate(2021, 3, 1), cadre.NewDate(2024, 3, 15), 56, 3},
	{"gsq", "杆石桥社区", 36.6570, 116.9980, cadre.NewDate(2020, 6, 15), cadre.NewDate(2023, 5, 10), 16, 3},
	{"dm", "大明湖社区", 36.6760, 117.0210, cadre.NewDate(2022, 4, 1), cadre.NewDate(2024, 4, 1), 10, 3},
	{"btq", "趵突泉社区", 36.6610, 117.0150, cadre.NewDate(2021, 1, 10), cadre.NewDate(2024, 1, 20), 15, 3},
	{"jsl", "经四路社区", 36.6630, 116.9890, cadre.NewDate(2021, 9, 1), cadre.NewDate(2024, 9, 1), 3, 1},
	{"jwl", "经五路社区", 36.6605, 116.9935, cadre.Date{}, cadre.Date{}, 2, 1},
	{"ys", "燕山社区", 36.6650, 117.0620, cadre.Date{}, cadre.Date{}, 7, 3},
}

// person is a cadre the district needs for a rule to show: a post holder,
// a frail member, a member who moved house, died or moved away, or a member
// whose dues the report shows.
type person struct {
	name    string
	female  bool
	born    cadre.Date
	lives   string // community code
	branch  string // community code of the branch of the membership; "" for none
	party   cadre.Party
	joined  cadre.Date
	health  cadre.Health
	pension int64 // fen
	role    branch.Role
	// status and statusOn are set for a cadre who died or moved away.
	status   cadre.Status
	statusOn cadre.Date
}

var people = []person{
	// 舜园: a full committee, and four frail members who meet near home
	// once the branch is split.
	{name: "刘振华", born: cadre.NewDate(1958, 3, 12), lives: "sy", branch: "sy", role: branch.RoleSecretary},
	{name: "陈秀英", female: true, born: cadre.NewDate(1960, 7, 8), lives: "sy", branch: "sy", role: branch.RoleDeputy},
	{name: "张国强", born: cadre.NewDate(1957, 11, 2), lives: "sy", branch: "sy", role: branch.RoleOrganisation},
	{name: "王丽华", female: true, born: cadre.NewDate(1961, 5, 20), lives: "sy", branch: "sy", role: branch.RolePublicity},
	{name: "李卫东", born: cadre.NewDate(1959, 9, 15), lives: "sy", branch: "sy", role: branch.RoleDiscipline},
	{name: "孙德明", born: cadre.NewDate(1931, 2, 10), lives: "sy", branch: "sy", health: cadre.HealthDependent, pension: 1_086_000},
	{name: "周桂兰", female: true, born: cadre.NewDate(1934, 12, 1), lives: "sy", branch: "sy", health: cadre.HealthSerious},
	{name: "赵永福", born: cadre.NewDate(1936, 6, 18), lives: "sy", branch: "sy", health: cadre.HealthSerious},
	{name: "吴淑贞", female: true, born: cadre.NewDate(1933, 4, 25), lives: "sy", branch: "sy", health: cadre.HealthDependent},
	{name: "马建国", born: cadre.NewDate(1950, 5, 5), lives: "sy", branch: "sy", pension: 432_150},
	{name: "高玉梅", female: true, born: cadre.NewDate(1955, 8, 19), lives: "sy", branch: "sy", pension: 512_340},
	// 杆石桥: a committee whose term ran out in May.
	{name: "郑志刚", born: cadre.NewDate(1952, 4, 7), lives: "gsq", branch: "gsq", role: branch.RoleSecretary},
	{name: "何惠敏", female: true, born: cadre.NewDate(1956, 10, 21), lives: "gsq", branch: "gsq", role: branch.RoleOrganisation},
	{name: "罗长青", born: cadre.NewDate(1953, 1, 30), lives: "gsq", branch: "gsq", role: branch.RolePublicity},
	{name: "梁素云", female: true, born: cadre.NewDate(1958, 6, 3), lives: "gsq", branch: "gsq", role: branch.RoleDiscipline},
	{name: "唐秀珍", female: true, born: cadre.NewDate(1952, 2, 14), lives: "gsq", branch: "gsq", pension: 500_000},
	{name: "冯学军", born: cadre.NewDate(1954, 10, 30), lives: "gsq", branch: "gsq", pension: 386_000},
	// 大明湖: enough full members for a committee, and only a secretary.
	{name: "徐立新", born: cadre.NewDate(1956, 1, 22), lives: "dm", branch: "dm", role: branch.RoleSecretary},
	{name: "朱翠萍", female: true, born: cadre.NewDate(1957, 3, 3), lives: "dm", branch: "dm", pension: 320_000},
	// 趵突泉: a committee whose term ends in January; a member who moved
	// here from 杆石桥 and is still on that branch's books; one who moved
	// out of the district.
	{name: "林树林", born: cadre.NewDate(1955, 12, 12), lives: "btq", branch: "btq", role: branch.RoleSecretary},
	{name: "宋美华", female: true, born: cadre.NewDate(1959, 2, 27), lives: "btq", branch: "btq", role: branch.RoleDeputy},
	{name: "谢春生", born: cadre.NewDate(1954, 8, 8), lives: "btq", branch: "btq", role: branch.RoleOrganisation},
	{name: "曹月娥", female: true, born: cadre.NewDate(1960, 11, 16), lives: "btq", branch: "btq", role: branch.RolePublicity},
	{name: "邓庆云", born: cadre.NewDate(1953, 7, 19), lives: "btq", branch: "btq", role: branch.RoleDiscipline},
	{name: "许凤英", female: true, born: cadre.NewDate(1938, 11, 11), lives: "btq", branch: "btq", health: cadre.HealthDependent, pension: 298_000},
	{name: "韩宝山", born: cadre.NewDate(1949, 10, 3), lives: "btq", branch: "gsq"},
	{name: "胡广田", born: cadre.NewDate(1947, 7, 7), lives: "btq", branch: "btq", status: cadre.StatusMoved, statusOn: cadre.NewDate(2026, 9, 30)},
	// 经四路: the secretary died in August, which leaves two full members
	// and a probationary one.
	{name: "郭守仁", born: cadre.NewDate(1939, 5, 16), lives: "jsl", branch: "jsl", role: branch.RoleSecretary, pension: 654_000,
		status: cadre.StatusDeceased, statusOn: cadre.NewDate(2026, 8, 15)},
	{name: "杨秉义", born: cadre.NewDate(1948, 12, 9), lives: "jsl", branch: "jsl", role: branch.RoleOrganisation},
	{name: "黄雪梅", female: true, born: cadre.NewDate(1951, 6, 6), lives: "jsl", branch: "jsl"},
	{name: "潘文秀", female: true, born: cadre.NewDate(1962, 9, 9), lives: "jsl", branch: "jsl", party: cadre.PartyProbationary, joined: cadre.NewDate(2026, 4, 18)},
	// 经五路: one full and one probationary member, whose memberships were
	// transferred in and not yet placed.
	{name: "钱锡山", born: cadre.NewDate(1946, 2, 2), lives: "jwl"},
	{name: "孔佩玉", female: true, born: cadre.NewDate(1963, 1, 15), lives: "jwl", party: cadre.PartyProbationary, joined: cadre.NewDate(2026, 7, 1)},
}

// Names of the members whose dues the report shows: 0, 2, 3 and 6 months
// unpaid, a reduction, an exemption, and a member who died.
var duesNames = []string{"马建国", "高玉梅", "唐秀珍", "冯学军", "朱翠萍", "许凤英", "郭守仁"}

var (
	surnames    = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹"}
	maleGiven   = []string{"建华", "国庆", "志强", "德顺", "振国", "永祥", "文斌", "立群", "卫国", "宝林", "学文", "长顺", "庆丰", "广才", "树森", "春雷", "秉忠", "守信", "家祥", "锡林"}
	femaleGiven = []string{"秀兰", "桂英", "淑华", "玉兰", "丽萍", "凤兰", "桂芝", "玉珍", "秀云", "淑英", "美玲", "翠英", "兰芳", "素珍", "惠芳", "佩兰", "雪英", "月华", "金兰", "文英"}
	// regions are districts of Jinan: 历下, 市中, 槐荫, 天桥.
	regions = []string{"370102", "370103", "370104", "370105"}
	units   = []string{"济南市历下区教育局", "济南第一机床厂", "济南市中心医院", "济南钢铁厂", "济南市市中区人民政府", "山东师范大学", "济南铁路局", "山东省粮食厅"}
)

// newDistrict builds the district: the same records on every call.
func newDistrict() *district {
	g := &generator{r: rand.New(rand.NewPCG(2026, 1128)), d: &district{},
		names: map[string]bool{}, ids: map[string]bool{}, byName: map[string]cadre.Cadre{}}
	for _, p := range people {
		g.names[p.name] = true
	}
	for _, pl := range places {
		g.community(pl)
	}
	for _, p := range people {
		g.add(g.person(p), p.branch, p.role)
	}
	for _, pl := range places {
		g.fill(pl)
	}
	g.dues()
	return g.d
}

// generator builds a district from a fixed seed.
type generator struct {
	r      *rand.Rand
	d      *district
	names  map[string]bool // taken, so that every name is unique
	ids    map[string]bool // ID numbers taken
	byName map[string]cadre.Cadre
	// fillers counts the made-up members, every seventh of whom is
	// probationary, so that each community has enough full members.
	fillers int
}

// community adds a community, and its branch if it has one.
func (g *generator) community(pl place) {
	g.d.communities = append(g.d.communities, branch.Community{Code: pl.code, Name: pl.name, Centre: &cadre.Location{Lat: pl.lat, Lng: pl.lng}})
	if pl.founded.IsZero() {
		return
	}
	g.d.branches = append(g.d.branches, branch.Branch{
		ID: branchID(pl.code), Name: pl.name + "离退休干部党支部", Kind: branch.KindCommunity,
		Communities: []string{pl.code}, Units: []string{}, FoundedOn: pl.founded,
	})
}

func branchID(code string) uuid.UUID { return idFor("branch", code) }

func placeOf(code string) place {
	for _, pl := range places {
		if pl.code == code {
			return pl
		}
	}
	panic("no community " + code)
}

// add records c, c's membership of the branch of community in (if any),
// and c's post there (if any).
func (g *generator) add(c cadre.Cadre, in string, role branch.Role) {
	g.d.cadres = append(g.d.cadres, c)
	g.byName[c.Name] = c
	if in == "" || !c.Party.IsMember() {
		return
	}
	pl := placeOf(in)
	from := pl.founded
	if c.PartyJoinedOn.After(from) {
		from = c.PartyJoinedOn
	}
	g.d.memberships = append(g.d.memberships, branch.Membership{
		ID: idFor("membership", c.IDNumber), CadreID: c.ID, BranchID: branchID(in), From: from,
	})
	if role != "" {
		g.d.posts = append(g.d.posts, branch.Post{
			ID: idFor("post", in+"/"+string(role)), BranchID: branchID(in), CadreID: c.ID, Role: role, TermStart: pl.elected,
		})
	}
}

// person makes the cadre p describes; what p leaves out is a full member
// in good health.
func (g *generator) person(p person) cadre.Cadre {
	party, joined := p.party, p.joined
	if party == "" {
		party, joined = cadre.PartyFull, g.joinedYoung(p.born)
	}
	c := g.cadre(p.name, p.female, p.born, p.lives, party, joined)
	if p.health != "" {
		c.Health = p.health
	}
	if p.pension != 0 {
		c.PensionFen = p.pension
	}
	if p.status != "" {
		c.Status, c.StatusOn = p.status, p.statusOn
	}
	return c
}

// fill adds made-up cadres to a community until it has its numbers: Party
// members in the community's branch (if it has one), then cadres who are
// not members.
func (g *generator) fill(pl place) {
	members, others := 0, 0
	for _, c := range g.d.cadres {
		if c.Community != pl.code || c.Status != cadre.StatusActive {
			continue
		}
		if c.Party.IsMember() {
			members++
		} else {
			others++
		}
	}
	in := ""
	if !pl.founded.IsZero() {
		in = pl.code
	}
	for ; members < pl.members; members++ {
		female := g.r.IntN(2) == 0
		born := g.date(1938, 1964)
		party, joined := cadre.PartyFull, g.joinedYoung(born)
		if g.fillers++; g.fillers%7 == 3 {
			party, joined = cadre.PartyProbationary, cadre.NewDate(2026, time.Month(1+g.r.IntN(10)), 1+g.r.IntN(28))
		}
		c := g.cadre(g.name(female), female, born, pl.code, party, joined)
		c.Health = pick(g.r, []cadre.Health{cadre.HealthGood, cadre.HealthGood, cadre.HealthChronic})
		g.add(c, in, "")
	}
	for ; others < pl.others; others++ {
		female := g.r.IntN(2) == 0
		c := g.cadre(g.name(female), female, g.date(1936, 1964), pl.code, cadre.PartyNone, cadre.Date{})
		c.Health = pick(g.r, []cadre.Health{cadre.HealthGood, cadre.HealthChronic, cadre.HealthSerious})
		g.add(c, "", "")
	}
}

// cadre returns an active cadre with a new valid ID number and the other
// fields drawn so that they fit: 离休 when born before 1932, since a 离休
// cadre joined the revolution before October 1949.
func (g *generator) cadre(name string, female bool, born cadre.Date, community string, party cadre.Party, joined cadre.Date) cadre.Cadre {
	r := g.r
	cat := cadre.Tuixiu
	switch {
	case born.Year < 1932:
		cat = cadre.Lixiu
	case r.IntN(6) == 0:
		cat = cadre.Junxiu
	}
	id := g.idNumber(female, born)
	c := cadre.Cadre{
		ID: idFor("cadre", id), Name: name, Gender: cadre.Male, IDNumber: id, BirthDate: born,
		Category: cat, RetiredOn: retirement(born, female, cat),
		Rank:  pick(r, []cadre.Rank{cadre.RankCountyDeputyPlus, cadre.RankSection, cadre.RankSection, cadre.RankOther, cadre.RankOther}),
		Party: party, PartyJoinedOn: joined, Health: cadre.HealthGood,
		Living: pick(r, []cadre.Living{cadre.LivingAlone, cadre.LivingSpouse, cadre.LivingSpouse, cadre.LivingFamily}), ChildrenNearby: r.IntN(3) > 0,
		Community: community, OriginalUnit: pick(r, units), PensionFen: pension(r, cat), Status: cadre.StatusActive,
	}
	if female {
		c.Gender = cadre.Female
	}
	if cat == cadre.Junxiu {
		c.OriginalUnit = "山东省军区某部"
	}
	return c
}

// joinedYoung is the date a full member joined the Party, between the ages
// of 20 and 35 (before 1950 for a 离休 cadre).
func (g *generator) joinedYoung(born cadre.Date) cadre.Date {
	y := born.Year + 20 + g.r.IntN(15)
	if born.Year < 1932 {
		y = min(y, 1949)
	}
	return cadre.NewDate(y, time.Month(1+g.r.IntN(12)), 1+g.r.IntN(28))
}

func (g *generator) date(fromYear, toYear int) cadre.Date {
	return cadre.NewDate(fromYear+g.r.IntN(toYear-fromYear+1), time.Month(1+g.r.IntN(12)), 1+g.r.IntN(28))
}

// name returns a name not yet in the district.
func (g *generator) name(female bool) string {
	given := maleGiven
	if female {
		given = femaleGiven
	}
	for {
		if n := pick(g.r, surnames) + pick(g.r, given); !g.names[n] {
			g.names[n] = true
			return n
		}
	}
}

// idNumber returns a new valid ID number for a person born on born: the
// 17th digit is odd for men and even for women.
func (g *generator) idNumber(female bool, born cadre.Date) string {
	for {
		digit := 1 + 2*g.r.IntN(5)
		if female {
			digit--
		}
		first17 := fmt.Sprintf("%s%04d%02d%02d%02d%d", pick(g.r, regions), born.Year, int(born.Month), born.Day, g.r.IntN(100), digit)
		check, err := cadre.IDCheckChar(first17)
		if err != nil {
			panic(err) // the 17 digits are built above, so this is a bug
		}
		if id := first17 + string(check); !g.ids[id] {
			g.ids[id] = true
			return id
		}
	}
}

// retirement is the first day of the month after the retirement age: 60
// for 离休 cadres and men, 55 for women and military retirees.
func retirement(born cadre.Date, female bool, cat cadre.Category) cadre.Date {
	age := 60
	if female || cat == cadre.Junxiu {
		age = 55
	}
	return cadre.NewDate(born.Year+age, born.Month+1, 1)
}

// pension is a monthly basic pension in fen, higher for 离休 and 军休 cadres.
func pension(r *rand.Rand, cat cadre.Category) int64 {
	base, spread := 3000, 3500
	switch cat {
	case cadre.Lixiu:
		base, spread = 8000, 4000
	case cadre.Junxiu:
		base, spread = 5500, 2500
	}
	return int64(base+r.IntN(spread))*100 + int64(r.IntN(10))*10
}

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
		ID: idFor("payment", c.IDNumber+"/"+on.String()), CadreID: c.ID, Months: months, AmountFen: fen, PaidOn: on,
	})
}

func (g *generator) relief(name string, from branch.Month, exempt bool, reducedFen int64, in string, approved cadre.Date, reason string) {
	c := g.byName[name]
	g.d.reliefs = append(g.d.reliefs, branch.DuesRelief{
		ID: idFor("relief", c.IDNumber+"/"+from.String()), CadreID: c.ID, From: from, Exempt: exempt, ReducedFen: reducedFen,
		ApprovedBy: placeOf(in).name + "离退休干部党支部（支部党员大会）", ApprovedOn: approved, Reason: reason,
	})
}

func pick[T any](r *rand.Rand, from []T) T { return from[r.IntN(len(from))] }
