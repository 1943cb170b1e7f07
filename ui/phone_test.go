//go:build !race

// This test runs without -race for the reason given in library_test.go: the
// softphone's events reach the page from its own goroutines.

package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ringside/ringside/app"
	"github.com/ringside/ringside/internal/testenv"
	"github.com/ringside/ringside/softphone"
	"github.com/ringside/ringside/softphone/softphonetest"
)

// registered starts a's softphone with user u of the Kamailio test users and
// waits for its registration.
func registered(t *testing.T, a *app.App, env softphonetest.KamailioEnv, u softphonetest.User) {
	t.Helper()
	ctx := context.Background()
	if _, err := a.SetAccount(ctx, app.Account{Server: env.WS + "/ws", User: u.Name, Domain: env.Domain}, &u.Password); err != nil {
		t.Fatal(err)
	}
	if err := a.StartPhone(ctx, app.WithSoftphoneOptions(softphone.WithLoopbackICE(), softphone.WithLevelInterval(0))); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.StopPhone(context.Background()) })
	waitUntil(t, "registration of "+u.Name, a.Registered)
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestPhoneAnswer takes a real call through Kamailio on the phone page: the
// incoming-call banner, Answer, the active call's buttons, Hang up, and the
// call in the history.
func TestPhoneAnswer(t *testing.T) {
	testenv.Env(t, "RINGSIDE_TEST_KAMAILIO_WS", "Kamailio (scripts/services/40-kamailio.sh)")
	env, ok := softphonetest.FromEnv()
	if !ok {
		testenv.Missing(t, "Kamailio test users ($RINGSIDE_TEST_SIP_USERS)")
	}
	env = env.Group(3)
	agent, caller := env.Users[0], env.Users[1]

	w := newTestWindow(t)
	registered(t, w.a, env, agent)
	b := newTestApp(t)
	registered(t, b, env, caller)

	w.ShowPage(PagePhone)
	ph := w.pages[PagePhone].(*phonePage)
	ph.cancel() // the test redraws itself, on its own goroutine
	ph.refresh()
	if !strings.HasPrefix(ph.reg.Text, "Registered as "+agent.Name) {
		t.Fatalf("phone says %q", ph.reg.Text)
	}

	go b.Call(context.Background(), "sip:"+agent.Name+"@"+env.Domain)
	waitUntil(t, "the call to ring", func() bool {
		cs := w.a.Calls()
		return len(cs) == 1 && ringingHere(cs[0])
	})
	ph.refresh()
	find := func(o fyne.CanvasObject, text string) *widget.Button {
		for _, x := range test.LaidOutObjects(o) {
			if b, ok := x.(*widget.Button); ok && b.Text == text {
				return b
			}
		}
		t.Fatalf("no %q button", text)
		return nil
	}
	test.Tap(find(ph.banner, "Answer"))
	waitUntil(t, "the call to be answered", func() bool {
		cs := w.a.Calls()
		return len(cs) == 1 && cs[0].State == "active"
	})
	ph.refresh()
	if len(ph.banner.Objects) != 0 {
		t.Error("banner still shown after Answer")
	}
	find(ph.calls, "Hold")
	test.Tap(find(ph.calls, "Mute"))
	waitUntil(t, "the call to be muted", func() bool {
		cs := w.a.Calls()
		return len(cs) == 1 && cs[0].Muted
	})
	ph.refresh()
	test.Tap(find(ph.calls, "Unmute"))
	waitUntil(t, "the call to be unmuted", func() bool {
		cs := w.a.Calls()
		return len(cs) == 1 && !cs[0].Muted
	})
	ph.refresh()
	test.Tap(find(ph.calls, "Hang up"))
	waitUntil(t, "the call to end", func() bool { return len(w.a.Calls()) == 0 })

	w.ShowPage(PageHistory)
	h := w.pages[PageHistory].(*historyPage)
	waitUntil(t, "the history entry", func() bool { h.shown(); return len(h.entries) > 0 })
	if e := h.entries[0]; e.Direction != "incoming" || e.Missed || !strings.Contains(e.Peer, caller.Name) {
		t.Errorf("history: %+v", e)
	}
}
