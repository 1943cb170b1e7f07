package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ringside/ringside/app/prefs"
)

// listEditor edits a list setting (numbers, SIP URIs, email addresses): one
// entry per item in order, a remove button on each, and "Add" for a new one.
type listEditor struct {
	key     *prefs.Key
	w       fyne.Window
	changed func()
	rows    *fyne.Container
	entries []*widget.Entry
	add     *widget.Button
}

func newListEditor(k *prefs.Key, w fyne.Window, changed func()) *listEditor {
	return &listEditor{key: k, w: w, changed: changed}
}

func (l *listEditor) buildUI() fyne.CanvasObject {
	l.rows = container.NewVBox()
	l.add = widget.NewButtonWithIcon("Add", theme.ContentAddIcon(), func() {
		e := l.addRow("")
		l.changed()
		if c := fyne.CurrentApp().Driver().CanvasForObject(l.rows); c != nil {
			c.Focus(e)
		}
	})
	return container.NewVBox(l.rows, container.NewHBox(l.add))
}

func (l *listEditor) addRow(v string) *widget.Entry {
	e := widget.NewEntry()
	e.SetText(v)
	e.SetPlaceHolder(placeholderFor(l.key))
	e.OnChanged = func(string) { l.changed() }
	l.entries = append(l.entries, e)
	var row *fyne.Container
	rm := widget.NewButtonWithIcon("", theme.ContentRemoveIcon(), func() {
		for i, x := range l.entries {
			if x == e {
				l.entries = append(l.entries[:i], l.entries[i+1:]...)
				break
			}
		}
		l.rows.Remove(row)
		l.changed()
	})
	row = container.NewBorder(nil, nil, nil, rm, e)
	l.rows.Add(row)
	return e
}

// items returns the non-empty items typed, trimmed, in order.
func (l *listEditor) items() []string {
	var out []string
	for _, e := range l.entries {
		if s := strings.TrimSpace(e.Text); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (l *listEditor) get() string { return strings.Join(l.items(), ",") }

func (l *listEditor) set(v string) {
	l.entries = nil
	l.rows.RemoveAll()
	for _, it := range prefs.List(v) {
		l.addRow(it)
	}
	l.changed()
}

func placeholderFor(k *prefs.Key) string {
	a := k.Allowed()
	switch {
	case strings.Contains(a, "email"):
		return "name@example.com"
	case strings.Contains(a, "SIP URI"):
		return "+442079460000 or sip:name@host"
	case strings.Contains(a, "E.164"):
		return "+442079460000"
	}
	return ""
}

// listMessage checks each item of a list alone first, to name the bad one,
// then the whole list (count, repeats).
func listMessage(k *prefs.Key, items []string) string {
	for _, it := range items {
		if _, err := k.Parse(it); err != nil {
			return "“" + it + "” is not allowed: " + k.Allowed() + "."
		}
	}
	if _, err := k.Parse(strings.Join(items, ",")); err != nil {
		return "Not allowed: " + k.Allowed() + "."
	}
	return ""
}
