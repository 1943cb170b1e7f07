package softphone_test

import (
	"os/exec"
	"testing"
	"time"

	"github.com/ringside/ringside/internal/testenv"
	"github.com/ringside/ringside/softphone"
	"github.com/ringside/ringside/softphone/softphonetest"
)

// Kamailio is killed (-9) and started again mid-test: both phones notice the
// lost connection, register again by themselves, and a new call works.
func TestKamailioRestart(t *testing.T) {
	env := kamailio(t)
	if env.Ctl == "" {
		testenv.Missing(t, "Kamailio control script ($RINGSIDE_TEST_KAMAILIO_CTL)")
	}
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
	t.Cleanup(func() { _ = exec.Command(env.Ctl, "start").Run() }) // leave it running for other tests
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
