package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk/web"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// deskOptions are the flags of office desk.
type deskOptions struct {
	addr, certFile, keyFile string
	noBrowser               bool
	autoSync                time.Duration
}

func (a *app) deskCmd() *cobra.Command {
	var o deskOptions
	cmd := a.leaf("desk", "Open the office desk: the day's work as pages in the browser, served by this computer (127.0.0.1, a free port) until Ctrl-C", 0, func(cmd *cobra.Command, _ []string) error {
		if (o.certFile == "") != (o.keyFile == "") {
			return a.usage("--tls-cert 和 --tls-key 要一起给出", "give --tls-cert and --tls-key together")
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			return a.serveDesk(cmd.Context(), r, o)
		})
	})
	f := cmd.Flags()
	f.StringVar(&o.addr, "addr", "127.0.0.1:0", "address to listen on (port 0 picks a free port); another than 127.0.0.1 needs the password set with office desk password")
	f.BoolVar(&o.noBrowser, "no-browser", false, "do not open the browser; print the address only")
	f.StringVar(&o.certFile, "tls-cert", "", "TLS certificate file (with --tls-key), for a desk other computers reach")
	f.StringVar(&o.keyFile, "tls-key", "", "TLS key file (with --tls-cert)")
	f.DurationVar(&o.autoSync, "auto-sync", 0, "sync this often while the hub can be reached (default the office's setting, 5m; a negative value never)")
	cmd.AddCommand(a.deskPasswordCmd())
	return cmd
}

// serveDesk serves the desk until ctx ends.
func (a *app) serveDesk(ctx context.Context, r *store.Replica, o deskOptions) error {
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return a.fail(err, "不能在 %s 上打开工作台：%v；换一个 --addr", "cannot open the desk on %s: %v; choose another --addr", o.addr, a.libText(err))
	}
	defer ln.Close()
	loopback := isLoopback(ln.Addr())
	var tlsConf *tls.Config
	if o.certFile != "" {
		pair, err := tls.LoadX509KeyPair(o.certFile, o.keyFile)
		if err != nil {
			return a.fail(err, "读不了 TLS 证书或密钥：%v", "cannot load the TLS certificate or key: %v", a.libText(err))
		}
		tlsConf = &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
	}
	log := slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	desk, err := web.New(ctx, r, web.Options{Now: a.now, Lang: a.lang, RequirePassword: !loopback, LoopbackOnly: loopback,
		Secure: tlsConf != nil, AutoSync: o.autoSync, Logger: log})
	if errors.Is(err, web.ErrNoPassword) {
		return a.fail(err, "工作台要在 %s 上让别的电脑访问，必须先设置密码：运行 wanxia office desk password --db %s",
			"a desk that other computers reach on %s needs a password first: run wanxia office desk password --db %s", ln.Addr(), a.officeDB)
	}
	if err != nil {
		return err
	}
	defer desk.Close()
	if !loopback && tlsConf == nil {
		fmt.Fprintln(a.stderr, a.tf("警告：工作台在 %s 上不加密地服务（没有 --tls-cert）：密码和干部信息以明文经过网络；请只在可信的内部网络上这样用，或给出 --tls-cert 和 --tls-key",
			"warning: the desk serves %s without TLS (no --tls-cert): the password and cadre records cross the network in clear; do this only on a trusted internal network, or give --tls-cert and --tls-key", ln.Addr()))
	}
	srv := &http.Server{Handler: desk, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute, WriteTimeout: 5 * time.Minute,
		IdleTimeout: 2 * time.Minute, TLSConfig: tlsConf, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	served := make(chan error, 1)
	go func() {
		if tlsConf != nil {
			served <- srv.ServeTLS(ln, "", "")
			return
		}
		served <- srv.Serve(ln)
	}()
	url := deskURL(ln.Addr(), tlsConf != nil)
	a.printf("工作台已打开：%s（数据库 %s）；按 Ctrl-C 停止\n", "the office desk is open at %s (database %s); Ctrl-C stops it\n", url, a.officeDB)
	if !o.noBrowser {
		if err := openBrowser(url); err != nil {
			a.printf("没有能打开浏览器（%v）：请在浏览器中打开 %s\n", "could not open the browser (%v): open %s in a browser\n", err, url)
		}
	}
	autoCtx, stopAuto := context.WithCancel(ctx)
	defer stopAuto()
	go desk.AutoSync(autoCtx)
	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-served:
	}
	stopAuto()
	desk.Close()
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	_ = srv.Shutdown(shutdownCtx)
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return a.fail(serveErr, "工作台停止了：%v", "the desk stopped: %v", a.libText(serveErr))
	}
	a.printf("工作台已关闭；录入的内容都已保存\n", "the desk is closed; everything entered is kept\n")
	return nil
}

// deskURL is the address to open: a port on every interface is opened on
// this computer's loopback.
func deskURL(addr net.Addr, tls bool) string {
	scheme := "http"
	if tls {
		scheme = "https"
	}
	host := addr.String()
	if tcp, ok := addr.(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		host = net.JoinHostPort("127.0.0.1", fmt.Sprint(tcp.Port))
	}
	return scheme + "://" + host + "/"
}

// openBrowser opens url in the computer's default browser, without waiting
// for it.
func openBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	case "darwin":
		cmd = exec.Command("open", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}

func (a *app) deskPasswordCmd() *cobra.Command {
	return a.leaf("password", "Set the password the desk asks for when it listens on an address other computers reach (typed twice, or one line on standard input); kept hashed in the replica", 0, func(cmd *cobra.Command, _ []string) error {
		pw, err := a.readPassword(cmd.InOrStdin())
		if err != nil {
			return err
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			if err := web.SetPassword(cmd.Context(), r, pw); errors.Is(err, web.ErrShortPassword) {
				return a.fail(err, "密码太短：至少 %d 个字符", "the password is too short: give at least %d characters", web.MinPasswordRunes)
			} else if err != nil {
				return err
			}
			a.printf("工作台的密码已设置（只保存了它的散列值）\n", "the desk's password is set (only its hash is kept)\n")
			return nil
		})
	})
}

// readPassword reads the password: typed twice without echo on a
// terminal, else the first line of in.
func (a *app) readPassword(in io.Reader) (string, error) {
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(a.stderr, a.t("新密码：", "new password: "))
		one, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(a.stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(a.stderr, a.t("再输入一次：", "again: "))
		two, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(a.stderr)
		if err != nil {
			return "", err
		}
		if string(one) != string(two) {
			return "", a.fail(nil, "两次输入的密码不一样：没有设置，请再运行一次", "the two passwords differ: nothing set; run it again")
		}
		return string(one), nil
	}
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}
