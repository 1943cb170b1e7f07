package ui

import (
	"image"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
)

// firstFrameProbe returns an invisible 1x1 raster whose pixels are generated
// by the painter while it draws a frame: the first call means the window's
// first frame is being drawn, and f is called then, once.
func firstFrameProbe(f func()) fyne.CanvasObject {
	var once sync.Once
	img := image.NewNRGBA(image.Rect(0, 0, 1, 1)) // transparent
	r := canvas.NewRaster(func(w, h int) image.Image {
		once.Do(f)
		return img
	})
	r.SetMinSize(fyne.NewSize(1, 1))
	// Centred at its minimum size: one pixel to draw, not a window-sized quad.
	return container.NewCenter(r)
}
