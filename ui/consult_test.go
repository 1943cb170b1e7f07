//go:build !race

// This test runs without -race for the reason given in library_test.go: the
// softphone's events reach the page from its own goroutines.

package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ringside/ringside/app"
	"github.com/ringside/ringside/internal/testenv"
	"github.com/ringside/ringside/softphone/softphonetest"
)

// TestPhoneAttendedTransfer drives an attended transfer on the phone page
// through Kamailio, with three real Apps: the caller (mallory) calls the
// agent (judy, the window), who answers; Transfer…, a bad target refused
// in the dialog with nothing changed; Talk first to oscar, who answers; both
// calls shown; Cancel transfer leaves the caller on hold, Resume talks to
// them again; Talk first once more (from the keyboard) and Complete
// transfer: the caller and oscar end up talking to each other and the agent
// is out of both calls. Then once more, completing while oscar's phone
// still rings: mallory's call rings at oscar instead, and when oscar
// answers, the agent is out. Uses Kamailio group 3 (as TestPhoneAnswer, which
// does not run at the same time). Writes the page during the consultation
// to testout/screenshots/ui/.
func TestPhoneAttendedTransfer(t *testing.T) {
	sc := newTransferScene(t)
	w, ph, mallory, oscar, caller, target, calls := sc.w, sc.ph, sc.mallory, sc.oscar, sc.caller, sc.target, sc.calls
	targetURI := "sip:" + target.Name + "@" + sc.env.Domain
	callerURI := "sip:" + caller.Name + "@" + sc.env.Domain

	// mallory calls the agent, who answers.
	first := sc.answered(t)
	shot(t, w.w, "phone-call-active")

	// Transfer… with a target that cannot be called: named in the dialog,
	// which stays open; the call is not held, nobody is called.
	test.Tap(buttonIn(t, ph.calls, "Transfer…"))
	d := w.w.Canvas().Overlays().Top()
	entry := focusedEntry(t, w.w)
	test.Type(entry, "12ab!")
	test.Tap(buttonIn(t, d, "Talk first"))
	shot(t, w.w, "phone-transfer-bad-target")
	if msg := texts(d); !strings.Contains(msg, `"12ab!" cannot be called`) || !strings.Contains(msg, "phone number") {
		t.Errorf("no message naming the bad number; dialog says %q", msg)
	}
	test.Tap(buttonIn(t, d, "Transfer now"))
	if w.w.Canvas().Overlays().Top() != d {
		t.Error("the dialog closed on a bad target")
	}
	if cs := calls(); len(cs) != 1 || cs[0].Held || ph.consult != nil {
		t.Fatalf("a bad target changed the calls: %+v", cs)
	}
	// The message goes once the number is right; "Talk first" calls oscar.
	entry.SetText(targetURI)
	if strings.Contains(texts(d), "cannot be called") {
		t.Error("message still shown for a good target")
	}
	test.Tap(buttonIn(t, d, "Talk first"))
	consult := consulting(t, w, ph, oscar, first)
	shot(t, w.w, "phone-consult-talking")
	if c := texts(ph.calls); !strings.Contains(c, callerURI+" — incoming, active, on hold") ||
		!strings.Contains(c, targetURI+" — talk first, active") ||
		!strings.Contains(c, "[Complete transfer]") || !strings.Contains(c, "[Cancel transfer]") {
		t.Errorf("consultation shows: %s", c)
	}
	if f, ok := w.w.Canvas().Focused().(*widget.Button); !ok || f.Text != "Complete transfer" {
		t.Errorf("focus on %v once the target answered, want Complete transfer", w.w.Canvas().Focused())
	}

	// Cancel transfer: oscar's call ends; the caller stays on hold.
	test.Tap(buttonIn(t, ph.calls, "Cancel transfer"))
	waitUntil(t, "the consultation to end", func() bool { return len(calls()) == 1 && len(oscar.Calls()) == 0 })
	if cs := w.a.Calls(); cs[0].ID != first || !cs[0].Held || ph.consult != nil {
		t.Fatalf("after Cancel transfer: %+v", cs)
	}
	if c := texts(ph.calls); !strings.Contains(c, "[Resume]") || strings.Contains(c, "Complete transfer") {
		t.Errorf("after Cancel transfer the page shows: %s", c)
	}
	test.Tap(buttonIn(t, ph.calls, "Resume"))
	waitUntil(t, "the caller to be taken off hold", func() bool {
		cs := calls()
		return len(cs) == 1 && !cs[0].Held
	})

	// Again from the keyboard: the dialog's entry has the focus, Enter is
	// "Talk first", Space on the focused Complete transfer completes.
	test.Tap(buttonIn(t, ph.calls, "Transfer…"))
	entry = focusedEntry(t, w.w)
	test.Type(entry, target.Name)
	entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	consult = consulting(t, w, ph, oscar, first)
	f, ok := w.w.Canvas().Focused().(*widget.Button)
	if !ok || f.Text != "Complete transfer" {
		t.Fatalf("focus on %v once the target answered, want Complete transfer", w.w.Canvas().Focused())
	}
	f.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})

	// The agent is out of both calls; the caller and oscar talk.
	waitUntil(t, "the agent to leave both calls", func() bool { return len(calls()) == 0 })
	waitUntil(t, "the caller to talk to oscar", func() bool {
		cs := mallory.Calls()
		return len(cs) == 1 && cs[0].State == "active" && strings.Contains(cs[0].Peer, target.Name)
	})
	waitUntil(t, "oscar to talk to the caller", func() bool {
		cs := oscar.Calls()
		return len(cs) == 1 && cs[0].State == "active" && strings.Contains(cs[0].Peer, caller.Name) && cs[0].ID != consult
	})
	if !ph.done.Visible() || !strings.Contains(ph.done.Text, "is now talking to "+target.Name) {
		t.Errorf("after the transfer the page says %q (visible %v)", ph.done.Text, ph.done.Visible())
	}
	shot(t, w.w, "phone-after-transfer")
	if _, err := mallory.Hangup(context.Background(), ""); err != nil {
		t.Error(err)
	}
	waitUntil(t, "oscar's call to end", func() bool { return len(oscar.Calls()) == 0 })

	// Complete transfer while oscar's phone still rings: the agent's call
	// to oscar is cancelled, mallory's call rings there instead, and the
	// agent leaves once oscar answers it.
	first = sc.answered(t)
	test.Tap(buttonIn(t, ph.calls, "Transfer…"))
	entry = focusedEntry(t, w.w)
	test.Type(entry, target.Name)
	entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	var ringing string
	waitUntil(t, "oscar's phone to ring", func() bool {
		cs := oscar.Calls()
		if len(cs) == 1 && ringingHere(cs[0]) {
			ringing = cs[0].ID
			return true
		}
		return false
	})
	waitUntil(t, "Complete transfer while oscar's phone rings", func() bool {
		ph.refresh()
		return ph.consult != nil && ph.consult.call != "" && strings.Contains(texts(ph.calls), "Ringing") &&
			!disabled(t, ph.calls, "Complete transfer")
	})
	test.Tap(buttonIn(t, ph.calls, "Complete transfer"))
	var fromCaller string
	waitUntil(t, "mallory's call to ring at oscar", func() bool {
		cs := oscar.Calls()
		if len(cs) == 1 && ringingHere(cs[0]) && cs[0].ID != ringing && strings.Contains(cs[0].Peer, caller.Name) {
			fromCaller = cs[0].ID
			return true
		}
		return false
	})
	waitUntil(t, "the page to say mallory is sent to oscar", func() bool {
		ph.refresh()
		return strings.Contains(texts(ph.calls), "Sending ")
	})
	shot(t, w.w, "phone-consult-sent-while-ringing-kamailio")
	if cs := w.a.Calls(); len(cs) != 1 || cs[0].ID != first || !cs[0].Held {
		t.Errorf("while mallory's call rings at oscar the agent has %+v", cs)
	}
	if err := oscar.Answer(context.Background(), fromCaller); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the agent to leave the call", func() bool { return len(calls()) == 0 })
	waitUntil(t, "the caller to talk to oscar", func() bool {
		cs := mallory.Calls()
		return len(cs) == 1 && cs[0].State == "active" && strings.Contains(cs[0].Peer, target.Name)
	})
	waitUntil(t, "oscar to talk to the caller", func() bool {
		cs := oscar.Calls()
		return len(cs) == 1 && cs[0].State == "active" && cs[0].ID == fromCaller
	})
	if !ph.done.Visible() || !strings.Contains(ph.done.Text, "is now talking to "+target.Name) {
		var said string
		if d := w.w.Canvas().Overlays().Top(); d != nil {
			said = texts(d)
		}
		t.Errorf("after the transfer while ringing the page says %q (visible %v), the dialog %q", ph.done.Text, ph.done.Visible(), said)
	}
	if _, err := mallory.Hangup(context.Background(), ""); err != nil {
		t.Error(err)
	}
	waitUntil(t, "oscar's call to end", func() bool { return len(oscar.Calls()) == 0 })
}

