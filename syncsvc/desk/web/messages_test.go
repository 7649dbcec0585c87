package web

import (
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/cadre/roster"
)

// TestMessageTablesHaveTheSameKeys: a key in one language is in the
// other, so that no page falls back to a mix of the two.
func TestMessageTablesHaveTheSameKeys(t *testing.T) {
	var onlyZH, onlyEN []string
	for k := range messagesZH {
		if _, ok := messagesEN[k]; !ok {
			onlyZH = append(onlyZH, k)
		}
	}
	for k := range messagesEN {
		if _, ok := messagesZH[k]; !ok {
			onlyEN = append(onlyEN, k)
		}
	}
	sort.Strings(onlyZH)
	sort.Strings(onlyEN)
	assert.Empty(t, onlyZH, "keys with no English")
	assert.Empty(t, onlyEN, "keys with no Chinese")
}

// TestEnglishHasNoChineseAndChineseIsChinese: the English table holds no
// Chinese character, and each Chinese message has one (separators and
// formats aside).
func TestEnglishHasNoChineseAndChineseIsChinese(t *testing.T) {
	han := func(s string) bool {
		return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
	}
	for k, v := range messagesEN {
		assert.False(t, han(v), "messagesEN[%q] = %q has Chinese", k, v)
	}
	formatOnly := regexp.MustCompile(`^[\s%sdv：；。，、·()（）/:-]*$`)
	for k, v := range messagesZH {
		if formatOnly.MatchString(v) {
			continue
		}
		assert.True(t, han(v), "messagesZH[%q] = %q has no Chinese", k, v)
	}
}

// TestTemplatesAndCodeUseOnlyKnownKeys: every key a template or the code
// asks for literally is in the tables.
func TestTemplatesAndCodeUseOnlyKnownKeys(t *testing.T) {
	keyRE := regexp.MustCompile(`\.T "([a-zA-Z0-9_.]+)"|\bp\.T\("([a-zA-Z0-9_.]+)"|label: "([a-zA-Z0-9_.]+)"|Key: "([a-zA-Z0-9_.]+)"`)
	var used []string
	check := func(name string, src []byte) {
		for _, m := range keyRE.FindAllStringSubmatch(string(src), -1) {
			for _, k := range m[1:] {
				if k != "" {
					used = append(used, k)
					assert.Contains(t, messagesZH, k, "%s uses %q", name, k)
				}
			}
		}
	}
	tmpls, err := fs.Glob(files, "templates/*.html")
	require.NoError(t, err)
	partials, err := fs.Glob(files, "templates/partials/*.html")
	require.NoError(t, err)
	for _, f := range append(tmpls, partials...) {
		src, err := fs.ReadFile(files, f)
		require.NoError(t, err)
		check(f, src)
	}
	require.NotEmpty(t, used)
}

// TestChineseFieldNamesAreTheRostersHeaders: a page names a field in
// Chinese as the roster's header does (the English table has plain words
// where a roster's English header is its key).
func TestChineseFieldNamesAreTheRostersHeaders(t *testing.T) {
	n := 0
	for k, v := range messagesZH {
		if field, ok := strings.CutPrefix(k, "fieldname."); ok {
			n++
			assert.Equal(t, roster.FieldHeader(field, cadre.Chinese), v, field)
		}
	}
	assert.Equal(t, 24, n, "every field of the contract, and the position")
}
