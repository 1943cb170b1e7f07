package software_test

import (
	"image"
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/internal/driver"
	"fyne.io/fyne/v2/internal/painter/software"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// paintWindow paints c's content with p object by object, clipped, as the
// GLFW driver does.
func paintWindow(p *software.WindowPainter, c fyne.Canvas) *image.RGBA {
	size := c.Size()
	p.SetOutputSize(int(size.Width*c.Scale()), int(size.Height*c.Scale()))
	p.Clear()
	driver.WalkVisibleObjectTree(c.Content(), func(obj fyne.CanvasObject, pos, clipPos fyne.Position, clipSize fyne.Size) bool {
		p.StartClipping(clipPos, clipSize)
		p.Paint(obj, pos, size)
		return false
	}, nil)
	p.StopClipping()
	return p.Frame()
}

// reference paints c with the test driver's painter, over the background.
func reference(c fyne.Canvas) *image.RGBA {
	img := software.NewPainter().Paint(c)
	out := image.NewRGBA(img.Bounds())
	bg := theme.Color(theme.ColorNameBackground)
	for y := out.Rect.Min.Y; y < out.Rect.Max.Y; y++ {
		for x := out.Rect.Min.X; x < out.Rect.Max.X; x++ {
			out.Set(x, y, over(img.At(x, y), bg))
		}
	}
	return out
}

func over(fg, bg color.Color) color.Color {
	r, g, b, a := fg.RGBA()
	br, bgr, bb, _ := bg.RGBA()
	mix := func(f, k uint32) uint8 { return uint8((f + k*(0xffff-a)/0xffff) >> 8) }
	return color.RGBA{mix(r, br), mix(g, bgr), mix(b, bb), 0xff}
}

// differ counts the pixels whose channels differ by more than 3.
func differ(a, b *image.RGBA) int {
	n := 0
	for i := 0; i+3 < len(a.Pix) && i+3 < len(b.Pix); i += 4 {
		for k := 0; k < 3; k++ {
			d := int(a.Pix[i+k]) - int(b.Pix[i+k])
			if d > 3 || d < -3 {
				n++
				break
			}
		}
	}
	return n
}

func TestRingsideWindowPainterMatchesTestPainter(t *testing.T) {
	test.NewTempApp(t)
	label := widget.NewLabel("Ringside")
	entry := widget.NewEntry()
	entry.SetText("0123 456 789")
	long := widget.NewLabel("A line far too long to fit, clipped by its scroll container on the right")
	button := widget.NewButtonWithIcon("Call", theme.MediaPlayIcon(), nil)
	check := widget.NewCheck("Call waiting", nil)
	content := container.NewVBox(
		label,
		button,
		entry,
		check,
		container.NewHScroll(long),
		widget.NewProgressBar(),
	)
	c := test.NewCanvas()
	c.SetContent(content)
	c.Resize(fyne.NewSize(260, 300))

	p := software.NewWindowPainter(c)
	if n := differ(paintWindow(p, c), reference(c)); n != 0 {
		t.Errorf("first frame: %d pixels differ from the test painter's", n)
	}
	// What is kept must follow changes: text and its colour, an icon (the
	// check mark), a rounded rectangle's colour (the button's).
	label.SetText("Ringside, changed")
	label.Importance = widget.DangerImportance
	label.Refresh()
	check.SetChecked(true)
	button.Importance = widget.HighImportance
	button.Refresh()
	if n := differ(paintWindow(p, c), reference(c)); n != 0 {
		t.Errorf("after the label changed: %d pixels differ from the test painter's", n)
	}
	if n := differ(paintWindow(p, c), reference(c)); n != 0 {
		t.Errorf("repainted unchanged: %d pixels differ", n)
	}
}

func TestRingsideWindowPainterResizesAndCaptures(t *testing.T) {
	test.NewTempApp(t)
	c := test.NewCanvas()
	c.SetContent(widget.NewLabel("Ringside"))
	c.Resize(fyne.NewSize(120, 40))
	p := software.NewWindowPainter(c)
	paintWindow(p, c)
	shot := p.Capture(c)
	c.Resize(fyne.NewSize(200, 80))
	frame := paintWindow(p, c)
	if got := frame.Rect.Size(); got != image.Pt(200, 80) {
		t.Errorf("frame after resize is %v, want 200x80", got)
	}
	if got := shot.Bounds().Size(); got != image.Pt(120, 40) {
		t.Errorf("capture taken before the resize is %v, want 120x40 (a copy)", got)
	}
}

// BenchmarkRingsideWindowPainter paints a page of a window like Ringside's
// phone page (a dial pad of buttons, an entry, labels) at 960x680, as a
// repaint does: everything again, text kept from the previous frame.
func BenchmarkRingsideWindowPainter(b *testing.B) {
	test.NewTempApp(b)
	pad := container.NewGridWithColumns(3)
	for _, k := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"} {
		pad.Add(widget.NewButton(k, nil))
	}
	nav := container.NewVBox()
	for _, n := range []string{"Phone", "History", "Audio library", "Report", "My preferences"} {
		nav.Add(widget.NewButtonWithIcon(n, theme.HomeIcon(), nil))
	}
	entry := widget.NewEntry()
	entry.SetPlaceHolder("Number or SIP URI (type or paste)")
	content := container.NewBorder(nil, nil, nav, nil, container.NewVBox(
		widget.NewLabel("No SIP account set up — set one in My preferences > General."),
		entry, pad, widget.NewButtonWithIcon("Call", theme.MediaPlayIcon(), nil),
		widget.NewLabelWithStyle("Current calls", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabel("No current calls."),
	))
	c := test.NewCanvas()
	c.SetContent(content)
	c.Resize(fyne.NewSize(960, 680))
	p := software.NewWindowPainter(c)
	paintWindow(p, c)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		paintWindow(p, c)
	}
}