// consulting waits for the consultation with oscar: the first call held,
// oscar's phone ringing (answered here), the page showing both calls. It
// returns the id of the agent's call to oscar.
func consulting(t *testing.T, w *Window, ph *phonePage, oscar *app.App, first string) string {
	t.Helper()
	if ph.consult == nil {
		t.Fatalf("no consultation under way; the page shows %s", texts(ph.calls))
	}
	waitUntil(t, "oscar's phone to ring", func() bool {
		cs := oscar.Calls()
		return len(cs) == 1 && ringingHere(cs[0])
	})
	ph.refresh()
	shot(t, w.w, "phone-consult-ringing")
	if c := texts(ph.calls); !strings.Contains(c, "Ringing") || !strings.Contains(c, "without waiting") || disabled(t, ph.calls, "Complete transfer") {
		t.Errorf("while oscar's phone rings the page shows: %s (Complete transfer enabled: %v)", c, !disabled(t, ph.calls, "Complete transfer"))
	}
	if err := oscar.Answer(context.Background(), oscar.Calls()[0].ID); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the consultation to be answered", func() bool {
		ph.refresh()
		return ph.consult != nil && ph.consult.call != "" && strings.Contains(texts(ph.calls), "Talking to")
	})
	id := ph.consult.call
	for _, c := range w.a.Calls() {
		if c.ID == first && !c.Held {
			t.Error("the caller is not on hold during the consultation")
		}
	}
	return id
}

