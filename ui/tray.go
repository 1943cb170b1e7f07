package ui

// The tray: Fyne's own tray (desktop.App, built on fyne.io/systray, which
// shares Fyne's event loop), kept in this one file so the choice stays easy to
// see and to change. The menu is rebuilt from a status snapshot on every status
// event, whoever caused it (tray, window, command line, after-call work timer);
// a click asks the engine for the change, and the engine's event redraws.

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/systray"
	"github.com/godbus/dbus/v5"

	"github.com/ringside/ringside/app/status"
	"github.com/ringside/ringside/assets"
)

// StatusEngine is what the tray needs of the status engine (*status.Engine).
type StatusEngine interface {
	Snapshot() status.Snapshot
	Set(ctx context.Context, s status.Status, r status.Reason) error
	Subscribe() (changed <-chan struct{}, cancel func())
}

// TraySupport says whether this desktop can show Ringside's tray icon.
type TraySupport struct {
	// CanSetUp: the tray may be created. On Linux and the BSDs it needs a
	// D-Bus session bus (Fyne 2.7.1 panics on quit when its tray never got a
	// D-Bus connection, fyne-io/fyne#6403).
	CanSetUp bool
	// Visible: a tray host shows the icon (org.kde.StatusNotifierWatcher on
	// the session bus; GNOME needs the AppIndicator extension). When false,
	// the app must keep its window reachable: start shown, and closing the
	// window minimises or quits rather than hiding it in a tray nobody sees.
	Visible bool
	// Why explains a false field, for the log.
	Why string
}

// DetectTray checks for a tray host. On Windows and macOS the tray always
// exists. Elsewhere it asks the session bus, without ever starting a bus
// (an autolaunched dbus-daemon would outlive the app).
func DetectTray() TraySupport {
	switch runtime.GOOS {
	case "windows", "darwin":
		return TraySupport{CanSetUp: true, Visible: true}
	}
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		rt := os.Getenv("XDG_RUNTIME_DIR")
		if rt == "" {
			return TraySupport{Why: "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS and XDG_RUNTIME_DIR unset)"}
		}
		if _, err := os.Stat(filepath.Join(rt, "bus")); err != nil {
			return TraySupport{Why: "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS unset, no " + filepath.Join(rt, "bus") + ")"}
		}
	}
	conn, err := dbus.SessionBusPrivate()
	if err != nil {
		return TraySupport{Why: "no D-Bus session bus: " + err.Error()}
	}
	defer conn.Close()
	if err := conn.Auth(nil); err != nil {
		return TraySupport{Why: "D-Bus session bus refused us: " + err.Error()}
	}
	if err := conn.Hello(); err != nil {
		return TraySupport{Why: "D-Bus session bus refused us: " + err.Error()}
	}
	var has bool
	err = conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, "org.kde.StatusNotifierWatcher").Store(&has)
	if err != nil {
		return TraySupport{CanSetUp: true, Why: "cannot ask D-Bus for a tray host: " + err.Error()}
	}
	if !has {
		return TraySupport{CanSetUp: true, Why: "no tray host (org.kde.StatusNotifierWatcher); on GNOME install the AppIndicator extension"}
	}
	return TraySupport{CanSetUp: true, Visible: true}
}

// HasTrayHost reports whether a tray icon would be seen (DetectTray().Visible).
func HasTrayHost() bool { return DetectTray().Visible }

// Tray is Ringside's tray icon and menu.
type Tray struct {
	da   desktop.App
	eng  StatusEngine
	open func()
	quit func()
	log  *slog.Logger
	tick time.Duration
	// tooltip sets the icon's tooltip; Fyne has no API for it, so this
	// reaches fyne.io/systray, which Fyne's tray is built on.
	tooltip func(string)

	cancel context.CancelFunc
	wg     sync.WaitGroup // the loop and the clicks' Set calls

	mu     sync.Mutex
	menu   *fyne.Menu // last menu handed to the tray
	icon   status.Status
	closed bool
}

// TrayOption configures a Tray.
type TrayOption func(*Tray)

// WithTrayLogger sets the tray's logger (default: discard).
func WithTrayLogger(l *slog.Logger) TrayOption { return func(t *Tray) { t.log = l } }

// WithTrayRefresh sets how often the time in the status line is redrawn when
// nothing else changes (default one minute; 0 never).
func WithTrayRefresh(d time.Duration) TrayOption { return func(t *Tray) { t.tick = d } }

// NewTray returns the tray of fa (a desktop.App) for the engine: open shows
// the main window, quit quits the app. It shows nothing until Start. ok is
// false when fa has no tray (not a desktop app).
func NewTray(fa fyne.App, eng StatusEngine, open, quit func(), opts ...TrayOption) (t *Tray, ok bool) {
	da, ok := fa.(desktop.App)
	if !ok {
		return nil, false
	}
	t = &Tray{da: da, eng: eng, open: open, quit: quit, log: slog.New(slog.DiscardHandler), tick: time.Minute,
		tooltip: systray.SetTooltip}
	for _, o := range opts {
		o(t)
	}
	return t, true
}

