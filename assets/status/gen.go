//go:build ignore

// gen draws the tray icons, one per status: a coloured disc with a cut-out
// glyph, so that the status reads from the shape alone where the system draws
// tray icons in one colour (macOS template icons). Run: go generate ./assets
package main

import (
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
)

const size = 64

type pt struct{ x, y float64 }

// seg reports whether p is within w/2 of the segment a-b.
func seg(p, a, b pt, w float64) bool {
	dx, dy := b.x-a.x, b.y-a.y
	t := ((p.x-a.x)*dx + (p.y-a.y)*dy) / (dx*dx + dy*dy)
	t = math.Max(0, math.Min(1, t))
	qx, qy := a.x+t*dx-p.x, a.y+t*dy-p.y
	return qx*qx+qy*qy <= w*w/4
}

func disc(p, c pt, r float64) bool { return (p.x-c.x)*(p.x-c.x)+(p.y-c.y)*(p.y-c.y) <= r*r }

var centre = pt{32, 32}

// cut returns whether point p of each status's glyph is cut out of the disc.
var icons = []struct {
	key string
	col color.NRGBA
	cut func(p pt) bool
}{
	{"available", color.NRGBA{0x1f, 0x9d, 0x55, 0xff}, func(p pt) bool { // check mark
		return seg(p, pt{18, 33}, pt{28, 43}, 7) || seg(p, pt{28, 43}, pt{46, 22}, 7)
	}},
	{"away", color.NRGBA{0xd9, 0x8e, 0x04, 0xff}, func(p pt) bool { // clock hands
		return seg(p, centre, pt{32, 14}, 6) || seg(p, centre, pt{45, 32}, 6)
	}},
	{"after_call_work", color.NRGBA{0x25, 0x63, 0xeb, 0xff}, func(p pt) bool { // three dots: wrapping up
		return disc(p, pt{19, 32}, 5) || disc(p, pt{32, 32}, 5) || disc(p, pt{45, 32}, 5)
	}},
	{"on_break", color.NRGBA{0x7c, 0x3a, 0xed, 0xff}, func(p pt) bool { // pause bars
		return seg(p, pt{25, 19}, pt{25, 45}, 8) || seg(p, pt{39, 19}, pt{39, 45}, 8)
	}},
	{"unavailable", color.NRGBA{0x6b, 0x72, 0x80, 0xff}, func(p pt) bool { // cross
		return seg(p, pt{21, 21}, pt{43, 43}, 7) || seg(p, pt{43, 21}, pt{21, 43}, 7)
	}},
	{"do_not_disturb", color.NRGBA{0xdc, 0x26, 0x26, 0xff}, func(p pt) bool { // no-entry bar
		return seg(p, pt{17, 32}, pt{47, 32}, 9)
	}},
}

func main() {
	const ss = 4 // supersampling per axis
	for _, ic := range icons {
		img := image.NewNRGBA(image.Rect(0, 0, size, size))
		for y := 0; y < size; y++ {
			for x := 0; x < size; x++ {
				n := 0
				for sy := 0; sy < ss; sy++ {
					for sx := 0; sx < ss; sx++ {
						p := pt{float64(x) + (float64(sx)+0.5)/ss, float64(y) + (float64(sy)+0.5)/ss}
						if disc(p, centre, 29) && !ic.cut(p) {
							n++
						}
					}
				}
				c := ic.col
				c.A = uint8(n * 255 / (ss * ss))
				img.SetNRGBA(x, y, c)
			}
		}
		f, err := os.Create(ic.key + ".png")
		if err != nil {
			log.Fatal(err)
		}
		if err := png.Encode(f, img); err != nil {
			log.Fatal(err)
		}
		if err := f.Close(); err != nil {
			log.Fatal(err)
		}
	}
}
