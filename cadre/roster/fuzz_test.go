package roster_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/cadre/roster"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// FuzzRead checks that Read never panics, that every row it keeps is valid,
// and that the rows it keeps survive Write and Read unchanged. Its seeds in
// testdata/fuzz/FuzzRead run with every go test.
func FuzzRead(f *testing.F) {
	for _, s := range []string{bureauRoster, zhSample, enSample, shuffledSample, "\uFEFF" + zhSample, minHeader + "\n" + minRow("王", "3.70102E+17")} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := roster.Read(bytes.NewReader(data), testkit.FixedNow())
		if err != nil {
			return
		}
		kept := make([]cadre.Cadre, len(res.Rows))
		line := 0
		for i, r := range res.Rows {
			require.Greater(t, r.Line, line, "rows in file order")
			line = r.Line
			require.NoError(t, r.Cadre.Validate(testkit.FixedNow()))
			kept[i] = r.Cadre
		}
		var buf bytes.Buffer
		require.NoError(t, roster.Write(&buf, kept, cadre.Chinese))
		again, err := roster.Read(&buf, testkit.FixedNow())
		require.NoError(t, err)
		require.Empty(t, again.Errors)
		got := make([]cadre.Cadre, len(again.Rows))
		for i, r := range again.Rows {
			got[i] = r.Cadre
		}
		require.Equal(t, kept, got)
	})
}
