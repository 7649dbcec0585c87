package main

import (
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/examples/demo"
)

// The made-up district: 51 retired cadres of three communities in Jinan,
// six helpers of the bureau, the pairs they had and a year of visits, as
// the records stood at the end of 27 November 2026. It is fixed data, so
// that every run prints the same and the test can name people.
//
// What the records hold on purpose:
//   - every need tier, and a cadre of tiers 1, 2 and 5 each without a home
//     location;
//   - 冯志刚 died on 2026-11-25, two days after the last visit to him, and
//     陈玉梅 moved away in May;
//   - 赵国栋 left the bureau on 2026-11-01 (his four pairs are still open),
//     刘芳 takes three cadres, not five, and 陈建华 joined in September;
//   - 潘建新 was paired when seriously ill and has recovered;
//   - 张志强 stopped visiting 赵德明 after September, and 李红梅 has not yet
//     called 王建国 in November;
//   - a long hospital stay (林美华), one just over (唐淑贞) and one just
//     begun (郭长青);
//   - holiday visits to everyone at the Spring Festival and Double Ninth
//     2026 but for two, and 曹秀珍's 90th birthday missed.

// recordedTo is the last day the district's records cover.
var recordedTo = cadre.NewDate(2026, 11, 27)

// district is the records Assign and Schedule decide from.
type district struct {
	cadres  []cadre.Cadre
	helpers []care.Helper
	pairs   []care.Pair
	visits  []care.Visit
	stays   []care.HospitalStay
}

// Kinds of record, the first byte of their fixed IDs.
const (
	kindCadre byte = iota + 1
	kindHelper
	kindPair
	kindVisit
	kindStay
)

// person is one row of the cadre table: name, woman or not, born,
// category, health, living, no children nearby, in difficulty, community,
// and the home's location (0, 0 when it is unknown).
type person demo.Person

const (
	lixiu, tuixiu, junxiu             = cadre.Lixiu, cadre.Tuixiu, cadre.Junxiu
	good, chronic, serious, dependent = cadre.HealthGood, cadre.HealthChronic, cadre.HealthSerious, cadre.HealthDependent
	alone, spouse, family             = cadre.LivingAlone, cadre.LivingSpouse, cadre.LivingFamily
)

