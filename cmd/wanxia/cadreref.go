package main

import (
	"context"
	"errors"
	"strings"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// cadreNoun names cadres in messages.
var cadreNoun = recordNoun{store.CadresTable, "干部", "cadre", "wanxia office cadre list"}

// findCadre resolves REF: a UUID, a unique prefix of at least 8 of its
// characters, an 18-character ID number, or a name no other cadre has
// (desk.FindCadre), and words what it could not find.
func (a *app) findCadre(ctx context.Context, r *store.Replica, ref string) (cadre.Cadre, error) {
	c, err := desk.FindCadre(ctx, r, ref)
	var re *desk.RefError
	if !errors.As(err, &re) {
		return c, err
	}
	ref = re.Ref
	switch {
	case errors.Is(err, desk.ErrBadRef), re.By == desk.ByName, re.By == desk.ByPrefix && errors.Is(err, syncsvc.ErrAmbiguous):
		return cadre.Cadre{}, a.refFailure(ctx, r, cadreNoun, err)
	case re.By == desk.ByIDNumber && errors.Is(err, syncsvc.ErrAmbiguous):
		// One person registered twice before the computers could tell
		// (the hub's duplicate list joins them): both records edit by
		// their ids, neither is picked silently.
		ids := make([]string, len(re.Matches))
		for i, id := range re.Matches {
			ids[i] = id.String()
		}
		return cadre.Cadre{}, a.fail(syncsvc.ErrAmbiguous, "身份证号 %s 登记了 %d 次（%s），是重复登记，区里用 hub duplicate resolve 合并；现在请用记录 ID 指明哪一条",
			"the ID number %s is registered %d times (%s), a duplicate registration the hub joins with hub duplicate resolve; name the record by its ID meanwhile",
			cadre.MaskIDNumber(cadre.NormalizeIDNumber(ref)), len(ids), strings.Join(ids, a.t("、", ", ")))
	case re.By == desk.ByIDNumber:
		return cadre.Cadre{}, a.fail(syncsvc.ErrNotFound, "没有身份证号为 %s 的干部", "no cadre has the ID number %s", cadre.MaskIDNumber(cadre.NormalizeIDNumber(ref)))
	case errors.Is(err, syncsvc.ErrVoided):
		return c, a.fail(re.Err, "干部 %s 已作为误录删除", "cadre %s was removed as entered by mistake", ref)
	}
	return c, a.fail(re.Err, "没有干部 %s：用 wanxia office cadre search 或 list 查找", "no cadre %s: find it with wanxia office cadre search or list", ref)
}
