//go:build linux

package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/ringside/ringside/internal/testenv"
	"github.com/ringside/ringside/internal/xtest"
)

// The end-to-end tests of "the window hides to the tray on close where a
// tray exists" (ui.Options.ForDesktop): the real ringside-app under the test
// X server (no window manager: the test plays its part and sends
// WM_DELETE_WINDOW itself) and the real session bus, where a fake tray host
// (trayhost_test.go) stands for the desktop's and clicks the app's tray menu
// over D-Bus.

// windowTitle is the main window's title (ui.New).
const windowTitle = "Ringside"

// appProc is a running ringside-app.
type appProc struct {
	cmd    *exec.Cmd
	stderr *lockedBuffer
	done   chan struct{} // closed when the process has exited
	err    error         // Wait's result, set before done closes
}

// lockedBuffer is the app's standard error, read while the app writes it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startApp starts ringside-app on the test's display with its own data
// directory; the process is killed when the test ends, if still running.
func startApp(t *testing.T, home string, args ...string) *appProc {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"--home", home}, args...)...)
	// Fyne's locale parsing complains about LANG=C at start-up.
	cmd.Env = append(os.Environ(), "LANG=en_US.UTF-8", "LC_ALL=")
	p := &appProc{cmd: cmd, stderr: &lockedBuffer{}, done: make(chan struct{})}
	cmd.Stdout = p.stderr
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		if !p.exited() {
			cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("ringside-app output:\n%s", p.stderr)
		}
	})
	return p
}

func (p *appProc) pid() int { return p.cmd.Process.Pid }

func (p *appProc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// waitExit waits up to d for the app to exit and returns its exit status.
func (p *appProc) waitExit(t *testing.T, d time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(d):
		t.Fatalf("ringside-app still running %v after it was asked to quit", d)
	}
	var ee *exec.ExitError
	if errors.As(p.err, &ee) {
		return ee.ExitCode()
	}
	if p.err != nil {
		t.Fatalf("ringside-app: %v", p.err)
	}
	return 0
}

// display is the tests' connection to the X server, opened once and kept
// until the test binary exits: an X server resets when its last client
// leaves (Xvfb without -noreset), refusing connections meanwhile, which it
// would do between two tests when the app and the test's connection close.
var display struct {
	once sync.Once
	x    *xtest.Display
	err  error
}

// needX returns the connection to the test's X server and checks for the
// session bus the app's tray needs, failing under CI and skipping elsewhere
// when either is missing.
func needX(t *testing.T) *xtest.Display {
	t.Helper()
	testenv.Env(t, "RINGSIDE_TEST_X", "Xvfb")
	testenv.Env(t, "DBUS_SESSION_BUS_ADDRESS", "a D-Bus session bus (dbus-run-session)")
	display.once.Do(func() { display.x, display.err = xtest.Open("") })
	if display.err != nil {
		t.Fatal(display.err)
	}
	return display.x
}

// appWindows returns the app's windows titled Ringside and their map states.
func appWindows(t *testing.T, x *xtest.Display, p *appProc) map[xtest.Window]xtest.MapState {
	t.Helper()
	ws, err := x.Find(windowTitle, p.pid())
	if err != nil {
		t.Fatalf("listing the X server's windows: %v", err)
	}
	out := map[xtest.Window]xtest.MapState{}
	for _, w := range ws {
		if s, err := x.MapState(w); err == nil {
			out[w] = s
		} else if !errors.Is(err, xtest.ErrBadWindow) {
			t.Fatal(err)
		}
	}
	return out
}

