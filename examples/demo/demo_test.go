package demo_test

import (
	"bytes"
	"errors"
	"flag"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/examples/demo"
)

var (
	district = demo.Command{Name: "care", Usage: "go run ./examples/care [--on YYYY-MM-DD] [--lang zh|en] [--json]", On: "pair on", JSON: true}
	withFile = demo.Command{Name: "roster", Usage: "go run ./examples/roster [FILE.csv]", On: "read on", File: "roster file"}
	// asOf is the day the made-up records are checked on.
	asOf = time.Date(2026, 11, 28, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
)

func TestParseReadsTheSharedFlags(t *testing.T) {
	before := demo.Today()
	f, err := district.Parse(nil, &bytes.Buffer{})
	require.NoError(t, err)
	assert.Contains(t, []cadre.Date{before, demo.Today()}, f.On, "today in Shanghai by default")
	assert.Equal(t, cadre.Chinese, f.Lang)
	assert.False(t, f.JSON)

	f, err = district.Parse([]string{"--on", "2026-11-28", "--lang", "en", "--json"}, &bytes.Buffer{})
	require.NoError(t, err)
	assert.Equal(t, demo.Flags{On: cadre.NewDate(2026, 11, 28), Lang: cadre.English, JSON: true}, f)
	assert.Equal(t, "2026-11-28T00:00:00+08:00", f.At().Format(time.RFC3339))

	f, err = withFile.Parse([]string{"a.csv", "--lang", "en"}, &bytes.Buffer{})
	require.NoError(t, err, "flags may follow the file")
	assert.Equal(t, "a.csv", f.File)
	assert.Equal(t, cadre.English, f.Lang)
}

func TestParseRefusesAWrongCommandLineInOneLine(t *testing.T) {
	for _, tt := range []struct {
		cmd  demo.Command
		args []string
		want string
	}{
		{district, []string{"--file", "x"}, "care: bad usage: flag provided but not defined: -file; see --help\n"},
		{district, []string{"--lang", "fr"}, "care: bad usage: --lang: invalid value: language \"fr\": want zh or en\n"},
		{district, []string{"--on", "2026-02-30"}, "care: bad usage: --on: date \"2026-02-30\": want YYYY-MM-DD, a real calendar date: invalid value\n"},
		{district, []string{"district.csv"}, "care: bad usage: unexpected argument \"district.csv\": the district is built in; see --help\n"},
		{withFile, []string{"--json"}, "roster: bad usage: flag provided but not defined: -json; see --help\n"},
		{withFile, []string{"a.csv", "b.csv"}, "roster: bad usage: one roster file at a time, not 2\n"},
	} {
		var stdout, stderr bytes.Buffer
		_, err := tt.cmd.Parse(tt.args, &stdout)
		require.ErrorIs(t, err, demo.ErrUsage, "%v", tt.args)
		assert.Equal(t, 2, tt.cmd.ExitCode(err, &stderr))
		assert.Equal(t, tt.want, stderr.String())
		assert.Empty(t, stdout.String(), "no usage dump for a mistake")
	}
}

func TestHelpGoesToStdoutAndExitsZero(t *testing.T) {
	var stdout, stderr bytes.Buffer
	_, err := district.Parse([]string{"--help"}, &stdout)
	require.ErrorIs(t, err, flag.ErrHelp)
	assert.Equal(t, 0, district.ExitCode(err, &stderr))
	assert.Empty(t, stderr.String())
	out := stdout.String()
	assert.Contains(t, out, "usage: go run ./examples/care [--on YYYY-MM-DD] [--lang zh|en] [--json]\n")
	assert.Contains(t, out, "-on YYYY-MM-DD\n    \tpair on YYYY-MM-DD (default today in Asia/Shanghai)")
	assert.Contains(t, out, "-json")

	stdout.Reset()
	_, err = withFile.Parse([]string{"-h"}, &stdout)
	require.ErrorIs(t, err, flag.ErrHelp)
	assert.NotContains(t, stdout.String(), "-json", "a program without --json does not offer it")
}

func TestExitCode(t *testing.T) {
	var stderr bytes.Buffer
	assert.Equal(t, 0, district.ExitCode(nil, &stderr))
	assert.Equal(t, 1, district.ExitCode(errors.New("disk full"), &stderr))
	assert.Equal(t, "care: disk full\n", stderr.String())
}

func TestPrintJSONKeepsChineseAndIndents(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, demo.PrintJSON(&b, map[string]string{"name": "王建国 <sy> & gsq"}))
	assert.Equal(t, "{\n  \"name\": \"王建国 <sy> & gsq\"\n}\n", b.String())
}

func TestIDsAreFixedAndDistinct(t *testing.T) {
	seen := map[string]bool{}
	for kind := byte(1); kind <= 5; kind++ {
		for n := 1; n <= 600; n++ {
			id := demo.ID(kind, n)
			assert.Equal(t, 7, int(id.Version()), "shaped like a UUID v7")
			assert.False(t, seen[id.String()], "kind %d n %d", kind, n)
			seen[id.String()] = true
		}
	}
	assert.Equal(t, demo.ID(1, 2), demo.ID(1, 2))
	assert.Less(t, demo.ID(1, 2).String(), demo.ID(1, 3).String(), "the n-th sorts before the next")
	assert.Equal(t, demo.KeyID("branch", "sy"), demo.KeyID("branch", "sy"))
	assert.NotEqual(t, demo.KeyID("branch", "sy"), demo.KeyID("cadre", "sy"))
}

