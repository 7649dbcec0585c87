package syncsvc

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// RefusalRecord is a change the hub refused, as kept on the hub for the
// nightly summary and on the office for `office rejected`.
type RefusalRecord struct {
	Office   string
	Node     NodeID
	Seq      int64
	Table    string
	RecordID uuid.UUID
	// Code is "scope", "skew", "unknown_type" or "invalid".
	Code   string
	Reason string
	At     time.Time
	// State is RefusalOpen until a person resends the record
	// (RefusalResent) or discards it (RefusalDiscarded), at SettledAt,
	// with Note (the reason given for a discard). On the hub it stays open.
	State     string
	SettledAt time.Time
	Note      string
}

// RefusalCode classifies why a change was refused.
func RefusalCode(err error) string {
	switch {
	case errors.Is(err, ErrOutOfScope):
		return "scope"
	case errors.Is(err, ErrClockSkew):
		return "skew"
	case errors.Is(err, ErrUnknownType):
		return "unknown_type"
	}
	return "invalid"
}

// recordRefusals keeps refusals; a refusal seen again (a resent batch)
// is kept once.
func (r *Replica) recordRefusals(ctx context.Context, office string, node NodeID, refused []Refusal) error {
	if len(refused) == 0 {
		return nil
	}
	recs := make([]RefusalRecord, len(refused))
	for i, f := range refused {
		recs[i] = RefusalRecord{Office: office, Node: node, Seq: f.Change.Seq, Table: f.Change.Table, RecordID: f.Change.ID,
			Code: RefusalCode(f.Err), Reason: f.Err.Error(), At: r.now()}
	}
	return r.RecordRefusals(ctx, recs)
}

// RecordRefusals keeps refusal records: the hub keeps those it made, an
// office those the hub told it of. A record already kept (same node and
// position) is not kept twice.
func (r *Replica) RecordRefusals(ctx context.Context, recs []RefusalRecord) error {
	err := r.write(ctx, func(w *writeTx) error {
		for _, f := range recs {
			_, err := w.exec(`INSERT INTO refusals(office_id, node, seq, tbl, record_id, code, reason, at) VALUES(?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT(node, seq) DO NOTHING`,
				f.Office, f.Node.String(), f.Seq, f.Table, f.RecordID.String(), f.Code, f.Reason, f.At.UTC().Format(time.RFC3339))
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record refusals: %w", err)
	}
	return nil
}

// Refusals lists the refusals kept here, newest first; office "" lists all.
func (r *Replica) Refusals(ctx context.Context, office string) ([]RefusalRecord, error) {
	rows, err := r.rdb.QueryContext(ctx, `SELECT office_id, node, seq, tbl, record_id, code, reason, at,
		state, COALESCE(settled_at, ''), COALESCE(note, '') FROM refusals
		WHERE ? = '' OR office_id = ? ORDER BY at DESC, seq DESC`, office, office)
	if err != nil {
		return nil, fmt.Errorf("list refusals: %w", err)
	}
	defer rows.Close()
	out := []RefusalRecord{}
	for rows.Next() {
		var f RefusalRecord
		var node, id, at, settled string
		if err := rows.Scan(&f.Office, &node, &f.Seq, &f.Table, &id, &f.Code, &f.Reason, &at, &f.State, &settled, &f.Note); err != nil {
			return nil, fmt.Errorf("list refusals: %w", err)
		}
		f.Node, _ = uuid.Parse(node)
		f.RecordID, _ = uuid.Parse(id)
		f.At, _ = time.Parse(time.RFC3339, at)
		f.SettledAt, _ = time.Parse(time.RFC3339, settled)
		out = append(out, f)
	}
	return out, rows.Err()
}
