package softphone_test

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/ringside/ringside/softphone"
	"github.com/ringside/ringside/softphone/softphonetest"
)

// Close un-REGISTERs: calling a closed phone fails at once with 404 from
// the registrar instead of ringing nowhere. Close also stops every goroutine
// the phone started.
func TestCloseUnregistersAndLeavesNothing(t *testing.T) {
	env := kamailio(t)
	alice := newPhone(t, env, 0, nil)
	alice.registered()
	before := runtime.NumGoroutine()

	bob, err := softphone.New(softphone.Account{Server: env.WS, User: env.Users[1].Name, Domain: env.Domain, Password: env.Users[1].Password},
		softphone.WithLoopbackICE(), softphone.WithCallHandler(answerWith(func() softphone.Media { return softphone.Media{} })))
	if err != nil {
		t.Fatal(err)
	}
	events := bob.Events()
	for e := range events {
		if r, ok := e.(softphone.RegistrationEvent); ok && r.State == softphone.RegRegistered {
			break
		}
	}
	go func() {
		for range events {
		}
	}()
	call, err := alice.Dial(ctxWait(t), env.Users[1].Name, softphone.Media{Source: &softphonetest.Tone{Freq: 440}})
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	if err := bob.Close(ctxWait(t)); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if e := alice.ended(call); e.Reason != softphone.EndRemoteHangup {
		t.Errorf("alice's call ended %q when bob closed, want remote hangup", e.Reason)
	}
	_, err = alice.Dial(ctxWait(t), env.Users[1].Name, softphone.Media{})
	var se *softphone.StatusError
	if !errors.As(err, &se) || (se.Code != 404 && se.Code != 480) {
		t.Errorf("Dial to a closed phone: %v, want 404 or 480 from the registrar", err)
	}
	// Goroutines: back to what there was before bob (pion's stop asynchronously).
	deadline := time.Now().Add(wait)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines after Close, %d before:\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}
}

// Two callers at once: both ring, one is answered, the other declined.
func TestSeveralCallsAtOnce(t *testing.T) {
	env := kamailio(t)
	bob := newPhone(t, env, 1, plan(softphone.Ring(0, nil)))
	alice := newPhone(t, env, 0, nil)
	carol := newPhone(t, env, 2, nil)
	alice.registered()
	bob.registered()
	carol.registered()
	type result struct {
		call *softphone.Call
		err  error
	}
	ra, rc := make(chan result, 1), make(chan result, 1)
	go func() {
		c, err := alice.Dial(ctxWait(t), env.Users[1].Name, softphone.Media{Source: &softphonetest.Tone{Freq: 440}})
		ra <- result{c, err}
	}()
	go func() {
		c, err := carol.Dial(ctxWait(t), env.Users[1].Name, softphone.Media{Source: &softphonetest.Tone{Freq: 1000}})
		rc <- result{c, err}
	}()
	in1, in2 := bob.incoming(), bob.incoming()
	fromAlice, fromCarol := in1, in2
	if in2.Remote() < in1.Remote() {
		fromAlice, fromCarol = in2, in1
	}
	ear := softphonetest.NewProbe()
	if err := fromAlice.Answer(ctxWait(t), softphone.Media{Sink: ear}); err != nil {
		t.Fatalf("Answer: %v", err)
	}
	if err := fromCarol.Decline(603); err != nil {
		t.Fatalf("Decline: %v", err)
	}
	a, c := <-ra, <-rc
	if a.err != nil {
		t.Fatalf("alice's Dial: %v", a.err)
	}
	var se *softphone.StatusError
	if !errors.As(c.err, &se) || se.Code != 603 {
		t.Errorf("carol's Dial: %v, want 603", c.err)
	}
	checkTone(t, "bob", ear, 440, 1000)
	if err := a.call.Hangup(context.Background()); err != nil {
		t.Fatal(err)
	}
	bob.ended(fromAlice)
}