// waitMapped waits up to d for the app's main window to be mapped (viewable)
// and returns it.
func waitMapped(t *testing.T, x *xtest.Display, p *appProc, d time.Duration) xtest.Window {
	t.Helper()
	var win xtest.Window
	var seen map[xtest.Window]xtest.MapState
	ok := waitFor(d, func() bool {
		if p.exited() {
			return true
		}
		seen = appWindows(t, x, p)
		for w, s := range seen {
			if s == xtest.Viewable {
				win = w
				return true
			}
		}
		return false
	})
	if p.exited() {
		t.Fatalf("ringside-app exited (%v) before its window was mapped", p.err)
	}
	if !ok {
		t.Fatalf("no mapped %q window of ringside-app (pid %d) within %v; its windows: %v", windowTitle, p.pid(), d, seen)
	}
	return win
}

// waitState waits up to d for w to be in state want.
func waitState(t *testing.T, x *xtest.Display, w xtest.Window, want xtest.MapState, d time.Duration) {
	t.Helper()
	var s xtest.MapState
	var err error
	if !waitFor(d, func() bool {
		s, err = x.MapState(w)
		return err == nil && s == want
	}) {
		t.Fatalf("window %#x: %v (%v) after %v, want %v", uint64(w), s, err, d, want)
	}
}

// checkAppItem checks that the tray item registered belongs to the app.
func checkAppItem(t *testing.T, conn *dbus.Conn, it sniItem, p *appProc) {
	t.Helper()
	var pid uint32
	if err := conn.BusObject().Call("org.freedesktop.DBus.GetConnectionUnixProcessID", 0, it.Service).Store(&pid); err != nil {
		t.Fatalf("tray item %s: whose is it: %v", it, err)
	}
	if int(pid) != p.pid() {
		t.Fatalf("tray item %s belongs to pid %d, not ringside-app (%d)", it, pid, p.pid())
	}
}

// TestTrayCloseHidesShowQuit: with a tray host, closing the window (the
// window manager's WM_DELETE_WINDOW) hides it and the app keeps running; the
// tray menu's "Open Ringside" maps it again and its "Quit" ends the app with
// status 0.
func TestTrayCloseHidesShowQuit(t *testing.T) {
	x := needX(t)
	host := startTrayHost(t)
	p := startApp(t, t.TempDir())
	w := waitMapped(t, x, p, 20*time.Second)
	it := host.waitItem(t, 10*time.Second)
	checkAppItem(t, host.conn, it, p)
	menu := itemMenu(t, host.conn, it)

	if err := x.DeleteWindow(w); err != nil {
		t.Fatal(err)
	}
	waitState(t, x, w, xtest.Unmapped, 5*time.Second)
	// A quit would have ended the process by now: it exits right away.
	time.Sleep(500 * time.Millisecond)
	if p.exited() {
		t.Fatalf("closing the window with a tray host quit the app (%v); it should hide to the tray", p.err)
	}
	if s, err := x.MapState(w); err != nil || s != xtest.Unmapped {
		t.Fatalf("window %#x after close: %v %v, want unmapped", uint64(w), s, err)
	}

	menu.choose(t, "Open Ringside", 5*time.Second, func() bool {
		s, err := x.MapState(w)
		return err == nil && s == xtest.Viewable
	})
	// Mapped again, the window lost its content: it must be drawn again,
	// not left blank (the CPU-painted window puts only what changed
	// otherwise).
	waitDrawn(t, w, 5*time.Second)

	menu.choose(t, "Quit", 10*time.Second, p.exited)
	if code := p.waitExit(t, time.Second); code != 0 {
		t.Fatalf("Quit from the tray: exit status %d, want 0", code)
	}
}

// waitDrawn waits until the window's pixels, captured from the X server,
// show more than a few colours.
func waitDrawn(t *testing.T, w xtest.Window, timeout time.Duration) {
	t.Helper()
	imp := testenv.Program(t, "import") // ImageMagick
	file := filepath.Join(t.TempDir(), "window.png")
	n := 0
	for end := time.Now().Add(timeout); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
		if out, err := exec.Command(imp, "-window", fmt.Sprint(uint64(w)), file).CombinedOutput(); err != nil {
			t.Fatalf("import: %v %s", err, out)
		}
		img, err := xtest.ReadPNG(file)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if n = xtest.Colours(img, 100); n >= 8 {
			return
		}
	}
	t.Fatalf("window %#x shown again but blank (%d colours)", uint64(w), n)
}

