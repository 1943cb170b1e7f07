package vorbis

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
)

type mapping struct {
	couplingMag, couplingAng []int
	mux                      []int
	subFloor, subResidue     []int
}

// maxTotalEntries bounds the codebooks' entries, and so their memory.
const maxTotalEntries = 1 << 21

type mode struct {
	long    bool
	mapping int
}

// Decoder holds a stream's set-up.
type Decoder struct {
	Channels   int
	Rate       int
	blocksize  [2]int
	books      []*codebook
	floors     []*floor1
	residues   []*residue
	mappings   []mapping
	modes      []mode
	imdct      [2]*imdct
	windows    map[[3]int][]float32
	prev       [][]float32 // windowed previous block, per channel
	prevN      int
	ys         []int
	floorCurve []float32
}

// Decode reads a whole Ogg Vorbis stream and hands its interleaved samples
// to emit, a packet at a time (the slice is reused: copy what you keep). It
// stops with ErrTooLong as soon as the audio exceeds maxSeconds, and with
// emit's error if emit fails. Header values are checked before any audio is
// decoded: at most 8 channels, 1 to 768 kHz.
func Decode(r io.Reader, maxSeconds float64, emit func(d *Decoder, samples []float32) error) (*Decoder, error) {
	pr := newPacketReader(r)
	d := &Decoder{}
	for i := range 3 {
		pk, err := pr.packet()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, ErrTruncated
			}
			return nil, err
		}
		if err := d.header(i, pk); err != nil {
			return nil, err
		}
		if i == 0 && (d.Channels > 8 || d.Rate < 1000 || d.Rate > 768000) {
			return nil, fmt.Errorf("%w: %d channels at %d Hz (allowed: up to 8 channels, 1 to 768 kHz)", ErrUnsupported, d.Channels, d.Rate)
		}
	}
	maxFrames := int64(maxSeconds * float64(d.Rate))
	// The last packet's output is held back until the next, so that the
	// final page's granule position (the stream's length) can trim it.
	var pending, spare []float32
	var emitted int64
	for {
		pk, err := pr.packet()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return d, err
		}
		spare = spare[:0]
		n, err := d.audio(pk, &spare)
		if err != nil {
			return d, err
		}
		if n == 0 {
			continue
		}
		if len(pending) > 0 {
			if err := emit(d, pending); err != nil {
				return d, err
			}
			emitted += int64(len(pending) / d.Channels)
		}
		pending, spare = spare, pending
		if emitted+int64(len(pending)/d.Channels) > maxFrames {
			return d, ErrTooLong
		}
	}
	if g := pr.granule; g >= 0 && emitted+int64(len(pending)/d.Channels) > g {
		keep := max(0, g-emitted)
		pending = pending[:keep*int64(d.Channels)]
	}
	if len(pending) > 0 {
		return d, emit(d, pending)
	}
	return d, nil
}

// ErrTooLong means the stream has more frames than the caller allows.
var ErrTooLong = errors.New("too long")

func (d *Decoder) header(i int, pk []byte) error {
	if len(pk) < 7 || pk[0] != byte(1+2*i) || !bytes.Equal(pk[1:7], []byte("vorbis")) {
		if i == 0 {
			return fmt.Errorf("%w: not a Vorbis stream", ErrUnsupported)
		}
		return formatErr("header %d missing", i)
	}
	b := &bitReader{data: pk[7:]}
	switch i {
	case 0:
		if b.read(32) != 0 {
			return formatErr("Vorbis version")
		}
		d.Channels = int(b.read(8))
		d.Rate = int(b.read(32))
		b.read(32)
		b.read(32)
		b.read(32)
		d.blocksize[0] = 1 << b.read(4)
		d.blocksize[1] = 1 << b.read(4)
		if d.Channels == 0 || d.Rate == 0 || d.blocksize[0] < 64 || d.blocksize[1] > 8192 || d.blocksize[0] > d.blocksize[1] || !b.flag() {
			return formatErr("identification header")
		}
	case 1:
		// Comments: not needed.
	case 2:
		return d.setup(b)
	}
	return nil
}

