package ui

import (
	"errors"
	"fmt"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ringside/ringside/app"
	"github.com/ringside/ringside/softphone"
)

func TestCheckTarget(t *testing.T) {
	tests := []struct {
		target string
		ok     bool
	}{
		{"oscar", true},
		{"1001", true},
		{"+44 20 7946-0000", true},
		{"(020) 7946.0000", true},
		{"*72#", true},
		{"bob.smith@pbx.example.com", true},
		{"bob@10.0.0.1:5060", true},
		{"sip:oscar@ringside.test", true},
		{"<sips:oscar@ringside.test;transport=ws>", true},
		{"tel:+1-212-555-0142;phone-context=example.com", true},
		{"", false},
		{"   ", false},
		{"12ab!", false},
		{"bob smith", false},
		{"sip:", false},
		{"sip:bob @example.com", false},
		{"tel:", false},
		{"tel:abc", false},
		{"http://example.com", false},
		{"bob@", false},
		{"bob@exa mple.com", false},
		{"bob@example.com:", false},
		{"+", false},
	}
	for _, tt := range tests {
		err := app.CheckTarget(tt.target)
		if (err == nil) != tt.ok {
			t.Errorf("CheckTarget(%q) = %v, want ok %v", tt.target, err, tt.ok)
			continue
		}
		if err == nil {
			continue
		}
		var te *app.TargetError
		if !errors.As(err, &te) || !errors.Is(err, app.ErrBadTarget) {
			t.Errorf("CheckTarget(%q): %T %v, want a *TargetError", tt.target, err, err)
		}
		if !strings.Contains(err.Error(), "phone number") || (strings.TrimSpace(tt.target) != "" && !strings.Contains(err.Error(), tt.target)) {
			t.Errorf("CheckTarget(%q): %q does not name the target and what is allowed", tt.target, err)
		}
	}
}

func FuzzCheckTarget(f *testing.F) {
	for _, s := range []string{"oscar", "+44 20 7946-0000", "sip:a@b", "tel:+1;x=y", "<sip:x@y>", "a@b:1", "12ab!"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := app.CheckTarget(s)
		if err != nil && !errors.Is(err, app.ErrBadTarget) {
			t.Fatalf("CheckTarget(%q): %v is not ErrBadTarget", s, err)
		}
		if err == nil && strings.TrimSpace(s) == "" {
			t.Fatalf("CheckTarget(%q) accepted a blank target", s)
		}
	})
}

// variantTheme draws theme th in one variant, whatever the settings say.
type variantTheme struct {
	fyne.Theme
	v fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.v)
}

