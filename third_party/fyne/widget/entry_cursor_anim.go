package widget

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	col "fyne.io/fyne/v2/internal/color"
	"fyne.io/fyne/v2/theme"
)

var timeNow = time.Now // used in tests

const (
	cursorInterruptTime = 300 * time.Millisecond
	cursorFadeAlpha     = uint8(0x16)
	cursorFadeRatio     = 0.1
)

type entryCursorAnimation struct {
	cursor            *canvas.Rectangle
	anim              *fyne.Animation
	lastInterruptTime time.Time

	// Ringside: the blink driven by a timer (see startBlink).
	blinkStop chan struct{} // closed by stop; nil while not blinking
	blinkGen  int           // counts stops, so that a queued blink step knows it is stale
	blinkDim  bool
}

// Ringside: the fade animation ticks at 60 Hz for as long as an entry has the
// focus and redraws the window about 12 times a second (during the fades):
// 11 % of a core under Mesa's llvmpipe (VDI, remote desktops) with nothing
// typed. Where the driver says it waits for events between frames
// (RingsideTimerBlink, the GLFW driver), the cursor instead blinks on and
// off every cursorBlinkInterval from a timer: two redraws a second. Other
// drivers (the test driver, mobile) keep upstream's animation.
const cursorBlinkInterval = 500 * time.Millisecond

func timerBlink() bool {
	app := fyne.CurrentApp()
	if app == nil {
		return false
	}
	_, ok := app.Driver().(interface{ RingsideTimerBlink() })
	return ok
}

// startBlink shows the cursor and starts the timer that blinks it.
func (a *entryCursorAnimation) startBlink() {
	stop := make(chan struct{})
	a.blinkStop = stop
	a.blinkDim = false
	a.cursor.FillColor = theme.Color(theme.ColorNamePrimary)
	a.cursor.Refresh()
	gen := a.blinkGen
	go func() {
		t := time.NewTicker(cursorBlinkInterval)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				fyne.Do(func() { a.blinkStep(gen) })
			}
		}
	}()
}

// blinkStep turns the cursor on or off; it stays on while the user types.
func (a *entryCursorAnimation) blinkStep(gen int) {
	if gen != a.blinkGen || a.blinkStop == nil {
		return // stopped since
	}
	dim := !a.blinkDim
	if timeNow().Sub(a.lastInterruptTime) <= cursorBlinkInterval {
		dim = false
	}
	if dim == a.blinkDim {
		return
	}
	a.blinkDim = dim
	c := theme.Color(theme.ColorNamePrimary)
	if dim {
		ri, gi, bi, _ := col.ToNRGBA(c)
		c = color.NRGBA{R: uint8(ri >> 8), G: uint8(gi >> 8), B: uint8(bi >> 8), A: cursorFadeAlpha}
	}
	a.cursor.FillColor = c
	a.cursor.Refresh()
}

func newEntryCursorAnimation(cursor *canvas.Rectangle) *entryCursorAnimation {
	return &entryCursorAnimation{cursor: cursor}
}

// creates fyne animation
func (a *entryCursorAnimation) createAnim(inverted bool) *fyne.Animation {
	cursorOpaque := theme.Color(theme.ColorNamePrimary)
	ri, gi, bi, ai := col.ToNRGBA(cursorOpaque)
	r := uint8(ri >> 8)
	g := uint8(gi >> 8)
	b := uint8(bi >> 8)
	endA := uint8(ai >> 8)
	startA := cursorFadeAlpha
	cursorDim := color.NRGBA{R: r, G: g, B: b, A: cursorFadeAlpha}
	if inverted {
		a.cursor.FillColor = cursorOpaque
		startA, endA = endA, startA
	} else {
		a.cursor.FillColor = cursorDim
	}

	deltaA := endA - startA
	fadeStart := float32(0.5 - cursorFadeRatio)
	fadeStop := float32(0.5 + cursorFadeRatio)

	interrupted := false
	anim := fyne.NewAnimation(time.Second/2, func(f float32) {
		shouldInterrupt := timeNow().Sub(a.lastInterruptTime) <= cursorInterruptTime
		if shouldInterrupt {
			if !interrupted {
				a.cursor.FillColor = cursorOpaque
				a.cursor.Refresh()
				interrupted = true
			}
			return
		}
		if interrupted {
			a.anim.Stop()
			if !inverted {
				a.anim = a.createAnim(true)
			}
			interrupted = false
			canStart := a.anim != nil
			if canStart {
				a.anim.Start()
			}
			return
		}

		alpha := uint8(0)
		if f < fadeStart {
			if _, _, _, al := a.cursor.FillColor.RGBA(); uint8(al>>8) == cursorFadeAlpha {
				return
			}

			a.cursor.FillColor = cursorDim
		} else if f >= fadeStop {
			if _, _, _, al := a.cursor.FillColor.RGBA(); al == 0xffff {
				return
			}

			a.cursor.FillColor = cursorOpaque
		} else {
			fade := (f + cursorFadeRatio - 0.5) * (1 / (cursorFadeRatio * 2))
			alpha = uint8(float32(deltaA) * fade)
			a.cursor.FillColor = color.NRGBA{R: r, G: g, B: b, A: alpha}
		}

		a.cursor.Refresh()
	})

	anim.RepeatCount = fyne.AnimationRepeatForever
	anim.AutoReverse = true
	return anim
}

// starts cursor animation.
func (a *entryCursorAnimation) start() {
	if a.blinkStop != nil {
		return
	}
	if a.anim == nil && timerBlink() {
		a.startBlink()
		return
	}
	isStopped := a.anim == nil
	if isStopped {
		a.anim = a.createAnim(false)
		a.anim.Start()
	}
}

// temporarily stops the animation by "cursorInterruptTime".
func (a *entryCursorAnimation) interrupt() {
	a.lastInterruptTime = timeNow()
}

// stops cursor animation.
func (a *entryCursorAnimation) stop() {
	if a.blinkStop != nil {
		close(a.blinkStop)
		a.blinkStop = nil
		a.blinkGen++
	}
	if a.anim != nil {
		a.anim.Stop()
		a.anim = nil
	}
}
