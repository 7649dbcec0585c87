package demo

import (
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
)

// ID returns the ID of the n-th record of a kind (a small number of the
// program's choosing, one per record type), shaped like the UUID v7 a
// store would give. Rules break ties by ID, so a made-up district's IDs
// must be fixed for its output to be the same on every run.
func ID(kind byte, n int) uuid.UUID {
	return uuid.UUID{0: 0x01, 1: 0x93, 2: kind, 6: 0x70, 8: 0x80, 14: byte(n >> 8), 15: byte(n)}
}

// namespace derives KeyID's IDs.
var namespace = uuid.MustParse("0b8e3f5a-6c1d-5e27-8f49-a2d6c4b81e03")

// KeyID returns the fixed ID of a record of a kind ("cadre", "branch")
// with a natural key (an ID number, a community code): the same on every
// call, and different for every kind and key.
func KeyID(kind, key string) uuid.UUID { return uuid.NewSHA1(namespace, []byte(kind+"/"+key)) }

// Date parses a date of a program's own tables, "YYYY-MM-DD", and panics on
// anything else: a wrong date there is a bug of the program.
func Date(s string) cadre.Date {
	d, err := cadre.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// IDNumber returns the ID number of a person of region (six digits) born
// on born, with a sequence (0–999; odd for a man, even for a woman) and
// its real check character.
func IDNumber(region string, born cadre.Date, seq int) string {
	first17 := fmt.Sprintf("%s%04d%02d%02d%03d", region, born.Year, int(born.Month), born.Day, seq)
	check, err := cadre.IDCheckChar(first17)
	if err != nil {
		panic(fmt.Sprintf("demo.IDNumber(%q, %s, %d): %v", region, born, seq, err))
	}
	return first17 + string(check)
}

// RetiredOn is the day a cadre retired: the first day of the month after
// the retirement age, 60 for men and 离休 cadres, 55 for women and
// military retirees (军休).
func RetiredOn(born cadre.Date, female bool, cat cadre.Category) cadre.Date {
	age := 60
	if female || cat == cadre.Junxiu {
		age = 55
	}
	return cadre.NewDate(born.Year+age, born.Month+1, 1)
}

// Person is one row of a made-up district's table of cadres: what a rule
// about care or the four nearby needs to know. A zero Lat and Lng mean
// that the home's location is unknown.
type Person struct {
	Name      string
	Female    bool
	Born      string // YYYY-MM-DD
	Category  cadre.Category
	Health    cadre.Health
	Living    cadre.Living
	NoKids    bool // no children nearby
	Hard      bool // in living difficulty
	Community string
	Lat, Lng  float64
}

// Cadre returns the record of the n-th person (1–99) of a table, with
// ID(kind, n), an ID number of region, and the other fields a roster
// requires: section level (county level for a 离休 cadre), a full Party
// member since the age of 25 (since July 1947 for a 离休 cadre, who
// joined the revolution before October 1949), retired as RetiredOn says,
// and on the roll.
func (p Person) Cadre(kind byte, n int, region string) cadre.Cadre {
	born := Date(p.Born)
	c := cadre.Cadre{
		ID: ID(kind, n), Name: p.Name, Gender: cadre.Male, BirthDate: born,
		Category: p.Category, Rank: cadre.RankSection, Party: cadre.PartyFull,
		PartyJoinedOn: cadre.NewDate(born.Year+25, time.July, 1),
		Health:        p.Health, Living: p.Living, ChildrenNearby: !p.NoKids, Difficulty: p.Hard,
		Community: p.Community, Status: cadre.StatusActive, RetiredOn: RetiredOn(born, p.Female, p.Category),
	}
	sex := 1
	if p.Female {
		c.Gender, sex = cadre.Female, 2
	}
	if p.Category == cadre.Lixiu {
		c.Rank, c.PartyJoinedOn = cadre.RankCountyDeputyPlus, cadre.NewDate(1947, time.July, 1)
	}
	if p.Lat != 0 || p.Lng != 0 {
		c.Location = &cadre.Location{Lat: p.Lat, Lng: p.Lng}
	}
	c.IDNumber = IDNumber(region, born, n*10+sex)
	return c
}
