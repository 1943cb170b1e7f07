// Copyright 2017 Hajime Hoshi (go-mp3 v0.3.4, from which this is derived)
// Copyright 2026 the Ringside authors (changes: see NOTICE.md)
// Licensed under the Apache License, Version 2.0; see LICENSE beside this file.

package mp3

import (
	"errors"
	"fmt"
	"math"
)

// Option changes what a Decoder produces.
type Option func(*Decoder)

// WithMono makes the decoder produce one channel, the mean of left and
// right. The channels are added in the frequency domain after stereo
// processing, so the filter banks run once instead of twice; the result is
// the time-domain mean up to float rounding (and clipping, which is applied
// to the mean only).
func WithMono() Option { return func(d *Decoder) { d.mono = true } }

// WithSubbands keeps the lowest n (1 to 32) of the 32 subbands and drops the
// others: their spectral values are not decoded and their filter banks do
// not run. Each subband is rate/64 Hz wide, so n subbands keep the audio up
// to n*rate/64 Hz; for output that is resampled to a lower rate afterwards,
// keep a subband more than the resampler's stopband edge needs (the filter
// bank's aliasing between subbands reaches about half a subband).
func WithSubbands(n int) Option {
	return func(d *Decoder) { d.subbands = min(max(n, 1), 32) }
}

// WithHalfRate makes the decoder produce half the stream's sample rate: the
// synthesis computes every other output sample only. That is decimation
// without a filter, so it keeps at most 16 subbands (as WithSubbands(16)):
// with the subbands above a quarter of the rate dropped, nothing folds back.
func WithHalfRate() Option { return func(d *Decoder) { d.half = true } }

// Decoder decodes MPEG-1 and MPEG-2 Layer III frames, one at a time and in
// order (the bit reservoir and the filter banks carry state from frame to
// frame). Its output is float32 in [-1, 1]: two interleaved channels (a mono
// frame duplicated, as go-mp3 did), or one with WithMono.
type Decoder struct {
	mono     bool
	half     bool
	subbands int

	h   Header
	si  sideInfo
	sf  scalefactors
	is  [2][2][576]float32 // spectral lines, then time samples, [granule][channel]
	res []byte             // main data of the frames so far (the last few kB)
	md  []byte             // this frame's main data with the reservoir before it
	br  bitReader

	midOnly      [2]bool // per granule: mono from the middle channel alone
	overlap      [2][32][18]float32
	splitOverlap bool // mono: overlap[1] holds the second channel's part
	synth        [2]synthState
}

// New returns a decoder.
func New(opts ...Option) *Decoder {
	d := &Decoder{subbands: 32, res: make([]byte, 0, 8192), md: make([]byte, 0, 4096)}
	for _, o := range opts {
		o(d)
	}
	if d.half {
		d.subbands = min(d.subbands, 16)
	}
	return d
}

// Rate returns the output's sample rate for frames of header h.
func (d *Decoder) Rate(h Header) int {
	if d.half {
		return h.SampleRate() / 2
	}
	return h.SampleRate()
}

// Samples returns the samples per channel Decode writes for a frame of
// header h: h.Samples(), or half that with WithHalfRate.
func (d *Decoder) Samples(h Header) int {
	if d.half {
		return h.Samples() / 2
	}
	return h.Samples()
}

// Channels returns how many channels Decode writes per sample.
func (d *Decoder) Channels() int {
	if d.mono {
		return 1
	}
	return 2
}

// Reset forgets the state carried between frames.
func (d *Decoder) Reset() {
	d.res = d.res[:0]
	d.overlap = [2][32][18]float32{}
	d.synth = [2]synthState{}
}

// Skip takes in a frame's main data for the bit reservoir without decoding
// it, so that decoding can start in the middle of a stream: Skip the frames
// whose main data the next frames may use (up to 511 bytes back), Decode one
// frame and drop its output to fill the filter banks, then decode on.
func (d *Decoder) Skip(frame []byte) error {
	h, main, err := d.split(frame)
	if err != nil {
		return err
	}
	d.h = h
	d.pushReservoir(main)
	return nil
}

