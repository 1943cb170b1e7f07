package xtest

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ringside/ringside/internal/testenv"
)

// keep is a connection held for the whole test binary: an X server resets
// when its last client leaves (Xvfb without -noreset) and refuses
// connections meanwhile, as it would between two tests.
var keep struct {
	once sync.Once
	x    *Display
	err  error
}

func open(t *testing.T) *Display {
	t.Helper()
	testenv.Env(t, "RINGSIDE_TEST_X", "Xvfb")
	keep.once.Do(func() { keep.x, keep.err = Open("") })
	if keep.err != nil {
		t.Fatal(keep.err)
	}
	x, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

func TestOpenNoServer(t *testing.T) {
	x, err := Open(":4242")
	if errors.Is(err, ErrUnsupported) {
		testenv.Missing(t, "Xlib through cgo ("+err.Error()+")") // fails under CI=true
	}
	if !errors.Is(err, ErrNoDisplay) {
		x.Close()
		t.Fatalf("Open(:4242) = %v, want ErrNoDisplay", err)
	}
}

// TestWindowLifecycle creates a window and follows it through the methods:
// found by title and process, mapped, seen by the map watcher, closed by the
// window manager's message, unmapped, destroyed.
func TestWindowLifecycle(t *testing.T) {
	x := open(t)
	watch := open(t)
	if err := watch.WatchMaps(); err != nil {
		t.Fatal(err)
	}
	title := fmt.Sprintf("xtest %d", os.Getpid())
	w, err := x.CreateWindow(title)
	if err != nil {
		t.Fatal(err)
	}
	defer x.DestroyWindow(w)

	cases := []struct {
		title string
		pid   int
		want  bool
	}{
		{title, os.Getpid(), true},
		{title, 0, true},
		{title, os.Getpid() + 1, false},
		{title + "x", 0, false},
	}
	for _, c := range cases {
		ws, err := x.Find(c.title, c.pid)
		if err != nil || slices.Contains(ws, w) != c.want {
			t.Errorf("Find(%q, %d) = %v, %v; want window %#x: %v", c.title, c.pid, ws, err, uint64(w), c.want)
		}
	}
	if got, err := x.Title(w); err != nil || got != title {
		t.Errorf("Title = %q, %v", got, err)
	}
	if s, err := x.MapState(w); err != nil || s != Unmapped {
		t.Errorf("new window: %v %v, want unmapped", s, err)
	}
	if err := x.MapWindow(w); err != nil {
		t.Fatal(err)
	}
	if s, err := x.MapState(w); err != nil || s != Viewable {
		t.Errorf("mapped window: %v %v, want viewable", s, err)
	}
	var mapped []Window
	deadline := time.Now().Add(5 * time.Second)
	for !slices.Contains(mapped, w) && time.Now().Before(deadline) {
		m, err := watch.Mapped()
		if err != nil {
			t.Fatal(err)
		}
		mapped = append(mapped, m...)
		time.Sleep(10 * time.Millisecond)
	}
	if !slices.Contains(mapped, w) {
		t.Errorf("map watcher saw %v, not %#x", mapped, uint64(w))
	}
	if err := x.DeleteWindow(w); err != nil {
		t.Errorf("DeleteWindow: %v", err)
	}
	if err := x.UnmapWindow(w); err != nil {
		t.Fatal(err)
	}
	if s, err := x.MapState(w); err != nil || s != Unmapped {
		t.Errorf("unmapped window: %v %v", s, err)
	}
	if err := x.DestroyWindow(w); err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]func() error{
		"MapState":     func() error { _, err := x.MapState(w); return err },
		"DeleteWindow": func() error { return x.DeleteWindow(w) },
		"Title":        func() error { _, err := x.Title(w); return err },
	} {
		err := f()
		var xe *XError
		if !errors.Is(err, ErrBadWindow) || !errors.As(err, &xe) || xe.Window != w {
			t.Errorf("%s of a destroyed window: %v, want an XError wrapping ErrBadWindow", name, err)
		}
	}
}

func TestClosed(t *testing.T) {
	x := open(t)
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := x.TopLevel(); !errors.Is(err, ErrClosed) {
		t.Errorf("TopLevel after Close: %v", err)
	}
	if err := x.Close(); !errors.Is(err, ErrClosed) {
		t.Errorf("second Close: %v", err)
	}
}
