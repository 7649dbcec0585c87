package syncsvc_test

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// TestPushChild is the office process that TestOfficeKilledWhilePushing
// kills: it syncs its replica and reports each pushed batch on stdout.
func TestPushChild(t *testing.T) {
	path := os.Getenv("WANXIA_PUSH_CHILD")
	if path == "" {
		t.Skip("run by TestOfficeKilledWhilePushing")
	}
	r, err := store.Open(ctx, path, syncsvc.Options{})
	require.NoError(t, err)
	agent, err := transport.NewAgent(r.Replica, transport.ClientConfig{HubURL: os.Getenv("WANXIA_PUSH_HUB"), Token: os.Getenv("WANXIA_PUSH_TOKEN"), HTTPClient: h2cClient()}, syncsvc.AgentOptions{BatchSize: 100, Progress: func(p syncsvc.Progress) {
		if p.Phase == "push" {
			fmt.Printf("pushed %d\n", p.Done)
		}
	}})
	require.NoError(t, err)
	_, err = agent.Sync(ctx)
	require.NoError(t, err)
	fmt.Println("done")
}

// TestOfficeKilledWhilePushing kills an office process with SIGKILL in the
// middle of pushing 1,500 new cadres (15 batches), then syncs it again:
// exactly 1,500 arrive at the hub, none twice. WANXIA_LONG=1 pushes 5,000
// and kills it five times.
func TestOfficeKilledWhilePushing(t *testing.T) {
	total, kills := 1500, 1
	if longRun() {
		total, kills = 5000, 5
	}
	s := &servedHub{t: t, path: filepath.Join(t.TempDir(), "hub.db"), addr: "127.0.0.1:0"}
	s.start()
	defer s.stop()
	_, token, err := s.r.AddOffice(ctx, "sy", "舜园", []string{"sy"})
	require.NoError(t, err)

	path := filepath.Join(t.TempDir(), "office.db")
	office, err := store.Open(ctx, path, syncsvc.Options{})
	require.NoError(t, err)
	for start := 0; start < total; start += 500 {
		err := office.Update(ctx, func(tx *store.Tx) error {
			for i := start; i < start+500; i++ {
				c := testkit.Cadre(i, "sy")
				c.Name = fmt.Sprintf("测试%05d", i)
				if _, err := tx.PutCadre(&c); err != nil {
					return err
				}
			}
			return nil
		})
		require.NoError(t, err)
	}
	require.NoError(t, office.Close())

	for k := range kills {
		killAt := total/25 + rand.IntN(total*4/5) // 200–4,200 of 5,000
		cmd := exec.Command(os.Args[0], "-test.run=^TestPushChild$")
		cmd.Env = append(os.Environ(), "WANXIA_PUSH_CHILD="+path, "WANXIA_PUSH_HUB=http://"+s.addr, "WANXIA_PUSH_TOKEN="+token)
		out, err := cmd.StdoutPipe()
		require.NoError(t, err)
		require.NoError(t, cmd.Start())
		killed := false
		lines := bufio.NewScanner(out)
		for lines.Scan() {
			n, ok := strings.CutPrefix(lines.Text(), "pushed ")
			if done, _ := strconv.Atoi(n); ok && done >= killAt {
				require.NoError(t, cmd.Process.Kill())
				killed = true
				break
			}
		}
		cmd.Wait()
		t.Logf("kill %d at %d pushed: killed=%v", k, killAt, killed)
	}

	office, err = store.Open(ctx, path, syncsvc.Options{})
	require.NoError(t, err)
	defer office.Close()
	agent, err := transport.NewAgent(office.Replica, transport.ClientConfig{HubURL: "http://" + s.addr, Token: token, HTTPClient: h2cClient()}, syncsvc.AgentOptions{RetryDelay: 10 * time.Millisecond})
	require.NoError(t, err)
	_, err = agent.Sync(ctx)
	require.NoError(t, err)

	all, err := s.r.Cadres(ctx, store.CadreFilter{})
	require.NoError(t, err)
	assert.Len(t, all, total)
	last, err := s.r.LastSeq(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, total+1, last, "the cadres and the community, none logged twice")
	n, err := office.OutboxLen(ctx)
	require.NoError(t, err)
	assert.Zero(t, n)
}
