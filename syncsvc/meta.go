package syncsvc

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Meta returns a setting kept in the replica ("" when unset). The office
// keeps its hub URL, office id and token this way, in the 0600 file.
func (r *Replica) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := r.rdb.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", "x:"+key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read setting %s: %w", key, err)
	}
	return v, nil
}

// SetMeta stores settings in one transaction.
func (r *Replica) SetMeta(ctx context.Context, kv map[string]string) error {
	err := r.write(ctx, func(w *writeTx) error { return w.setMeta(kv) })
	if err != nil {
		return fmt.Errorf("store settings: %w", err)
	}
	return nil
}

// setMeta stores settings (SetMeta) in the write.
func (w *writeTx) setMeta(kv map[string]string) error {
	for k, v := range kv {
		if _, err := w.exec("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value", "x:"+k, v); err != nil {
			return err
		}
	}
	return nil
}

// DropOutside removes every record whose scope is not among scopes: what
// an office keeps after the hub narrowed its communities. Nothing is logged.
// A record with work the hub does not have — changes still in the outbox,
// or a change the hub refused that no person has resent or discarded yet —
// stays, with the records that follow it: a sync never deletes what exists
// nowhere else.
func (r *Replica) DropOutside(ctx context.Context, scopes []string) (int64, error) {
	if len(scopes) == 0 {
		return 0, fmt.Errorf("drop outside scopes: %w: no scopes given", ErrInvalidChange)
	}
	if outside, err := r.anyOutside(ctx, scopes); err != nil || !outside {
		// Nothing to drop (every sync of an office whose communities did
		// not change): no write transaction is begun.
		if err != nil {
			return 0, fmt.Errorf("drop outside scopes: %w", err)
		}
		return 0, nil
	}
	var n int64
	err := r.write(ctx, func(w *writeTx) error {
		// A scope set naming one of the scopes stays.
		scopes, err := expandScopes(ctx, w, scopes)
		if err != nil {
			return err
		}
		keep, err := w.localWork()
		if err != nil {
			return err
		}
		ph := strings.TrimSuffix(strings.Repeat("?,", len(scopes)), ",")
		args := make([]any, len(scopes))
		for i, s := range scopes {
			args[i] = s
		}
		for _, t := range r.order {
			w.touch(t.Name)
			if len(keep) == 0 {
				res, err := w.tx.ExecContext(ctx, fmt.Sprintf("DELETE FROM %s WHERE scope NOT IN (%s)", t.Name, ph), args...)
				if err != nil {
					return err
				}
				k, _ := res.RowsAffected()
				n += k
				continue
			}
			ids, err := queryIDs(ctx, w.tx, fmt.Sprintf("SELECT id FROM %s WHERE scope NOT IN (%s)", t.Name, ph), args...)
			if err != nil {
				return err
			}
			for _, id := range ids {
				kept, err := w.keeps(keep, t, id)
				if err != nil {
					return err
				}
				if kept {
					continue
				}
				if _, err := w.tx.ExecContext(ctx, fmt.Sprintf("DELETE FROM %s WHERE id=?", t.Name), id.String()); err != nil {
					return err
				}
				n++
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("drop outside scopes: %w", err)
	}
	return n, nil
}

// anyOutside reports whether any record's scope is outside scopes (scope
// sets naming one of them count as inside), in one read of every table.
// A record written outside after it looked is one written after
// DropOutside ran: the next sync drops it.
func (r *Replica) anyOutside(ctx context.Context, scopes []string) (bool, error) {
	tx, err := r.rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return false, err
	}
	defer tx.Rollback() //nolint:errcheck // read-only: nothing to keep
	if scopes, err = expandScopes(ctx, tx, scopes); err != nil {
		return false, err
	}
	ph := strings.TrimSuffix(strings.Repeat("?,", len(scopes)), ",")
	var q strings.Builder
	var args []any
	q.WriteString("SELECT ")
	for i, t := range r.order {
		if i > 0 {
			q.WriteString(" OR ")
		}
		fmt.Fprintf(&q, "EXISTS(SELECT 1 FROM %s WHERE scope NOT IN (%s))", t.Name, ph)
		for _, s := range scopes {
			args = append(args, s)
		}
	}
	if len(r.order) == 0 {
		return false, nil
	}
	var outside bool
	if err := tx.QueryRowContext(ctx, q.String(), args...).Scan(&outside); err != nil {
		return false, err
	}
	return outside, nil
}

// resetAcknowledged moves the acknowledged position to seq even backwards:
// when the hub reports less than the office holds (the hub was restored
// from a backup), the office sends again what the hub lost.
func (r *Replica) resetAcknowledged(ctx context.Context, seq int64) error {
	return r.write(ctx, func(w *writeTx) error {
		_, err := w.exec("INSERT INTO positions(key, seq) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET seq=excluded.seq", ackKey, seq)
		return err
	})
}

// dropMissing removes the records a snapshot did not hold, except those
// with work the hub does not have (changes still waiting in the outbox, an
// open refusal) and the records that follow them. Nothing is logged.
func (r *Replica) dropMissing(ctx context.Context, seen map[rowKey]bool) (int, error) {
	dropped := 0
	err := r.write(ctx, func(w *writeTx) error {
		keep, err := w.localWork()
		if err != nil {
			return err
		}
		for _, t := range r.order {
			ids, err := queryIDs(ctx, w, "SELECT id FROM "+t.Name)
			if err != nil {
				return err
			}
			for _, id := range ids {
				if seen[rowKey{t.Name, id}] {
					continue
				}
				kept, err := w.keeps(keep, t, id)
				if err != nil {
					return err
				}
				if kept {
					continue
				}
				w.touchRecord(t.Name, id)
				if _, err := w.exec("DELETE FROM "+t.Name+" WHERE id=?", id.String()); err != nil {
					return err
				}
				dropped++
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("drop what the snapshot lacks: %w", err)
	}
	return dropped, nil
}