// TestPhoneBlindTransfer drives "Transfer now" on the phone page through
// Kamailio, with three real Apps: the caller (mallory) calls the agent
// (judy, the window), who answers and transfers her to oscar at once. The
// card says mallory is being sent to oscar; oscar declines mallory's call:
// the agent is told she was not transferred (SIP 603, declined) and is still
// on the line, and the call stays listed with its buttons. Then again, on
// hold: oscar answers, the call leaves the agent's list, and mallory talks
// to oscar. Uses Kamailio group 3 (as TestPhoneAnswer and
// TestPhoneAttendedTransfer, which do not run at the same time). Writes the
// page to testout/screenshots/ui/.
func TestPhoneBlindTransfer(t *testing.T) {
	sc := newTransferScene(t)
	w, ph, mallory, oscar, caller, target, calls := sc.w, sc.ph, sc.mallory, sc.oscar, sc.caller, sc.target, sc.calls
	callerURI := "sip:" + caller.Name + "@" + sc.env.Domain
	first := sc.answered(t)

	// transferNow: Transfer…, the target, Transfer now; mallory's call
	// rings at oscar and the card says so. It returns that call's id at
	// oscar.
	transferNow := func(held bool) string {
		t.Helper()
		test.Tap(buttonIn(t, ph.calls, "Transfer…"))
		d := w.w.Canvas().Overlays().Top()
		test.Type(focusedEntry(t, w.w), target.Name)
		test.Tap(buttonIn(t, d, "Transfer now"))
		var ringing string
		waitUntil(t, "mallory's call to ring at oscar", func() bool {
			cs := oscar.Calls()
			if len(cs) == 1 && ringingHere(cs[0]) && strings.Contains(cs[0].Peer, caller.Name) {
				ringing = cs[0].ID
				return true
			}
			return false
		})
		want := "Sending " + callerURI + " to " + target.Name + ": "
		stay := callerURI + " stays here."
		if held {
			stay = callerURI + " stays here, on hold."
		}
		waitUntil(t, "the card to say mallory is sent to oscar", func() bool {
			ph.refresh()
			c := texts(ph.calls)
			return strings.Contains(c, want) && strings.Contains(c, stay)
		})
		if c := texts(ph.calls); strings.Contains(c, "[Transfer…]") || !strings.Contains(c, "[Hang up]") {
			t.Errorf("while mallory's call rings at oscar the card shows: %s", c)
		}
		if cs := w.a.Calls(); len(cs) != 1 || cs[0].ID != first {
			t.Errorf("while mallory's call rings at oscar the agent has %+v", cs)
		}
		return ringing
	}

	// oscar declines: mallory stays with the agent, who is told.
	ringing := transferNow(false)
	shot(t, w.w, "phone-blind-sending-kamailio")
	if _, err := oscar.Hangup(context.Background(), ringing); err != nil { // 603 Decline
		t.Fatal(err)
	}
	var d fyne.CanvasObject
	waitUntil(t, "the agent to be told mallory was not transferred", func() bool {
		ph.refresh()
		d = w.w.Canvas().Overlays().Top()
		return d != nil
	})
	want := callerURI + " was not transferred to " + target.Name + ": the call to " + target.Name + " ended with SIP 603 (declined). Now " +
		callerURI + " is still on the line with you"
	if got := texts(d); !strings.Contains(got, want) {
		t.Errorf("after oscar declined the dialog says %s, want %s", got, want)
	}
	shot(t, w.w, "phone-blind-declined-kamailio")
	test.Tap(buttonIn(t, d, "OK"))
	if cs := calls(); len(cs) != 1 || cs[0].ID != first || cs[0].State != "active" || cs[0].Held {
		t.Fatalf("after oscar declined the agent has %+v", cs)
	}
	if c := texts(ph.calls); !strings.Contains(c, callerURI+" — incoming, active") || !strings.Contains(c, "[Transfer…]") ||
		!strings.Contains(c, "[Hold]") || strings.Contains(c, "Sending") {
		t.Errorf("after oscar declined the page shows: %s", c)
	}
	if cs := mallory.Calls(); len(cs) != 1 || cs[0].State != "active" {
		t.Errorf("after oscar declined mallory has %+v", cs)
	}

	// On hold this time; oscar answers: the call leaves the agent's list.
	test.Tap(buttonIn(t, ph.calls, "Hold"))
	waitUntil(t, "the caller to be on hold", func() bool {
		cs := calls()
		return len(cs) == 1 && cs[0].Held
	})
	ringing = transferNow(true)
	if err := oscar.Answer(context.Background(), ringing); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the agent to leave the call", func() bool { return len(calls()) == 0 })
	if c := texts(ph.calls); !strings.Contains(c, "No current calls.") || w.w.Canvas().Overlays().Top() != nil {
		t.Errorf("after the transfer the page shows %s (a dialog: %v)", c, w.w.Canvas().Overlays().Top() != nil)
	}
	waitUntil(t, "the caller to talk to oscar", func() bool {
		cs := mallory.Calls()
		return len(cs) == 1 && cs[0].State == "active" && strings.Contains(cs[0].Peer, target.Name)
	})
	if _, err := mallory.Hangup(context.Background(), ""); err != nil {
		t.Error(err)
	}
	waitUntil(t, "oscar's call to end", func() bool { return len(oscar.Calls()) == 0 })
}

