package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// resolve names one live record of kind by REF (desk.Resolve: a UUID, a
// unique prefix of 8+ characters, a cadre's ID number, or a name no other
// record of the kind has) and words what it could not find.
func (a *app) resolve(ctx context.Context, r *store.Replica, kind desk.RecordKind, n recordNoun, ref string) (desk.Match, error) {
	m, err := desk.Resolve(ctx, r, kind, ref)
	if err != nil {
		return m, a.refFailure(ctx, r, n, err)
	}
	return m, nil
}

// refFailure words a *desk.RefError for a record of noun n: an ambiguous
// reference lists the records it could mean, each with what to type to
// name it alone. Other errors pass through.
func (a *app) refFailure(ctx context.Context, r *store.Replica, n recordNoun, err error) error {
	var re *desk.RefError
	if !errors.As(err, &re) {
		return err
	}
	noun, ref := a.t(n.zh, n.en), re.Ref
	switch {
	case errors.Is(err, desk.ErrBadRef) && ref != "":
		return a.usage("%q 不是%s的名字，作为 UUID 的开头又太短：写名字，或 UUID 至少 8 个字符的开头",
			"%q is no %s's name and too short for the start of a UUID: write a name, or at least the first 8 characters of a UUID", ref, noun)
	case errors.Is(err, desk.ErrBadRef):
		return a.usage("没有给出%s：写名字、UUID 或它至少 8 个字符的开头", "no %s given: write a name, a UUID or at least its first 8 characters", noun)
	case errors.Is(err, syncsvc.ErrAmbiguous) && re.By == desk.ByName:
		return a.fail(syncsvc.ErrAmbiguous, "有 %d 个%s叫 %s，请用编号指明是哪一个：%s",
			"%d %ss are called %s; name one by what to type: %s", len(re.Candidates), noun, ref, a.candidates(ctx, r, re.Candidates))
	case errors.Is(err, syncsvc.ErrAmbiguous):
		return a.fail(syncsvc.ErrAmbiguous, "%s 是 %d 个%s ID 的开头，请多给几个字符：%s",
			"%s starts the IDs of %d %ss; give more characters: %s", ref, len(re.Candidates), noun, a.candidates(ctx, r, re.Candidates))
	case re.By == desk.ByName && re.Kind == desk.KindCadre:
		return a.fail(syncsvc.ErrNotFound, "没有叫 %s 的干部：用 wanxia office cadre search %s 按名字的一部分或拼音首字母查找",
			"no cadre is called %s: find one by part of the name or its pinyin initials with wanxia office cadre search %s", ref, ref)
	case re.By == desk.ByName:
		return a.fail(syncsvc.ErrNotFound, "没有叫 %[1]s 的%[2]s：用 %[3]s 查看", "no %[2]s is called %[1]s: see %[3]s", ref, noun, n.list)
	}
	return a.notFound(re.Err, n, ref)
}

// candidates lists the records a reference could mean, on one line: each
// with what tells it apart and what to type to name it.
func (a *app) candidates(ctx context.Context, r *store.Replica, ms []desk.Match) string {
	names, err := desk.CommunityNames(ctx, r)
	if err != nil {
		names = nil
	}
	parts := make([]string, len(ms))
	for i, m := range ms {
		var about []string
		if m.Community != "" {
			about = append(about, a.communityNames(names, m.Community))
		}
		if m.BirthYear != 0 {
			about = append(about, a.tf("%d 年生", "born %d", m.BirthYear))
		}
		if m.MaskedIDNumber != "" {
			about = append(about, a.tf("身份证 %s", "ID %s", m.MaskedIDNumber))
		}
		who := m.Name
		if len(about) > 0 {
			who += a.tf("（%s）", " (%s)", strings.Join(about, a.t("，", ", ")))
		}
		parts[i] = who + a.tf(" 输入 %s", ": type %s", m.Ref)
	}
	return strings.Join(parts, a.t("；", "; "))
}

// communityNames shows comma-separated community codes by their names,
// the district for the district's scope.
func (a *app) communityNames(names map[string]string, codes string) string {
	var out []string
	for _, code := range strings.Split(codes, ",") {
		switch {
		case code == cadre.DistrictScope:
			out = append(out, a.t("全区", "the district"))
		case names[code] != "":
			out = append(out, names[code])
		default:
			out = append(out, code)
		}
	}
	return strings.Join(out, a.t("、", ", "))
}

// refs are what to type to name each record of a kind the replica holds,
// for lists (desk.Names): the name where no other record has it, else the
// shortest unique prefix of the id.
type refs struct {
	names *desk.Names
	// prefixed counts the labels that gave a prefix.
	prefixed int
}

// loadRefs reads the names of kind.
func loadRefs(ctx context.Context, r *store.Replica, kind desk.RecordKind) (*refs, error) {
	n, err := desk.LoadNames(ctx, r, kind)
	if err != nil {
		return nil, fmt.Errorf("refs: %w", err)
	}
	return &refs{names: n}, nil
}

// label shows a record by its name, followed by the prefix to type when
// its name does not name it alone.
func (rs *refs) label(id uuid.UUID, name string) string {
	ref := rs.names.Ref(id)
	if ref == "" || ref == name {
		return name
	}
	rs.prefixed++
	return name + " " + ref
}

// note says, under a list that showed a prefix, what it is for.
func (a *app) refNote(rs *refs) {
	if rs.prefixed > 0 {
		a.printf("同名的记录后面是它的编号：命令里写编号来指明是哪一个\n", "a name more than one record has is followed by what to type to name that one\n")
	}
}

// searchJSON is a search as scripts see it (changed by issue 14 from a
// bare array, to say how many matched in all).
type searchJSON struct {
	Query   string        `json:"query"`
	Total   int           `json:"total"`
	Shown   int           `json:"shown"`
	Limit   int           `json:"limit"`
	Partial bool          `json:"partial"`
	Cadres  []cadre.Cadre `json:"cadres"`
}

// printSearch searches cadres (desk.SearchCadres) and prints what it
// found, saying when it shows only part of it.
func (a *app) printSearch(ctx context.Context, r *store.Replica, query string, limit int, asJSON bool) error {
	s, err := desk.SearchCadres(ctx, r, query, limit)
	if err != nil {
		return err
	}
	if asJSON {
		return a.printJSON(searchJSON{Query: s.Query, Total: s.Total, Shown: len(s.Cadres), Limit: s.Limit, Partial: s.Partial(), Cadres: s.Cadres})
	}
	if err := a.printCadres(ctx, r, s.Cadres, false); err != nil || len(s.Cadres) == 0 {
		return err
	}
	if s.Partial() {
		a.printf("显示前 %d 条，共 %d 条；用 --limit 调整，或把名字写得更完整\n", "showing the first %d of %d; change it with --limit, or give more of the name\n", len(s.Cadres), s.Total)
	}
	return nil
}
