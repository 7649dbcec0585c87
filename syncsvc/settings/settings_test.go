package settings_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/settings"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

func TestSetLoadReset(t *testing.T) {
	ctx := context.Background()
	hub := testkit.OpenHub(t)
	rules, err := settings.Load(ctx, hub)
	require.NoError(t, err)
	assert.Equal(t, settings.Defaults(), rules, "nothing set: the rules' defaults")

	for k, v := range map[string]string{"policy.elderly_age": "75", "visits.contact_every_months": "2", "help.urgent_within_hours": "12.5", "venue.radius_metres": "600"} {
		changed, err := settings.Set(ctx, hub, k, v)
		require.NoError(t, err, k)
		assert.True(t, changed, k)
	}
	rules, err = settings.Load(ctx, hub)
	require.NoError(t, err)
	assert.Equal(t, 75, rules.Policy.ElderlyAge)
	assert.Equal(t, 75, rules.Venue.Policy.ElderlyAge, "the ages reach every rule that uses them")
	assert.Equal(t, 75, rules.Schedule.Policy.ElderlyAge)
	assert.Equal(t, 75, rules.Assign.Policy.ElderlyAge)
	assert.Equal(t, 2, rules.Schedule.ContactEveryMonths)
	assert.Equal(t, 12*time.Hour+30*time.Minute, rules.Help.UrgentWithin)
	assert.Equal(t, 600.0, rules.Venue.RadiusMetres)

	changed, err := settings.Set(ctx, hub, "venue.radius_metres", "600.0")
	require.NoError(t, err)
	assert.False(t, changed, "the same value in another spelling changes nothing")

	_, err = settings.Set(ctx, hub, "visits.contact_every_months", "5")
	assert.True(t, errors.Is(err, settings.ErrBadValue), "5 does not divide a year: %v", err)
	rules, err = settings.Load(ctx, hub)
	require.NoError(t, err)
	assert.Equal(t, 2, rules.Schedule.ContactEveryMonths, "a refused value is not stored")

	_, err = settings.Reset(ctx, hub, "policy.elderly_age")
	require.NoError(t, err)
	items, err := settings.List(ctx, hub)
	require.NoError(t, err)
	for _, it := range items {
		switch it.Key {
		case "policy.elderly_age":
			assert.False(t, it.Set)
			assert.Equal(t, "80", it.Value)
		case "visits.contact_every_months":
			assert.True(t, it.Set)
			assert.Equal(t, "2", it.Value)
			assert.Equal(t, "1", it.Default)
		}
	}
}

func TestOfficesDoNotWriteSettings(t *testing.T) {
	_, err := settings.Set(context.Background(), testkit.OpenOffice(t), "pairing.capacity", "4")
	assert.ErrorIs(t, err, syncsvc.ErrNotHub)
}

func TestEveryDefaultReadsBackAsItself(t *testing.T) {
	values := map[string]string{}
	for _, it := range mustList(t) {
		values[it.Key] = it.Default
	}
	rules, err := settings.Apply(values)
	require.NoError(t, err)
	assert.Equal(t, settings.Defaults(), rules)
}

func mustList(t *testing.T) []settings.Item {
	items, err := settings.List(context.Background(), testkit.OpenHub(t))
	require.NoError(t, err)
	require.NotEmpty(t, items)
	return items
}
