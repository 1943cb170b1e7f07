package ui

import (
	"context"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/godbus/dbus/v5"

	"github.com/ringside/ringside/app/status"
	"github.com/ringside/ringside/app/status/statustest"
	"github.com/ringside/ringside/app/store"
	"github.com/ringside/ringside/internal/testenv"
)

// trayApp is a Fyne test app with a tray that records what it is given.
type trayApp struct {
	fyne.App
	icons []fyne.Resource
	menus []*fyne.Menu
}

func (a *trayApp) SetSystemTrayMenu(m *fyne.Menu)    { a.menus = append(a.menus, m) }
func (a *trayApp) SetSystemTrayIcon(r fyne.Resource) { a.icons = append(a.icons, r) }
func (a *trayApp) SetSystemTrayWindow(w fyne.Window) {}

var tt0 = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

func checked(m *fyne.Menu) []string {
	var out []string
	for _, it := range m.Items {
		if it.Checked {
			out = append(out, it.Label)
		}
	}
	return out
}

func TestTrayMenu(t *testing.T) {
	tests := []struct {
		name string
		snap status.Snapshot
		head string
	}{
		{"just started", status.Snapshot{Status: status.Available, Since: tt0, Now: tt0.Add(20 * time.Second)}, "Available for less than a minute"},
		{"minutes", status.Snapshot{Status: status.Away, Since: tt0, Now: tt0.Add(12*time.Minute + 59*time.Second)}, "Away for 12 min"},
		{"hours", status.Snapshot{Status: status.DoNotDisturb, Since: tt0, Now: tt0.Add(65 * time.Minute)}, "Do Not Disturb for 1 h 05 min"},
		{"after-call work", status.Snapshot{Status: status.AfterCallWork, Since: tt0, Now: tt0.Add(15 * time.Second),
			ReturnTo: status.Away, AfterCallWorkUntil: tt0.Add(60 * time.Second)}, "After-call work, back to Away in 0:45"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var set status.Status
			opened, quit := false, false
			m := TrayMenu(tt.snap, func(s status.Status) { set = s }, func() { opened = true }, func() { quit = true })
			var labels []string
			for _, it := range m.Items {
				labels = append(labels, it.Label)
			}
			want := []string{tt.head, "", "Available", "Away", "After-call work", "On break", "Unavailable",
				"Do Not Disturb", "", "Open Ringside", "Quit"}
			if strings.Join(labels, "|") != strings.Join(want, "|") {
				t.Fatalf("menu %q, want %q", labels, want)
			}
			if !m.Items[0].Disabled {
				t.Error("status line is clickable")
			}
			if c := checked(m); len(c) != 1 || c[0] != tt.snap.Status.Name() {
				t.Errorf("checked %q, want only %s", c, tt.snap.Status.Name())
			}
			m.Items[6].Action()
			m.Items[9].Action()
			m.Items[10].Action()
			if set != status.Unavailable || !opened || !quit || !m.Items[10].IsQuit {
				t.Errorf("actions: set %s, opened %v, quit %v", set, opened, quit)
			}
		})
	}
}

func TestStatusIcons(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range status.All {
		r := StatusIcon(s)
		if len(r.Content()) < 100 || string(r.Content()[1:4]) != "PNG" {
			t.Errorf("%s: no PNG icon", s)
		}
		if seen[string(r.Content())] {
			t.Errorf("%s: same icon as another status", s)
		}
		seen[string(r.Content())] = true
	}
	if len(StatusIcon("bogus").Content()) == 0 {
		t.Error("unknown status has no icon")
	}
}

