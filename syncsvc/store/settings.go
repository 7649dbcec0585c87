package store

import (
	"context"
	"fmt"
	"regexp"

	"github.com/google/uuid"
	"github.com/wanxia/wanxia/syncsvc"
)

// SettingsTable holds the district's settings: the numbers that the
// domain's rules take as settings (pair capacity, visit periods, the
// walking radius…), each a key and its value as text. They are district
// data: written at the hub, replicated to every office. Package
// syncsvc/settings knows the keys, checks values and turns them into the
// rules' settings.
const SettingsTable = "district_settings"

// SettingType declares the district settings' record type.
func SettingType() syncsvc.RecordType {
	return syncsvc.RecordType{
		Name:    SettingsTable,
		Fields:  []syncsvc.Field{syncsvc.Col("key", syncsvc.Text), syncsvc.Col("value", syncsvc.Text)},
		Scope:   syncsvc.ScopeDistrict(),
		Indexes: [][]string{{"key"}},
	}
}

// settingNamespace makes a setting's record id from its key, so that
// setting one key twice writes one record.
var settingNamespace = uuid.MustParse("6f1c2a4e-8d1b-4e57-9a43-2c7d0b9e5f11")

var settingKeyRE = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$`)

// Setting is one district setting as stored.
type Setting struct {
	ID    uuid.UUID
	Key   string
	Value string
}

var settingKind = kind[Setting]{
	table: SettingsTable, noun: "district setting",
	id:     func(s *Setting) *uuid.UUID { return &s.ID },
	values: func(s *Setting) map[string]any { return map[string]any{"key": text(s.Key), "value": text(s.Value)} },
	decode: func(d *fieldReader) Setting { return Setting{ID: d.id(), Key: d.str("key"), Value: d.str("value")} },
	check: func(tx *syncsvc.Tx, s *Setting) error {
		if tx.Role() != syncsvc.RoleHub {
			return fmt.Errorf("district settings are written at the hub: %w", syncsvc.ErrNotHub)
		}
		if !settingKeyRE.MatchString(s.Key) {
			return fmt.Errorf("%w: setting key %q", syncsvc.ErrInvalidChange, s.Key)
		}
		s.ID = uuid.NewSHA1(settingNamespace, []byte(s.Key))
		return nil
	},
}

// PutSetting stores a district setting's value, as text; an empty value
// means the rule's default. Hub only (ErrNotHub elsewhere). Package
// syncsvc/settings checks the value before it calls this.
func (r *Replica) PutSetting(ctx context.Context, key, value string) (bool, error) {
	return settingKind.putAlone(ctx, r, &Setting{Key: key, Value: value})
}

// SettingValues returns the district settings that are set (not empty),
// by key.
func (r *Replica) SettingValues(ctx context.Context) (map[string]string, error) {
	all, err := settingKind.list(r.Reader(ctx), "ORDER BY key")
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(all))
	for _, s := range all {
		if s.Value != "" {
			out[s.Key] = s.Value
		}
	}
	return out, nil
}
