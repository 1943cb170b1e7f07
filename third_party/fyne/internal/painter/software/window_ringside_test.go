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
	content := container.NewVBox(
		label,
		widget.NewButtonWithIcon("Call", theme.MediaPlayIcon(), nil),
		entry,
		widget.NewCheck("Call waiting", nil),
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
	// Kept text must follow changes to the text and to its colour.
	label.SetText("Ringside, changed")
	label.Importance = widget.DangerImportance
	label.Refresh()
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
