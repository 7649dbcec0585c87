package roster

import (
	"encoding/csv"
	"fmt"
	"io"

	"github.com/wanxia/wanxia/cadre"
)

// Write writes cadres as a CSV roster in UTF-8 with the header row of
// Headers(lang). A Chinese roster has enumerations and yes/no columns as
// Chinese labels, an English one as codes and true/false; the pension is in
// yuan. Read gives back the same records, except the ID, which a roster
// does not carry.
//
// The file starts with a byte order mark, without which Excel on a Chinese
// Windows opens UTF-8 as GBK and shows the names garbled.
func Write(w io.Writer, cadres []cadre.Cadre, lang cadre.Lang) error {
	if _, err := w.Write(utf8BOM); err != nil {
		return fmt.Errorf("roster: writing: %w", err)
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(Headers(lang)); err != nil {
		return fmt.Errorf("roster: writing the header: %w", err)
	}
	rec := make([]string, len(columns))
	for i := range cadres {
		for j := range columns {
			rec[j] = columns[j].write(&cadres[i], lang)
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("roster: writing cadre %d: %w", i+1, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("roster: writing: %w", err)
	}
	return nil
}
