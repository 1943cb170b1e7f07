package software

import (
	"image"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/internal/scale"
	"fyne.io/fyne/v2/theme"
)

// Ringside: WindowPainter paints a window's canvas on the CPU, object by
// object as the GL painter does (it has the same methods, so the GLFW driver
// uses it in the GL painter's place), into an RGBA frame that the driver
// then puts on the screen itself. Where OpenGL would only be Mesa's software
// rasteriser (llvmpipe: no GPU, as under Xvfb, Xvnc, xrdp and most VDI
// desktops) this draws the same frame without loading Mesa and LLVM: about
// 60 MiB of memory and 200 ms of start-up less.
//
// Text, the most expensive object to draw, is kept rasterised per object
// until the object changes or is freed, as the GL painter keeps textures.
type WindowPainter struct {
	canvas   fyne.Canvas
	frame    *image.RGBA
	clip     image.Rectangle
	clipping bool
	texts    map[*canvas.Text]*textRaster
}

// textRaster is a text object's last rasterisation and what it depends on.
type textRaster struct {
	key textKey
	img *image.RGBA
}

type textKey struct {
	text          string
	size          float32
	style         fyne.TextStyle
	source        fyne.Resource
	color         color.RGBA64
	scale         float32
	width, height int
}

// NewWindowPainter returns a painter for the canvas of a window.
func NewWindowPainter(c fyne.Canvas) *WindowPainter {
	return &WindowPainter{canvas: c, frame: image.NewRGBA(image.Rect(0, 0, 1, 1)), texts: map[*canvas.Text]*textRaster{}}
}

// Frame returns the frame last painted. It is reused by the next frame.
func (p *WindowPainter) Frame() *image.RGBA { return p.frame }

// Init does nothing: there is no context to set up.
func (p *WindowPainter) Init() {}

// Capture returns a copy of the frame last painted.
func (p *WindowPainter) Capture(fyne.Canvas) image.Image {
	out := image.NewRGBA(p.frame.Rect)
	copy(out.Pix, p.frame.Pix)
	return out
}

// Clear starts a frame: the whole frame in the theme's background colour.
func (p *WindowPainter) Clear() {
	bg := color.RGBAModel.Convert(theme.Color(theme.ColorNameBackground)).(color.RGBA)
	bg.A = 0xff // a window is opaque
	pix := p.frame.Pix
	if len(pix) < 4 {
		return
	}
	pix[0], pix[1], pix[2], pix[3] = bg.R, bg.G, bg.B, bg.A
	for n := 4; n < len(pix); n *= 2 {
		copy(pix[n:], pix[:n])
	}
	p.clipping = false
}

// Free forgets what was kept for obj.
func (p *WindowPainter) Free(obj fyne.CanvasObject) {
	if t, ok := obj.(*canvas.Text); ok {
		delete(p.texts, t)
	}
}

// Paint draws obj (not its children) at pos, within the current clip.
func (p *WindowPainter) Paint(obj fyne.CanvasObject, pos fyne.Position, _ fyne.Size) {
	if !obj.Visible() {
		return
	}
	clip := p.frame.Rect
	if p.clipping {
		clip = p.clip
	}
	c := p.canvas
	switch o := obj.(type) {
	case *canvas.Text:
		p.drawText(o, pos, clip)
	case *canvas.Image:
		drawImage(c, o, pos, p.frame, clip)
	case gradient:
		drawGradient(c, o, pos, p.frame, clip)
	case *canvas.Circle:
		drawCircle(c, o, pos, p.frame, clip)
	case *canvas.Line:
		drawLine(c, o, pos, p.frame, clip)
	case *canvas.Polygon:
		drawPolygon(c, o, pos, p.frame, clip)
	case *canvas.Raster:
		drawRaster(c, o, pos, p.frame, clip)
	case *canvas.Rectangle:
		drawRectangle(c, o, pos, p.frame, clip)
	case *canvas.Arc:
		drawArc(c, o, pos, p.frame, clip)
	}
}

// drawText draws a text object from its kept rasterisation, made anew when
// anything it depends on changed.
func (p *WindowPainter) drawText(t *canvas.Text, pos fyne.Position, clip image.Rectangle) {
	width, height := textPixels(p.canvas, t)
	if width <= 0 || height <= 0 || t.Text == "" {
		return
	}
	col := t.Color
	if col == nil {
		col = theme.Color(theme.ColorNameForeground)
	}
	r, g, b, a := col.RGBA()
	key := textKey{
		text: t.Text, size: t.TextSize, style: t.TextStyle, source: t.FontSource,
		color: color.RGBA64{R: uint16(r), G: uint16(g), B: uint16(b), A: uint16(a)},
		scale: p.canvas.Scale(), width: width, height: height,
	}
	kept := p.texts[t]
	if kept == nil || kept.key != key {
		kept = &textRaster{key: key, img: rasteriseText(p.canvas, t, width, height)}
		p.texts[t] = kept
	}
	placeText(p.canvas, t, pos, kept.img, p.frame, clip)
}

// SetFrameBufferScale does nothing: the frame is in the canvas's pixels.
func (p *WindowPainter) SetFrameBufferScale(float32) {}

// SetOutputSize sizes the frame to the window's pixels.
func (p *WindowPainter) SetOutputSize(width, height int) {
	if width < 1 {
		width = 1
	}
	if height < 1 {
		height = 1
	}
	if p.frame.Rect.Dx() == width && p.frame.Rect.Dy() == height {
		return
	}
	p.frame = image.NewRGBA(image.Rect(0, 0, width, height))
}

// StartClipping limits the following paints to the area at pos of size.
func (p *WindowPainter) StartClipping(pos fyne.Position, size fyne.Size) {
	c := p.canvas
	p.clip = image.Rect(
		scale.ToScreenCoordinate(c, pos.X), scale.ToScreenCoordinate(c, pos.Y),
		scale.ToScreenCoordinate(c, pos.X+size.Width), scale.ToScreenCoordinate(c, pos.Y+size.Height),
	).Intersect(p.frame.Rect)
	p.clipping = true
}

// StopClipping lets the following paints use the whole frame.
func (p *WindowPainter) StopClipping() { p.clipping = false }
