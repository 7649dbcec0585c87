// Command hub shows the district hub embedded in a program's own HTTP
// server: the sync service is one handler among the program's routes.
//
//	go run ./examples/hub --addr 127.0.0.1:8080 --db example-hub.db
//
// It registers an office "sy" (舜园社区) on first start and prints its
// token, so that examples/office can sync with it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, nil); err != nil {
		fmt.Fprintln(os.Stderr, "hub:", err)
		os.Exit(1)
	}
}

// run serves until ctx ends. When ready is not nil it receives the
// address once the server listens.
func run(ctx context.Context, args []string, stdout io.Writer, ready chan<- string) error {
	fs := flag.NewFlagSet("hub", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	db := fs.String("db", "example-hub.db", "the hub's database file")
	if err := fs.Parse(args); err != nil {
		return err
	}

	replica, err := store.Open(ctx, *db, syncsvc.Options{Role: syncsvc.RoleHub})
	if err != nil {
		return err
	}
	defer replica.Close()
	if _, token, err := replica.AddOffice(ctx, "sy", "舜园社区办公室", []string{"sy"}); err == nil {
		fmt.Fprintf(stdout, "office sy registered; its token (shown once): %s\n", token)
	} else if !errors.Is(err, syncsvc.ErrOfficeExists) {
		return err
	}
	hub, err := syncsvc.NewHub(replica, syncsvc.HubOptions{})
	if err != nil {
		return err
	}

	// The program's own routes, with the hub mounted beside them.
	mux := http.NewServeMux()
	mux.Handle("/", transport.Handler(hub))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok\n") })
	srv := transport.NewServer(*addr, mux)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "hub listening on http://%s\n", ln.Addr())
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return srv.Shutdown(context.Background())
	}
}
