package care_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
)

// TestChoicesAreEveryKindInOrder: a form offers every kind, each valid and
// labelled, the usual one first.
func TestChoicesAreEveryKindInOrder(t *testing.T) {
	vs := care.VisitKinds()
	assert.Len(t, vs, 7)
	assert.Equal(t, care.VisitHome, vs[0])
	for _, k := range vs {
		assert.True(t, k.Valid(), k)
		assert.NotEqual(t, string(k), k.Label(cadre.Chinese))
	}
	hs := care.HelpKinds()
	assert.Len(t, hs, 4)
	for _, k := range hs {
		assert.True(t, k.Valid(), k)
	}
}
