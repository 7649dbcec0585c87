package web

import "time"

// maxUpload bounds a roster uploaded for import (a district's whole roster
// as .xlsx is a few MiB).
const maxUpload = 32 << 20

// upload is a roster uploaded for a preview, kept in the reader's session
// until the import is confirmed or the session ends, so that what is
// imported is exactly what was previewed.
type upload struct {
	name  string
	data  []byte
	asOf  time.Time
	sheet string
}
