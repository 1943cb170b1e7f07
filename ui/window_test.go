package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ringside/ringside/app"
	"github.com/ringside/ringside/app/prefs"
	"github.com/ringside/ringside/app/status"
)

func newTestWindow(t *testing.T, a_ ...prefs.Change) *Window {
	t.Helper()
	a := newTestApp(t, a_...)
	fa := test.NewTempApp(t)
	w := New(fa, a, Options{Logger: discard})
	t.Cleanup(w.Close)
	return w
}

// TestNavigation opens each page from the navigation and with Ctrl+1..5.
func TestNavigation(t *testing.T) {
	w := newTestWindow(t)
	for i, name := range Pages {
		test.Tap(w.navBtns[name])
		if w.current != name || w.navBtns[name].Importance != widget.HighImportance {
			t.Errorf("tap %s: current %s", name, w.current)
		}
		w.ShowPage(PagePhone)
		keys := []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5}
		sc := &desktop.CustomShortcut{KeyName: keys[i], Modifier: fyne.KeyModifierShortcutDefault}
		w.w.Canvas().(interface{ TypedShortcut(fyne.Shortcut) }).TypedShortcut(sc)
		if w.current != name {
			t.Errorf("Ctrl+%d: current %s, want %s", i+1, w.current, name)
		}
	}
}

// TestStatusCorner shows the user's name and status, and changes the status
// from the corner's list; "My preferences" opens the page.
func TestStatusCorner(t *testing.T) {
	w := newTestWindow(t, prefs.Change{Key: "general.first_name", Value: "Ada"}, prefs.Change{Key: "general.last_name", Value: "Lovelace"})
	if w.corner.name.Text != "Ada Lovelace" || w.corner.state.Text != "Available" {
		t.Fatalf("corner shows %q / %q", w.corner.name.Text, w.corner.state.Text)
	}
	m := w.corner.menu()
	var labels []string
	for _, it := range m.Items {
		labels = append(labels, it.Label)
	}
	if got := strings.Join(labels, "|"); got != "Available|Away|After-call work|On break|Unavailable|Do Not Disturb||My preferences" {
		t.Fatalf("menu %q", got)
	}
	if !m.Items[0].Checked || m.Items[3].Checked {
		t.Error("check mark not on the current status")
	}
	m.Items[3].Action() // On break
	snap, _, err := w.a.Status(t.Context())
	if err != nil || snap.Status != status.OnBreak {
		t.Fatalf("status %s (%v), want on_break", snap.Status, err)
	}
	if w.corner.state.Text != "On break" || w.corner.dot.FillColor != StatusColor(status.OnBreak) {
		t.Errorf("corner shows %q", w.corner.state.Text)
	}
	m.Items[len(m.Items)-1].Action()
	if w.current != PagePrefs {
		t.Errorf("My preferences opened %s", w.current)
	}
	// Saving a new name updates the corner.
	retype(entryOf(t, w.prefs, "general.first_name"), "Augusta")
	save(t, w.prefs)
	if w.corner.name.Text != "Augusta Lovelace" {
		t.Errorf("corner name %q after saving", w.corner.name.Text)
	}
}

// TestHonestPages: without an account or calls, the pages say so and offer
// no fake data.
func TestHonestPages(t *testing.T) {
	w := newTestWindow(t)
	w.ShowPage(PagePhone)
	ph := w.pages[PagePhone].(*phonePage)
	if ph.reg.Text != noAccount {
		t.Errorf("phone says %q", ph.reg.Text)
	}
	test.Type(ph.number, "+442079460000")
	if !ph.call.Disabled() {
		t.Error("Call enabled without an account")
	}
	test.Tap(ph.keys["0"]) // the dialpad types
	if ph.number.Text != "+4420794600000" {
		t.Errorf("number %q after the dialpad's 0", ph.number.Text)
	}
	if _, err := w.a.SetAccount(t.Context(), accountForTest(), ptr("pw-123456")); err != nil {
		t.Fatal(err)
	}
	w.ShowPage(PagePhone)
	if !strings.HasPrefix(ph.reg.Text, "Not registered") {
		t.Errorf("phone with an account says %q", ph.reg.Text)
	}
	w.ShowPage(PageHistory)
	if h := w.pages[PageHistory].(*historyPage); h.state.Text != "No calls yet." || len(h.entries) != 0 {
		t.Errorf("history says %q with %d entries", h.state.Text, len(h.entries))
	}
}