// transferScene is the three parties of a transfer through Kamailio (group
// 3): the agent (judy) in the window, which shows the phone page at 960×680
// and is redrawn by the test, the caller (mallory) and the target (oscar).
type transferScene struct {
	env                   softphonetest.KamailioEnv
	agent, caller, target softphonetest.User
	w                     *Window
	ph                    *phonePage
	mallory, oscar        *app.App
}

func newTransferScene(t *testing.T) *transferScene {
	t.Helper()
	testenv.Env(t, "RINGSIDE_TEST_KAMAILIO_WS", "Kamailio (scripts/services/40-kamailio.sh)")
	env, ok := softphonetest.FromEnv()
	if !ok {
		testenv.Missing(t, "Kamailio test users ($RINGSIDE_TEST_SIP_USERS)")
	}
	env = env.Group(3)
	sc := &transferScene{env: env, agent: env.Users[0], caller: env.Users[1], target: env.Users[2]}
	sc.w = newTestWindow(t)
	registered(t, sc.w.a, env, sc.agent)
	sc.mallory = newTestApp(t)
	registered(t, sc.mallory, env, sc.caller)
	sc.oscar = newTestApp(t)
	registered(t, sc.oscar, env, sc.target)
	sc.w.w.Resize(fyne.NewSize(960, 680))
	sc.w.ShowPage(PagePhone)
	sc.ph = sc.w.pages[PagePhone].(*phonePage)
	sc.ph.cancel() // the test redraws itself, on its own goroutine
	return sc
}

// calls returns the agent's calls and redraws the page: the page is then
// at least as new as what it returns (the other way round, the last call
// might end after the page was drawn with it and before it was read).
func (sc *transferScene) calls() []app.LiveCall {
	cs := sc.w.a.Calls()
	sc.ph.refresh()
	return cs
}

// answered: mallory calls the agent, who answers on the page. It returns
// the call's id at the agent.
func (sc *transferScene) answered(t *testing.T) string {
	t.Helper()
	go sc.mallory.Call(context.Background(), "sip:"+sc.agent.Name+"@"+sc.env.Domain)
	waitUntil(t, "the call to ring", func() bool {
		cs := sc.calls()
		return len(cs) == 1 && ringingHere(cs[0])
	})
	test.Tap(buttonIn(t, sc.ph.banner, "Answer"))
	waitUntil(t, "the call to be answered", func() bool {
		cs := sc.calls()
		return len(cs) == 1 && cs[0].State == "active"
	})
	return sc.w.a.Calls()[0].ID
}