func (d *Decoder) setup(b *bitReader) error {
	n := int(b.read(8)) + 1
	total := 0
	for range n {
		c, err := readCodebook(b)
		if err != nil {
			return err
		}
		if total += c.entries; total > maxTotalEntries {
			return formatErr("codebooks with %d entries", total)
		}
		d.books = append(d.books, c)
	}
	for range int(b.read(6)) + 1 {
		if b.read(16) != 0 {
			return formatErr("time domain transform")
		}
	}
	for range int(b.read(6)) + 1 {
		switch t := b.read(16); t {
		case 1:
			f, err := readFloor1(b, len(d.books))
			if err != nil {
				return err
			}
			d.floors = append(d.floors, f)
		case 0:
			return fmt.Errorf("%w: floor type 0", ErrUnsupported)
		default:
			return formatErr("floor type %d", t)
		}
	}
	for range int(b.read(6)) + 1 {
		t := int(b.read(16))
		if t > 2 {
			return formatErr("residue type %d", t)
		}
		r, err := readResidue(b, t, d.books)
		if err != nil {
			return err
		}
		d.residues = append(d.residues, r)
	}
	for range int(b.read(6)) + 1 {
		if b.read(16) != 0 {
			return formatErr("mapping type")
		}
		var m mapping
		subs := 1
		if b.flag() {
			subs = int(b.read(4)) + 1
		}
		if b.flag() {
			steps := int(b.read(8)) + 1
			bits := ilog(d.Channels - 1)
			for range steps {
				mg, an := int(b.read(bits)), int(b.read(bits))
				if mg == an || mg >= d.Channels || an >= d.Channels {
					return formatErr("channel coupling")
				}
				m.couplingMag = append(m.couplingMag, mg)
				m.couplingAng = append(m.couplingAng, an)
			}
		}
		if b.read(2) != 0 {
			return formatErr("mapping reserved bits")
		}
		m.mux = make([]int, d.Channels)
		if subs > 1 {
			for c := range m.mux {
				m.mux[c] = int(b.read(4))
				if m.mux[c] >= subs {
					return formatErr("mapping mux")
				}
			}
		}
		for range subs {
			b.read(8)
			fl, re := int(b.read(8)), int(b.read(8))
			if fl >= len(d.floors) || re >= len(d.residues) {
				return formatErr("mapping submap")
			}
			m.subFloor = append(m.subFloor, fl)
			m.subResidue = append(m.subResidue, re)
		}
		d.mappings = append(d.mappings, m)
	}
	for range int(b.read(6)) + 1 {
		md := mode{long: b.flag()}
		if b.read(16) != 0 || b.read(16) != 0 {
			return formatErr("mode window or transform type")
		}
		md.mapping = int(b.read(8))
		if md.mapping >= len(d.mappings) {
			return formatErr("mode mapping")
		}
		d.modes = append(d.modes, md)
	}
	if !b.flag() || b.eop {
		return formatErr("setup header framing")
	}
	d.imdct = [2]*imdct{newIMDCT(d.blocksize[0]), newIMDCT(d.blocksize[1])}
	d.windows = map[[3]int][]float32{}
	d.prev = make([][]float32, d.Channels)
	return nil
}

// window returns the window of a block of size n whose left and right
// slopes have the given lengths.
func (d *Decoder) window(n, left, right int) []float32 {
	key := [3]int{n, left, right}
	if w, ok := d.windows[key]; ok {
		return w
	}
	w := make([]float32, n)
	slope := func(i, len int) float64 {
		s := math.Sin((float64(i) + 0.5) / float64(len) * math.Pi / 2)
		return math.Sin(math.Pi / 2 * s * s)
	}
	ls, le := n/4-left/4, n/4+left/4
	rs, re := 3*n/4-right/4, 3*n/4+right/4
	for i := range n {
		switch {
		case i < ls:
			w[i] = 0
		case i < le:
			w[i] = float32(slope(i-ls, left/2))
		case i < rs:
			w[i] = 1
		case i < re:
			w[i] = float32(slope(right/2-1-(i-rs), right/2))
		default:
			w[i] = 0
		}
	}
	d.windows[key] = w
	return w
}

