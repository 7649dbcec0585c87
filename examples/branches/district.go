package main

import (
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