// people are the district's cadres, grouped by their need tier on
// 2026-11-28. Communities: sy 舜园, gsq 杆石桥, dm 大明湖.
var people = []person{
	// Tier 1: 离休.
	{"孙振华", false, "1928-09-01", lixiu, chronic, spouse, false, false, "dm", 36.6782, 117.0236},
	{"高兰英", true, "1930-05-12", lixiu, serious, alone, true, false, "sy", 36.6497, 117.0418},
	{"何锡山", false, "1929-11-30", lixiu, good, family, false, false, "sy", 36.6531, 117.0452},
	{"罗守仁", false, "1931-02-14", lixiu, chronic, spouse, false, false, "gsq", 0, 0},
	// Tier 2: seriously ill or dependent.
	{"周桂兰", true, "1952-04-18", tuixiu, serious, family, false, false, "sy", 36.6524, 117.0391},
	{"冯志刚", false, "1935-06-12", tuixiu, dependent, spouse, true, false, "dm", 36.6745, 117.0187},
	{"马学军", false, "1946-12-01", tuixiu, serious, family, false, false, "dm", 36.6771, 117.0248},
	{"林美华", true, "1949-03-08", tuixiu, dependent, spouse, false, false, "gsq", 36.6703, 116.9861},
	{"郭长青", false, "1944-07-21", junxiu, serious, spouse, false, false, "gsq", 36.6738, 116.9902},
	{"唐淑贞", true, "1955-10-03", tuixiu, serious, family, false, false, "sy", 36.6488, 117.0447},
	{"谢文斌", false, "1950-01-15", tuixiu, dependent, family, false, false, "dm", 0, 0},
	// Tier 3: 80 and over, living alone or with a spouse only.
	{"赵德明", false, "1941-01-23", tuixiu, good, alone, true, false, "gsq", 36.6712, 116.9844},
	{"许凤英", true, "1940-08-08", tuixiu, chronic, alone, true, false, "sy", 36.6539, 117.0466},
	{"韩广田", false, "1943-05-05", junxiu, chronic, spouse, true, false, "dm", 36.6759, 117.0172},
	{"曹秀珍", true, "1936-11-10", tuixiu, good, alone, true, false, "sy", 36.6502, 117.0403},
	{"梁春生", false, "1944-02-29", tuixiu, good, spouse, true, false, "gsq", 36.6694, 116.9897},
	// Tier 4: in living difficulty.
	{"钱淑芬", true, "1956-10-05", tuixiu, good, family, false, true, "sy", 36.6517, 117.0436},
	{"宋立新", false, "1958-06-30", tuixiu, chronic, family, false, true, "gsq", 36.6727, 116.9918},
	{"邓翠萍", true, "1960-12-02", tuixiu, good, spouse, false, true, "dm", 36.6788, 117.0205},
	// Tier 5: 80 and over.
	{"吴国庆", false, "1943-10-01", junxiu, chronic, family, false, false, "dm", 36.6751, 117.0229},
	{"王建国", false, "1944-03-15", tuixiu, good, family, false, false, "sy", 36.6509, 117.0459},
	{"李秀英", true, "1941-06-12", tuixiu, chronic, family, false, false, "sy", 36.6493, 117.0427},
	{"张永福", false, "1942-09-09", tuixiu, good, spouse, false, false, "gsq", 36.6741, 116.9866},
	{"刘玉兰", true, "1939-12-25", tuixiu, chronic, family, false, false, "dm", 36.6766, 117.0193},
	{"陈宝山", false, "1945-01-30", junxiu, good, family, false, false, "gsq", 36.6706, 116.9879},
	{"杨桂芳", true, "1938-04-04", tuixiu, good, family, false, false, "sy", 36.6528, 117.0402},
	{"黄卫东", false, "1946-07-01", tuixiu, chronic, spouse, false, false, "dm", 36.6779, 117.0262},
	{"徐素云", true, "1944-11-18", tuixiu, good, family, false, false, "gsq", 36.6732, 116.9853},
	{"朱树林", false, "1940-02-02", tuixiu, chronic, family, false, false, "sy", 0, 0},
	{"胡月娥", true, "1943-08-15", tuixiu, good, family, false, false, "dm", 36.6748, 117.0244},
	{"郑庆云", false, "1945-05-20", tuixiu, good, family, false, false, "gsq", 36.6719, 116.9893},
	// Needing no pair: under 80, or moved away.
	{"郑丽华", true, "1960-02-29", tuixiu, good, family, false, false, "sy", 36.6514, 117.0421},
	{"潘建新", false, "1953-08-08", tuixiu, chronic, family, false, false, "sy", 36.6536, 117.0409},
	{"彭秉义", false, "1946-12-03", tuixiu, good, family, false, false, "dm", 36.6773, 117.0201},
	{"陈玉梅", true, "1948-07-07", tuixiu, chronic, alone, true, false, "gsq", 0, 0},
	{"杜文秀", true, "1957-03-21", tuixiu, good, spouse, false, false, "sy", 36.6499, 117.0449},
	{"蒋国强", false, "1951-09-17", tuixiu, chronic, family, false, false, "gsq", 36.6724, 116.9871},
	{"沈雪梅", true, "1959-05-06", tuixiu, good, family, false, false, "dm", 36.6762, 117.0216},
	{"韦家驹", false, "1954-12-12", junxiu, good, spouse, false, false, "gsq", 36.6700, 116.9907},
	{"叶金凤", true, "1958-08-28", tuixiu, good, family, false, false, "sy", 36.6521, 117.0464},
	{"程宝华", false, "1952-02-11", tuixiu, chronic, spouse, false, false, "dm", 36.6784, 117.0229},
	{"袁惠敏", true, "1956-06-16", tuixiu, good, family, false, false, "gsq", 36.6711, 116.9858},
	{"苏树青", false, "1949-10-10", tuixiu, good, family, false, false, "sy", 36.6505, 117.0433},
	{"吕秀兰", true, "1950-04-27", tuixiu, chronic, family, false, false, "dm", 36.6755, 117.0254},
	{"丁振东", false, "1955-07-07", junxiu, good, family, false, false, "gsq", 36.6729, 116.9884},
	{"任佩玉", true, "1961-01-09", tuixiu, good, spouse, false, false, "sy", 36.6533, 117.0395},
	{"姚德胜", false, "1948-03-03", tuixiu, chronic, family, false, false, "dm", 36.6769, 117.0183},
	{"卢淑华", true, "1953-11-23", tuixiu, good, family, false, false, "gsq", 36.6697, 116.9875},
	{"魏永年", false, "1950-09-29", tuixiu, good, spouse, false, false, "sy", 36.6542, 117.0428},
	{"崔兰芝", true, "1947-12-19", tuixiu, chronic, family, false, false, "dm", 36.6744, 117.0211},
	{"钟明远", false, "1957-05-15", tuixiu, good, family, false, false, "gsq", 36.6735, 116.9910},
}

// statuses are the cadres no longer on the roll, with the date.
var statuses = map[string]struct {
	status cadre.Status
	on     string
}{
	"冯志刚": {cadre.StatusDeceased, "2026-11-25"},
	"陈玉梅": {cadre.StatusMoved, "2026-05-20"},
}

