package widget

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// Ringside: the timer-driven blink turns the cursor off and on, keeps it on
// while the user types, and ignores steps queued before a stop.
func TestRingsideCursorBlink(t *testing.T) {
	test.NewTempApp(t)
	if timerBlink() {
		t.Fatal("the test driver must keep upstream's animation")
	}
	a := newEntryCursorAnimation(canvas.NewRectangle(nil))
	// As startBlink leaves it, without its timer (whose steps would run on
	// another goroutine under the test driver).
	a.blinkStop = make(chan struct{})
	on := theme.Color(theme.ColorNamePrimary)
	a.cursor.FillColor = on
	gen := a.blinkGen
	a.blinkStep(gen)
	if !a.blinkDim || a.cursor.FillColor == on {
		t.Fatal("first step did not turn the cursor off")
	}
	a.blinkStep(gen)
	if a.blinkDim || a.cursor.FillColor != on {
		t.Fatal("second step did not turn the cursor back on")
	}
	a.interrupt() // a key was typed
	a.blinkStep(gen)
	if a.blinkDim {
		t.Fatal("the cursor went off while the user types")
	}
	timeNow = func() time.Time { return time.Now().Add(time.Second) }
	defer func() { timeNow = time.Now }()
	a.blinkStep(gen)
	if !a.blinkDim {
		t.Fatal("the cursor did not blink once typing stopped")
	}
	a.stop()
	a.blinkStep(gen)
	if !a.blinkDim || a.blinkStop != nil {
		t.Fatal("a step queued before stop changed the cursor")
	}
}
