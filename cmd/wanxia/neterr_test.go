package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wanxia/wanxia/syncsvc/testkit"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// netFault is the line office sync ends with when the network failed.
const netFault = "网络中断或 hub 无法连接：本机数据都在，未丢失；网络恢复后再运行 wanxia office sync"

// linkProxy is a TCP proxy on loopback between an office and its hub that
// can stall every call (the connection stays open, nothing is forwarded)
// or cut every answer short after its headers and one byte of its body.
type linkProxy struct {
	ln            net.Listener
	target        string
	stall, cut    atomic.Bool
	mu            sync.Mutex
	conns         []net.Conn
	stalled, cuts atomic.Int64
}

func newLinkProxy(t *testing.T, target string) *linkProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p := &linkProxy{ln: ln, target: target}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			p.conns = append(p.conns, c)
			p.mu.Unlock()
			go p.serve(c)
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, c := range p.conns {
			c.Close()
		}
	})
	return p
}

func (p *linkProxy) url() string { return "http://" + p.ln.Addr().String() }

func (p *linkProxy) serve(c net.Conn) {
	defer c.Close()
	if p.stall.Load() {
		p.stalled.Add(1)
		_, _ = io.Copy(io.Discard, c) // accept, read, never answer
		return
	}
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	defer up.Close()
	go func() { _, _ = io.Copy(up, c) }()
	br := bufio.NewReader(up)
	if !p.cut.Load() {
		_, _ = io.Copy(c, br)
		return
	}
	var head []byte
	for {
		line, err := br.ReadBytes('\n')
		head = append(head, line...)
		if err != nil {
			return
		}
		if len(line) <= 2 {
			break
		}
	}
	if b, err := br.ReadByte(); err == nil {
		_, _ = c.Write(append(head, b))
		p.cuts.Add(1)
	}
}

// netHub is a hub over a real SQLite file served on loopback, with one
// office of community sy registered; now is the hub's clock.
type netHub struct {
	r     *store.Replica
	srv   *httptest.Server
	token string
}

func startNetHub(t *testing.T, now func() time.Time, opts syncsvc.HubOptions) *netHub {
	t.Helper()
	r, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "hub.db"), syncsvc.Options{Role: syncsvc.RoleHub, Now: now})
	require.NoError(t, err)
	t.Cleanup(func() { r.Close() })
	_, token, err := r.AddOffice(context.Background(), "sy-1", "舜园社区办公室", []string{"sy"})
	require.NoError(t, err)
	hub, err := syncsvc.NewHub(r, opts)
	require.NoError(t, err)
	srv := httptest.NewServer(transport.Handler(hub))
	t.Cleanup(srv.Close)
	return &netHub{r: r, srv: srv, token: token}
}

// pointAt makes an office's replica call the hub at url from now on.
func pointAt(t *testing.T, o *office, url string) {
	t.Helper()
	r, err := store.Open(context.Background(), o.db, syncsvc.Options{})
	require.NoError(t, err)
	require.NoError(t, r.SetMeta(context.Background(), map[string]string{metaHubURL: url}))
	require.NoError(t, r.Close())
}