// regions are the ID number's first six digits by community: 历下 and 市中.
var regions = map[string]string{"sy": "370102", "dm": "370102", "gsq": "370103"}

// bureau is where the helpers who set out from work start.
var bureau = &cadre.Location{Lat: 36.6615, Lng: 117.0195}

var helpers = []care.Helper{
	{Name: "王立军", Base: bureau, ActiveFrom: demo.Date("2021-06-01")}, // 局长; capacity 0 is the setting's 5
	{Name: "李红梅", Base: &cadre.Location{Lat: 36.6540, Lng: 117.0450}, Capacity: 5, ActiveFrom: demo.Date("2022-01-04")},
	{Name: "张志强", Base: &cadre.Location{Lat: 36.6700, Lng: 116.9850}, Capacity: 5, ActiveFrom: demo.Date("2023-03-01")},
	{Name: "刘芳", Base: &cadre.Location{Lat: 36.6450, Lng: 117.0100}, Capacity: 3, ActiveFrom: demo.Date("2024-02-01")},
	{Name: "陈建华", Base: &cadre.Location{Lat: 36.6780, Lng: 117.0300}, Capacity: 5, ActiveFrom: demo.Date("2026-09-01")},
	{Name: "赵国栋", Base: bureau, Capacity: 5, ActiveFrom: demo.Date("2020-05-06"), ActiveTo: demo.Date("2026-11-01")},
}

// pairs are the stored pairs, all still open: nothing has ended them since
// 赵国栋 left and 冯志刚 died.
var pairs = []struct {
	helper, cadre, from string
	reason              cadre.Need
}{
	{"王立军", "孙振华", "2025-03-03", cadre.NeedLixiu},
	{"王立军", "高兰英", "2025-03-03", cadre.NeedLixiu},
	{"王立军", "周桂兰", "2025-03-03", cadre.NeedSeriousHealth},
	{"王立军", "吴国庆", "2025-03-03", cadre.NeedElderly},
	{"李红梅", "许凤英", "2025-03-03", cadre.NeedAloneElderly},
	{"李红梅", "钱淑芬", "2025-03-03", cadre.NeedLivingDifficulty},
	{"李红梅", "唐淑贞", "2025-03-03", cadre.NeedSeriousHealth},
	{"李红梅", "王建国", "2025-03-03", cadre.NeedElderly},
	{"张志强", "冯志刚", "2025-03-03", cadre.NeedSeriousHealth},
	{"张志强", "赵德明", "2025-03-03", cadre.NeedAloneElderly},
	{"张志强", "林美华", "2025-03-03", cadre.NeedSeriousHealth},
	{"刘芳", "潘建新", "2025-06-02", cadre.NeedSeriousHealth}, // since recovered
	{"刘芳", "宋立新", "2025-06-02", cadre.NeedLivingDifficulty},
	{"赵国栋", "何锡山", "2025-03-03", cadre.NeedLixiu},
	{"赵国栋", "马学军", "2025-03-03", cadre.NeedSeriousHealth},
	{"赵国栋", "韩广田", "2025-03-03", cadre.NeedAloneElderly},
	{"赵国栋", "曹秀珍", "2025-03-03", cadre.NeedAloneElderly},
}

// lastVisited is the last day a helper visited or called a cadre, where it
// is before recordedTo.
var lastVisited = map[string]string{
	"赵德明": "2026-09-30",
	"王建国": "2026-10-31",
}

// missedHoliday are the cadres nobody visited at the Double Ninth 2026.
var missedHoliday = map[string]bool{"赵德明": true, "郑庆云": true}

var stays = []struct {
	cadre, admitted, discharged string
}{
	{"林美华", "2026-09-10", ""},
	{"唐淑贞", "2026-10-20", "2026-11-23"},
	{"郭长青", "2026-11-26", ""},
}

// occasional are the visits not made on a regular round.
var occasional = []struct {
	cadre, by, on string
	kind          care.VisitKind
}{
	{"林美华", "张志强", "2026-09-11", care.VisitHospital},
	{"林美华", "张志强", "2026-10-22", care.VisitHospital},
	{"唐淑贞", "李红梅", "2026-10-21", care.VisitHospital},
	{"黄卫东", "", "2026-07-01", care.VisitBirthday},
	{"冯志刚", "张志强", "2026-11-27", care.VisitCondolence},
}

// rounds are the visits every cadre on the roll had in the year: the
// seasonal and holiday visits of the office.
var rounds = []struct {
	on   string
	kind care.VisitKind
}{
	{"2026-01-20", care.VisitSeasonal}, // 冬送温暖
	{"2026-02-12", care.VisitHoliday},  // Spring Festival, 2026-02-17
	{"2026-07-15", care.VisitSeasonal}, // 夏送清凉
	{"2026-10-16", care.VisitHoliday},  // Double Ninth, 2026-10-18
}
