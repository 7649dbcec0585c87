package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wanxia/wanxia/syncsvc/testkit"

	"github.com/stretchr/testify/require"
)

// goldenUpdate rewrites the golden files of TestGoldenDistrict instead of
// comparing with them (also WANXIA_GOLDEN_UPDATE=1):
//
//	go test ./cmd/wanxia -run TestGoldenDistrict -update
var goldenUpdate = flag.Bool("update", false, "rewrite the golden files of TestGoldenDistrict under testdata/golden")

// goldenDir holds what TestGoldenDistrict's verbs printed, normalised.
const goldenDir = "testdata/golden"

// golden runs verbs of the command on one district and compares what each
// printed with --json, normalised, to a file of goldenDir.
type golden struct {
	t      *testing.T
	update bool
	n      int             // the number of the next file
	files  map[string]bool // the files written or compared
	norm   *goldenNorm
}

// capture runs the command with --json, requires exit code want and
// compares the normalised output with goldenDir/NN-name.json.
func (g *golden) capture(want int, name string, args ...string) string {
	g.t.Helper()
	res := wx(g.t, append(args, "--json")...)
	require.Equal(g.t, want, res.code, "wanxia %s\nstdout: %s\nstderr: %s", strings.Join(args, " "), res.stdout, res.stderr)
	g.compare(name+".json", []byte(res.stdout))
	return res.stdout
}

// ok captures a verb that must succeed.
func (g *golden) ok(name string, args ...string) string {
	g.t.Helper()
	return g.capture(0, name, args...)
}

// compare normalises got and compares it with goldenDir/NN-file, or writes
// it there under -update.
func (g *golden) compare(file string, got []byte) {
	g.t.Helper()
	g.n++
	file = fmt.Sprintf("%02d-%s", g.n, file)
	g.files[file] = true
	got = []byte(g.norm.apply(string(got)))
	path := filepath.Join(goldenDir, file)
	if g.update {
		require.NoError(g.t, os.MkdirAll(goldenDir, 0o755))
		require.NoError(g.t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(g.t, err, "no golden file: run go test ./cmd/wanxia -run TestGoldenDistrict -update")
	if !bytes.Equal(want, got) {
		g.t.Errorf("%s differs from what the command prints now (normalised):\n%s", path, goldenDiff(string(want), string(got)))
	}
}

// finish checks that no golden file is left over from verbs no longer run;
// under -update it removes them.
func (g *golden) finish() {
	g.t.Helper()
	entries, err := os.ReadDir(goldenDir)
	require.NoError(g.t, err)
	for _, e := range entries {
		if g.files[e.Name()] {
			continue
		}
		if g.update {
			require.NoError(g.t, os.Remove(filepath.Join(goldenDir, e.Name())))
			continue
		}
		g.t.Errorf("%s is not written by any verb of the test any more: run with -update", e.Name())
	}
}

// goldenDiff shows the first lines where want and got differ.
func goldenDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl == gl {
			continue
		}
		fmt.Fprintf(&b, "line %d\n  want: %s\n  got:  %s\n", i+1, wl, gl)
		if shown++; shown == 10 {
			b.WriteString("  …\n")
			break
		}
	}
	return b.String()
}

// goldenNorm replaces what differs from one run to the next: ids (UUIDs
// and their 8-character prefixes), tokens, temporary paths, the hub's port,
// times read from the real clock (RFC 3339 and a backup's file name), the
// clock offset, and the order of lists of bare ids. Times of the fixed
// clock (testkit.FixedNow()) and the dates the test types are kept.
type goldenNorm struct {
	literals map[string]string // exact text → placeholder
	ids      map[string]int    // UUID → its number, in order of first appearance
	tokens   int
	from     time.Time // the real clock when the test began
}

var (
	goldenID      = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\b[0-9a-f]{8,31}\b`)
	goldenToken   = regexp.MustCompile(`"token": "([^"]+)"`)
	goldenTime    = regexp.MustCompile(`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?`)
	goldenOffset  = regexp.MustCompile(`("clock_offset_ms": )-?\d+`)
	goldenStamp   = regexp.MustCompile(`\b\d{8}-\d{6}(?:\.\d{3})?\b`)
	goldenIDList  = regexp.MustCompile(`\[\n(?:[ ]*"<id-\d+>",?\n)+[ ]*\]`)
	goldenIDItem  = regexp.MustCompile(`"<id-(\d+)>"`)
	goldenTmpPath = regexp.MustCompile(`<tmp>[^"\s,;)）]*`)
	goldenLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02 15:04"}
)