func TestOfficeSyncToldANetworkFaultFromARefusal(t *testing.T) {
	h := startNetHub(t, time.Now, syncsvc.HubOptions{})
	p := newLinkProxy(t, h.srv.Listener.Addr().String())
	o := newOffice(t, "sy-1", h.token, p.url())
	o.addCadre("李秀英", testkit.IDNumberFor("370102", "19491231", 2), "sy")
	require.Equal(t, 1.0, o.outbox())

	t.Run("a stalled link", func(t *testing.T) {
		p.stall.Store(true)
		defer p.stall.Store(false)
		start := time.Now()
		res := o.run("sync", "--timeout", "300ms", "--retries", "1")
		t.Log(res.stderr)
		assert.Less(t, time.Since(start), 5*time.Second, "the sync gave up within its deadlines")
		assert.Equal(t, 1, res.code, res.stderr)
		assert.Contains(t, res.stderr, netFault)
		assert.Contains(t, res.stderr, "hub 长时间没有响应")
		assert.Contains(t, res.stderr, "hub 无响应，重试 1/1", "the retry is shown as progress")
		assert.NotContains(t, res.stderr, "拒绝")
		assert.GreaterOrEqual(t, p.stalled.Load(), int64(2))
		assert.Equal(t, 1.0, o.outbox(), "nothing lost")

		res = o.run("sync", "--timeout", "300ms", "--retries", "0", "--lang", "en")
		assert.Equal(t, 1, res.code)
		assert.Contains(t, res.stderr, "the network failed or the hub cannot be reached: all of this office's data is here, nothing is lost")
	})

	t.Run("answers cut off in the middle", func(t *testing.T) {
		p.cut.Store(true)
		defer p.cut.Store(false)
		res := o.run("sync", "--retries", "1")
		assert.Equal(t, 1, res.code, res.stderr)
		assert.Contains(t, res.stderr, netFault)
		assert.Contains(t, res.stderr, "连接中途断开")
		assert.NotContains(t, res.stderr, "拒绝")
		assert.GreaterOrEqual(t, p.cuts.Load(), int64(2), "cut, then cut again on the retry")
		assert.Equal(t, 1.0, o.outbox())
	})

	t.Run("a dead port", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		dead := "http://" + ln.Addr().String()
		require.NoError(t, ln.Close())
		pointAt(t, o, dead)
		defer pointAt(t, o, p.url())
		res := o.run("sync", "--retries", "0")
		assert.Equal(t, 1, res.code, res.stderr)
		assert.Contains(t, res.stderr, netFault)
		assert.Contains(t, res.stderr, "连不上 hub，它的地址上没有服务在运行")
		assert.NotContains(t, res.stderr, "拒绝")
		assert.Equal(t, 1.0, o.outbox())
	})

	t.Run("the link is back", func(t *testing.T) {
		out := o.ok("sync")
		assert.Contains(t, out, "已同步：推送 1 条更改")
		assert.Zero(t, o.outbox())
	})

	t.Run("a revoked token is the hub refusing", func(t *testing.T) {
		o.addCadre("王立军", testkit.IDNumberFor("370102", "19380214", 3), "sy")
		require.NoError(t, h.r.RevokeOffice(context.Background(), "sy-1"))
		res := o.run("sync")
		assert.Equal(t, 1, res.code, res.stderr)
		assert.Contains(t, res.stderr, "hub 拒绝了本办公室的令牌")
		assert.Contains(t, res.stderr, "wanxia office init --token")
		assert.NotContains(t, res.stderr, "网络")
		assert.Equal(t, 1.0, o.outbox())
	})
}

func TestOfficeSyncRefusedForAnOldProgramSaysUpgrade(t *testing.T) {
	h := startNetHub(t, time.Now, syncsvc.HubOptions{})
	o := newOffice(t, "sy-1", h.token, h.srv.URL)
	o.addCadre("李秀英", testkit.IDNumberFor("370102", "19491231", 2), "sy")
	strict, err := syncsvc.NewHub(h.r, syncsvc.HubOptions{MinSchemaVersion: syncsvc.SchemaVersion() + 1})
	require.NoError(t, err)
	srv := httptest.NewServer(transport.Handler(strict))
	defer srv.Close()
	pointAt(t, o, srv.URL)
	res := o.run("sync")
	assert.Equal(t, 1, res.code, res.stderr)
	assert.Contains(t, res.stderr, "wanxia 版本太旧")
	assert.Contains(t, res.stderr, "升级 wanxia")
	assert.NotContains(t, res.stderr, "网络")
	assert.Equal(t, 1.0, o.outbox())
}

func TestOfficeSyncWithAFastClockSaysHowFastAndStillPulls(t *testing.T) {
	// The hub's clock is an hour behind the command's: to the hub, the
	// office's clock is an hour fast.
	h := startNetHub(t, func() time.Time { return testkit.FixedNow().Add(-time.Hour) }, syncsvc.HubOptions{})
	_, other, err := h.r.AddOffice(context.Background(), "sy-2", "舜园二", []string{"sy"})
	require.NoError(t, err)
	o := newOffice(t, "sy-1", h.token, h.srv.URL)
	o.addCadre("李秀英", testkit.IDNumberFor("370102", "19491231", 2), "sy")

	// Another office's cadre, already at the hub.
	o2db := filepath.Join(t.TempDir(), "o2.db")
	r2, err := store.Open(context.Background(), o2db, syncsvc.Options{Now: func() time.Time { return testkit.FixedNow().Add(-time.Hour) }})
	require.NoError(t, err)
	c := cadre.Cadre{Name: "张志强", IDNumber: testkit.IDNumberFor("370102", "19280512", 3), Category: cadre.Lixiu, Rank: cadre.RankSection,
		Party: cadre.PartyFull, Health: cadre.HealthGood, Living: cadre.LivingSpouse, Community: "sy"}
	c.Normalize()
	c.RetiredOn = cadre.NewDate(1990, 5, 1)
	_, err = r2.PutCadre(context.Background(), &c)
	require.NoError(t, err)
	a2, err := transport.NewAgent(r2.Replica, transport.ClientConfig{HubURL: h.srv.URL, Token: other}, syncsvc.AgentOptions{})
	require.NoError(t, err)
	_, err = a2.Sync(context.Background())
	require.NoError(t, err)
	require.NoError(t, r2.Close())

	res := o.run("sync")
	t.Log(res.stderr)
	assert.Equal(t, 1, res.code, res.stderr)
	assert.Contains(t, res.stderr, "本机时钟快了 60 分钟，请校准时间后再同步；已录入的内容都在本机")
	assert.Contains(t, res.stderr, "其他办公室的更新已拉取")
	assert.NotContains(t, res.stderr, "网络")
	assert.Equal(t, 1.0, o.outbox(), "nothing lost")
	var list []map[string]any
	o.okJSON(&list, "cadre", "list")
	assert.ElementsMatch(t, []string{"李秀英", "张志强"}, names(t, list), "the others' work arrived all the same")
}