// TestConsultCard draws an attended transfer from the calls the App
// reports, in each of its steps, in the light and the dark theme (PNGs in
// testout/screenshots/ui/), and refuses a bad target in the Transfer dialog.
func TestConsultCard(t *testing.T) {
	w := newTestWindow(t)
	w.w.Resize(fyne.NewSize(960, 680))
	w.ShowPage(PagePhone)
	ph := w.pages[PagePhone].(*phonePage)
	caller := app.LiveCall{ID: "c1", Direction: "incoming", State: "active", Held: true, Peer: "sip:+442079460000@pbx.example.com", PeerName: "Ada Lovelace"}
	target := app.LiveCall{ID: "c2", Direction: "outgoing", State: "alerting", Peer: "sip:1002@pbx.example.com"}
	ph.consult = &consultation{held: "c1", heldWho: who(caller), target: "1002"}

	steps := []struct {
		name    string
		call    string // the consultation's id as app.Consult returned it
		calls   []app.LiveCall
		want    []string
		enabled bool // Complete transfer
	}{
		{"calling", "", []app.LiveCall{caller}, []string{"Calling 1002…", "Ada Lovelace <sip:+442079460000@pbx.example.com> — incoming, active, on hold"}, false},
		{"ringing", "c2", []app.LiveCall{caller, target}, []string{"Ringing 1002. Complete transfer sends Ada Lovelace", "without waiting", "sip:1002@pbx.example.com — talk first, ringing", "[Cancel transfer]"}, true},
		{"talking", "c2", []app.LiveCall{caller, {ID: "c2", Direction: "outgoing", State: "active", Peer: target.Peer}}, []string{"Talking to 1002.", "[Mute]", "[Keypad…]"}, true},
	}
	for _, st := range steps {
		ph.consult.call = st.call
		ph.showCalls(st.calls)
		got := texts(ph.calls)
		for _, w := range st.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: no %q in %s", st.name, w, got)
			}
		}
		if strings.Contains(got, "[Transfer…]") || strings.Contains(got, "[Hold]") {
			t.Errorf("%s: the transfer's calls offer their own buttons: %s", st.name, got)
		}
		if st.call != "" && disabled(t, ph.calls, "Complete transfer") == st.enabled {
			t.Errorf("%s: Complete transfer enabled %v, want %v", st.name, !st.enabled, st.enabled)
		}
	}
	for name, v := range map[string]fyne.ThemeVariant{"dark": theme.VariantDark, "light": theme.VariantLight} {
		fyne.CurrentApp().Settings().SetTheme(variantTheme{Theme(), v})
		ph.showCalls(steps[2].calls)
		shot(t, w.w, "phone-consult-"+name)
	}
	fyne.CurrentApp().Settings().SetTheme(Theme())

	// Completing: the target's call ends first, then the caller's.
	ph.consult.completing = true
	ph.showCalls([]app.LiveCall{caller})
	if got := texts(ph.calls); !strings.Contains(got, "Connecting Ada Lovelace") {
		t.Errorf("completing: %s", got)
	}
	ph.showCalls(nil)
	if ph.consult != nil || !ph.done.Visible() || !strings.Contains(ph.done.Text, "is now talking to 1002") {
		t.Errorf("completed: consult %v, page says %q", ph.consult, ph.done.Text)
	}
	// A new call hides the outcome.
	ph.showCalls([]app.LiveCall{{ID: "c3", Direction: "incoming", State: "active", Peer: "sip:x@y"}})
	if ph.done.Visible() {
		t.Error("the last transfer's outcome still shown with a new call")
	}

	// Completing while the target rings: the call to the target is
	// cancelled, then the caller is sent there (the REFER accepted), and
	// the agent's call with them ends when the target answers.
	ph.consult = &consultation{held: "c1", heldWho: who(caller), target: "1002", call: "c2", completing: true, early: true}
	ph.showCalls([]app.LiveCall{caller, target})
	if got := texts(ph.calls); !strings.Contains(got, "Stopping the call to 1002, then sending Ada Lovelace") ||
		!disabled(t, ph.calls, "Complete transfer") || !disabled(t, ph.calls, "Cancel transfer") {
		t.Errorf("early completing: %s", got)
	}
	ph.consult.referred = true
	referred := caller
	referred.TransferCode = 180
	ph.showCalls([]app.LiveCall{referred})
	shot(t, w.w, "phone-consult-sent-while-ringing")
	if got := texts(ph.calls); !strings.Contains(got, "Sending Ada Lovelace") || !strings.Contains(got, "if 1002 does not, Ada Lovelace") ||
		!strings.Contains(got, "talk first, cancelled, Ada Lovelace") || !disabled(t, ph.calls, "Cancel transfer") {
		t.Errorf("early completing, referred: %s", got)
	}
	ph.showCalls(nil)
	if ph.consult != nil || !strings.Contains(ph.done.Text, "is now talking to 1002") {
		t.Errorf("completed while ringing: consult %v, page says %q", ph.consult, ph.done.Text)
	}
	// The same, but the target declines the caller: they stay here, on
	// hold, and the agent is told.
	ph.consult = &consultation{held: "c1", heldWho: who(caller), target: "1002", call: "c2", completing: true, early: true, referred: true}
	declined := caller
	declined.TransferCode, declined.TransferDone = 603, true
	ph.showCalls([]app.LiveCall{declined})
	ed := w.w.Canvas().Overlays().Top()
	if ed == nil || !strings.Contains(texts(ed), "was not transferred to 1002: the call to 1002 ended with SIP 603 (declined)") ||
		!strings.Contains(texts(ed), "is on hold: choose Resume") {
		t.Fatalf("after the target declined the caller the window shows %v", ed)
	}
	shot(t, w.w, "phone-consult-sent-declined")
	test.Tap(buttonIn(t, ed, "OK"))
	if got := texts(ph.calls); ph.consult != nil || !strings.Contains(got, "[Resume]") || strings.Contains(got, "Complete transfer") || ph.done.Visible() {
		t.Errorf("after the target declined the caller: %s", got)
	}

	// The caller hangs up while the agent talks to the target: the
	// consultation is an ordinary call again.
	ph.consult = &consultation{held: "c1", heldWho: who(caller), target: "1002", call: "c2"}
	ph.showCalls([]app.LiveCall{{ID: "c2", Direction: "outgoing", State: "active", Peer: target.Peer}})
	if got := texts(ph.calls); ph.consult != nil || !strings.Contains(got, "[Transfer…]") || strings.Contains(got, "Complete transfer") || ph.done.Visible() {
		t.Errorf("caller gone: %s", got)
	}

	// The Transfer dialog: the entry has the focus; a bad target is named
	// and the dialog stays; Cancel closes it.
	test.Tap(buttonIn(t, ph.calls, "Transfer…"))
	d := w.w.Canvas().Overlays().Top()
	e := focusedEntry(t, w.w)
	test.Type(e, "bob smith")
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if got := texts(d); !strings.Contains(got, `"bob smith" cannot be called`) || w.w.Canvas().Overlays().Top() != d || ph.consult != nil {
		t.Errorf("bad target: dialog %s", got)
	}
	test.Tap(buttonIn(t, d, "Cancel"))
	if w.w.Canvas().Overlays().Top() != nil {
		t.Error("Cancel left the dialog open")
	}
	test.Tap(buttonIn(t, ph.calls, "Transfer…"))
	w.w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if w.w.Canvas().Overlays().Top() != nil {
		t.Error("Escape left the dialog open")
	}
}