// split checks a frame, reads its side information and returns its main
// data.
func (d *Decoder) split(frame []byte) (Header, []byte, error) {
	h, ok := ParseHeader(frame)
	if !ok {
		return 0, nil, errors.New("mp3: no frame header")
	}
	if err := h.Check(); err != nil {
		return 0, nil, err
	}
	size := h.Size()
	if len(frame) < size {
		return 0, nil, ErrTruncated
	}
	p := 4
	if h.hasCRC() {
		p += 2
	}
	sis := h.sideInfoSize()
	if p+sis > size {
		return 0, nil, fmt.Errorf("mp3: frame of %d bytes is shorter than its side information", size)
	}
	readSideInfo(&d.si, h, frame[p:p+sis])
	return h, frame[p+sis : size], nil
}

func (d *Decoder) pushReservoir(main []byte) {
	if len(d.res)+len(main) > cap(d.res) {
		keep := d.res[max(0, len(d.res)-1024):]
		d.res = append(d.res[:0], keep...)
	}
	d.res = append(d.res, main...)
}

// Decode decodes one whole frame (from its header on; bytes after the frame
// are ignored) into out, which must hold Samples(h)*Channels() values, and
// returns the number of samples per channel written. An error is a frame
// that cannot be decoded; go-mp3 gave up on the whole stream there.
func (d *Decoder) Decode(frame []byte, out []float32) (int, error) {
	h, main, err := d.split(frame)
	if err != nil {
		return 0, err
	}
	d.h = h
	n := d.Samples(h)
	if len(out) < n*d.Channels() {
		return 0, fmt.Errorf("mp3: output of %d values for %d samples", len(out), n*d.Channels())
	}
	begin := d.si.mainDataBegin
	complete := begin <= len(d.res)
	if complete {
		d.md = append(append(d.md[:0], d.res[len(d.res)-begin:]...), main...)
	}
	d.pushReservoir(main)
	nch := h.Channels()
	for gr := range h.Granules() {
		// With WithMono, middle/side stereo without intensity stereo needs
		// the middle channel only: (L+R)/2 = M/sqrt(2). Not with short
		// blocks: go-mp3 (and so the full decode) undoes M/S up to count1
		// after reordering, which leaves a few lines of a band as M and S.
		d.midOnly[gr] = d.mono && nch == 2 && h.msStereo() && !h.intensityStereo() &&
			d.sameLayout(gr) && !d.si.short(gr, 0)
	}
	if complete {
		if err := d.readMainData(nch); err != nil {
			return 0, err
		}
	} else {
		// The reservoir reaches back before the data we have (a stream
		// cut in the middle): silence, where go-mp3 decoded garbage.
		d.is = [2][2][576]float32{}
		d.si.count1 = [2][2]int{}
	}
	for gr := range h.Granules() {
		for ch := range nch {
			if ch == 1 && d.midOnly[gr] {
				break
			}
			d.requantize(gr, ch)
			d.reorder(gr, ch)
		}
		if d.midOnly[gr] {
			const invSqrt2 = math.Sqrt2 / 2
			m := &d.is[gr][0]
			for i := range d.si.count1[gr][0] {
				m[i] *= invSqrt2
			}
		} else {
			d.stereo(gr)
		}
		d.granuleOut(gr, nch, out[gr*n/h.Granules()*d.Channels():])
	}
	return n, nil
}

