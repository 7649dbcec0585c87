package syncsvc_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// A program declares a record type of its own and the engine stores,
// logs and syncs it: here a note kept per community, written and read
// back in one transaction.
func Example() {
	dir, err := os.MkdirTemp("", "wanxia-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	notes := syncsvc.RecordType{
		Name:   "notes",
		Fields: []syncsvc.Field{syncsvc.Col("community", syncsvc.Text), syncsvc.Col("title", syncsvc.Text)},
		Scope:  syncsvc.ScopeByColumn("community"),
	}
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 11, 28, 9, 0, 0, 0, syncsvc.Shanghai()) }
	r, err := store.Open(ctx, filepath.Join(dir, "office.db"), syncsvc.Options{Types: []syncsvc.RecordType{notes}, Now: now})
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()

	err = r.Update(ctx, func(tx *store.Tx) error {
		for _, title := range []string{"重阳节座谈", "冬季送温暖"} {
			if _, err := tx.Put("notes", uuid.Must(uuid.NewV7()), map[string]any{"community": "sy", "title": title}); err != nil {
				return err
			}
		}
		// Reads in a transaction see its own writes.
		recs, err := tx.Query("notes", "community=? ORDER BY title", "sy")
		if err != nil {
			return err
		}
		for _, rec := range recs {
			fmt.Println(rec.Values["title"])
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	n, err := r.OutboxLen(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("changes waiting for the hub:", n)
	// Output:
	// 冬季送温暖
	// 重阳节座谈
	// changes waiting for the hub: 2
}
