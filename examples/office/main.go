// Command office shows an office program using the library directly: it
// opens its replica, records a cadre, and syncs with the district hub.
//
//	go run ./examples/hub &                      # prints the token of office sy
//	go run ./examples/office --hub http://127.0.0.1:8080 --token TOKEN
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "office:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("office", flag.ContinueOnError)
	hubURL := fs.String("hub", "http://127.0.0.1:8080", "the hub's URL")
	token := fs.String("token", os.Getenv("WANXIA_TOKEN"), "the office's token (or WANXIA_TOKEN)")
	db := fs.String("db", "example-office.db", "the office's replica")
	if err := fs.Parse(args); err != nil {
		return err
	}

	replica, err := store.Open(ctx, *db, syncsvc.Options{})
	if err != nil {
		return err
	}
	defer replica.Close()

	// A cadre registered offline: the ID number gives birth date and gender.
	c := cadre.Cadre{
		Name:      "王秀兰",
		IDNumber:  "370102194403150020",
		Category:  cadre.Tuixiu,
		RetiredOn: cadre.NewDate(1999, 4, 1),
		Rank:      cadre.RankSection,
		Party:     cadre.PartyFull,
		Health:    cadre.HealthChronic,
		Living:    cadre.LivingAlone,
		Community: "sy",
	}
	c.Normalize()
	if existing, err := replica.CadreByIDNumber(ctx, c.IDNumber); err == nil {
		c.ID = existing.ID // already registered: this updates the record
	}
	if _, err := replica.PutCadre(ctx, &c); err != nil {
		return err
	}
	on := cadre.DateOf(time.Now().In(syncsvc.Shanghai()))
	fmt.Fprintf(stdout, "recorded %s, aged %d, care tier %d\n", c.Name, c.Age(on), c.NeedTier(on, cadre.DefaultPolicy()))

	agent, err := transport.NewAgent(replica.Replica, transport.ClientConfig{HubURL: *hubURL, Token: *token}, syncsvc.AgentOptions{})
	if err != nil {
		return err
	}
	rep, err := agent.Sync(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "synced with the hub as office %s: pushed %d, pulled %d\n", rep.Office, rep.Pushed, rep.Pulled)
	return nil
}
