//go:build ignore

// Command gen writes the sample roster of examples/roster: sixty made-up
// cadres of three communities in Jinan, then five broken rows, each wrong in
// a different way. It uses a fixed seed, so the file is the same on every
// run and the example's test can name people and line numbers. From the
// module root:
//
//	go run ./examples/roster/testdata/gen.go > examples/roster/testdata/roster.csv
package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"time"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/cadre/roster"
	"github.com/wanxia/wanxia/examples/demo"
)

// people is how many good rows the roster has.
const people = 60

var (
	surnames    = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹"}
	maleGiven   = []string{"建国", "国强", "志刚", "德明", "振华", "永福", "文斌", "立新", "卫东", "宝山", "学军", "长青", "庆云", "广田", "树林", "春生", "秉义", "守仁", "家驹", "锡山"}
	femaleGiven = []string{"秀英", "桂兰", "淑芬", "玉梅", "丽华", "凤英", "桂芳", "玉兰", "秀珍", "淑贞", "美华", "翠萍", "兰英", "素云", "惠敏", "佩玉", "雪梅", "月娥", "金凤", "文秀"}
	// regions are districts of Jinan: 历下, 市中, 槐荫, 天桥, 历城.
	regions = []string{"370102", "370103", "370104", "370105", "370112"}
	units   = []string{"济南市历下区教育局", "济南第一机床厂", "济南市中心医院", "济南钢铁厂", "济南市市中区人民政府", "山东师范大学", "济南铁路局", "济南市供销合作社", "山东省粮食厅"}
)

// community is where a cadre lives: its code, centre and street names.
type community struct {
	code     string
	lat, lng float64
	address  func(r *rand.Rand) string
}

var communities = []community{
	{"sy", 36.651, 117.043, func(r *rand.Rand) string {
		return fmt.Sprintf("舜园小区%d号楼%d单元%d0%d", 1+r.IntN(20), 1+r.IntN(4), 1+r.IntN(6), 1+r.IntN(2))
	}},
	{"gsq", 36.672, 116.988, func(r *rand.Rand) string {
		return fmt.Sprintf("工商河路%d号院%d号楼", 1+r.IntN(60), 1+r.IntN(8))
	}},
	{"dm", 36.676, 117.021, func(r *rand.Rand) string {
		return fmt.Sprintf("大明湖路%d号%d室", 10+r.IntN(200), 101+r.IntN(500))
	}},
}