func TestSyncFailuresAreWordedByKind(t *testing.T) {
	const hubURL = "http://hub.example:8080"
	line := func(ctx context.Context, lang cadre.Lang, err error) string {
		var out, errOut bytes.Buffer
		a := &app{stdout: &out, stderr: &errOut, lang: lang, now: testkit.FixedNow}
		l, code := a.errorLine(nil, a.syncFailed(ctx, err, syncsvc.SyncReport{}, hubURL))
		assert.Equal(t, 1, code)
		return l
	}
	ctx := context.Background()
	for _, err := range []error{
		syncsvc.NewHubError(syncsvc.ErrHubUnreachable, "read message: unexpected EOF"),
		syncsvc.NewHubError(syncsvc.ErrHubUnreachable, `Post "http://hub.example:8080/wanxia.sync.v1.SyncService/Push": context canceled`),
		syncsvc.NewHubError(syncsvc.ErrHubUnreachable, "dial tcp 127.0.0.1:9: connect: connection refused"),
		syncsvc.NewHubError(syncsvc.ErrHubUnreachable, "the hub did not answer within 1m0s"),
		fmt.Errorf("push: %w", syncsvc.NewHubError(syncsvc.ErrHubUnreachable, "read tcp: connection reset by peer")),
	} {
		l := line(ctx, cadre.Chinese, err)
		assert.Contains(t, l, netFault, "%v", err)
		assert.NotContains(t, l, "拒绝", "%v", err)
		assert.Contains(t, line(ctx, cadre.English, err), "the network failed or the hub cannot be reached")
	}
	for _, c := range []struct {
		kind error
		msg  string
		want string
	}{
		{syncsvc.ErrPermission, "not permitted", "hub 拒绝：本办公室无权这样同步（hub 的说明：not permitted）"},
		{syncsvc.ErrNodeOfOtherOffice, "node belongs to another office", "这台电脑已登记在另一个办公室名下"},
		{syncsvc.ErrInvalidChange, "invalid change", "hub 拒绝了这次同步发来的数据"},
		{syncsvc.ErrHubRefused, "something else", "hub 拒绝同步（hub 的说明：something else）"},
		{syncsvc.ErrUnauthenticated, "unknown token", "hub 拒绝了本办公室的令牌"},
		{syncsvc.ErrDamaged, "database file is damaged", "hub 的数据库损坏了，这次没有同步"},
		{syncsvc.ErrHubBusy, "the hub is busy: try again in 1s", "hub 正忙，一直没有空接待本办公室"},
	} {
		l := line(ctx, cadre.Chinese, fmt.Errorf("hello: %w", syncsvc.NewHubError(c.kind, c.msg)))
		assert.Contains(t, l, c.want)
		assert.Contains(t, l, "本机数据都在，未丢失")
		assert.NotContains(t, l, "网络")
	}
	// Cancelled by the person at the keyboard (Ctrl-C): interrupted, not a fault.
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	l := line(cancelled, cadre.Chinese, context.Canceled)
	assert.Contains(t, l, "同步已中断")
	// The skew refusal as the hub words it, with the offset Hello measured.
	var out, errOut bytes.Buffer
	a := &app{stdout: &out, stderr: &errOut, lang: cadre.Chinese, now: testkit.FixedNow}
	skew := syncsvc.NewHubError(syncsvc.ErrClockSkew, fmt.Sprintf("%v: change 1 is stamped …", syncsvc.ErrClockSkew))
	l, _ = a.errorLine(nil, a.syncFailed(ctx, skew, syncsvc.SyncReport{ClockOffset: -90 * time.Minute}, hubURL))
	assert.Contains(t, l, "本机时钟快了 90 分钟，请校准时间后再同步；已录入的内容都在本机")
	raw, _ := json.Marshal(l)
	assert.NotContains(t, string(raw), "\\n", "one line")
	assert.False(t, strings.Contains(l, "refused"))
}