// TestTrayAbsentCloseQuits: without a tray host on the bus, closing the
// window quits the app (status 0) rather than hiding it where nobody can
// bring it back.
func TestTrayAbsentCloseQuits(t *testing.T) {
	x := needX(t)
	conn := sessionBus(t)
	var has bool
	if err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, watcherName).Store(&has); err != nil {
		t.Fatal(err)
	}
	if has {
		t.Fatalf("%s is owned on this session bus: another tray host runs; this test needs a bus without one", watcherName)
	}
	p := startApp(t, t.TempDir())
	w := waitMapped(t, x, p, 20*time.Second)
	if err := x.DeleteWindow(w); err != nil {
		t.Fatal(err)
	}
	if code := p.waitExit(t, 10*time.Second); code != 0 {
		t.Fatalf("closing the window without a tray: exit status %d, want 0", code)
	}
}

// TestTrayStartMinimized: with a tray host, the --minimized flag and the
// app.start_minimized setting start the app in the tray: its window is never
// mapped, and the tray's "Open Ringside" maps it.
func TestTrayStartMinimized(t *testing.T) {
	cases := []struct {
		name    string
		setting bool
		args    []string
	}{
		{name: "flag", args: []string{"--minimized"}},
		{name: "setting", setting: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := needX(t)
			// The root's MapNotify events, on a connection of their own: a
			// window mapped even briefly shows there.
			maps, err := xtest.Open("")
			if err != nil {
				t.Fatal(err)
			}
			defer maps.Close()
			if err := maps.WatchMaps(); err != nil {
				t.Fatal(err)
			}
			home := t.TempDir()
			if c.setting {
				out, err := exec.Command(bin, "--home", home, "prefs", "set", "app.start_minimized", "on").CombinedOutput()
				if err != nil {
					t.Fatalf("prefs set app.start_minimized on: %v %s", err, out)
				}
			}
			host := startTrayHost(t)
			p := startApp(t, home, c.args...)
			it := host.waitItem(t, 20*time.Second)
			checkAppItem(t, host.conn, it, p)
			menu := itemMenu(t, host.conn, it)
			menu.find(t, "Open Ringside", 5*time.Second)
			// The app is up (its event loop runs the tray); give a window
			// that was going to show the time to do it.
			time.Sleep(time.Second)
			if p.exited() {
				t.Fatalf("ringside-app exited: %v", p.err)
			}
			mapped, err := maps.Mapped()
			if err != nil {
				t.Fatal(err)
			}
			wins := appWindows(t, x, p)
			for w, s := range wins {
				if s != xtest.Unmapped || slices.Contains(mapped, w) {
					t.Fatalf("started minimized, but window %#x was mapped (now %v)", uint64(w), s)
				}
			}

			var shown xtest.Window
			menu.choose(t, "Open Ringside", 10*time.Second, func() bool {
				for w, s := range appWindows(t, x, p) {
					if s == xtest.Viewable {
						shown = w
						return true
					}
				}
				return false
			})
			// The map watcher sees this one: its silence above meant something.
			if !waitFor(5*time.Second, func() bool {
				m, err := maps.Mapped()
				mapped = append(mapped, m...)
				return err == nil && slices.Contains(mapped, shown)
			}) {
				t.Fatalf("the map watcher did not see window %#x mapped; it saw %v", uint64(shown), mapped)
			}
			menu.choose(t, "Quit", 10*time.Second, p.exited)
			if code := p.waitExit(t, time.Second); code != 0 {
				t.Fatalf("Quit from the tray: exit status %d, want 0", code)
			}
			if s := p.stderr.String(); strings.Contains(s, "panic") {
				t.Fatalf("ringside-app panicked:\n%s", s)
			}
		})
	}
}
