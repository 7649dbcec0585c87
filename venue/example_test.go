package venue_test

import (
	"fmt"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/venue"
)

func ExampleIndex_FourNearby() {
	s := venue.DefaultSettings()
	home := cadre.Location{Lat: 36.6500, Lng: 117.0100}
	at := func(lat, lng float64) *cadre.Location { return &cadre.Location{Lat: lat, Lng: lng} }
	ix := venue.NewIndex([]venue.Venue{
		{ID: id(1), Kind: venue.KindSeniorUniversity, Name: "市中区老年大学", Community: cadre.DistrictScope,
			Location: at(36.6620, 117.0040), Services: []venue.Service{venue.Learning, venue.Activities}},
		{ID: id(2), Kind: venue.KindActivityRoom, Name: "舜园社区老干部活动室", Community: "sy",
			Location: at(36.6520, 117.0110), Services: []venue.Service{venue.Activities, venue.Role}},
		{ID: id(3), Kind: venue.KindDayCare, Name: "舜园日间照料中心", Community: "sy",
			Location: at(36.6480, 117.0080), Services: []venue.Service{venue.Care}},
	}, s)
	wang := cadre.Cadre{ID: id(10), Name: "王建国", BirthDate: cadre.NewDate(1944, 5, 1), Category: cadre.Tuixiu,
		Health: cadre.HealthChronic, Living: cadre.LivingSpouse, ChildrenNearby: true,
		Status: cadre.StatusActive, Community: "sy", Location: &home}
	enrolments := []venue.Enrolment{{ID: id(20), Community: "sy", Stage: venue.StagePilot, Since: cadre.NewDate(2024, 3, 1)}}

	a := ix.FourNearby(wang, enrolments, cadre.NewDate(2026, 11, 28))
	fmt.Printf("%s：%s\n", wang.Name, a.Eligibility.Reason.In(cadre.Chinese))
	for _, sa := range a.Services {
		if sa.Covered {
			fmt.Printf("就近%s：%s，%.0f米\n", sa.Service.Label(cadre.Chinese), sa.Venue.Name, sa.Metres)
		} else {
			fmt.Printf("就近%s：%s\n", sa.Service.Label(cadre.Chinese), sa.Missing.In(cadre.Chinese))
		}
	}
	// Output:
	// 王建国：退休干部，该日82岁，在80岁以上；所在社区sy为四就近试点社区
	// 就近学习：500米内没有提供学习的场所；最近的是市中区老年大学，1.9公里
	// 就近活动：舜园社区老干部活动室，312米
	// 就近关心照顾：舜园日间照料中心，371米
	// 就近发挥作用：舜园社区老干部活动室，312米
}
