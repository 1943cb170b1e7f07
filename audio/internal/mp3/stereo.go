// Copyright 2017 Hajime Hoshi (go-mp3 v0.3.4, from which this is derived)
// Copyright 2026 the Ringside authors (changes: see NOTICE.md)
// Licensed under the Apache License, Version 2.0; see LICENSE beside this file.

package mp3

import "math"

// reorder puts the lines of short blocks in subband order (go-mp3's reorder).
func (d *Decoder) reorder(gr, ch int) {
	si := &d.si
	if !si.short(gr, ch) {
		return
	}
	is := &d.is[gr][ch]
	short := &sfBandShort[d.h.lsf()][d.h.rateIndex()]
	var re [576]float32
	sfb := 0
	if si.mixedBlockFlag[gr][ch] != 0 {
		sfb = 3
	}
	next := short[sfb+1] * 3
	winLen := short[sfb+1] - short[sfb]
	i := 36
	if sfb == 0 {
		i = 0
	}
	for i < 576 {
		if i == next {
			j := 3 * short[sfb]
			copy(is[j:j+3*winLen], re[:3*winLen])
			if i >= si.count1[gr][ch] {
				return
			}
			sfb++
			next = short[sfb+1] * 3
			winLen = short[sfb+1] - short[sfb]
		}
		for win := range 3 {
			for j := range winLen {
				re[j*3+win] = is[i]
				i++
			}
		}
	}
	j := 3 * short[12]
	copy(is[j:j+3*winLen], re[:3*winLen])
}

// stereo undoes middle/side and intensity stereo (go-mp3's stereo, which
// takes the intensity positions from the left channel's scalefactors and
// applies the MPEG-1 rules to MPEG-2 too).
func (d *Decoder) stereo(gr int) {
	si := &d.si
	if d.h.msStereo() {
		n := si.count1[gr][1]
		if si.count1[gr][0] > si.count1[gr][1] {
			n = si.count1[gr][0]
		}
		l, r := &d.is[gr][0], &d.is[gr][1]
		const invSqrt2 = math.Sqrt2 / 2
		for i := range n {
			l[i], r[i] = (l[i]+r[i])*invSqrt2, (l[i]-r[i])*invSqrt2
		}
	}
	if !d.h.intensityStereo() {
		return
	}
	long := &sfBandLong[d.h.lsf()][d.h.rateIndex()]
	short := &sfBandShort[d.h.lsf()][d.h.rateIndex()]
	c1 := si.count1[gr][1]
	if !si.short(gr, 0) {
		for sfb := range 21 {
			if long[sfb] >= c1 {
				d.intensityLong(gr, sfb)
			}
		}
		return
	}
	first := 0
	if si.mixedBlockFlag[gr][0] != 0 {
		for sfb := range 8 {
			if long[sfb] >= c1 {
				d.intensityLong(gr, sfb)
			}
		}
		first = 3
	}
	for sfb := first; sfb < 12; sfb++ {
		if short[sfb]*3 >= c1 {
			d.intensityShort(gr, sfb)
		}
	}
}

func isRatio(pos int) (l, r float32) {
	if pos == 6 {
		return 1, 0
	}
	return isRatios[pos] / (1 + isRatios[pos]), 1 / (1 + isRatios[pos])
}

func (d *Decoder) intensityLong(gr, sfb int) {
	pos := d.sf.l[gr][0][sfb]
	if pos >= 7 {
		return
	}
	rl, rr := isRatio(pos)
	long := &sfBandLong[d.h.lsf()][d.h.rateIndex()]
	l, r := &d.is[gr][0], &d.is[gr][1]
	for i := long[sfb]; i < long[sfb+1]; i++ {
		l[i] *= rl
		r[i] *= rr
	}
}

func (d *Decoder) intensityShort(gr, sfb int) {
	short := &sfBandShort[d.h.lsf()][d.h.rateIndex()]
	winLen := short[sfb+1] - short[sfb]
	l, r := &d.is[gr][0], &d.is[gr][1]
	for win := range 3 {
		pos := d.sf.s[gr][0][sfb][win]
		if pos >= 7 {
			continue
		}
		rl, rr := isRatio(pos)
		start := short[sfb]*3 + winLen*win
		for i := start; i < start+winLen; i++ {
			l[i] *= rl
			r[i] *= rr
		}
	}
}

// antialias applies the butterflies between subbands (go-mp3's antialias),
// up to the boundary above the last subband kept.
func (d *Decoder) antialias(gr, ch int) {
	si := &d.si
	if si.short(gr, ch) && si.mixedBlockFlag[gr][ch] == 0 {
		return
	}
	lim := min(32, d.subbands+1)
	if si.short(gr, ch) && si.mixedBlockFlag[gr][ch] == 1 {
		lim = min(lim, 2)
	}
	is := &d.is[gr][ch]
	for sb := 1; sb < lim; sb++ {
		for i := range 8 {
			li, ui := 18*sb-1-i, 18*sb+i
			lb := is[li]*aliasCS[i] - is[ui]*aliasCA[i]
			ub := is[ui]*aliasCS[i] + is[li]*aliasCA[i]
			is[li], is[ui] = lb, ub
		}
	}
}