// audio decodes one audio packet, appends its output to out and returns the
// number of frames appended.
func (d *Decoder) audio(pk []byte, out *[]float32) (int, error) {
	b := &bitReader{data: pk}
	if b.flag() {
		return 0, nil // not an audio packet: ignored
	}
	mi := int(b.read(ilog(len(d.modes) - 1)))
	if mi >= len(d.modes) || b.eop {
		return 0, nil // an empty or damaged packet: skipped as libvorbis does
	}
	md := d.modes[mi]
	long := 0
	if md.long {
		long = 1
	}
	n := d.blocksize[long]
	left, right := n, n
	if md.long {
		if !b.flag() {
			left = d.blocksize[0]
		}
		if !b.flag() {
			right = d.blocksize[0]
		}
	}
	m := d.mappings[md.mapping]
	half := n / 2
	vs := make([][]float32, d.Channels)
	floors := make([][]int, d.Channels)
	unused := make([]bool, d.Channels)
	for c := range vs {
		vs[c] = make([]float32, half)
		fl := d.floors[m.subFloor[m.mux[c]]]
		ys, ok := fl.decode(b, d.books, nil)
		floors[c], unused[c] = ys, !ok
	}
	noResidue := append([]bool(nil), unused...)
	for i := range m.couplingMag {
		if !unused[m.couplingMag[i]] || !unused[m.couplingAng[i]] {
			noResidue[m.couplingMag[i]], noResidue[m.couplingAng[i]] = false, false
		}
	}
	for s := range m.subResidue {
		var sv [][]float32
		var skip []bool
		for c := range vs {
			if m.mux[c] == s {
				sv = append(sv, vs[c])
				skip = append(skip, noResidue[c])
			}
		}
		if len(sv) > 0 {
			d.residues[m.subResidue[s]].decode(b, d.books, sv, skip)
		}
	}
	for i := len(m.couplingMag) - 1; i >= 0; i-- {
		mv, av := vs[m.couplingMag[i]], vs[m.couplingAng[i]]
		for j := range mv {
			mg, an := mv[j], av[j]
			var nm, na float32
			if mg > 0 {
				if an > 0 {
					nm, na = mg, mg-an
				} else {
					na, nm = mg, mg+an
				}
			} else {
				if an > 0 {
					nm, na = mg, mg+an
				} else {
					na, nm = mg, mg-an
				}
			}
			mv[j], av[j] = nm, na
		}
	}
	if cap(d.floorCurve) < half {
		d.floorCurve = make([]float32, half)
	}
	curve := d.floorCurve[:half]
	win := d.window(n, left, right)
	cur := make([][]float32, d.Channels)
	for c := range vs {
		cur[c] = make([]float32, n)
		if unused[c] {
			continue
		}
		fl := d.floors[m.subFloor[m.mux[c]]]
		clear(curve)
		fl.curve(floors[c], curve)
		for j := range vs[c] {
			vs[c][j] *= curve[j]
		}
		d.imdct[long].transform(vs[c], cur[c])
		for j, w := range win {
			cur[c][j] *= w
		}
	}
	frames := 0
	if d.prevN > 0 {
		pn := d.prevN
		frames = pn/4 + n/4
		base := len(*out)
		*out = append(*out, make([]float32, frames*d.Channels)...)
		o := (*out)[base:]
		for c := range cur {
			for k := range frames {
				p := pn/2 + k
				q := k - pn/4 + n/4
				var v float32
				if p < pn {
					v = d.prev[c][p]
				}
				if q >= 0 && q < n {
					v += cur[c][q]
				}
				o[k*d.Channels+c] = v
			}
		}
	}
	d.prev, d.prevN = cur, n
	return frames, nil
}
