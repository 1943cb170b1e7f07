package software

import (
	"image"
	"image/color"
	"reflect"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/internal/painter"
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
// What is dear to draw (text, images, rectangles with rounded corners or a
// stroke) is kept rasterised per object, as the GL painter keeps textures:
// until what it depends on changes, the driver frees the object (it was
// refreshed), or a frame is painted without it.
type WindowPainter struct {
	canvas   fyne.Canvas
	frame    *image.RGBA
	clip     image.Rectangle
	clipping bool
	kept     map[fyne.CanvasObject]*raster
	frameNo  uint64
}

// raster is an object's last rasterisation, what it depends on, and the
// last frame that used it.
type raster struct {
	key   any // a comparable struct of the object's kind
	img   image.Image
	off   image.Point // images: from the object's position
	frame uint64
}

type textKey struct {
	text          string
	size          float32
	style         fyne.TextStyle
	source        string
	color         color.RGBA64
	scale         float32
	width, height int
}

type imageKey struct {
	file, resource string
	img            image.Image
	fill           canvas.ImageFill
	scaleMode      canvas.ImageScale
	size           fyne.Size
	radius, scale  float32
}

type oblongKey struct {
	width, height, strokeWidth float32
	fill, stroke               color.RGBA64
	radii                      [4]float32
	scale                      float32
}

func rgba64(c color.Color) color.RGBA64 {
	if c == nil {
		return color.RGBA64{}
	}
	r, g, b, a := c.RGBA()
	return color.RGBA64{R: uint16(r), G: uint16(g), B: uint16(b), A: uint16(a)}
}

// keep returns obj's kept rasterisation for key, made with make when there
// is none or key changed.
func (p *WindowPainter) keep(obj fyne.CanvasObject, key any, make func() (image.Point, image.Image)) *raster {
	r := p.kept[obj]
	if r == nil || r.key != key {
		off, img := make()
		r = &raster{key: key, img: img, off: off}
		p.kept[obj] = r
	}
	r.frame = p.frameNo
	return r
}

// NewWindowPainter returns a painter for the canvas of a window.
func NewWindowPainter(c fyne.Canvas) *WindowPainter {
	return &WindowPainter{canvas: c, frame: image.NewRGBA(image.Rect(0, 0, 1, 1)), kept: map[fyne.CanvasObject]*raster{}}
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
// What the last frame did not use is no longer kept.
func (p *WindowPainter) Clear() {
	for obj, r := range p.kept {
		if r.frame != p.frameNo {
			delete(p.kept, obj)
		}
	}
	p.frameNo++
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
	delete(p.kept, obj)
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
	// Ringside: what is kept per object here; the rest as the test painter.
	switch o := obj.(type) {
	case *canvas.Text:
		p.drawText(o, pos, clip)
	case *canvas.Image:
		p.drawImage(o, pos, clip)
	case *canvas.Rectangle:
		p.drawRectangle(o, pos, clip)
	default:
		drawObject(p.canvas, obj, pos, p.frame, clip)
	}
}

// drawText draws a text object from its kept rasterisation.
func (p *WindowPainter) drawText(t *canvas.Text, pos fyne.Position, clip image.Rectangle) {
	width, height := textPixels(p.canvas, t)
	if width <= 0 || height <= 0 || t.Text == "" {
		return
	}
	col := t.Color
	if col == nil {
		col = theme.Color(theme.ColorNameForeground)
	}
	key := textKey{
		text: t.Text, size: t.TextSize, style: t.TextStyle,
		color: rgba64(col), scale: p.canvas.Scale(), width: width, height: height,
	}
	if t.FontSource != nil {
		key.source = t.FontSource.Name()
	}
	r := p.keep(t, key, func() (image.Point, image.Image) {
		return image.Point{}, rasteriseText(p.canvas, t, width, height)
	})
	placeText(p.canvas, t, pos, r.img.(*image.RGBA), p.frame, clip)
}

// drawImage draws an image object from its kept pixels at their final size.
func (p *WindowPainter) drawImage(img *canvas.Image, pos fyne.Position, clip image.Rectangle) {
	if img.Image != nil && !reflect.TypeOf(img.Image).Comparable() {
		drawImage(p.canvas, img, pos, p.frame, clip) // cannot tell whether it changed
		return
	}
	key := imageKey{
		file: img.File, img: img.Image, fill: img.FillMode, scaleMode: img.ScaleMode,
		size: img.Size(), radius: img.CornerRadius, scale: p.canvas.Scale(),
	}
	if img.Resource != nil {
		key.resource = img.Resource.Name()
	}
	r := p.keep(img, key, func() (image.Point, image.Image) { return imageTexture(p.canvas, img) })
	if r.img == nil {
		return
	}
	c := p.canvas
	x, y := scale.ToScreenCoordinate(c, pos.X)+r.off.X, scale.ToScreenCoordinate(c, pos.Y)+r.off.Y
	drawTex(x, y, r.img.Bounds().Dx(), r.img.Bounds().Dy(), p.frame, r.img, clip, img.Alpha())
}

// drawRectangle fills a plain rectangle, and draws one with rounded corners
// or a stroke from its kept rasterisation.
func (p *WindowPainter) drawRectangle(rect *canvas.Rectangle, pos fyne.Position, clip image.Rectangle) {
	radii := [4]float32{
		painter.GetCornerRadius(rect.TopRightCornerRadius, rect.CornerRadius),
		painter.GetCornerRadius(rect.TopLeftCornerRadius, rect.CornerRadius),
		painter.GetCornerRadius(rect.BottomRightCornerRadius, rect.CornerRadius),
		painter.GetCornerRadius(rect.BottomLeftCornerRadius, rect.CornerRadius),
	}
	width, height, pos := oblongGeometry(rect, rect.Aspect, pos)
	if !oblongNeedsRaster(rect.StrokeColor, rect.StrokeWidth, radii[0], radii[1], radii[2], radii[3]) {
		drawFill(p.canvas, rect.FillColor, width, height, pos, p.frame, clip)
		return
	}
	key := oblongKey{
		width: width, height: height, strokeWidth: rect.StrokeWidth,
		fill: rgba64(rect.FillColor), stroke: rgba64(rect.StrokeColor), radii: radii, scale: p.canvas.Scale(),
	}
	r := p.keep(rect, key, func() (image.Point, image.Image) {
		return image.Point{}, oblongTexture(p.canvas, rect, width, height)
	})
	placeVector(p.canvas, rect, width, height, pos, r.img, p.frame, clip)
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