// TestReport draws one bar per status from the real timeline.
func TestReport(t *testing.T) {
	w := newTestWindow(t)
	eng, err := w.a.StartStatus(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer w.a.StopStatus()
	time.Sleep(20 * time.Millisecond)
	if err := eng.Set(t.Context(), status.Away, status.ReasonManual); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	w.ShowPage(PageReport)
	r := w.pages[PageReport].(*reportPage)
	objs := test.LaidOutObjects(r.chart)
	var names []string
	for _, o := range objs {
		if l, ok := o.(*widget.Label); ok {
			names = append(names, l.Text)
		}
	}
	got := strings.Join(names, "|")
	for _, s := range status.All {
		if !strings.Contains(got, s.Name()) {
			t.Errorf("no row for %s in %q", s.Name(), got)
		}
	}
	if !strings.HasPrefix(r.totals.Text, "Total 0:00:00") {
		t.Errorf("totals %q", r.totals.Text)
	}
	r.period.SetSelected(periodWeek)
	if !strings.HasPrefix(r.totals.Text, "Total") {
		t.Errorf("week totals %q", r.totals.Text)
	}
}

func TestPeriodStart(t *testing.T) {
	loc := time.FixedZone("X", 3600)
	wed := time.Date(2026, 11, 25, 15, 4, 0, 0, loc)
	sun := time.Date(2026, 11, 29, 1, 0, 0, 0, loc)
	tests := []struct {
		now    time.Time
		period string
		want   time.Time
	}{
		{wed, periodToday, time.Date(2026, 11, 25, 0, 0, 0, 0, loc)},
		{wed, periodWeek, time.Date(2026, 11, 23, 0, 0, 0, 0, loc)},
		{sun, periodWeek, time.Date(2026, 11, 23, 0, 0, 0, 0, loc)},
	}
	for _, tt := range tests {
		if got := periodStart(tt.now, tt.period); !got.Equal(tt.want) {
			t.Errorf("%s %s: %s, want %s", tt.now, tt.period, got, tt.want)
		}
	}
}

// TestPhoneCalls draws calls as the App reports them: a call ringing here
// makes the incoming-call banner with Answer and Decline; an active one has
// Transfer and Hang up.
func TestPhoneCalls(t *testing.T) {
	w := newTestWindow(t)
	w.ShowPage(PagePhone)
	ph := w.pages[PagePhone].(*phonePage)
	ph.showCalls([]app.LiveCall{
		{ID: "in", Direction: "incoming", State: "ringing", Peer: "sip:alice@pbx.example.com", PeerName: "Alice", Origin: "queue"},
		{ID: "out", Direction: "outgoing", State: "active", Peer: "sip:bob@pbx.example.com"},
	})
	texts := func(o fyne.CanvasObject) string {
		var s []string
		for _, x := range test.LaidOutObjects(o) {
			switch v := x.(type) {
			case *widget.Button:
				s = append(s, "["+v.Text+"]")
			case *widget.Label:
				s = append(s, v.Text)
			case *widget.Card:
				s = append(s, v.Title, v.Subtitle)
			}
		}
		return strings.Join(s, " ")
	}
	if b := texts(ph.banner); !strings.Contains(b, "Incoming call") || !strings.Contains(b, "Alice <sip:alice@pbx.example.com>") ||
		!strings.Contains(b, "[Answer]") || !strings.Contains(b, "[Decline]") {
		t.Errorf("banner: %s", b)
	}
	if c := texts(ph.calls); !strings.Contains(c, "sip:bob@pbx.example.com — outgoing, active") ||
		!strings.Contains(c, "[Transfer…]") || !strings.Contains(c, "[Hold]") || !strings.Contains(c, "[Keypad…]") || !strings.Contains(c, "[Hang up]") || strings.Contains(c, "alice") {
		t.Errorf("calls: %s", c)
	}
	ph.showCalls(nil)
	if len(ph.banner.Objects) != 0 || !strings.Contains(texts(ph.calls), "No current calls.") {
		t.Error("calls not cleared")
	}
}
