//go:build !race

// The recording test runs without -race: Fyne's test driver runs fyne.Do on
// the calling goroutine, so the level meter's updates from the audio thread
// touch widgets beside the test's own goroutine, which the real driver never
// does (it runs every fyne.Do on the main thread). Run it with
// go test -tags migrated_fynedo -run TestLibraryRecord ./ui (needs PulseAudio).

package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ringside/ringside/internal/testenv"
)

// button finds the button labelled text on the window's top overlay (a
// dialog).
func button(t *testing.T, w fyne.Window, text string) *widget.Button {
	t.Helper()
	for _, o := range test.LaidOutObjects(w.Canvas().Overlays().Top()) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	t.Fatalf("no %q button in the dialog", text)
	return nil
}

// TestLibraryRecord records from PulseAudio's 440 Hz source through the
// Record dialog: Stop, then Keep, and the item is in the library.
func TestLibraryRecord(t *testing.T) {
	testenv.Env(t, "RINGSIDE_TEST_PULSE", "PulseAudio")
	a := newTestApp(t)
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	p := newLibraryPage(a, w, discard)
	w.SetContent(p.buildUI())
	w.Resize(fyne.NewSize(800, 600))
	p.shown()
	before := len(p.items)
	p.recording("Greeting one", "greeting")
	stop := button(t, w, "Stop")
	if stop.Disabled() {
		t.Fatal("Stop disabled: the microphone did not start")
	}
	// The source needs a moment before its first frames: wait until the
	// meter has shown sound for a second.
	heard := func() bool {
		for _, o := range test.LaidOutObjects(w.Canvas().Overlays().Top()) {
			if l, ok := o.(*widget.Label); ok && strings.HasPrefix(l.Text, "Recording… 0:01") {
				return true
			}
		}
		return false
	}
	for i := 0; i < 300 && !heard(); i++ {
		time.Sleep(50 * time.Millisecond)
	}
	test.Tap(stop)
	keep := button(t, w, "Keep")
	for i := 0; i < 100 && keep.Disabled(); i++ {
		time.Sleep(50 * time.Millisecond)
	}
	if keep.Disabled() {
		var texts []string
		for _, o := range test.LaidOutObjects(w.Canvas().Overlays().Top()) {
			if l, ok := o.(*widget.Label); ok {
				texts = append(texts, l.Text)
			}
		}
		t.Fatalf("Keep disabled after Stop; the dialog says %q", texts)
	}
	test.Tap(keep)
	p.wait()
	if len(p.items) != before+1 || !strings.Contains(p.state.Text, "Kept") {
		t.Fatalf("items %d (was %d), state %q", len(p.items), before, p.state.Text)
	}
	var found bool
	for _, it := range p.items {
		if it.Name == "Greeting one" && it.Kind == "greeting" && it.Source == "recorded" && it.Duration > 0 {
			found = true
		}
	}
	if !found {
		t.Errorf("recorded item not in the library: %+v", p.items)
	}
}
