package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc/report"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// TestReportsOfOneCacheAreThoseBuiltAlone: WriteWorkbooks builds the
// district's reports and every office's through one cache, which groups
// the records once and gives each office its part; each office's reports
// are the same as those built for it alone, whatever was built before
// them.
func TestReportsOfOneCacheAreThoseBuiltAlone(t *testing.T) {
	d := newDistrict(t)
	sync, _ := syncDistrict(t)
	for _, r := range []*store.Replica{d.r, sync} {
		communities, err := r.Communities(ctx)
		require.NoError(t, err)
		scopes := [][]string{nil}
		for _, c := range communities {
			scopes = append(scopes, []string{c.Code})
		}
		scopes = append(scopes, []string{communities[0].Code, communities[len(communities)-1].Code}, nil, []string{communities[0].Code})
		shared := report.NewScopeCache(ctx, r)
		for _, cs := range scopes {
			o := report.Options{On: on, Now: now, Communities: cs}
			want, err := report.BuildAll(ctx, r, o)
			require.NoError(t, err)
			got, err := report.BuildAllWith(ctx, r, o, shared)
			require.NoError(t, err)
			assert.Equal(t, jsonOf(t, want), jsonOf(t, got), "communities %s", strings.Join(cs, ","))
		}
	}
}

func jsonOf(t *testing.T, reps []*report.Report) string {
	t.Helper()
	var buf bytes.Buffer
	for _, r := range reps {
		require.NoError(t, r.WriteJSON(&buf))
	}
	return buf.String()
}
