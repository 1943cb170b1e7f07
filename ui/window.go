// Package ui is Ringside's Fyne interface: the main window, its pages and
// dialogs, and the tray menu. It shows state read from package app and sends
// the user's intents to it; it never writes the store itself and never blocks
// the Fyne thread (work runs in goroutines, results come back with fyne.Do).
// It does not import fyne.io/fyne/v2/app, so its tests need neither X nor GL.
package ui

import (
	"context"
	"log/slog"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ringside/ringside/app"
	"github.com/ringside/ringside/app/prefs"
)

// Options change how the window starts and what it is wired to.
type Options struct {
	// Minimized starts in the tray without showing the window.
	Minimized bool
	// HideOnClose hides the window on close instead of quitting: set it
	// only when a tray icon is visible to bring the window back.
	HideOnClose bool
	// OnQuit, when set, quits instead of Fyne's own Quit (the tray's Quit,
	// closing the window without a tray): it runs on a goroutine of its own
	// and is expected to end the process.
	OnQuit func()
	// Status is the running status engine (app.StartStatus); nil shows the
	// stored status and changes it through the App.
	Status StatusEngine
	// StartPhone (re)starts the softphone with the stored account and the
	// call media; the preferences page calls it after the SIP account
	// changed. Nil leaves the softphone alone.
	StartPhone func(ctx context.Context) error
	// Logger receives the window's errors (default: discard). Secrets are
	// never logged.
	Logger *slog.Logger
	// Screenshot, when set, makes Run bring every page forward in turn, call
	// Screenshot with a name for it once it is drawn (from a goroutine; the
	// page stays until it returns), and quit. The screenshot test captures
	// the real window from the X server meanwhile.
	Screenshot func(name string)
	// OnWindow, when set, is called on the Fyne thread right after the
	// Fyne window is created (the windowing system is connected by then)
	// and before its content is built: start-up work that may overlap with
	// building the content starts there.
	OnWindow func()
	// OnFirstFrame is called once, from the painter, when the window's
	// first frame is drawn (the start-up benchmark uses it).
	OnFirstFrame func()
}

// ForDesktop sets HideOnClose and Minimized for this desktop: closing the
// window hides it only where a tray icon is visible to bring it back, and
// the window starts hidden (minimized: the --minimized flag; or the setting
// app.start_minimized in v) only then too. Without a tray, closing quits
// and the window always shows.
func (o *Options) ForDesktop(tray TraySupport, v prefs.Values, minimized bool) {
	o.HideOnClose = tray.Visible
	o.Minimized = (minimized || v.On("app.start_minimized")) && tray.Visible
}

// The pages of the left navigation, in order.
const (
	PagePhone   = "Phone"
	PageHistory = "History"
	PageLibrary = "Audio library"
	PageReport  = "Report"
	PagePrefs   = "My preferences"
)

// Pages lists the navigation's pages in order.
var Pages = []string{PagePhone, PageHistory, PageLibrary, PageReport, PagePrefs}

// background runs f off the Fyne thread, counted in wg. The package's tests
// replace it with a call in place, so that the test driver's fyne.Do (which
// runs on the calling goroutine) stays on the test's goroutine.
var background = func(wg *sync.WaitGroup, f func()) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		f()
	}()
}

// page is one screen of the window.
type page interface {
	buildUI() fyne.CanvasObject
	// shown is called each time the page comes to the front.
	shown()
}

// Window is Ringside's main window.
type Window struct {
	fa   fyne.App
	a    *app.App
	w    fyne.Window
	opts Options
	log  *slog.Logger

	pages   map[string]page
	views   map[string]fyne.CanvasObject
	navBtns map[string]*widget.Button
	content *fyne.Container
	current string
	corner  *statusCorner
	prefs   *prefsPage

	closeOnce sync.Once
}

// New builds the main window for a.
func New(fa fyne.App, a *app.App, opts Options) *Window {
	w := &Window{fa: fa, a: a, opts: opts, log: opts.Logger}
	if w.log == nil {
		w.log = slog.New(slog.DiscardHandler)
	}
	fa.Settings().SetTheme(Theme())
	w.w = fa.NewWindow("Ringside")
	if opts.OnWindow != nil {
		opts.OnWindow()
	}
	w.w.SetContent(w.buildUI())
	w.w.Resize(fyne.NewSize(960, 680))
	if opts.HideOnClose {
		w.w.SetCloseIntercept(w.w.Hide)
	} else if opts.OnQuit != nil {
		w.w.SetCloseIntercept(w.Quit)
	}
	w.addShortcuts()
	return w
}

