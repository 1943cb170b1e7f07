// Copyright 2017 Hajime Hoshi (go-mp3 v0.3.4, from which this is derived)
// Copyright 2026 the Ringside authors (changes: see NOTICE.md)
// Licensed under the Apache License, Version 2.0; see LICENSE beside this file.

package mp3

import "math"

// requantize turns Huffman values into spectral values (go-mp3's
// requantize): sign(v) * |v|^(4/3) * 2^(k/4), in float64 and then rounded to
// float32 as go-mp3 did, with both powers from tables of the exact values
// its math.Pow calls gave. k is the same for a whole scalefactor band (and
// window).
func (d *Decoder) requantize(gr, ch int) {
	si := &d.si
	is := &d.is[gr][ch]
	count1 := si.count1[gr][ch]
	sfMul4 := 2 // 4 * sf_mult
	if si.scalefacScale[gr][ch] != 0 {
		sfMul4 = 4
	}
	gain := si.globalGain[gr][ch] - 210
	long := &sfBandLong[d.h.lsf()][d.h.rateIndex()]
	short := &sfBandShort[d.h.lsf()][d.h.rateIndex()]
	longBand := func(sfb, end int) {
		k := -sfMul4*(d.sf.l[gr][ch][sfb]+si.preflag[gr][ch]*pretab[sfb]) + gain
		requantLines(is[long[sfb]:end], pow2q[k+pow2Offset])
	}
	if !si.short(gr, ch) {
		for sfb := 0; long[sfb] < count1; sfb++ {
			longBand(sfb, min(long[sfb+1], count1))
		}
		return
	}
	sfb := 0
	if si.mixedBlockFlag[gr][ch] != 0 {
		// The first 36 lines are long blocks, requantised whatever count1.
		for sfb = 0; long[sfb] < 36; sfb++ {
			longBand(sfb, min(long[sfb+1], 36))
		}
		sfb = 3
	}
	for ; sfb < 13 && short[sfb]*3 < count1; sfb++ {
		i := short[sfb] * 3
		w := short[sfb+1] - short[sfb]
		for win := range 3 {
			k := -sfMul4*d.sf.s[gr][ch][sfb][win] + gain - 8*si.subblockGain[gr][ch][win]
			requantLines(is[i+win*w:i+(win+1)*w], pow2q[k+pow2Offset])
		}
	}
}

// requantLines requantises Huffman values v with the factor f = 2^(k/4):
// |v|^(4/3) * f with v's sign, without a branch on the sign.
func requantLines(v []float32, f float64) {
	for i, x := range v {
		bits := math.Float32bits(x)
		a := int(math.Float32frombits(bits &^ (1 << 31)))
		r := float32(f * powtab34[a])
		v[i] = math.Float32frombits(math.Float32bits(r) | bits&(1<<31))
	}
}