// Start sets the icon and the menu, then follows the engine's events until
// Close. Call it once, after DetectTray said CanSetUp.
func (t *Tray) Start() {
	changed, unsubscribe := t.eng.Subscribe()
	ctx, cancel := context.WithCancel(context.Background())
	t.cancel = cancel
	t.redraw()
	t.wg.Add(1)
	go func() {
		defer t.wg.Done()
		defer unsubscribe()
		var tick <-chan time.Time
		if t.tick > 0 {
			tk := time.NewTicker(t.tick)
			defer tk.Stop()
			tick = tk.C
		}
		for {
			select {
			case <-ctx.Done():
				return
			case _, ok := <-changed:
				if !ok {
					return // the engine closed
				}
				t.redraw()
			case <-tick:
				t.redraw()
			}
		}
	}()
}

// Close stops following the engine and waits for pending clicks. The icon
// stays until the Fyne app quits.
func (t *Tray) Close() {
	t.mu.Lock()
	t.closed = true
	t.mu.Unlock()
	if t.cancel != nil {
		t.cancel()
	}
	t.wg.Wait()
}

// Menu returns the menu last handed to the tray.
func (t *Tray) Menu() *fyne.Menu {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.menu
}

// redraw builds the menu (and the icon, when the status changed) from a fresh
// snapshot and hands them to the tray on the Fyne thread.
func (t *Tray) redraw() {
	snap := t.eng.Snapshot()
	menu := TrayMenu(snap, t.choose, t.open, t.quit)
	fyne.Do(func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		if snap.Status != t.icon {
			// The icon first: Fyne logs "Failed to read icon format" otherwise.
			t.da.SetSystemTrayIcon(StatusIcon(snap.Status))
			t.icon = snap.Status
		}
		t.da.SetSystemTrayMenu(menu)
		t.menu = menu
		t.tooltip("Ringside: " + StatusLine(snap))
	})
}

// choose asks the engine for s, off the Fyne thread; the engine's event
// redraws the menu.
func (t *Tray) choose(s status.Status) {
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return
	}
	t.wg.Add(1)
	t.mu.Unlock()
	go func() {
		defer t.wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := t.eng.Set(ctx, s, status.ReasonTray); err != nil {
			t.log.Error("tray: status not changed", "status", string(s), "err", err)
		}
	}()
}

// StatusIcon returns the tray icon of s: a coloured disc with a glyph cut out
// (check, clock, dots, pause, cross, bar) that reads in one colour too.
func StatusIcon(s status.Status) fyne.Resource {
	b := assets.StatusIcon(string(s))
	if b == nil {
		b = assets.StatusIcon(string(status.Unavailable))
	}
	return fyne.NewStaticResource("ringside-"+string(s)+".png", b)
}

// TrayMenu builds the tray menu from a snapshot: a line with the status and
// how long it has lasted, the six statuses with a check mark on the current one, "Open
// Ringside" and "Quit". set is called with the status clicked. The same
// status line is the icon's tooltip.
func TrayMenu(snap status.Snapshot, set func(status.Status), open, quit func()) *fyne.Menu {
	head := fyne.NewMenuItem(StatusLine(snap), nil)
	head.Disabled = true
	items := []*fyne.MenuItem{head, fyne.NewMenuItemSeparator()}
	for _, s := range status.All {
		it := fyne.NewMenuItem(s.Name(), func() { set(s) })
		it.Checked = s == snap.Status
		items = append(items, it)
	}
	q := fyne.NewMenuItem("Quit", quit)
	q.IsQuit = true
	items = append(items, fyne.NewMenuItemSeparator(), fyne.NewMenuItem("Open Ringside", open), q)
	return fyne.NewMenu("Ringside", items...)
}

// StatusLine says the status and for how long: "Away for 12 min", "Available
// for 1 h 05 min", "After-call work, back to Away in 0:45".
func StatusLine(snap status.Snapshot) string {
	if !snap.AfterCallWorkUntil.IsZero() && snap.ReturnTo != "" {
		left := snap.AfterCallWorkUntil.Sub(snap.Now)
		if left < 0 {
			left = 0
		}
		left = left.Round(time.Second)
		return fmt.Sprintf("%s, back to %s in %d:%02d", snap.Status.Name(), snap.ReturnTo.Name(),
			int(left/time.Minute), int(left%time.Minute/time.Second))
	}
	return snap.Status.Name() + " for " + approx(snap.In())
}

// approx writes d for people: "less than a minute", "12 min", "1 h 05 min".
func approx(d time.Duration) string {
	m := int(d / time.Minute)
	switch {
	case m < 1:
		return "less than a minute"
	case m < 60:
		return fmt.Sprintf("%d min", m)
	}
	return fmt.Sprintf("%d h %02d min", m/60, m%60)
}
