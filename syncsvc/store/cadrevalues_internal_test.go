package store

import (
	"testing"

	"github.com/wanxia/wanxia/cadre"
)

// cadreValues names every field CadreType declares and nothing else, and
// cadreFields counts them: a field added to one and not the other would
// be stored empty.
func TestCadreValuesNameEveryField(t *testing.T) {
	c := cadre.Cadre{Name: "王", Location: &cadre.Location{Lat: 36.6, Lng: 117}}
	values := cadreValues(&c)
	fields := CadreType().Fields
	if len(fields) != cadreFields || len(values) != cadreFields {
		t.Fatalf("CadreType declares %d fields, cadreValues gives %d, cadreFields is %d", len(fields), len(values), cadreFields)
	}
	for _, f := range fields {
		if _, ok := values[f.Name]; !ok {
			t.Errorf("no value for %s", f.Name)
		}
	}
}
