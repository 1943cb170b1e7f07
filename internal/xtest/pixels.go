package xtest

import (
	"image"
	"image/png"
	"os"
)

// ReadPNG decodes the PNG file (a window captured from the X server, e.g.
// with ImageMagick's `import -window ID FILE`).
func ReadPNG(file string) (image.Image, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return png.Decode(f)
}

// Colours counts the distinct colours of img, sampling every third pixel of
// every third row, up to most: a blank window has one, a drawn one dozens.
func Colours(img image.Image, most int) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y && len(seen) < most; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
		}
	}
	return len(seen)
}