func TestIDNumberAndRetirement(t *testing.T) {
	born := cadre.NewDate(1944, 3, 15)
	info, err := cadre.ParseIDNumber(demo.IDNumber("370102", born, 13))
	require.NoError(t, err)
	assert.Equal(t, born, info.BirthDate)
	assert.Equal(t, cadre.Male, info.Gender)
	info, err = cadre.ParseIDNumber(demo.IDNumber("370103", born, 12))
	require.NoError(t, err)
	assert.Equal(t, cadre.Female, info.Gender)

	assert.Equal(t, cadre.NewDate(2004, 4, 1), demo.RetiredOn(born, false, cadre.Tuixiu), "a man at 60")
	assert.Equal(t, cadre.NewDate(1999, 4, 1), demo.RetiredOn(born, true, cadre.Tuixiu), "a woman at 55")
	assert.Equal(t, cadre.NewDate(1999, 4, 1), demo.RetiredOn(born, false, cadre.Junxiu), "a military retiree at 55")
	assert.Equal(t, cadre.NewDate(2005, 1, 1), demo.RetiredOn(cadre.NewDate(1944, 12, 5), false, cadre.Tuixiu), "into the next year")
}

func TestPeopleMakeValidCadres(t *testing.T) {
	people := []demo.Person{
		{Name: "孙振华", Born: "1928-09-01", Category: cadre.Lixiu, Health: cadre.HealthChronic, Living: cadre.LivingSpouse, Community: "dm", Lat: 36.6782, Lng: 117.0236},
		{Name: "高兰英", Female: true, Born: "1930-05-12", Category: cadre.Lixiu, Health: cadre.HealthSerious, Living: cadre.LivingAlone, NoKids: true, Community: "sy"},
		{Name: "钱淑芬", Female: true, Born: "1956-10-05", Category: cadre.Tuixiu, Health: cadre.HealthGood, Living: cadre.LivingFamily, Hard: true, Community: "sy"},
		{Name: "吴国庆", Born: "1943-10-01", Category: cadre.Junxiu, Health: cadre.HealthChronic, Living: cadre.LivingFamily, Community: "gsq"},
	}
	for i, p := range people {
		c := p.Cadre(1, i+1, "370102")
		require.NoError(t, c.Validate(asOf), p.Name)
		assert.Equal(t, demo.ID(1, i+1), c.ID)
		assert.Equal(t, p.Female, c.Gender == cadre.Female, p.Name)
		assert.Equal(t, p.Lat != 0, c.Location != nil, p.Name)
		assert.Equal(t, !p.NoKids, c.ChildrenNearby, p.Name)
		assert.Equal(t, p.Hard, c.Difficulty, p.Name)
	}
	lixiu := people[0].Cadre(1, 1, "370102")
	assert.Equal(t, cadre.RankCountyDeputyPlus, lixiu.Rank)
	assert.True(t, lixiu.PartyJoinedOn.Before(cadre.NewDate(1949, 10, 1)), "a 离休 cadre joined before October 1949")
	assert.Equal(t, lixiu, people[0].Cadre(1, 1, "370102"), "the same on every call")
}

func TestGeneratorDrawsTheSameValidDistrictEveryTime(t *testing.T) {
	draw := func() []cadre.Cadre {
		g := demo.NewGenerator(2026, 1128)
		g.Reserve("王建华")
		var out []cadre.Cadre
		for i := range 400 {
			female := i%2 == 0
			born := g.Born(1928, 1964)
			party, joined := cadre.PartyNone, cadre.Date{}
			if i%3 > 0 {
				party, joined = cadre.PartyFull, g.JoinedYoung(born)
			}
			out = append(out, g.Cadre(g.Name(female), female, born, "sy", party, joined))
		}
		return out
	}
	cs := draw()
	assert.Equal(t, cs, draw(), "same seeds, same cadres")
	names, ids := map[string]bool{"王建华": true}, map[string]bool{}
	for _, c := range cs {
		require.NoError(t, c.Validate(asOf), c.Name)
		assert.False(t, names[c.Name], "name %s drawn twice or reserved", c.Name)
		assert.False(t, ids[c.IDNumber], "ID number %s drawn twice", c.IDNumber)
		names[c.Name], ids[c.IDNumber] = true, true
		assert.Equal(t, demo.KeyID("cadre", c.IDNumber), c.ID)
		assert.Equal(t, c.BirthDate.Year < 1932, c.Category == cadre.Lixiu, c.Name)
		if c.Party.IsMember() && c.Category == cadre.Lixiu {
			assert.True(t, c.PartyJoinedOn.Year <= 1949, c.Name)
		}
		assert.Positive(t, c.PensionFen)
	}
}
