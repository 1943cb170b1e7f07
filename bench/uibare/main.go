// Command uibare is the peer of bench/app.sh: a bare one-window Fyne app (a
// label) that prints when its first frame is drawn, as ringside does with
// RINGSIDE_BENCH_FIRST_FRAME=1, so that the script can measure both alike.
package main

import (
	"fmt"
	"image"
	"os"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("dev.ringside.bench.bare")
	w := a.NewWindow("Ringside bare")
	var once sync.Once
	img := image.NewNRGBA(image.Rect(0, 0, 1, 1))
	probe := canvas.NewRaster(func(int, int) image.Image {
		once.Do(func() { fmt.Fprintf(os.Stderr, "ringside: first frame %d\n", time.Now().UnixNano()) })
		return img
	})
	w.SetContent(container.NewStack(probe, widget.NewLabel("Hello from a bare Fyne window")))
	w.Resize(fyne.NewSize(960, 680))
	w.ShowAndRun()
}
