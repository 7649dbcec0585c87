package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/wanxia/wanxia/cadre"
)

// Generator draws made-up cadres from a seeded source: names that no one
// else in the district has, ID numbers that pass every check and no one
// else has, and other fields that fit one another. The same seeds and the
// same calls give the same cadres.
type Generator struct {
	r     *rand.Rand
	names map[string]bool // taken, so that every name is unique
	ids   map[string]bool // ID numbers taken
}

// NewGenerator returns a generator seeded with seed1 and seed2.
func NewGenerator(seed1, seed2 uint64) *Generator {
	return &Generator{r: rand.New(rand.NewPCG(seed1, seed2)), names: map[string]bool{}, ids: map[string]bool{}}
}

// Rand is the generator's source, for the program's own draws: they take
// their turn in the one sequence, so the district stays the same.
func (g *Generator) Rand() *rand.Rand { return g.r }

// Reserve marks a name as taken by a person the program made by hand.
func (g *Generator) Reserve(name string) { g.names[name] = true }

var (
	surnames    = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹"}
	maleGiven   = []string{"建华", "国庆", "志强", "德顺", "振国", "永祥", "文斌", "立群", "卫国", "宝林", "学文", "长顺", "庆丰", "广才", "树森", "春雷", "秉忠", "守信", "家祥", "锡林"}
	femaleGiven = []string{"秀兰", "桂英", "淑华", "玉兰", "丽萍", "凤兰", "桂芝", "玉珍", "秀云", "淑英", "美玲", "翠英", "兰芳", "素珍", "惠芳", "佩兰", "雪英", "月华", "金兰", "文英"}
	// regions are districts of Jinan: 历下, 市中, 槐荫, 天桥.
	regions = []string{"370102", "370103", "370104", "370105"}
	units   = []string{"济南市历下区教育局", "济南第一机床厂", "济南市中心医院", "济南钢铁厂", "济南市市中区人民政府", "山东师范大学", "济南铁路局", "山东省粮食厅"}
)

// Cadre returns an active cadre with a new valid ID number and the other
// fields drawn so that they fit: 离休 when born before 1932, since a 离休
// cadre joined the revolution before October 1949; a 军休 cadre's unit is
// the army's. Its ID is KeyID("cadre", its ID number).
func (g *Generator) Cadre(name string, female bool, born cadre.Date, community string, party cadre.Party, joined cadre.Date) cadre.Cadre {
	r := g.r
	cat := cadre.Tuixiu
	switch {
	case born.Year < 1932:
		cat = cadre.Lixiu
	case r.IntN(6) == 0:
		cat = cadre.Junxiu
	}
	id := g.IDNumber(female, born)
	c := cadre.Cadre{
		ID: KeyID("cadre", id), Name: name, Gender: cadre.Male, IDNumber: id, BirthDate: born,
		Category: cat, RetiredOn: RetiredOn(born, female, cat),
		Rank:  Pick(r, []cadre.Rank{cadre.RankCountyDeputyPlus, cadre.RankSection, cadre.RankSection, cadre.RankOther, cadre.RankOther}),
		Party: party, PartyJoinedOn: joined, Health: cadre.HealthGood,
		Living: Pick(r, []cadre.Living{cadre.LivingAlone, cadre.LivingSpouse, cadre.LivingSpouse, cadre.LivingFamily}), ChildrenNearby: r.IntN(3) > 0,
		Community: community, OriginalUnit: Pick(r, units), PensionFen: g.pension(cat), Status: cadre.StatusActive,
	}
	if female {
		c.Gender = cadre.Female
	}
	if cat == cadre.Junxiu {
		c.OriginalUnit = "山东省军区某部"
	}
	return c
}

// JoinedYoung is the date a full member joined the Party, between the ages
// of 20 and 35 (before 1950 for a 离休 cadre).
func (g *Generator) JoinedYoung(born cadre.Date) cadre.Date {
	y := born.Year + 20 + g.r.IntN(15)
	if born.Year < 1932 {
		y = min(y, 1949)
	}
	return cadre.NewDate(y, time.Month(1+g.r.IntN(12)), 1+g.r.IntN(28))
}

// Born returns a birth date from fromYear to toYear, both included.
func (g *Generator) Born(fromYear, toYear int) cadre.Date {
	return cadre.NewDate(fromYear+g.r.IntN(toYear-fromYear+1), time.Month(1+g.r.IntN(12)), 1+g.r.IntN(28))
}

// Name returns a name not yet in the district.
func (g *Generator) Name(female bool) string {
	given := maleGiven
	if female {
		given = femaleGiven
	}
	for {
		if n := Pick(g.r, surnames) + Pick(g.r, given); !g.names[n] {
			g.names[n] = true
			return n
		}
	}
}

// IDNumber returns a new valid ID number of a district of Jinan for a
// person born on born: the 17th digit is odd for men and even for women.
func (g *Generator) IDNumber(female bool, born cadre.Date) string {
	for {
		digit := 1 + 2*g.r.IntN(5)
		if female {
			digit--
		}
		region := Pick(g.r, regions)
		if id := IDNumber(region, born, g.r.IntN(100)*10+digit); !g.ids[id] {
			g.ids[id] = true
			return id
		}
	}
}

// pension is a monthly basic pension in fen, higher for 离休 and 军休 cadres.
func (g *Generator) pension(cat cadre.Category) int64 {
	base, spread := 3000, 3500
	switch cat {
	case cadre.Lixiu:
		base, spread = 8000, 4000
	case cadre.Junxiu:
		base, spread = 5500, 2500
	}
	return int64(base+g.r.IntN(spread))*100 + int64(g.r.IntN(10))*10
}

// Pick returns one of from, drawn from r.
func Pick[T any](r *rand.Rand, from []T) T {
	if len(from) == 0 {
		panic(fmt.Sprintf("demo.Pick from an empty %T", from))
	}
	return from[r.IntN(len(from))]
}
