package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOfficeListsHelpers: helpers are district data; an office lists those
// it received, with the pairs of its own communities.
func TestOfficeListsHelpers(t *testing.T) {
	o := newCareOffice(t)
	var none []helperJSON
	o.okJSON(&none, "helper", "list")
	assert.Equal(t, []helperJSON{}, none, "none before the first sync brings them")
	o.pairAtHub(t)
	var hs []helperJSON
	o.okJSON(&hs, "helper", "list", "--on", "2026-11-28")
	require.Len(t, hs, 1)
	assert.Equal(t, "王立军", hs[0].Name)
	assert.Equal(t, 3, hs[0].Pairs)
	out := o.ok("helper", "list", "--on", "2026-11-28")
	assert.Contains(t, out, "王立军")
	assert.Contains(t, out, "已结对")
	res := o.run("helper", "add", "--name", "x")
	assert.Equal(t, 2, res.code, "an office does not add helpers")
}