// literal makes every occurrence of text read as placeholder.
func (n *goldenNorm) literal(text, placeholder string) {
	n.literals[text] = placeholder
}

// apply normalises one output. It keeps its state across outputs, so that
// one id or token reads the same in every file.
func (n *goldenNorm) apply(s string) string {
	// Longest literal first, so that a path is replaced before its folder.
	keys := make([]string, 0, len(n.literals))
	for k := range n.literals {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return len(keys[i]) > len(keys[j]) || len(keys[i]) == len(keys[j]) && keys[i] < keys[j]
	})
	for _, k := range keys {
		s = strings.ReplaceAll(s, k, n.literals[k])
	}
	if filepath.Separator == '\\' {
		// Windows writes a path under the temporary folder with
		// backslashes (doubled in JSON); the files hold them as '/'.
		s = goldenTmpPath.ReplaceAllStringFunc(s, func(p string) string {
			return strings.ReplaceAll(strings.ReplaceAll(p, `\\`, "/"), `\`, "/")
		})
	}
	s = goldenToken.ReplaceAllStringFunc(s, func(m string) string {
		tok := goldenToken.FindStringSubmatch(m)[1]
		if _, known := n.literals[tok]; !known {
			n.tokens++
			n.literal(tok, fmt.Sprintf("<token-%d>", n.tokens))
		}
		return `"token": "` + n.literals[tok] + `"`
	})
	s = n.replaceIDs(s)
	until := time.Now().Add(time.Hour)
	s = goldenTime.ReplaceAllStringFunc(s, func(m string) string {
		for _, layout := range goldenLayouts {
			at, err := time.ParseInLocation(layout, m, testkit.FixedNow().Location())
			if err == nil && at.After(n.from.Add(-time.Hour)) && at.Before(until) {
				return "<now>"
			}
		}
		return m
	})
	// A backup's file name carries the real time as 20261202-170420.968.
	s = goldenStamp.ReplaceAllStringFunc(s, func(m string) string {
		at, err := time.Parse("20060102-150405", m[:15])
		if err == nil && at.After(n.from.Add(-15*time.Hour)) && at.Before(until.Add(15*time.Hour)) {
			return "<now-stamp>"
		}
		return m
	})
	s = goldenOffset.ReplaceAllString(s, `$1"<ms>"`)
	// A list of bare ids (a branch's members, the cadres a site would
	// serve) comes in the order of the ids, which derive from the district's
	// random key: it is sorted by id number.
	return goldenIDList.ReplaceAllStringFunc(s, func(list string) string {
		lines := strings.Split(list, "\n")
		items := lines[1 : len(lines)-1]
		num := func(line string) int {
			k, _ := strconv.Atoi(goldenIDItem.FindStringSubmatch(line)[1])
			return k
		}
		sort.SliceStable(items, func(i, j int) bool { return num(items[i]) < num(items[j]) })
		for i := range items {
			items[i] = strings.TrimSuffix(items[i], ",")
			if i < len(items)-1 {
				items[i] += ","
			}
		}
		return strings.Join(lines, "\n")
	})
}

// replaceIDs numbers each UUID in order of first appearance (<id-N>) and
// writes an 8+ character prefix of one as <id-N:LEN>. The ids are UUIDv7,
// so ids made in the same minute share their first 8 characters: a prefix
// is read as the nearest UUID before it in the same output that it begins,
// else the nearest after it.
func (n *goldenNorm) replaceIDs(s string) string {
	matches := goldenID.FindAllStringIndex(s, -1)
	full := func(m []int) bool { return m[1]-m[0] == 36 }
	number := func(id string) int {
		if _, seen := n.ids[id]; !seen {
			n.ids[id] = len(n.ids) + 1
		}
		return n.ids[id]
	}
	var b strings.Builder
	last := 0
	for i, m := range matches {
		text := s[m[0]:m[1]]
		b.WriteString(s[last:m[0]])
		last = m[1]
		if full(m) {
			fmt.Fprintf(&b, "<id-%d>", number(text))
			continue
		}
		owner := ""
		begins := func(j int) bool {
			return full(matches[j]) && strings.HasPrefix(strings.ReplaceAll(s[matches[j][0]:matches[j][1]], "-", ""), text)
		}
		for j := i - 1; j >= 0 && owner == ""; j-- {
			if begins(j) {
				owner = s[matches[j][0]:matches[j][1]]
			}
		}
		for j := i + 1; j < len(matches) && owner == ""; j++ {
			if begins(j) {
				owner = s[matches[j][0]:matches[j][1]]
			}
		}
		if owner == "" {
			b.WriteString(text)
			continue
		}
		fmt.Fprintf(&b, "<id-%d:%d>", number(owner), len(text))
	}
	b.WriteString(s[last:])
	return b.String()
}

// TestGoldenDistrict sets up a district through the command alone — a
// hub served on loopback, three offices, cadres, a duplicate registration,
// a refused record, a conflict, branches, pairs, visits, help cases,
// venues — and compares what the verbs of issues 4–8 print with --json to
// files captured before issue 13 moved the code (at ba09c6c; ids, tokens,
// paths, the port and real-clock times normalised; the fixed clock's dates
// kept). A change of what a verb prints fails it; if the change is meant,
// -update rewrites the files, and the diff shows what changed.
func TestGoldenDistrict(t *testing.T) {
	dir := t.TempDir()
	g := &golden{t: t, update: *goldenUpdate || os.Getenv("WANXIA_GOLDEN_UPDATE") == "1", files: map[string]bool{},
		norm: &goldenNorm{literals: map[string]string{dir: "<tmp>", strings.ReplaceAll(dir, `\`, `\\`): "<tmp>"}, ids: map[string]int{}, from: time.Now()}}
	hubDB := newHubDB(t, dir)
	hub := func(args ...string) []string { return hubArgs(hubDB, args...) }

	// The district: three communities, three offices.
	for _, c := range [][]string{
		{"sy", "舜园社区", "舜华路街道", "36.660", "117.000"},
		{"gsq", "杆石桥社区", "杆石桥街道", "36.670", "117.030"},
		{"hx", "华信社区", "杆石桥街道", "36.672", "117.034"},
	} {
		ok(t, hub("community", "set", c[0], "--name", c[1], "--street", c[2], "--lat", c[3], "--lng", c[4])...)
	}
	tokens := map[string]string{}
	for _, o := range [][]string{{"sy-1", "舜园社区办公室", "sy"}, {"sy-2", "舜园社区第二办公室", "sy"}, {"gsq-1", "杆石桥社区办公室", "gsq,hx"}} {
		var added map[string]any
		require.NoError(t, json.Unmarshal([]byte(g.ok("hub-office-add", hub("office", "add", "--id", o[0], "--name", o[1], "--communities", o[2])...)), &added))
		tokens[o[0]] = added["token"].(string)
	}
	g.ok("hub-community-list", hub("community", "list")...)

	// gsq-1 starts offline, before it has the district's key: its first
	// cadre is a second registration of a person sy-1 registers too, and
	// one is typed with a community the hub refuses.
	h := serveHubAt(t, hubDB)
	g.norm.literal(h.addr, "127.0.0.1:<port>")
	h.halt()
	gsq := &office{t: t, db: filepath.Join(dir, "gsq-1.db")}
	ok(t, "office", "init", "--db", gsq.db, "--hub", h.url(), "--office", "gsq-1", "--token", tokens["gsq-1"])
	ma := testkit.IDNumberFor("370102", "19420610", 13)
	g.ok("office-cadre-add-offline", append([]string{"office", "cadre", "add", "--db", gsq.db}, cadreArgs("马学军", ma, "gsq", "--phone", "0531-8600001")...)...)
	g.ok("office-cadre-add-refused", append([]string{"office", "cadre", "add", "--db", gsq.db}, cadreArgs("王秀英", testkit.IDNumberFor("370102", "19451120", 2), "zzz")...)...)
	h.start()

	sy := newOffice(t, "sy-1", tokens["sy-1"], h.url())
	sy2 := newOffice(t, "sy-2", tokens["sy-2"], h.url())
	numbers := map[string]string{}
	add := func(o *office, name, birth string, seq int, community string, extra ...string) {
		numbers[name] = testkit.IDNumberFor("370102", birth, seq)
		g.ok("office-cadre-add", append([]string{"office", "cadre", "add", "--db", o.db}, cadreArgs(name, numbers[name], community, extra...)...)...)
	}
	// 周桂兰, 马学军 (sy) and 曹秀珍 live on a line 333 m apart, far from
	// the venues: a new site at the middle one serves all three, so that
	// hub coverage --sites proposes one site, not one of equal ones.
	add(sy, "王建国", "19400315", 1, "sy", "--lat", "36.6509", "--lng", "117.0459", "--pension", "5123.40", "--phone", "13805310001")
	add(sy, "周桂兰", "19520418", 4, "sy", "--health", "serious", "--lat", "36.6460", "--lng", "117.0391", "--pension", "5000")
	add(sy, "曹秀珍", "19361205", 2, "sy", "--category", "离休", "--lat", "36.6520", "--lng", "117.0391", "--pension", "5000.01")
	add(sy, "张志强", "19480101", 3, "sy", "--health", "良好", "--living", "与配偶同住", "--pension", "4000", "--lat", "36.6490", "--lng", "117.0391")
	add(sy, "赵敏", "19480101", 6, "sy", "--rank", "副县处级及以上", "--living", "与子女同住", "--pension", "3000")
	add(sy, "潘建新", "19530808", 3, "sy", "--party", "非党员", "--health", "良好", "--living", "与配偶同住")
	numbers["马学军"] = ma
	g.ok("office-cadre-add-second-registration", append([]string{"office", "cadre", "add", "--db", sy.db}, cadreArgs("马学军", ma, "sy", "--lat", "36.6490", "--lng", "117.0391")...)...)

	g.ok("office-sync", "office", "sync", "--db", sy.db)
	g.capture(1, "office-sync-refused", "office", "sync", "--db", gsq.db)
	add(gsq, "钱进", "19470707", 5, "gsq", "--lat", "36.6701", "--lng", "117.0302")
	add(gsq, "孙立", "19500120", 11, "gsq", "--category", "军休", "--pension", "3000")
	add(gsq, "周红", "19460909", 8, "hx", "--health", "重病")
	g.ok("office-sync-again", "office", "sync", "--db", gsq.db)
	g.ok("office-sync-sy-2", "office", "sync", "--db", sy2.db)

	g.ok("office-cadre-list", "office", "cadre", "list", "--db", sy.db)
	g.ok("office-cadre-list-en", "office", "cadre", "list", "--db", gsq.db, "--lang", "en")
	g.ok("office-cadre-show", "office", "cadre", "show", numbers["王建国"], "--db", sy.db)
	g.ok("office-cadre-search", "office", "cadre", "search", "王", "--db", sy.db)
	g.ok("hub-cadre-list", hub("cadre", "list")...)
	g.ok("hub-cadre-show", hub("cadre", "show", numbers["钱进"])...)
	g.ok("hub-duplicate-list", hub("duplicate", "list")...)
	g.ok("office-rejected", "office", "rejected", "--db", gsq.db)
	g.ok("office-rejected-list-en", "office", "rejected", "list", "--db", gsq.db, "--lang", "en")

	// A conflict: one phone edited at sy-1 and sy-2.
	g.ok("office-cadre-edit", "office", "cadre", "edit", numbers["王建国"], "--phone", "111", "--db", sy.db)
	sy2.ok("cadre", "edit", numbers["王建国"], "--phone", "222")
	sy.ok("sync")
	sy2.ok("sync")
	sy.ok("sync")
	g.ok("office-conflict-list", "office", "conflict", "list", "--db", sy.db)
	g.ok("office-status", "office", "status", "--db", sy2.db)
	var conflicts []map[string]any
	require.NoError(t, json.Unmarshal([]byte(g.ok("office-conflict-list-sy-2", "office", "conflict", "list", "--db", sy2.db)), &conflicts))
	require.Len(t, conflicts, 1)
	sy2.ok("conflict", "resolve", conflicts[0]["id"].(string), "--keep", "other")
	sy2.ok("sync")
	sy.ok("sync")
	g.ok("office-conflict-list-all", "office", "conflict", "list", "--all", "--db", sy2.db)

	// Branches: the hub's plan, applied, held at the offices.
	g.ok("hub-branch-plan", hub("branch", "plan", "--on", "2026-11-28")...)
	g.ok("hub-branch-plan-apply", hub("branch", "plan", "--on", "2026-11-28", "--apply")...)
	for _, o := range []*office{sy, sy2, gsq} {
		o.ok("sync")
	}
	var branches []map[string]any
	require.NoError(t, json.Unmarshal([]byte(g.ok("office-branch-list", "office", "branch", "list", "--on", "2026-11-28", "--db", sy.db)), &branches))
	require.Len(t, branches, 1)
	syBranch := branches[0]["id"].(string)
	g.ok("office-branch-list-gsq", "office", "branch", "list", "--on", "2026-11-28", "--db", gsq.db, "--lang", "en")
	g.ok("office-branch-elect", "office", "branch", "elect", syBranch, "--on", "2026-10-01", "--secretary", numbers["王建国"],
		"--deputy", numbers["周桂兰"], "--organisation", numbers["张志强"], "--db", sy.db)
	g.ok("office-branch-training", "office", "branch", "training", numbers["王建国"], "--course", "2026年度支部书记培训班", "--on", "2026-11-10", "--db", sy.db)
	g.ok("office-branch-feedback", "office", "branch", "feedback", syBranch, "--good", "--on", "2026-06-01", "--source", "居民座谈会", "--note", "活动丰富", "--db", sy.db)
	var meeting map[string]any
	require.NoError(t, json.Unmarshal([]byte(g.ok("office-meeting-add", "office", "meeting", "add", "--branch", syBranch[:8], "--kind", "主题党日", "--on", "2026-11-10",
		"--topic", "学习党的二十届四中全会精神", "--present", numbers["王建国"]+","+numbers["张志强"], "--present", numbers["潘建新"],
		"--absent", numbers["周桂兰"]+"=health,"+numbers["赵敏"]+"=away:探亲", "--absent", numbers["曹秀珍"]+"=无故缺席", "--db", sy.db)), &meeting))
	g.ok("office-meeting-add-lecture", "office", "meeting", "add", "--branch", syBranch, "--kind", "lecture", "--on", "2026-10-20",
		"--present", numbers["王建国"], "--db", sy.db)
	g.ok("office-meeting-deliver", "office", "meeting", "deliver", meeting["id"].(string), numbers["周桂兰"], "--on", "2026-11-15", "--note", "支部书记上门领学", "--db", sy.db)
	g.ok("office-meeting-list", "office", "meeting", "list", "--month", "2026-11", "--db", sy.db)
	g.ok("office-meeting-list-branch", "office", "meeting", "list", "--branch", syBranch, "--db", sy.db, "--lang", "en")
	g.ok("office-dues-pay", "office", "dues", "pay", numbers["王建国"], "--months", "2026-10,2026-09", "--paid-on", "2026-11-05", "--db", sy.db)
	g.ok("office-dues-pay-amount", "office", "dues", "pay", numbers["张志强"], "--months", "2026-07", "--amount", "20", "--paid-on", "2026-11-05", "--db", sy.db)
	g.ok("office-dues-relief", "office", "dues", "relief", numbers["周桂兰"], "--from", "2026-09", "--exempt", "--approved-by", "支部委员会",
		"--approved-on", "2026-08-25", "--reason", "重病", "--db", sy.db)
	g.ok("office-dues-relief-reduced", "office", "dues", "relief", numbers["赵敏"], "--from", "2026-11", "--reduced", "5", "--approved-by", "支部委员会",
		"--approved-on", "2026-10-30", "--reason", "生活困难", "--db", sy.db)
	g.ok("office-dues-arrears", "office", "dues", "arrears", "--on", "2026-11-28", "--db", sy.db)
	g.ok("office-dues-arrears-one", "office", "dues", "arrears", numbers["张志强"], "--on", "2026-11-28", "--since", "2026-06", "--db", sy.db, "--lang", "en")
	g.ok("office-branch-show", "office", "branch", "show", syBranch[:8], "--on", "2026-11-20", "--db", sy.db)
	g.ok("office-branch-assess", "office", "branch", "assess", syBranch, "--year", "2026", "--on", "2026-11-20", "--db", sy.db)
	g.ok("office-branch-assess-en", "office", "branch", "assess", syBranch, "--on", "2026-11-28", "--db", sy.db, "--lang", "en")

	// Care: helpers, the 1对5 pairing, visits, hospital stays, help cases.
	helpers := map[string]string{}
	for _, hp := range [][]string{
		{"王立军", "--lat", "36.6615", "--lng", "117.0195", "--from", "2026-01-01"},
		{"刘芳", "--lat", "36.6700", "--lng", "117.0310", "--from", "2026-01-01", "--capacity", "3"},
		{"赵国栋", "--from", "2027-01-01"},
	} {
		var added map[string]any
		require.NoError(t, json.Unmarshal([]byte(g.ok("hub-helper-add", hub(append([]string{"helper", "add", "--name", hp[0]}, hp[1:]...)...)...)), &added))
		helpers[hp[0]] = added["id"].(string)
	}
	g.ok("hub-pair-assign", hub("pair", "assign", "--on", "2026-10-01")...)
	g.ok("hub-pair-assign-apply", hub("pair", "assign", "--on", "2026-10-01", "--apply")...)
	g.ok("hub-helper-list", hub("helper", "list", "--on", "2026-11-10")...)
	g.ok("hub-helper-end", hub("helper", "end", "刘芳", "--on", "2026-11-20")...)
	g.ok("hub-helper-list-all", hub("helper", "list", "--on", "2026-11-25", "--all")...)
	g.ok("hub-pair-assign-rebalance", hub("pair", "assign", "--on", "2026-11-25", "--rebalance", "--lang", "en")...)
	g.ok("hub-pair-assign-after-end", hub("pair", "assign", "--on", "2026-11-25", "--apply")...)
	for _, o := range []*office{sy, sy2, gsq} {
		o.ok("sync")
	}
	g.ok("office-pair-list", "office", "pair", "list", "--on", "2026-11-28", "--db", sy.db)
	g.ok("office-pair-list-gsq", "office", "pair", "list", "--on", "2026-11-28", "--db", gsq.db, "--lang", "en")
	g.ok("office-helper-list", "office", "helper", "list", "--on", "2026-11-28", "--all", "--db", sy.db)
	g.ok("office-visit-add", "office", "visit", "add", numbers["周桂兰"], "--kind", "节日走访", "--on", "2026-10-16", "--db", sy.db)
	g.ok("office-visit-add-by", "office", "visit", "add", numbers["王建国"], "--kind", "call", "--on", "2026-10-20", "--by", "王立军", "--notes", "身体尚好", "--db", sy.db)
	g.ok("office-visit-add-home", "office", "visit", "add", numbers["曹秀珍"], "--kind", "入户走访", "--on", "2026-11-20", "--by", helpers["王立军"][:24], "--db", sy.db)
	g.ok("office-hospital-admit", "office", "hospital", "admit", numbers["周桂兰"], "--on", "2026-11-20", "--db", sy.db)
	g.ok("office-hospital-discharge", "office", "hospital", "discharge", numbers["周桂兰"], "--on", "2026-11-25", "--db", sy.db)
	g.ok("office-hospital-admit-again", "office", "hospital", "admit", numbers["赵敏"], "--on", "2026-11-27", "--db", sy.db)
	g.ok("office-visit-due", "office", "visit", "due", "--on", "2026-11-28", "--db", sy.db)
	g.ok("office-visit-due-all", "office", "visit", "due", "--on", "2026-11-28", "--all", "--db", sy.db, "--lang", "en")
	g.ok("office-visit-due-spring", "office", "visit", "due", "--on", "2027-02-01", "--db", gsq.db)
	g.ok("office-visit-list", "office", "visit", "list", "--db", sy.db)
	g.ok("office-visit-list-one", "office", "visit", "list", numbers["曹秀珍"], "--from", "2026-11-01", "--to", "2026-11-30", "--db", sy.db)
	helpOpen := func(name string, args ...string) string {
		var c map[string]any
		require.NoError(t, json.Unmarshal([]byte(g.ok("office-help-open", append([]string{"office", "help", "open", numbers[name], "--db", sy.db}, args...)...)), &c))
		return c["id"].(string)
	}
	late := helpOpen("王建国", "--kind", "economic", "--urgent", "--at", "2026-11-27 09:00", "--note", "医药费负担重")
	helpOpen("周桂兰", "--kind", "医疗", "--urgent", "--at", "2026-11-27 11:00")
	chores := helpOpen("曹秀珍", "--kind", "家政", "--note", "需要保洁")
	g.ok("office-help-list-open", "office", "help", "list", "--open", "--db", sy.db)
	g.ok("office-help-act", "office", "help", "act", late, "--note", "已联系社区医院", "--at", "2026-11-28 09:30", "--db", sy.db)
	g.ok("office-help-close", "office", "help", "close", chores[:24], "--resolution", "已安排家政服务", "--db", sy.db)
	g.ok("office-help-list", "office", "help", "list", "--db", sy.db)
	g.ok("office-help-list-en", "office", "help", "list", "--db", sy.db, "--lang", "en")

	// Venues and four nearby.
	venues := map[string]string{}
	for _, v := range [][]string{
		{"舜园社区老干部活动室", "--kind", "活动室", "--community", "sy", "--address", "舜园小区 3 号楼", "--lat", "36.6510", "--lng", "117.0450",
			"--capacity", "60", "--hours", "周一至周五 8:30-17:00", "--services", "学习,activities,发挥作用"},
		{"市中区老年大学", "--kind", "senior_university", "--community", "district", "--services", "activities,learning"},
		{"杆石桥社区卫生服务站", "--kind", "clinic", "--community", "gsq", "--services", "care", "--lat", "36.6702", "--lng", "117.0305"},
		{"舜园日间照料中心", "--kind", "day_care", "--community", "sy", "--services", "care", "--lat", "36.6508", "--lng", "117.0455"},
	} {
		var added map[string]any
		require.NoError(t, json.Unmarshal([]byte(g.ok("hub-venue-add", hub(append([]string{"venue", "add", "--name", v[0]}, v[1:]...)...)...)), &added))
		venues[v[0]] = added["id"].(string)
	}
	g.ok("hub-venue-close", hub("venue", "close", venues["舜园日间照料中心"], "--on", "2026-12-01")...)
	g.ok("hub-venue-list", hub("venue", "list", "--on", "2026-11-28")...)
	g.ok("hub-venue-list-all", hub("venue", "list", "--on", "2026-12-05", "--all", "--lang", "en")...)
	g.ok("hub-program-enrol", hub("program", "enrol", "sy", "--stage", "试点", "--since", "2024-03-01")...)
	g.ok("hub-program-enrol-gsq", hub("program", "enrol", "gsq", "--since", "2025-01-01")...)
	g.ok("hub-program-enrol-hx", hub("program", "enrol", "hx", "--since", "2027-03-01", "--lang", "en")...)
	g.ok("hub-program-list", hub("program", "list", "--on", "2026-11-28")...)
	for _, o := range []*office{sy, sy2, gsq} {
		o.ok("sync")
	}
	g.ok("office-nearby", "office", "nearby", numbers["王建国"], "--on", "2026-11-28", "--db", sy.db)
	g.ok("office-nearby-en", "office", "nearby", numbers["钱进"], "--on", "2026-11-28", "--db", gsq.db, "--lang", "en")
	g.ok("office-coverage", "office", "coverage", "--on", "2026-11-28", "--db", sy.db)
	g.ok("office-coverage-gsq", "office", "coverage", "--on", "2026-11-28", "--db", gsq.db)
	g.ok("hub-coverage", hub("coverage", "--on", "2026-11-28")...)
	g.ok("hub-coverage-sites", hub("coverage", "--on", "2026-11-28", "--community", "sy", "--sites", "2")...)

	// Rosters: an import that adds one cadre and updates another, and the
	// export, whose file is compared byte for byte.
	roster := filepath.Join(dir, "名册.csv")
	require.NoError(t, os.WriteFile(roster, []byte("姓名,身份证号,类别,离退休时间,职级,党员,健康状况,居住情况,社区,基本离退休费(元),电话,备注\n"+
		"刘淑芬,"+testkit.IDNumberFor("370102", "19410203", 22)+",退休,2001/3/1,科级,正式党员,良好,与配偶同住,sy,4321.5,0531-2,\n"+
		"潘建新,"+numbers["潘建新"]+",退休,2004-04-01,科级,非党员,慢性病,与配偶同住,sy,3900,13905310009,\n"+
		",370102194501010000,退休,2005-07-01,其他,非党员,良好,与子女同住,sy,4800,,\n"), 0o600))
	g.capture(1, "office-import", "office", "import", roster, "--db", sy.db)
	export := filepath.Join(dir, "export.csv")
	g.ok("office-export", "office", "export", export, "--db", sy.db)
	exported, err := os.ReadFile(export)
	require.NoError(t, err)
	g.compare("office-export.csv", exported)
	for _, o := range []*office{sy, gsq} {
		o.ok("sync")
	}

	// What the hub and the offices report, the merge, and the duplicate
	// settled.
	g.ok("office-status-sy-1", "office", "status", "--db", sy.db)
	g.ok("hub-office-list", hub("office", "list")...)
	for _, kind := range []string{"visits", "pairs", "branches", "dues", "nearby", "invitations", "sync"} {
		g.ok("hub-report-"+kind, hub("report", kind, "--on", "2026-11-28", "--format", "json")...)
	}
	g.ok("hub-report-all-office", hub("report", "all", "--on", "2026-11-28", "--format", "json", "--office", "gsq-1")...)
	g.ok("office-report-all", "office", "report", "all", "--on", "2026-11-28", "--db", sy.db)
	g.ok("hub-merge", hub("merge", "--backup", filepath.Join(dir, "backups"), "--reports", filepath.Join(dir, "reports"))...)
	g.ok("hub-merge-list", hub("merge", "list")...)
	var groups [][]map[string]any
	require.NoError(t, json.Unmarshal([]byte(g.ok("hub-duplicate-list-before-resolve", hub("duplicate", "list")...)), &groups))
	require.Len(t, groups, 1)
	g.ok("hub-duplicate-resolve", hub("duplicate", "resolve", groups[0][1]["id"].(string), "--void", groups[0][0]["id"].(string), "--reason", "舜园已登记")...)
	g.ok("hub-duplicate-list-after", hub("duplicate", "list")...)
	g.ok("hub-cadre-list-after", hub("cadre", "list", "--lang", "en")...)

	// The refused cadre corrected and sent again; a cadre entered by mistake
	// removed.
	var refused []map[string]any
	require.NoError(t, json.Unmarshal([]byte(g.ok("office-rejected-before-fix", "office", "rejected", "--db", gsq.db)), &refused))
	require.Len(t, refused, 1)
	g.ok("office-rejected-fix", "office", "rejected", "fix", refused[0]["record_id"].(string), "--community", "gsq", "--db", gsq.db)
	g.ok("office-sync-after-fix", "office", "sync", "--db", gsq.db)
	g.ok("office-rejected-after-fix", "office", "rejected", "list", "--db", gsq.db)
	g.ok("office-cadre-remove", "office", "cadre", "remove", numbers["潘建新"], "--reason", "重复录入", "--db", sy.db)
	g.ok("office-sync-after-remove", "office", "sync", "--db", sy.db)
	g.ok("hub-cadre-list-last", hub("cadre", "list")...)

	// A new hub is started only by hub init (issue 14); on the hub's own
	// database it changes nothing.
	g.ok("hub-init", "hub", "init", "--db", filepath.Join(dir, "new-hub.db"))
	g.ok("hub-init-again", hub("init")...)

	g.finish()
}
