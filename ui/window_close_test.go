package ui

import (
	"context"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ringside/ringside/app/prefs"
	"github.com/ringside/ringside/app/status"
)

// shellApp is Fyne's test app with what the test driver leaves out: a tray
// (desktop.App), windows that remember whether they are shown and what
// closing them does, and a Run that blocks until Quit, as the desktop
// driver's does.
type shellApp struct {
	fyne.App
	mu       sync.Mutex
	quits    int
	running  chan struct{} // closed when Run is called
	done     chan struct{} // closed by Quit
	runOnce  sync.Once
	quitOnce sync.Once
}

func (a *shellApp) NewWindow(title string) fyne.Window {
	return &shellWindow{Window: a.App.NewWindow(title), app: a}
}

func (a *shellApp) Run() {
	a.runOnce.Do(func() { close(a.running) })
	<-a.done
}

func (a *shellApp) Quit() {
	a.mu.Lock()
	a.quits++
	a.mu.Unlock()
	a.quitOnce.Do(func() { close(a.done) })
}

func (a *shellApp) quitCount() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.quits
}

func (a *shellApp) SetSystemTrayMenu(*fyne.Menu)    {}
func (a *shellApp) SetSystemTrayIcon(fyne.Resource) {}
func (a *shellApp) SetSystemTrayWindow(fyne.Window) {}

// shellWindow is a test window that remembers whether it is shown, its close
// intercept and whether it was closed.
type shellWindow struct {
	fyne.Window
	app       *shellApp
	mu        sync.Mutex
	shown     bool
	shows     int
	closed    bool
	intercept func()
}

func (w *shellWindow) Show() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.shown, w.shows = true, w.shows+1
	w.Window.Show()
}

// ShowAndRun shows the window and runs the app until Quit.
func (w *shellWindow) ShowAndRun() {
	w.Show()
	w.app.Run()
}

func (w *shellWindow) Hide() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.shown = false
	w.Window.Hide()
}

// Close closes the window, and the app with it (its only window).
func (w *shellWindow) Close() {
	w.mu.Lock()
	w.shown, w.closed = false, true
	w.Window.Close()
	w.mu.Unlock()
	w.app.Quit()
}

func (w *shellWindow) SetCloseIntercept(f func()) {
	w.mu.Lock()
	w.intercept = f
	w.mu.Unlock()
	w.Window.SetCloseIntercept(f)
}

// userClose is what Fyne's desktop driver does when the user closes the
// window (its close button, Alt+F4): the close intercept when one is set,
// else Close, which quits the app with its last window
// (internal/driver/glfw: window.processClosed).
func (w *shellWindow) userClose() {
	w.mu.Lock()
	f := w.intercept
	w.mu.Unlock()
	if f != nil {
		f()
		return
	}
	w.Close()
}

func (w *shellWindow) state() (shown, closed bool, shows int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.shown, w.closed, w.shows
}

// newShell builds the main window on a shellApp with opts; quit receives
// OnQuit's calls.
func newShell(t *testing.T, opts Options) (*Window, *shellApp, *shellWindow, <-chan struct{}) {
	t.Helper()
	a := newTestApp(t)
	fa := &shellApp{App: test.NewTempApp(t), running: make(chan struct{}), done: make(chan struct{})}
	quit := make(chan struct{}, 4)
	opts.OnQuit = func() { quit <- struct{}{} }
	opts.Logger = discard
	w := New(fa, a, opts)
	t.Cleanup(w.Close)
	return w, fa, w.FyneWindow().(*shellWindow), quit
}

// run runs the window's event loop (Window.Run) until the test ends, and
// waits for the app to run.
func run(t *testing.T, w *Window, fa *shellApp) {
	t.Helper()
	ran := make(chan struct{})
	go func() {
		defer close(ran)
		w.Run()
	}()
	t.Cleanup(func() {
		fa.Quit()
		<-ran
	})
	select {
	case <-fa.running:
	case <-time.After(10 * time.Second):
		t.Fatal("Window.Run did not run the app")
	}
}

// startTray starts the tray as cmd/ringside-app does: "Open Ringside" shows
// the window, "Quit" quits.
func startTray(t *testing.T, w *Window, fa *shellApp) (*Tray, *status.Engine) {
	t.Helper()
	eng, err := w.a.StartStatus(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.a.StopStatus() })
	tray, ok := NewTray(fa, eng, w.Show, w.Quit, WithTrayRefresh(0))
	if !ok {
		t.Fatal("shell app not seen as a desktop app")
	}
	tray.tooltip = func(string) {}
	tray.Start()
	t.Cleanup(tray.Close)
	return tray, eng
}

func trayItem(t *testing.T, tray *Tray, label string) *fyne.MenuItem {
	t.Helper()
	for _, it := range tray.Menu().Items {
		if it.Label == label {
			return it
		}
	}
	t.Fatalf("no %q in the tray menu", label)
	return nil
}

