package ui

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// buttonIn finds the button labelled text in o.
func buttonIn(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	for _, x := range test.LaidOutObjects(o) {
		if b, ok := x.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	t.Fatalf("no %q button in %s", text, texts(o))
	return nil
}

func disabled(t *testing.T, o fyne.CanvasObject, text string) bool {
	t.Helper()
	return buttonIn(t, o, text).Disabled()
}

// focusedEntry returns the entry that has the keyboard focus.
func focusedEntry(t *testing.T, w fyne.Window) *widget.Entry {
	t.Helper()
	e, ok := w.Canvas().Focused().(*widget.Entry)
	if !ok {
		t.Fatalf("focus on %v, want the dialog's entry", w.Canvas().Focused())
	}
	return e
}

// texts lists the labels, buttons ([text]) and cards of o.
func texts(o fyne.CanvasObject) string {
	var s []string
	for _, x := range test.LaidOutObjects(o) {
		switch v := x.(type) {
		case *widget.Button:
			s = append(s, "["+v.Text+"]")
		case *widget.Label:
			if v.Visible() {
				s = append(s, v.Text)
			}
		case *widget.Card:
			s = append(s, v.Title, v.Subtitle)
		}
	}
	return strings.Join(s, " ")
}

// shot writes the window as a PNG to testout/screenshots/ui/NAME.png.
func shot(t *testing.T, w fyne.Window, name string) {
	t.Helper()
	dir := filepath.Join("..", "testout", "screenshots", "ui")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}
