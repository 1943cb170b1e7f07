package vorbis

import (
	"math"
	"sort"
)

// floor1 is a floor of type 1 (Vorbis I section 7).
type floor1 struct {
	partClass   []int
	classDims   []int
	classSub    []int
	classMaster []int
	subBooks    [][]int // -1 for none
	mult        int
	xs          []int
	low, high   []int // neighbours of each point
	order       []int // points by x
}

func readFloor1(b *bitReader, books int) (*floor1, error) {
	f := &floor1{}
	parts := int(b.read(5))
	maxClass := -1
	for range parts {
		c := int(b.read(4))
		f.partClass = append(f.partClass, c)
		maxClass = max(maxClass, c)
	}
	for range maxClass + 1 {
		dims := int(b.read(3)) + 1
		sub := int(b.read(2))
		master := -1
		if sub > 0 {
			master = int(b.read(8))
			if master >= books {
				return nil, formatErr("floor master book %d", master)
			}
		}
		sb := make([]int, 1<<sub)
		for j := range sb {
			sb[j] = int(b.read(8)) - 1
			if sb[j] >= books {
				return nil, formatErr("floor book %d", sb[j])
			}
		}
		f.classDims = append(f.classDims, dims)
		f.classSub = append(f.classSub, sub)
		f.classMaster = append(f.classMaster, master)
		f.subBooks = append(f.subBooks, sb)
	}
	f.mult = int(b.read(2)) + 1
	rb := uint(b.read(4))
	f.xs = []int{0, 1 << rb}
	for _, c := range f.partClass {
		for range f.classDims[c] {
			f.xs = append(f.xs, int(b.read(rb)))
		}
	}
	if len(f.xs) > 65 || b.eop {
		return nil, formatErr("floor with %d points", len(f.xs))
	}
	seen := map[int]bool{}
	for _, x := range f.xs {
		if seen[x] {
			return nil, formatErr("floor points repeat")
		}
		seen[x] = true
	}
	n := len(f.xs)
	f.low, f.high = make([]int, n), make([]int, n)
	for i := 2; i < n; i++ {
		lo, hi := 0, 1
		for j := range i {
			if f.xs[j] < f.xs[i] && f.xs[j] > f.xs[lo] {
				lo = j
			}
			if f.xs[j] > f.xs[i] && f.xs[j] < f.xs[hi] {
				hi = j
			}
		}
		f.low[i], f.high[i] = lo, hi
	}
	f.order = make([]int, n)
	for i := range f.order {
		f.order[i] = i
	}
	sort.Slice(f.order, func(a, b int) bool { return f.xs[f.order[a]] < f.xs[f.order[b]] })
	return f, nil
}

var floor1Range = [4]int{256, 128, 86, 64}

// decode reads the floor's points; false means the channel is unused.
func (f *floor1) decode(b *bitReader, books []*codebook, ys []int) ([]int, bool) {
	if !b.flag() {
		return nil, false
	}
	rng := floor1Range[f.mult-1]
	ys = ys[:0]
	bits := ilog(rng - 1)
	ys = append(ys, int(b.read(bits)), int(b.read(bits)))
	for _, c := range f.partClass {
		dims, sub := f.classDims[c], f.classSub[c]
		csub := (1 << sub) - 1
		cval := 0
		if sub > 0 {
			cval = books[f.classMaster[c]].decode(b)
			if cval < 0 {
				return nil, false
			}
		}
		for range dims {
			book := f.subBooks[c][cval&csub]
			cval >>= sub
			v := 0
			if book >= 0 {
				v = books[book].decode(b)
				if v < 0 {
					return nil, false
				}
			}
			ys = append(ys, v)
		}
	}
	if b.eop {
		return nil, false
	}
	return ys, true
}

// curve computes the floor curve of n values from the decoded points.
func (f *floor1) curve(ys []int, out []float32) {
	n := len(f.xs)
	rng := floor1Range[f.mult-1]
	final := make([]int, n)
	step2 := make([]bool, n)
	final[0], final[1] = ys[0], ys[1]
	step2[0], step2[1] = true, true
	for i := 2; i < n; i++ {
		lo, hi := f.low[i], f.high[i]
		pred := renderPoint(f.xs[lo], final[lo], f.xs[hi], final[hi], f.xs[i])
		val := ys[i]
		highroom, lowroom := rng-pred, pred
		room := min(highroom, lowroom) * 2
		if val != 0 {
			step2[lo], step2[hi], step2[i] = true, true, true
			switch {
			case val >= room && highroom > lowroom:
				final[i] = val - lowroom + pred
			case val >= room:
				final[i] = pred - val + highroom - 1
			case val&1 == 1:
				final[i] = pred - (val+1)/2
			default:
				final[i] = pred + val/2
			}
		} else {
			final[i] = pred
		}
	}
	size := len(out)
	lx, ly := 0, final[f.order[0]]*f.mult
	hx, hy := 0, ly
	for _, i := range f.order[1:] {
		if !step2[i] {
			continue
		}
		hx, hy = f.xs[i], final[i]*f.mult
		renderLine(lx, ly, hx, hy, out)
		lx, ly = hx, hy
	}
	if hx < size {
		renderLine(hx, hy, size, hy, out)
	}
}

func renderPoint(x0, y0, x1, y1, x int) int {
	dy := y1 - y0
	adx := x1 - x0
	ady := dy
	if ady < 0 {
		ady = -ady
	}
	off := ady * (x - x0) / adx
	if dy < 0 {
		return y0 - off
	}
	return y0 + off
}

func renderLine(x0, y0, x1, y1 int, out []float32) {
	dy := y1 - y0
	adx := x1 - x0
	if adx <= 0 {
		return
	}
	ady := dy
	if ady < 0 {
		ady = -ady
	}
	base := dy / adx
	sy := base + 1
	if dy < 0 {
		sy = base - 1
	}
	abase := base
	if abase < 0 {
		abase = -abase
	}
	ady -= abase * adx
	x, y, e := x0, y0, 0
	if x < len(out) {
		out[x] = inverseDB(y)
	}
	for x = x0 + 1; x < x1 && x < len(out); x++ {
		e += ady
		if e >= adx {
			e -= adx
			y += sy
		} else {
			y += base
		}
		out[x] = inverseDB(y)
	}
}

// inverseDBTable is Vorbis I's floor1_inverse_dB_table: 256 steps in
// geometric progression from 1.0649863e-07 to 1.
var inverseDBTable = func() [256]float32 {
	var t [256]float32
	for i := range t {
		t[i] = float32(math.Pow(1.0649863e-07, float64(255-i)/255))
	}
	return t
}()

func inverseDB(y int) float32 {
	return inverseDBTable[min(max(y, 0), 255)]
}