// readMainData reads the scalefactors and spectral values of every granule
// and channel from d.md.
func (d *Decoder) readMainData(nch int) error {
	m := &d.br
	m.reset(d.md)
	d.sf = scalefactors{} // what a frame does not send is zero, as in go-mp3
	for gr := range d.h.Granules() {
		for ch := range nch {
			part2Start := m.pos
			if d.h.lsf() == 1 {
				d.readScalefactorsMPEG2(m, ch)
			} else {
				d.readScalefactorsMPEG1(m, gr, ch)
			}
			if ch == 1 && d.midOnly[gr] {
				// Not needed: move to the next part as readHuffman would.
				if d.si.part23Length[gr][1] != 0 {
					m.pos = part2Start + d.si.part23Length[gr][1]
				}
				d.si.count1[gr][1] = 0
				continue
			}
			if err := d.readHuffman(m, part2Start, gr, ch, d.lineLimit(gr, ch)); err != nil {
				return err
			}
		}
	}
	return nil
}

// lineLimit returns how many spectral lines to decode for the subbands
// kept: the lines of those subbands, the 8 above them that the antialias
// butterflies mix in, and for short blocks up to the end of a scalefactor
// band (reordering moves lines within a band).
func (d *Decoder) lineLimit(gr, ch int) int {
	if d.subbands == 32 {
		return 576
	}
	lim := min(576, d.subbands*18+8)
	if d.si.short(gr, ch) && lim > 36 {
		for _, b := range sfBandShort[d.h.lsf()][d.h.rateIndex()] {
			if 3*b >= lim {
				return 3 * b
			}
		}
	}
	return lim
}

// sameLayout reports whether both channels of granule gr use the same
// blocks, so that their spectra can be added before the IMDCT.
func (d *Decoder) sameLayout(gr int) bool {
	si := &d.si
	return si.winSwitchFlag[gr][0] == si.winSwitchFlag[gr][1] &&
		si.blockType[gr][0] == si.blockType[gr][1] &&
		si.mixedBlockFlag[gr][0] == si.mixedBlockFlag[gr][1]
}

// granuleOut runs the filter banks of granule gr and writes its samples.
func (d *Decoder) granuleOut(gr, nch int, out []float32) {
	if !d.mono {
		for ch := range nch {
			d.antialias(gr, ch)
			d.hybrid(gr, ch, &d.overlap[ch])
			d.frequencyInversion(gr, ch)
			d.synth[ch].run(&d.is[gr][ch], d.subbands, d.half, out[ch:], 2)
		}
		if nch == 1 {
			for i := 0; i < 2*d.Samples(d.h)/d.h.Granules(); i += 2 {
				out[i+1] = out[i]
			}
		}
		return
	}
	if nch == 2 && !d.midOnly[gr] {
		l, r := &d.is[gr][0], &d.is[gr][1]
		n := d.subbands * 18
		if d.sameLayout(gr) {
			d.mergeOverlap()
			n = min(576, n+8)
			for i := range n {
				l[i] = (l[i] + r[i]) * 0.5
			}
		} else {
			// The mean of the time samples: each channel's own IMDCT,
			// the second channel's overlap kept apart until the layouts
			// match again.
			for i := range 576 {
				l[i] *= 0.5
				r[i] *= 0.5
			}
			d.antialias(gr, 1)
			d.hybrid(gr, 1, &d.overlap[1])
			d.splitOverlap = true
		}
	}
	if nch == 1 || d.midOnly[gr] {
		d.mergeOverlap()
	}
	d.antialias(gr, 0)
	d.hybrid(gr, 0, &d.overlap[0])
	if nch == 2 && !d.midOnly[gr] && !d.sameLayout(gr) {
		l, r := &d.is[gr][0], &d.is[gr][1]
		for i := range d.subbands * 18 {
			l[i] += r[i]
		}
	}
	d.frequencyInversion(gr, 0)
	d.synth[0].run(&d.is[gr][0], d.subbands, d.half, out, 1)
}

// mergeOverlap adds the second channel's overlap, kept apart while the
// channels' blocks differed, into the first.
func (d *Decoder) mergeOverlap() {
	if !d.splitOverlap {
		return
	}
	for sb := range d.overlap[0] {
		for i := range d.overlap[0][sb] {
			d.overlap[0][sb][i] += d.overlap[1][sb][i]
		}
	}
	d.overlap[1] = [32][18]float32{}
	d.splitOverlap = false
}