// TestCloseHidesToTray: with a tray, closing the window hides it; the app
// and its engines keep running (nothing quits, the status engine still
// takes changes and the window's pages still follow them); the tray's
// "Open Ringside" brings the window back, and its "Quit" quits.
func TestCloseHidesToTray(t *testing.T) {
	var opts Options
	opts.ForDesktop(TraySupport{CanSetUp: true, Visible: true}, prefs.Values{}, false)
	w, fa, sw, quit := newShell(t, opts)
	tray, eng := startTray(t, w, fa)
	run(t, w, fa)
	if shown, _, _ := sw.state(); !shown {
		t.Fatal("window not shown by Run")
	}

	sw.userClose()
	if shown, closed, _ := sw.state(); shown || closed {
		t.Fatalf("after closing with a tray: shown %v, closed %v; want hidden, not closed", shown, closed)
	}
	select {
	case <-quit:
		t.Fatal("closing the window with a tray quit the app")
	case <-time.After(100 * time.Millisecond):
	}
	if fa.quitCount() != 0 {
		t.Fatal("closing the window with a tray called Fyne's Quit")
	}
	// The engines run on: the status changes, the tray and the store follow.
	if err := eng.Set(context.Background(), status.Away, status.ReasonManual); err != nil {
		t.Fatalf("status engine after the window hid: %v", err)
	}
	waitFor(t, nil, func() bool {
		c := checked(tray.Menu())
		return len(c) == 1 && c[0] == "Away"
	})
	if snap, _, err := w.a.Status(context.Background()); err != nil || snap.Status != status.Away {
		t.Fatalf("stored status %s (%v) after the window hid, want away", snap.Status, err)
	}

	trayItem(t, tray, "Open Ringside").Action()
	if shown, closed, shows := sw.state(); !shown || closed || shows != 2 {
		t.Fatalf("after Open Ringside: shown %v, closed %v, %d shows", shown, closed, shows)
	}
	if !sw.Canvas().Content().Visible() {
		t.Error("the window came back without its content")
	}
	// Still the same window, pages and all: Ctrl+1..5 work.
	w.ShowPage(PageReport)
	if w.current != PageReport {
		t.Error("pages not usable after the window came back")
	}

	trayItem(t, tray, "Quit").Action()
	select {
	case <-quit:
	case <-time.After(5 * time.Second):
		t.Fatal("the tray's Quit did not quit")
	}
}

// TestCloseQuitsWithoutTray: without a tray, closing the window quits (the
// engines end in order through OnQuit); with no OnQuit either, Fyne closes
// the window, and with it the app.
func TestCloseQuitsWithoutTray(t *testing.T) {
	var opts Options
	opts.ForDesktop(TraySupport{CanSetUp: true, Why: "no tray host"}, prefs.Values{"app.start_minimized": "on"}, true)
	if opts.HideOnClose || opts.Minimized {
		t.Fatalf("without a tray: %+v", opts)
	}
	_, _, sw, quit := newShell(t, opts)
	sw.userClose()
	select {
	case <-quit:
	case <-time.After(5 * time.Second):
		t.Fatal("closing the window without a tray did not quit")
	}
	if shown, _, _ := sw.state(); shown {
		t.Error("window hidden rather than quit")
	}

	a := newTestApp(t)
	fa := &shellApp{App: test.NewTempApp(t), running: make(chan struct{}), done: make(chan struct{})}
	w := New(fa, a, Options{Logger: discard})
	t.Cleanup(w.Close)
	sw = w.FyneWindow().(*shellWindow)
	sw.userClose()
	if _, closed, _ := sw.state(); !closed || fa.quitCount() != 1 {
		t.Error("without a tray or OnQuit, closing did not close the window and quit")
	}
}

// TestStartMinimized: app.start_minimized (or --minimized) with a tray runs
// without showing the window until the tray's "Open Ringside"; without a
// tray the window shows anyway.
func TestStartMinimized(t *testing.T) {
	tests := []struct {
		name      string
		tray      bool
		setting   string
		flag      bool
		minimized bool
	}{
		{"setting on, tray", true, "on", false, true},
		{"flag, tray", true, "off", true, true},
		{"setting off, tray", true, "off", false, false},
		{"setting on, no tray", false, "on", false, false},
		{"flag, no tray", false, "off", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts Options
			opts.ForDesktop(TraySupport{CanSetUp: true, Visible: tt.tray}, prefs.Values{"app.start_minimized": tt.setting}, tt.flag)
			if opts.Minimized != tt.minimized || opts.HideOnClose != tt.tray {
				t.Fatalf("options %+v", opts)
			}
			w, fa, sw, _ := newShell(t, opts)
			var tray *Tray
			if tt.tray {
				tray, _ = startTray(t, w, fa)
			}
			run(t, w, fa)
			if shown, _, shows := sw.state(); shown == tt.minimized || (tt.minimized && shows != 0) {
				t.Fatalf("after Run: shown %v (%d shows), minimized %v", shown, shows, tt.minimized)
			}
			if tray != nil {
				trayItem(t, tray, "Open Ringside").Action()
				if shown, _, _ := sw.state(); !shown {
					t.Error("Open Ringside did not show the window")
				}
			}
		})
	}
}

// The real settings reach ForDesktop as the store holds them.
func TestStartMinimizedSetting(t *testing.T) {
	a := newTestApp(t, prefs.Change{Key: "app.start_minimized", Value: "on"})
	v, err := a.Prefs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var opts Options
	opts.ForDesktop(TraySupport{CanSetUp: true, Visible: true}, v, false)
	if !opts.Minimized {
		t.Error("app.start_minimized on, with a tray, does not start minimized")
	}
}
