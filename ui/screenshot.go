package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
)

// screenshots brings every page forward in turn (each preferences tab, the
// forwarding options shown, and the status list) and calls shot with a name
// for each once it has settled, then quits. It runs on its own goroutine once
// the app has started; it changes no setting.
func (w *Window) screenshots(shot func(name string)) {
	defer w.Quit()
	w.screenshotSteps(shot, 700*time.Millisecond)
}

// screenshotSteps is screenshots without the quit; settle is how long each
// page gets for its loads (they run in goroutines) and its first frame.
func (w *Window) screenshotSteps(shot func(name string), settle time.Duration) {
	time.Sleep(settle)
	for i, name := range Pages[:4] {
		fyne.DoAndWait(func() { w.ShowPage(name) })
		time.Sleep(settle)
		shot(fmt.Sprintf("%d-%s", i+1, slug(name)))
	}
	fyne.DoAndWait(func() { w.ShowPage(PagePrefs) })
	time.Sleep(settle)
	for i, tab := range prefsTabs {
		fyne.DoAndWait(func() { w.prefs.tabs.SelectIndex(i) })
		time.Sleep(settle)
		shot(fmt.Sprintf("5-prefs-%d-%s", i+1, slug(tab.name)))
	}
	// Call forwarding switched on (not saved), scrolled into view.
	fyne.DoAndWait(func() {
		w.prefs.tabs.SelectIndex(1)
		if f := w.prefs.fields["forwarding.enabled"]; f != nil {
			f.set("on")
		}
		if s, ok := w.prefs.tabs.Items[1].Content.(*container.Scroll); ok {
			s.ScrollToBottom()
		}
	})
	time.Sleep(settle)
	shot("5-prefs-4-forwarding-on")
	fyne.DoAndWait(w.prefs.revert)
	fyne.DoAndWait(w.corner.openMenu)
	time.Sleep(settle)
	shot("6-status-menu")
}

// slug makes a file name part from a page name ("My preferences" ->
// "my-preferences").
func slug(s string) string {
	out := make([]byte, 0, len(s))
	for _, c := range []byte(s) {
		switch {
		case c >= 'A' && c <= 'Z':
			out = append(out, c+'a'-'A')
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			out = append(out, c)
		case len(out) > 0 && out[len(out)-1] != '-':
			out = append(out, '-')
		}
	}
	for len(out) > 0 && out[len(out)-1] == '-' {
		out = out[:len(out)-1]
	}
	return string(out)
}
