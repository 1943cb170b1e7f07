package app

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/ringside/ringside/softphone"
)

// TestPhoneLeavesNoGoroutines rings calls that end every way a ring timer
// must stop (CANCEL, answer, hang-up of a ringing call), then stops the
// softphone: every goroutine the App started has ended.
func TestPhoneLeavesNoGoroutines(t *testing.T) {
	env := kamailioEnv(t)
	ctx := context.Background()
	a, _ := openTest(t)
	base := runtime.NumGoroutine() // the open store's included
	bob := env.Users[1]
	pw := bob.Password
	if _, err := a.SetAccount(ctx, Account{Server: env.WS + "/ws", User: bob.Name, Domain: env.Domain}, &pw); err != nil {
		t.Fatal(err)
	}
	setPrefs(t, a, "call.ring_time", "60", "call.no_answer_destination", "hangup")
	startAgent(t, a)
	func() {
		alice, err := softphone.New(softphone.Account{Server: env.WS + "/ws", User: env.Users[0].Name, Domain: env.Domain,
			Password: env.Users[0].Password}, softphone.WithLoopbackICE(), softphone.WithLevelInterval(0), softphone.WithLogger(testLog("alice")))
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			for range alice.Events() {
			}
		}()
		defer func() {
			cctx, cancel := context.WithTimeout(ctx, phoneWait)
			defer cancel()
			alice.Close(cctx)
		}()
		until(t, "alice registered", func() bool { return alice.Registration().State == softphone.RegRegistered })
		bobURI := "sip:" + bob.Name + "@" + env.Domain
		ringing := func() string {
			var id string
			until(t, "a ringing call", func() bool {
				for _, c := range a.Calls() {
					if c.State == "ringing" {
						id = c.ID
						return true
					}
				}
				return false
			})
			return id
		}
		// 1: the caller gives up (CANCEL).
		dctx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { _, err := alice.Dial(dctx, bobURI, softphone.Media{}); done <- err }()
		ringing()
		cancel()
		<-done
		idle := func() { until(t, "no calls at the agent", func() bool { return len(a.Calls()) == 0 }) }
		idle()
		// 2: the agent answers, then hangs up.
		done2 := make(chan error, 1)
		go func() { _, err := alice.Dial(ctx, bobURI, softphone.Media{}); done2 <- err }()
		if err := a.Answer(ctx, ringing()); err != nil {
			t.Fatal(err)
		}
		if err := <-done2; err != nil {
			t.Fatal(err)
		}
		if _, err := a.Hangup(ctx, ""); err != nil {
			t.Fatal(err)
		}
		idle()
		// 3: the agent rejects a ringing call (603).
		done3 := make(chan error, 1)
		go func() { _, err := alice.Dial(ctx, bobURI, softphone.Media{}); done3 <- err }()
		if _, err := a.Hangup(ctx, ringing()); err != nil {
			t.Fatal(err)
		}
		if err := <-done3; sipCode(err) != 603 {
			t.Fatalf("rejected call: %v, want 603", err)
		}
	}()
	h := lastHistory(t, a, 3)
	if h[0].Result != ResultRejected || h[0].EndedBy != EndedByLocal || h[1].Result != ResultAnswered || h[2].Result != ResultMissed {
		t.Fatalf("history: %+v", h[:3])
	}
	if err := a.StopPhone(ctx); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > base {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			n := runtime.Stack(buf, true)
			t.Fatalf("%d goroutines after StopPhone, %d before:\n%s", runtime.NumGoroutine(), base, buf[:n])
		}
		time.Sleep(50 * time.Millisecond)
	}
}
