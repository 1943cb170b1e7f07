// Package ui is Ringside's Fyne interface: the main window, its pages and
// dialogs, and the tray menu. It shows state read from package app and sends
// the user's intents to it; it never writes the store itself and never blocks
// the Fyne thread (work runs in goroutines, results come back with fyne.Do).
// It does not import fyne.io/fyne/v2/app, so its tests need neither X nor GL.
package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/ringside/ringside/app"
)

// Options change how the window starts.
type Options struct {
	// Minimized starts in the tray without showing the window.
	Minimized bool
}

// Window is Ringside's main window.
type Window struct {
	fa   fyne.App
	a    *app.App
	w    fyne.Window
	opts Options
}

// New builds the main window for a.
func New(fa fyne.App, a *app.App, opts Options) *Window {
	w := &Window{fa: fa, a: a, opts: opts}
	w.w = fa.NewWindow("Ringside")
	w.w.SetContent(w.buildUI())
	w.w.Resize(fyne.NewSize(900, 600))
	return w
}

func (w *Window) buildUI() fyne.CanvasObject {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	name := "Ringside"
	if v, err := w.a.Prefs(ctx); err == nil && v["general.first_name"] != "" {
		name = v["general.first_name"] + " " + v["general.last_name"]
	}
	title := widget.NewLabelWithStyle(name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewBorder(title, nil, nil, nil,
		widget.NewLabel("Settings: ringside prefs get / ringside prefs set KEY VALUE"))
}

// Show brings the window forward; safe from any goroutine.
func (w *Window) Show() {
	fyne.Do(func() {
		w.w.Show()
		w.w.RequestFocus()
	})
}

// Quit closes the app; safe from any goroutine.
func (w *Window) Quit() { fyne.Do(w.fa.Quit) }

// Run shows the window (unless minimized) and runs the event loop until quit.
func (w *Window) Run() {
	if n := w.a.Notice(); n != "" {
		dialog.ShowInformation("Settings restored", n, w.w)
	}
	if w.opts.Minimized {
		w.fa.Run()
		return
	}
	w.w.ShowAndRun()
}