// TestTrayTap builds the tray on a real engine, taps "Away" in the menu
// rendered as a Fyne widget, and checks that the engine changed and the check
// mark moved; then a change from elsewhere (the command line) moves it too.
func TestTrayTap(t *testing.T) {
	a := &trayApp{App: test.NewTempApp(t)}
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	clock := statustest.NewClock(tt0)
	eng, err := status.New(ctx, st, status.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()

	tray, ok := NewTray(a, eng, func() {}, func() {}, WithTrayRefresh(0))
	if !ok {
		t.Fatal("test app with a tray not seen as a desktop app")
	}
	var tipMu sync.Mutex
	var tip string
	tray.tooltip = func(s string) { tipMu.Lock(); tip = s; tipMu.Unlock() }
	tooltip := func() string { tipMu.Lock(); defer tipMu.Unlock(); return tip }
	tray.Start()
	defer tray.Close()
	if len(a.icons) != 1 || len(a.menus) != 1 {
		t.Fatalf("after Start: %d icons, %d menus; want 1 and 1", len(a.icons), len(a.menus))
	}
	if c := checked(tray.Menu()); len(c) != 1 || c[0] != "Available" {
		t.Fatalf("checked %q, want Available", c)
	}

	events, cancel := eng.Subscribe()
	defer cancel()
	wm := widget.NewMenu(tray.Menu())
	w := test.NewWindow(wm)
	defer w.Close()
	var away fyne.Tappable
	for _, o := range wm.Items {
		if tp, ok := o.(fyne.Tappable); ok && labelOf(o) == "Away" {
			away = tp
		}
	}
	if away == nil {
		t.Fatal("no tappable Away item in the rendered menu")
	}
	test.Tap(away)
	waitFor(t, events, func() bool { return eng.Current() == status.Away })
	waitFor(t, nil, func() bool {
		c := checked(tray.Menu())
		return len(c) == 1 && c[0] == "Away"
	})
	if got := eng.Snapshot().Reason; got != status.ReasonTray {
		t.Errorf("reason %s, want tray", got)
	}
	if n := len(a.icons); n != 2 {
		t.Errorf("%d icon updates, want 2 (start, Away)", n)
	}

	// A change from elsewhere redraws the menu too.
	if err := eng.Set(ctx, status.OnBreak, status.ReasonCLI); err != nil {
		t.Fatal(err)
	}
	waitFor(t, nil, func() bool {
		c := checked(tray.Menu())
		return len(c) == 1 && c[0] == "On break"
	})
	clock.Advance(3 * time.Minute)
	eng.Set(ctx, status.Away, status.ReasonCLI)
	waitFor(t, nil, func() bool { return tray.Menu().Items[0].Label == "Away for less than a minute" })
	if tooltip() != "Ringside: Away for less than a minute" {
		t.Errorf("tooltip %q", tooltip())
	}
}

// labelOf returns the text of a rendered menu item.
func labelOf(o fyne.CanvasObject) string {
	w, ok := o.(fyne.Widget)
	if !ok {
		return ""
	}
	for _, c := range test.WidgetRenderer(w).Objects() {
		if txt, ok := c.(*canvas.Text); ok {
			return txt.Text
		}
	}
	return ""
}

// waitFor waits (up to 5 s) for cond, woken by ch when given.
func waitFor(t *testing.T, ch <-chan struct{}, cond func() bool) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for !cond() {
		select {
		case <-ch:
		case <-time.After(5 * time.Millisecond):
		case <-deadline:
			t.Fatal("timed out")
		}
	}
}

// TestDetectTray asks a real session bus (dbus-run-session) for the tray host:
// none at first, then one after the test takes the watcher's name.
func TestDetectTray(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		if s := DetectTray(); !s.CanSetUp || !s.Visible {
			t.Fatalf("DetectTray on %s = %+v", runtime.GOOS, s)
		}
		return
	}
	testenv.Env(t, "DBUS_SESSION_BUS_ADDRESS", "D-Bus session bus (run the tests inside dbus-run-session)")
	s := DetectTray()
	if !s.CanSetUp {
		t.Fatalf("session bus not usable: %+v", s)
	}
	conn, err := dbus.SessionBusPrivate()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.Auth(nil); err != nil {
		t.Fatal(err)
	}
	if err := conn.Hello(); err != nil {
		t.Fatal(err)
	}
	if s.Visible {
		t.Log("a tray host already runs on this bus")
	} else if !strings.Contains(s.Why, "StatusNotifierWatcher") {
		t.Errorf("no host, but Why = %q", s.Why)
	}
	reply, err := conn.RequestName("org.kde.StatusNotifierWatcher", dbus.NameFlagDoNotQueue)
	if err != nil || (reply != dbus.RequestNameReplyPrimaryOwner && !s.Visible) {
		t.Fatalf("taking the watcher name: %v %v", reply, err)
	}
	if s := DetectTray(); !s.CanSetUp || !s.Visible || !HasTrayHost() {
		t.Errorf("with a watcher on the bus: %+v", s)
	}
}

func TestDetectTrayWithoutBus(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		return
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	if s := DetectTray(); s.CanSetUp || s.Visible || !strings.Contains(s.Why, "no D-Bus session bus") {
		t.Errorf("without a bus: %+v", s)
	}
}