func main() {
	r := rand.New(rand.NewPCG(2026, 1128))
	g := generator{r: r, names: map[string]bool{}, ids: map[string]bool{}}
	good := g.anchors()
	// The broken rows are made before the random people so that their fixed
	// names are taken, and written after them, at the end of the file.
	bad := g.broken()
	for len(good) < people {
		good = append(good, g.random())
	}
	if err := roster.Write(os.Stdout, append(good, bad...), cadre.Chinese); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

type generator struct {
	r     *rand.Rand
	names map[string]bool
	ids   map[string]bool
}

// anchors are fixed people, one for each need tier and each status, so
// that the sample covers every case whatever the random ones turn out.
func (g *generator) anchors() []cadre.Cadre {
	type anchor struct {
		name     string
		female   bool
		born     cadre.Date
		cat      cadre.Category
		health   cadre.Health
		living   cadre.Living
		near     bool
		hard     bool
		status   cadre.Status
		statusOn cadre.Date
	}
	list := []anchor{
		{name: "孙振华", born: cadre.NewDate(1928, 9, 1), cat: cadre.Lixiu, health: cadre.HealthChronic, living: cadre.LivingSpouse, near: true},
		{name: "周桂兰", female: true, born: cadre.NewDate(1952, 4, 18), cat: cadre.Tuixiu, health: cadre.HealthSerious, living: cadre.LivingFamily, near: true},
		{name: "赵德明", born: cadre.NewDate(1941, 1, 23), cat: cadre.Tuixiu, health: cadre.HealthGood, living: cadre.LivingAlone},
		{name: "钱淑芬", female: true, born: cadre.NewDate(1956, 10, 5), cat: cadre.Tuixiu, health: cadre.HealthGood, living: cadre.LivingFamily, near: true, hard: true},
		{name: "吴国庆", born: cadre.NewDate(1943, 10, 1), cat: cadre.Junxiu, health: cadre.HealthChronic, living: cadre.LivingFamily, near: true},
		{name: "郑丽华", female: true, born: cadre.NewDate(1960, 2, 29), cat: cadre.Tuixiu, health: cadre.HealthGood, living: cadre.LivingFamily, near: true},
		{name: "冯志刚", born: cadre.NewDate(1935, 6, 12), cat: cadre.Tuixiu, health: cadre.HealthDependent, living: cadre.LivingSpouse,
			status: cadre.StatusDeceased, statusOn: cadre.NewDate(2025, 12, 3)},
		{name: "陈玉梅", female: true, born: cadre.NewDate(1948, 7, 7), cat: cadre.Tuixiu, health: cadre.HealthChronic, living: cadre.LivingAlone,
			status: cadre.StatusMoved, statusOn: cadre.NewDate(2026, 5, 20)},
	}
	out := make([]cadre.Cadre, len(list))
	for i, a := range list {
		g.names[a.name] = true
		c := g.person(a.name, a.female, a.born, a.cat)
		c.Health, c.Living, c.ChildrenNearby, c.Difficulty = a.health, a.living, a.near, a.hard
		if a.status != "" {
			c.Status, c.StatusOn, c.Location = a.status, a.statusOn, nil
		}
		out[i] = c
	}
	return out
}

// random is a made-up cadre: 离休 when born before 1932, since a 离休 cadre
// joined the revolution before October 1949.
func (g *generator) random() cadre.Cadre {
	r := g.r
	female := r.IntN(2) == 0
	born := cadre.NewDate(1925+r.IntN(38), time.Month(1+r.IntN(12)), 1+r.IntN(28))
	cat := cadre.Tuixiu
	switch {
	case born.Year < 1932:
		cat = cadre.Lixiu
	case r.IntN(6) == 0:
		cat = cadre.Junxiu
	}
	c := g.person(g.name(female), female, born, cat)
	c.Health = demo.Pick(r, []cadre.Health{cadre.HealthGood, cadre.HealthGood, cadre.HealthChronic, cadre.HealthChronic, cadre.HealthChronic, cadre.HealthSerious, cadre.HealthDependent})
	c.Living = demo.Pick(r, []cadre.Living{cadre.LivingAlone, cadre.LivingSpouse, cadre.LivingSpouse, cadre.LivingFamily, cadre.LivingFamily})
	c.ChildrenNearby = c.Living == cadre.LivingFamily || r.IntN(2) == 0
	c.Difficulty = r.IntN(10) == 0
	return c
}

// broken returns five rows, each with one mistake of a kind clerks make.
func (g *generator) broken() []cadre.Cadre {
	checkTypo := g.person("刘德顺", false, cadre.NewDate(1946, 3, 9), cadre.Tuixiu)
	last := checkTypo.IDNumber[17:]
	checkTypo.IDNumber = checkTypo.IDNumber[:17] + map[bool]string{true: "1", false: "0"}[last == "0"]

	noSuchDay := g.person("马玉珍", true, cadre.NewDate(1945, 3, 2), cadre.Tuixiu)
	first17 := noSuchDay.IDNumber[:6] + "19450230" + noSuchDay.IDNumber[14:17]
	check, err := cadre.IDCheckChar(first17)
	if err != nil {
		panic(err)
	}
	noSuchDay.IDNumber, noSuchDay.BirthDate = first17+string(check), cadre.Date{}

	excel := g.person("高文斌", false, cadre.NewDate(1947, 8, 9), cadre.Junxiu)
	excel.IDNumber = "3.70102E+17"

	noName := g.person("", true, cadre.NewDate(1953, 11, 30), cadre.Tuixiu)

	retiredUnborn := g.person("林秀珍", true, cadre.NewDate(1950, 5, 1), cadre.Tuixiu)
	retiredUnborn.RetiredOn = cadre.NewDate(1949, 10, 1)

	return []cadre.Cadre{checkTypo, noSuchDay, excel, noName, retiredUnborn}
}

// person returns an active cadre in good health living with children
// nearby, with a new ID number and the other fields drawn at random in a
// way that fits the category.
func (g *generator) person(name string, female bool, born cadre.Date, cat cadre.Category) cadre.Cadre {
	r := g.r
	cm := demo.Pick(r, communities)
	c := cadre.Cadre{
		Name: name, Gender: cadre.Male, IDNumber: g.idNumber(female, born), BirthDate: born,
		Category: cat, RetiredOn: demo.RetiredOn(born, female, cat),
		Health: cadre.HealthGood, Living: cadre.LivingFamily, ChildrenNearby: true,
		Community: cm.code, Address: cm.address(r), Phone: phone(r),
		OriginalUnit: demo.Pick(r, units), PensionFen: pension(r, cat), Status: cadre.StatusActive,
	}
	if female {
		c.Gender = cadre.Female
	}
	g.names[name] = true
	c.Rank, c.Party, c.PartyJoinedOn = membership(r, born, cat)
	if cat == cadre.Junxiu {
		c.OriginalUnit = "山东省军区某部"
	}
	if r.IntN(4) > 0 {
		c.Location = &cadre.Location{Lat: round6(cm.lat + (r.Float64()-0.5)*0.01), Lng: round6(cm.lng + (r.Float64()-0.5)*0.01)}
	}
	if r.IntN(10) < 7 {
		c.EmergencyContact = string([]rune(name + "王")[:1]) + demo.Pick(r, append(maleGiven, femaleGiven...)) + " " + mobile(r)
	}
	return c
}

// name returns a name not yet in the roster.
func (g *generator) name(female bool) string {
	given := maleGiven
	if female {
		given = femaleGiven
	}
	for {
		if n := demo.Pick(g.r, surnames) + demo.Pick(g.r, given); !g.names[n] {
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
		region := demo.Pick(g.r, regions)
		if id := demo.IDNumber(region, born, g.r.IntN(100)*10+digit); !g.ids[id] {
			g.ids[id] = true
			return id
		}
	}
}

// membership draws the rank and Party membership. Every 离休 cadre joined
// before 1950; a few others are probationary members who joined this year.
func membership(r *rand.Rand, born cadre.Date, cat cadre.Category) (cadre.Rank, cadre.Party, cadre.Date) {
	joined := func(y int) cadre.Date { return cadre.NewDate(y, time.Month(1+r.IntN(12)), 1+r.IntN(28)) }
	if cat == cadre.Lixiu {
		return demo.Pick(r, []cadre.Rank{cadre.RankCountyDeputyPlus, cadre.RankSection}), cadre.PartyFull, joined(1945 + r.IntN(4))
	}
	rank := demo.Pick(r, []cadre.Rank{cadre.RankCountyDeputyPlus, cadre.RankSection, cadre.RankSection, cadre.RankOther, cadre.RankOther, cadre.RankOther})
	switch n := r.IntN(20); {
	case n < 13:
		return rank, cadre.PartyFull, joined(born.Year + 20 + r.IntN(15))
	case n == 13:
		return rank, cadre.PartyProbationary, cadre.NewDate(2026, time.Month(1+r.IntN(9)), 1+r.IntN(28))
	}
	return rank, cadre.PartyNone, cadre.Date{}
}

// pension is a monthly pension in fen, higher for 离休 and 军休 cadres.
func pension(r *rand.Rand, cat cadre.Category) int64 {
	base, spread := 3000, 4000
	switch cat {
	case cadre.Lixiu:
		base, spread = 8000, 5000
	case cadre.Junxiu:
		base, spread = 6000, 3000
	}
	return int64(base+r.IntN(spread))*100 + int64(r.IntN(10))*10
}

func phone(r *rand.Rand) string {
	if r.IntN(2) == 0 {
		return mobile(r)
	}
	return fmt.Sprintf("0531-8%07d", r.IntN(10_000_000))
}

func mobile(r *rand.Rand) string {
	return fmt.Sprintf("1%d%d%08d", 3+r.IntN(6), r.IntN(10), r.IntN(100_000_000))
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }
