package main

import (
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/examples/demo"
	"github.com/wanxia/wanxia/venue"
)

// The made-up district: four communities around the centre of Jinan
// (36.66N 117.0E), fifteen venues, the program's enrolments and 22 retired
// cadres, as the records stood at the end of 27 November 2026. It is fixed
// data, so that every run prints the same and the test can name people.
//
// What the records hold on purpose:
//   - sy and gsq are the pilot communities (2024), dm joined in 2025 and qf
//     joins only in March 2027: its cadres qualify but are not served yet;
//   - the district's own venues (the senior university, the new district
//     centre) serve whoever lives near them, whatever the community;
//   - 杆石桥棋牌室 closed on 2026-10-01, and 泉福活动室 has no position;
//   - 离休 cadres, 退休 cadres of 80 and more, a 军休 officer living with a
//     spouse only (in difficulty: aged and alone) and one living with
//     family (in no group served: the aged rule is for 退休 cadres), a
//     cadre in living difficulty, one seriously ill, one without home
//     coordinates (罗守仁), and 冯志刚, who died on 2026-11-25;
//   - 马学军 turns 80 on 2026-12-01 and is served then, as a cadre in
//     difficulty before.

// recordedTo is the last day the district's records cover.
var recordedTo = cadre.NewDate(2026, 11, 27)

// district is the records the four-nearby rules decide from.
type district struct {
	communities []community
	venues      []venue.Venue
	enrolments  []venue.Enrolment
	cadres      []cadre.Cadre
}

// community is a community of the district with its centre point.
type community struct {
	Code   string         `json:"code"`
	Name   string         `json:"name"`
	Centre cadre.Location `json:"centre"`
}

var communities = []community{
	{"sy", "舜园社区", cadre.Location{Lat: 36.6560, Lng: 117.0120}},
	{"gsq", "杆石桥社区", cadre.Location{Lat: 36.6610, Lng: 116.9980}},
	{"dm", "大明湖社区", cadre.Location{Lat: 36.6720, Lng: 117.0250}},
	{"qf", "泉福社区", cadre.Location{Lat: 36.6480, Lng: 116.9880}},
}

// Kinds of record, the first byte of their fixed IDs.
const (
	kindCadre byte = iota + 1
	kindVenue
	kindEnrolment
)

// place is one row of the venue table; a zero lat and lng mean that the
// venue's position is unknown.
type place struct {
	kind     venue.Kind
	name     string
	comm     string
	lat, lng float64
	capacity int
	hours    string
	services []venue.Service
	closed   string
}

const (
	learning, activities, care, role = venue.Learning, venue.Activities, venue.Care, venue.Role
	weekdays, everyDay               = "周一至周五 8:30-17:00", "每天 8:00-20:00"
)

func offers(ss ...venue.Service) []venue.Service { return ss }

var places = []place{
	{venue.KindSeniorUniversity, "市中区老年大学", cadre.DistrictScope, 36.6600, 117.0050, 800, weekdays, offers(learning, activities), ""},
	{venue.KindActivityCentre, "区老干部活动中心", cadre.DistrictScope, 36.6650, 117.0100, 600, everyDay, offers(learning, activities, role), ""},
	{venue.KindSeniorUniversity, "历下区老年大学分校", cadre.DistrictScope, 36.6745, 117.0290, 300, weekdays, offers(learning), ""},
	{venue.KindActivityRoom, "舜园社区老干部活动室", "sy", 36.6565, 117.0125, 60, everyDay, offers(activities, role), ""},
	{venue.KindServiceStation, "舜园社区服务站", "sy", 36.6548, 117.0140, 0, weekdays, offers(care, role), ""},
	{venue.KindDayCare, "舜园日间照料中心", "sy", 36.6575, 117.0105, 40, everyDay, offers(care), ""},
	{venue.KindClinic, "舜园社区卫生服务站", "sy", 36.6552, 117.0098, 0, weekdays, offers(care), ""},
	{venue.KindActivityRoom, "杆石桥社区老干部活动室", "gsq", 36.6615, 116.9975, 50, everyDay, offers(learning, activities), ""},
	{venue.KindServiceStation, "杆石桥社区服务站", "gsq", 36.6605, 116.9990, 0, weekdays, offers(care, role), ""},
	{venue.KindActivityRoom, "杆石桥棋牌室", "gsq", 36.6625, 116.9965, 20, everyDay, offers(activities), "2026-10-01"},
	{venue.KindActivityRoom, "大明湖社区活动室", "dm", 36.6725, 117.0255, 40, everyDay, offers(activities, role), ""},
	{venue.KindDayCare, "大明湖日间照料中心", "dm", 36.6712, 117.0240, 30, everyDay, offers(care), ""},
	{venue.KindClinic, "大明湖社区卫生服务站", "dm", 36.6730, 117.0235, 0, weekdays, offers(care), ""},
	{venue.KindServiceStation, "泉福社区服务站", "qf", 36.6482, 116.9885, 0, weekdays, offers(care, role), ""},
	{venue.KindActivityRoom, "泉福活动室", "qf", 0, 0, 30, everyDay, offers(activities), ""},
}

// enrolments are the communities in the program: the two pilots, then
// the extension.
var enrolments = []struct {
	comm  string
	stage venue.Stage
	since string
}{
	{"sy", venue.StagePilot, "2024-03-01"},
	{"gsq", venue.StagePilot, "2024-03-01"},
	{"dm", venue.StageExtended, "2025-09-01"},
	{"qf", venue.StageExtended, "2027-03-01"},
}

// person is one row of the cadre table: name, woman or not, born,
// category, health, living, no children nearby, in difficulty, community,
// and the home's location (0, 0 when it is unknown).
type person demo.Person

const (
	lixiu, tuixiu, junxiu             = cadre.Lixiu, cadre.Tuixiu, cadre.Junxiu
	good, chronic, serious, dependent = cadre.HealthGood, cadre.HealthChronic, cadre.HealthSerious, cadre.HealthDependent
	alone, spouse, family             = cadre.LivingAlone, cadre.LivingSpouse, cadre.LivingFamily
)

// people are the district's cadres by community.
var people = []person{
	{"孙振华", false, "1928-09-01", lixiu, chronic, spouse, false, false, "sy", 36.6562, 117.0118},
	{"高兰英", true, "1930-05-12", lixiu, serious, alone, true, false, "sy", 36.6571, 117.0131},
	{"王建国", false, "1944-03-15", tuixiu, good, family, false, false, "sy", 36.6555, 117.0122},
	{"周桂兰", true, "1952-04-18", tuixiu, serious, family, false, false, "sy", 36.6549, 117.0109},
	{"李秀英", true, "1941-06-12", tuixiu, chronic, family, false, false, "sy", 36.6530, 117.0160},
	{"潘建新", false, "1953-08-08", tuixiu, chronic, family, false, false, "sy", 36.6558, 117.0112},
	{"罗守仁", false, "1931-02-14", lixiu, chronic, spouse, false, false, "sy", 0, 0},
	{"赵德明", false, "1941-01-23", tuixiu, good, alone, true, false, "gsq", 36.6612, 116.9978},
	{"许凤英", true, "1940-08-08", tuixiu, chronic, alone, true, false, "gsq", 36.6640, 116.9940},
	{"钱淑芬", true, "1956-10-05", tuixiu, good, family, false, true, "gsq", 36.6598, 116.9995},
	{"宋立新", false, "1958-06-30", tuixiu, chronic, family, false, false, "gsq", 36.6620, 116.9960},
	{"马学军", false, "1946-12-01", tuixiu, serious, family, false, false, "gsq", 36.6570, 116.9950},
	{"梁春生", false, "1944-02-29", tuixiu, good, spouse, true, false, "gsq", 36.6650, 116.9930},
	{"吴国庆", false, "1943-10-01", junxiu, chronic, family, false, false, "dm", 36.6740, 117.0260},
	{"刘玉兰", true, "1939-12-25", tuixiu, chronic, family, false, false, "dm", 36.6718, 117.0248},
	{"黄卫东", false, "1946-07-01", tuixiu, chronic, spouse, false, false, "dm", 36.6760, 117.0200},
	{"冯志刚", false, "1935-06-12", tuixiu, dependent, spouse, true, false, "dm", 36.6722, 117.0251},
	{"韩广田", false, "1943-05-05", junxiu, chronic, spouse, true, false, "dm", 36.6705, 117.0275},
	{"郑庆云", false, "1945-05-20", tuixiu, good, family, false, false, "qf", 36.6485, 116.9878},
	{"杨桂芳", true, "1938-04-04", tuixiu, good, family, false, false, "qf", 36.6470, 116.9900},
	{"陈宝山", false, "1958-01-30", tuixiu, good, family, false, false, "qf", 36.6490, 116.9870},
	{"彭秉义", false, "1946-12-03", tuixiu, good, family, false, false, "dm", 36.6780, 117.0300},
}

// statuses are the cadres no longer on the roll, with the date.
var statuses = map[string]struct {
	status cadre.Status
	on     string
}{
	"冯志刚": {cadre.StatusDeceased, "2026-11-25"},
}

// regions are the ID number's first six digits by community: 历下 and 市中.
var regions = map[string]string{"sy": "370102", "dm": "370102", "gsq": "370103", "qf": "370103"}

// sampleDistrict builds the district's records.
func sampleDistrict() district {
	d := district{communities: communities}
	for i, p := range places {
		v := venue.Venue{ID: demo.ID(kindVenue, i+1), Kind: p.kind, Name: p.name, Community: p.comm,
			Address: p.name + "（示例地址）", Capacity: p.capacity, OpeningHours: p.hours, Services: p.services}
		if p.lat != 0 || p.lng != 0 {
			v.Location = &cadre.Location{Lat: p.lat, Lng: p.lng}
		}
		if p.closed != "" {
			v.ClosedOn = demo.Date(p.closed)
		}
		d.venues = append(d.venues, v)
	}
	for i, e := range enrolments {
		d.enrolments = append(d.enrolments, venue.Enrolment{ID: demo.ID(kindEnrolment, i+1), Community: e.comm, Stage: e.stage, Since: demo.Date(e.since)})
	}
	for i, p := range people {
		c := demo.Person(p).Cadre(kindCadre, i+1, regions[p.Community])
		if st, ok := statuses[p.Name]; ok {
			c.Status, c.StatusOn = st.status, demo.Date(st.on)
		}
		d.cadres = append(d.cadres, c)
	}
	return d
}
