package softphone_test

import (
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ringside/ringside/internal/testenv"
	"github.com/ringside/ringside/softphone"
	"github.com/ringside/ringside/softphone/softphonetest"
)

// Kamailio is killed (-9) and started again mid-test: both phones notice the
// lost connection, register again by themselves, and a new call works.
func TestKamailioRestart(t *testing.T) {
	env := privateKamailio(t)
	bobEar := softphonetest.NewProbe()
	bob := newPhone(t, env, 1, answerWith(func() softphone.Media {
		return softphone.Media{Source: &softphonetest.Tone{Freq: 1000}, Sink: bobEar}
	}))
	alice := newPhone(t, env, 0, nil)
	alice.registered()
	bob.registered()
	// A call that goes on across the restart.
	during, err := alice.Dial(ctxWait(t), env.Users[1].Name, softphone.Media{Source: &softphonetest.Tone{Freq: 440}})
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	duringIn := bob.incoming()

	ctl := func(cmd string) {
		t.Helper()
		if out, err := exec.Command(env.Ctl, cmd).CombinedOutput(); err != nil {
			t.Fatalf("%s %s: %v\n%s", env.Ctl, cmd, err, out)
		}
	}
	ctl("kill")
	lost := func(e softphone.Event) bool {
		r, ok := e.(softphone.RegistrationEvent)
		return ok && r.State != softphone.RegRegistered
	}
	alice.next("registration lost", lost)
	bob.next("registration lost", lost)
	ctl("start")
	alice.registered()
	bob.registered()
	refreshed := func(c *softphone.Call) func(softphone.Event) bool {
		return func(e softphone.Event) bool {
			r, ok := e.(softphone.CallRefreshedEvent)
			return ok && r.Call == c
		}
	}
	for _, r := range []softphone.CallRefreshedEvent{
		alice.next("call refreshed", refreshed(during)).(softphone.CallRefreshedEvent),
		bob.next("call refreshed", refreshed(duringIn)).(softphone.CallRefreshedEvent),
	} {
		if r.Err != nil {
			t.Errorf("refresh after reconnect: %v", r.Err)
		}
	}
	// The call survived: bob's BYE reaches alice over her new connection.
	if err := duringIn.Hangup(ctxWait(t)); err != nil {
		t.Fatal(err)
	}
	if e := alice.ended(during); e.Reason != softphone.EndRemoteHangup {
		t.Errorf("the call across the restart ended %q, want remote hangup", e.Reason)
	}
	bobEar.Reset()

	call, err := alice.Dial(ctxWait(t), env.Users[1].Name, softphone.Media{Source: &softphonetest.Tone{Freq: 440}})
	if err != nil {
		t.Fatalf("Dial after restart: %v", err)
	}
	checkTone(t, "bob", bobEar, 440, 1000)
	if err := call.Hangup(ctxWait(t)); err != nil {
		t.Fatal(err)
	}
	bob.ended(nil)
}

// privateKamailio starts a Kamailio of its own for a test that kills it:
// other test packages share the one of scripts/services/40-kamailio.sh.
func privateKamailio(t *testing.T) softphonetest.KamailioEnv {
	t.Helper()
	kamailio(t) // the shared one is there, so Kamailio is installed
	testenv.Program(t, "kamailio")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	dir := t.TempDir()
	cmd := exec.Command("../deploy/kamailio/run.sh", "start", dir)
	cmd.Env = append(os.Environ(), "KAMAILIO_PORT="+strconv.Itoa(port), "WS_KEEPALIVE=5", "SIP_USERS=")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("run.sh start: %v", err)
	}
	t.Cleanup(func() { _ = exec.Command("../deploy/kamailio/run.sh", "stop", dir).Run() })
	vars := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			vars[k] = v
		}
	}
	env := softphonetest.KamailioEnv{WS: vars["RINGSIDE_TEST_KAMAILIO_WS"], Domain: vars["RINGSIDE_TEST_SIP_DOMAIN"], Ctl: vars["RINGSIDE_TEST_KAMAILIO_CTL"]}
	for _, pair := range strings.Split(vars["RINGSIDE_TEST_SIP_USERS"], ",") {
		if n, pw, ok := strings.Cut(pair, ":"); ok {
			env.Users = append(env.Users, softphonetest.User{Name: n, Password: pw})
		}
	}
	if env.WS == "" || len(env.Users) < 3 || env.Ctl == "" {
		t.Fatalf("run.sh start printed %q", out)
	}
	return env
}

// Kamailio pings every few seconds in tests (WS_KEEPALIVE); a phone that
// did not answer would be dropped. After three keepalive periods the phone
// is still reachable on its first registration.
func TestKeepaliveKeepsRegistration(t *testing.T) {
	env := kamailio(t)
	bob := newPhone(t, env, 1, answerWith(func() softphone.Media { return softphone.Media{} }), softphone.WithKeepalive(time.Hour))
	alice := newPhone(t, env, 0, nil)
	alice.registered()
	bob.registered()
	time.Sleep(16 * time.Second) // three of Kamailio's 5 s keepalive periods in tests
	call, err := alice.Dial(ctxWait(t), env.Users[1].Name, softphone.Media{})
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	bob.answered(nil)
	_ = call.Hangup(ctxWait(t))
	bob.next("no re-registration", func(e softphone.Event) bool {
		_, ok := e.(softphone.EndedEvent)
		return ok
	})
	bob.mu.Lock()
	defer bob.mu.Unlock()
	regs := 0
	for _, e := range bob.events {
		if r, ok := e.(softphone.RegistrationEvent); ok && r.State == softphone.RegRegistered {
			regs++
		}
	}
	if regs != 1 {
		t.Errorf("bob registered %d times, want once (the connection was dropped)", regs)
	}
}