// FyneWindow returns the Fyne window (for the tray and for tests).
func (w *Window) FyneWindow() fyne.Window { return w.w }

func (w *Window) buildUI() fyne.CanvasObject {
	w.prefs = newPrefsPage(w.a, w.w, w.log)
	w.prefs.startPhone = w.opts.StartPhone
	w.corner = newStatusCorner(w.a, w.opts.Status, w.log, func() { w.ShowPage(PagePrefs) })
	// Settings saved here or from the command line: the corner's name, and
	// the preferences page when it shows no unsaved edits.
	w.a.OnPrefsChanged(func(prefs.Values) {
		w.corner.reloadName()
		fyne.Do(func() {
			if w.current == PagePrefs {
				w.prefs.shown()
			}
		})
	})
	w.pages = map[string]page{
		PagePhone:   newPhonePage(w.a, w.w, w.log),
		PageHistory: newHistoryPage(w.a, w.log),
		PageLibrary: newLibraryPage(w.a, w.w, w.log),
		PageReport:  newReportPage(w.a, w.log),
		PagePrefs:   w.prefs,
	}
	w.views = map[string]fyne.CanvasObject{}
	w.navBtns = map[string]*widget.Button{}
	icons := map[string]fyne.Resource{
		PagePhone: phoneIcon, PageHistory: theme.HistoryIcon(), PageLibrary: theme.MediaMusicIcon(),
		PageReport: theme.GridIcon(), PagePrefs: theme.SettingsIcon(),
	}
	nav := container.NewVBox()
	for _, name := range Pages {
		b := widget.NewButtonWithIcon(name, icons[name], func() { w.ShowPage(name) })
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		w.navBtns[name] = b
		nav.Add(b)
	}
	w.content = container.NewStack()
	left := container.NewBorder(nil, w.corner.buildUI(), nil, nil, nav)
	split := container.NewBorder(nil, nil, container.NewHBox(left, widget.NewSeparator()), nil, w.content)
	if w.opts.OnFirstFrame != nil {
		split = container.NewStack(firstFrameProbe(w.opts.OnFirstFrame), split)
	}
	w.ShowPage(PagePhone)
	return split
}

// ShowPage brings the page called name to the front; call it on the Fyne
// thread.
func (w *Window) ShowPage(name string) {
	p, ok := w.pages[name]
	if !ok {
		return
	}
	v, ok := w.views[name]
	if !ok {
		v = p.buildUI()
		w.views[name] = v
	}
	for n, b := range w.navBtns {
		if n == name {
			b.Importance = widget.HighImportance
		} else {
			b.Importance = widget.LowImportance
		}
		b.Refresh()
	}
	w.current = name
	w.content.Objects = []fyne.CanvasObject{v}
	w.content.Refresh()
	p.shown()
}

// addShortcuts binds Ctrl+1..5 to the pages and Ctrl+S to saving
// preferences, so that everything is reachable from the keyboard.
func (w *Window) addShortcuts() {
	keys := []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5}
	for i, name := range Pages {
		w.w.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: keys[i], Modifier: fyne.KeyModifierShortcutDefault},
			func(fyne.Shortcut) { w.ShowPage(name) })
	}
	w.w.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) {
			if w.current == PagePrefs {
				w.prefs.save()
			}
		})
}

// Show brings the window forward; safe from any goroutine.
func (w *Window) Show() {
	fyne.Do(func() {
		w.w.Show()
		w.w.RequestFocus()
	})
}

// Quit closes the app; safe from any goroutine.
func (w *Window) Quit() {
	if w.opts.OnQuit != nil {
		go w.opts.OnQuit()
		return
	}
	fyne.Do(w.fa.Quit)
}

// Run shows the window (unless minimized) and runs the event loop until quit.
func (w *Window) Run() {
	defer w.Close()
	if n := w.a.Notice(); n != "" {
		dialog.ShowInformation("Settings restored", n, w.w)
	}
	if w.opts.Screenshot != nil {
		w.fa.Lifecycle().SetOnStarted(func() { go w.screenshots(w.opts.Screenshot) })
	}
	if w.opts.Minimized && w.opts.Screenshot == nil {
		w.fa.Run()
		return
	}
	w.w.ShowAndRun()
}

// Close stops the goroutines the window started and waits for them.
func (w *Window) Close() {
	w.closeOnce.Do(func() {
		w.corner.close()
		w.pages[PagePhone].(*phonePage).close()
		w.prefs.wait()
	})
}
