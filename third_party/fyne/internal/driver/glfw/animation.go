package glfw

import "fyne.io/fyne/v2"

func (d *gLDriver) StartAnimation(a *fyne.Animation) {
	d.animation.Start(a)
	wakeMain() // Ringside: the loop may be waiting for events
}

func (d *gLDriver) StopAnimation(a *fyne.Animation) {
	d.animation.Stop(a)
}

// RingsideTimerBlink tells widgets that this driver waits for events between
// frames, so that a timer is cheaper than an endless animation for a blinking
// text cursor (see widget/entry_cursor_anim.go).
func (d *gLDriver) RingsideTimerBlink() {}
