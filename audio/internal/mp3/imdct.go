// Copyright 2017 Hajime Hoshi (go-mp3 v0.3.4, from which this is derived)
// Copyright 2026 the Ringside authors (changes: see NOTICE.md)
// Licensed under the Apache License, Version 2.0; see LICENSE beside this file.

package mp3

import "math"

// The windows of the four block types (go-mp3's imdctWinData).
var imdctWindow = func() (w [4][36]float32) {
	for i := range 36 {
		w[0][i] = float32(math.Sin(math.Pi / 36 * (float64(i) + 0.5)))
	}
	for i := range 18 {
		w[1][i] = float32(math.Sin(math.Pi / 36 * (float64(i) + 0.5)))
	}
	for i := 18; i < 24; i++ {
		w[1][i] = 1
	}
	for i := 24; i < 30; i++ {
		w[1][i] = float32(math.Sin(math.Pi / 12 * (float64(i) + 0.5 - 18)))
	}
	for i := range 12 {
		w[2][i] = float32(math.Sin(math.Pi / 12 * (float64(i) + 0.5)))
	}
	for i := 6; i < 12; i++ {
		w[3][i] = float32(math.Sin(math.Pi / 12 * (float64(i) + 0.5 - 6)))
	}
	for i := 12; i < 18; i++ {
		w[3][i] = 1
	}
	for i := 18; i < 36; i++ {
		w[3][i] = float32(math.Sin(math.Pi / 36 * (float64(i) + 0.5)))
	}
	return
}()

// cosN12 is the 12-point IMDCT matrix of short blocks.
var cosN12 = func() (c [6][12]float32) {
	for i := range 6 {
		for j := range 12 {
			c[i][j] = float32(math.Cos(math.Pi / 24 * (2*float64(j) + 7) * (2*float64(i) + 1)))
		}
	}
	return
}()

// dct4Matrix is the 18-point DCT-IV, cos(pi/72 (2k+1)(2m+1)), stored
// [k][m].
var dct4Matrix = func() (c [18][18]float32) {
	for k := range 18 {
		for m := range 18 {
			c[k][m] = float32(math.Cos(math.Pi / 72 * float64((2*k+1)*(2*m+1))))
		}
	}
	return
}()

// imdct36 computes the windowed 36-point IMDCT of one subband's 18 lines
// (go-mp3's Win for block types 0, 1 and 3). The IMDCT's 36 outputs are
// y[p] = sum_m in[m] cos(pi/72 (2p+19)(2m+1)), which are the 18 values u[k]
// of a DCT-IV up to order and sign: y[p] = u[p+9] for p < 9, -u[26-p] for
// 9 <= p < 27, -u[p-27] from 27 on.
func imdct36(in *[18]float32, win *[36]float32, out *[36]float32) {
	var u [18]float32
	for k := range 18 {
		u[k] = dot18(in, &dct4Matrix[k])
	}
	for p := range 9 {
		out[p] = u[p+9] * win[p]
	}
	for p := 9; p < 27; p++ {
		out[p] = -u[26-p] * win[p]
	}
	for p := 27; p < 36; p++ {
		out[p] = -u[p-27] * win[p]
	}
}

// imdct12 computes the three windowed short IMDCTs of one subband, overlapped
// into 36 values (go-mp3's Win for block type 2).
func imdct12(in *[18]float32, out *[36]float32) {
	*out = [36]float32{}
	win := &imdctWindow[2]
	for i := range 3 {
		for p := range 12 {
			var sum float32
			for m := range 6 {
				sum += in[i+3*m] * cosN12[m][p]
			}
			out[6*i+p+6] += sum * win[p]
		}
	}
}

// hybrid runs the IMDCT of the kept subbands of granule gr, channel ch and
// overlaps it with the previous granule's second half held in ov (go-mp3's
// hybridSynthesis), leaving time samples in d.is[gr][ch].
func (d *Decoder) hybrid(gr, ch int, ov *[32][18]float32) {
	si := &d.si
	is := &d.is[gr][ch]
	var raw [36]float32
	for sb := range d.subbands {
		bt := si.blockType[gr][ch]
		if si.winSwitchFlag[gr][ch] == 1 && si.mixedBlockFlag[gr][ch] == 1 && sb < 2 {
			bt = 0
		}
		in := (*[18]float32)(is[sb*18 : sb*18+18])
		store := &ov[sb]
		if *in == [18]float32{} {
			*in = *store
			*store = [18]float32{}
			continue
		}
		if bt == 2 {
			imdct12(in, &raw)
		} else {
			imdct36(in, &imdctWindow[bt], &raw)
		}
		for i := range 18 {
			in[i] = raw[i] + store[i]
			store[i] = raw[i+18]
		}
	}
}

// frequencyInversion negates the odd samples of the odd subbands.
func (d *Decoder) frequencyInversion(gr, ch int) {
	is := &d.is[gr][ch]
	for sb := 1; sb < d.subbands; sb += 2 {
		for i := 1; i < 18; i += 2 {
			is[sb*18+i] = -is[sb*18+i]
		}
	}
}

// dot18 adds the 18 products as a tree (short dependency chains).
func dot18(a, b *[18]float32) float32 {
	s0 := (a[0]*b[0] + a[1]*b[1]) + (a[2]*b[2] + a[3]*b[3])
	s1 := (a[4]*b[4] + a[5]*b[5]) + (a[6]*b[6] + a[7]*b[7])
	s2 := (a[8]*b[8] + a[9]*b[9]) + (a[10]*b[10] + a[11]*b[11])
	s3 := (a[12]*b[12] + a[13]*b[13]) + (a[14]*b[14] + a[15]*b[15])
	return ((s0 + s1) + (s2 + s3)) + (a[16]*b[16] + a[17]*b[17])
}
