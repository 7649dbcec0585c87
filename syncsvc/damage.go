package syncsvc

import (
	"fmt"
)

// Damaged is what a call to the hub answers when it failed: err itself,
// or, when err shows that the hub's database is damaged (SQLite finds it
// malformed: IsDamaged), an error wrapping ErrDamaged that says so for the
// office to show, with SQLite's words logged (no data from the records).
// The office's work is kept: what it could not push stays in its outbox.
// procedure names the call, for the log.
func (h *Hub) Damaged(procedure string, err error) error {
	if err == nil || !IsDamaged(err) {
		return err
	}
	h.log.Error("the hub's database is damaged: stop hub serve and restore it with wanxia hub restore",
		"procedure", procedure, "err", damageText(err))
	return fmt.Errorf("%w: the hub's database is damaged; its administrator must restore it from a backup (wanxia hub restore); the office's work is kept", ErrDamaged)
}