// buttonIn finds the button labelled text in o.
func buttonIn(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	for _, x := range test.LaidOutObjects(o) {
		if b, ok := x.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	t.Fatalf("no %q button in %s", text, texts(o))
	return nil
}

func disabled(t *testing.T, o fyne.CanvasObject, text string) bool {
	t.Helper()
	return buttonIn(t, o, text).Disabled()
}

// focusedEntry returns the entry that has the keyboard focus.
func focusedEntry(t *testing.T, w fyne.Window) *widget.Entry {
	t.Helper()
	switch e := w.Canvas().Focused().(type) {
	case *widget.Entry:
		return e
	case *dialogEntry:
		return &e.Entry
	}
	t.Fatalf("focus on %v, want the dialog's entry", w.Canvas().Focused())
	return nil
}

// texts lists the labels, buttons ([text]) and cards of o.
func texts(o fyne.CanvasObject) string {
	var s []string
	for _, x := range test.LaidOutObjects(o) {
		switch v := x.(type) {
		case *widget.Button:
			s = append(s, "["+v.Text+"]")
		case *widget.Label:
			if v.Visible() {
				s = append(s, v.Text)
			}
		case *widget.Card:
			s = append(s, v.Title, v.Subtitle)
		}
	}
	return strings.Join(s, " ")
}

// shot writes the window as a PNG to testout/screenshots/ui/NAME.png.
func shot(t *testing.T, w fyne.Window, name string) {
	t.Helper()
	dir := filepath.Join("..", "testout", "screenshots", "ui")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}

// TestFocusKept: redrawing the calls (the softphone reports twice a second
// during a call) keeps the keyboard focus on the same button of the same
// call, and draws nothing when nothing changed.
func TestFocusKept(t *testing.T) {
	w := newTestWindow(t)
	w.ShowPage(PagePhone)
	ph := w.pages[PagePhone].(*phonePage)
	calls := []app.LiveCall{
		{ID: "a", Direction: "incoming", State: "active", Peer: "sip:alice@pbx.example.com"},
		{ID: "b", Direction: "outgoing", State: "active", Peer: "sip:bob@pbx.example.com", Held: true},
	}
	ph.showCalls(calls)
	var holdB *widget.Button
	for o, k := range ph.keys4focus {
		if k == "b\x00Resume" {
			holdB = o.(*widget.Button)
		}
	}
	if holdB == nil {
		t.Fatal("no Resume button for call b")
	}
	w.w.Canvas().Focus(holdB)
	before := ph.calls.Objects[0]
	ph.showCalls(calls)
	if ph.calls.Objects[0] != before || w.w.Canvas().Focused() != holdB {
		t.Error("an unchanged list of calls was drawn again")
	}
	calls[0].Muted = true // a change on another call
	ph.showCalls(calls)
	f, ok := w.w.Canvas().Focused().(*widget.Button)
	if !ok || f == holdB || f.Text != "Resume" || ph.keys4focus[f] != "b\x00Resume" {
		t.Errorf("focus on %v after a redraw, want call b's new Resume button", w.w.Canvas().Focused())
	}
}

// TestBlindTransferCard draws a blind transfer ("Transfer now") from the
// calls the App reports once the caller accepted the REFER: the caller's
// phone calls the target, the target rings; the target declines (the caller
// stays here, on hold or not, and the agent is told why), or answers (the
// call leaves the list, nothing is said). PNGs in testout/screenshots/ui/.
func TestBlindTransferCard(t *testing.T) {
	w := newTestWindow(t)
	w.w.Resize(fyne.NewSize(960, 680))
	w.ShowPage(PagePhone)
	ph := w.pages[PagePhone].(*phonePage)
	caller := app.LiveCall{ID: "c1", Direction: "incoming", State: "active", Peer: "sip:+442079460000@pbx.example.com", PeerName: "Ada Lovelace",
		TransferCode: 100}
	ada := who(caller)

	for _, held := range []bool{false, true} {
		caller.Held, caller.TransferCode, caller.TransferDone = held, 100, false
		ph.blind["c1"] = blindTransfer{who: ada, target: "1002"}
		ph.showCalls([]app.LiveCall{caller})
		got := texts(ph.calls)
		if !strings.Contains(got, "Sending "+ada+" to 1002: their phone is calling 1002.") || strings.Contains(got, "[Transfer…]") ||
			!strings.Contains(got, "[Hang up]") {
			t.Errorf("held %v, accepted: %s", held, got)
		}
		ringing := caller
		ringing.TransferCode = 180
		ph.showCalls([]app.LiveCall{ringing})
		if got := texts(ph.calls); !strings.Contains(got, "1002's phone is ringing with their call") {
			t.Errorf("held %v, ringing: %s", held, got)
		}
		if !held {
			shot(t, w.w, "phone-blind-ringing")
		}
		declined := caller
		declined.TransferCode, declined.TransferDone = 603, true
		ph.showCalls([]app.LiveCall{declined})
		d := w.w.Canvas().Overlays().Top()
		if d == nil {
			t.Fatalf("held %v: nothing said when 1002 declined; the page shows %s", held, texts(ph.calls))
		}
		want := ada + " was not transferred to 1002: the call to 1002 ended with SIP 603 (declined). Now " + stillHere(ada, held) + "."
		if got := texts(d); !strings.Contains(got, want) {
			t.Errorf("held %v: the dialog says %s, want %s", held, got, want)
		}
		shot(t, w.w, fmt.Sprintf("phone-blind-declined-held-%v", held))
		test.Tap(buttonIn(t, d, "OK"))
		got = texts(ph.calls)
		if len(ph.blind) != 0 || !strings.Contains(got, "[Transfer…]") || strings.Contains(got, "Sending") ||
			strings.Contains(got, "[Resume]") != held {
			t.Errorf("held %v, after the decline the page shows: %s", held, got)
		}
		ph.showCalls([]app.LiveCall{declined}) // the final code stays on the call
		if w.w.Canvas().Overlays().Top() != nil {
			t.Errorf("held %v: the failure was told twice", held)
		}
	}

	// The target answers: the call leaves the list, nothing is said.
	caller.Held, caller.TransferCode, caller.TransferDone = false, 100, false
	ph.blind["c1"] = blindTransfer{who: ada, target: "1002"}
	ph.showCalls([]app.LiveCall{caller})
	answered := caller
	answered.TransferCode, answered.TransferDone = 200, true
	ph.showCalls([]app.LiveCall{answered})
	if got := texts(ph.calls); !strings.Contains(got, "1002 answered") {
		t.Errorf("answered: %s", got)
	}
	ph.showCalls(nil)
	if len(ph.blind) != 0 || w.w.Canvas().Overlays().Top() != nil || !strings.Contains(texts(ph.calls), "No current calls.") {
		t.Errorf("transferred: blind %v, the page shows %s", ph.blind, texts(ph.calls))
	}
}

// TestTransferMessages checks the words of a transfer under way and of one
// that did not take place, blind or attended.
func TestTransferMessages(t *testing.T) {
	const ada, target = "Ada <sip:ada@pbx.example.com>", "1002"
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"accepted", sendingMsg(ada, target, 100, false),
			"Sending " + ada + " to 1002: their phone is calling 1002. You leave the call when 1002 answers; if 1002 does not, " + ada + " stays here."},
		{"accepted, held", sendingMsg(ada, target, 100, true),
			"Sending " + ada + " to 1002: their phone is calling 1002. You leave the call when 1002 answers; if 1002 does not, " + ada + " stays here, on hold."},
		{"ringing", sendingMsg(ada, target, 180, false),
			"Sending " + ada + " to 1002: 1002's phone is ringing with their call. You leave the call when 1002 answers; if 1002 does not, " + ada + " stays here."},
		{"answered", sendingMsg(ada, target, 200, true), "1002 answered: " + ada + " is being connected to them, and you leave the call."},
		{"busy", notTransferred(ada, target, 486, stillHere(ada, false)).Error(),
			ada + " was not transferred to 1002: the call to 1002 ended with SIP 486 (busy). Now " + ada + " is still on the line with you: choose Transfer… to try again."},
		{"declined, held", notTransferred(ada, target, 603, stillHere(ada, true)).Error(),
			ada + " was not transferred to 1002: the call to 1002 ended with SIP 603 (declined). Now " + ada + " is on hold: choose Resume to talk to them again, or Transfer… to try again."},
		{"no answer", notTransferred(ada, target, 480, "x").Error(), ada + " was not transferred to 1002: the call to 1002 ended with SIP 480 (not answered or not reachable). Now x."},
		{"timeout", notTransferred(ada, target, 408, "x").Error(), ada + " was not transferred to 1002: the call to 1002 ended with SIP 408 (not answered or not reachable). Now x."},
		{"not found", notTransferred(ada, target, 404, "x").Error(), ada + " was not transferred to 1002: the call to 1002 ended with SIP 404 (no such number). Now x."},
		{"forbidden", notTransferred(ada, target, 403, "x").Error(), ada + " was not transferred to 1002: the call to 1002 ended with SIP 403 (the phone system does not allow that call). Now x."},
		{"server", notTransferred(ada, target, 503, "x").Error(), ada + " was not transferred to 1002: the call to 1002 ended with SIP 503 (the phone system failed to connect them). Now x."},
		{"other", notTransferred(ada, target, 488, "x").Error(), ada + " was not transferred to 1002: the call to 1002 ended with SIP 488 (the call failed). Now x."},
		// A REFER refused outright ("Transfer now", transferNow).
		{"REFER refused", (&app.TransferError{Caller: ada, Target: target, Now: stillHere(ada, false),
			Err: &softphone.StatusError{Method: "REFER", Code: 403, Reason: "Forbidden"}}).Error(),
			ada + " was not transferred to 1002: the caller's phone or the PBX refused the transfer request (SIP REFER answered 403 Forbidden). Now " +
				ada + " is still on the line with you: choose Transfer… to try again."},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, tt.got, tt.want)
		}
	}
}
