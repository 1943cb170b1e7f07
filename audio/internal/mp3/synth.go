// Copyright 2017 Hajime Hoshi (go-mp3 v0.3.4, from which this is derived)
// Copyright 2026 the Ringside authors (changes: see NOTICE.md)
// Licensed under the Apache License, Version 2.0; see LICENSE beside this file.

package mp3

// synthState is one channel's polyphase synthesis filter bank: the V vector
// of ISO/IEC 11172-3 (the last 16 sets of 64 values) as a ring, stored twice
// so that any 1024 consecutive values are contiguous.
type synthState struct {
	v   [2048]float32
	off int // where the newest set starts

	// At half rate only the even V values are ever read: 32 per set.
	h    [1024]float32
	hoff int
}

// run synthesises one granule: s holds 18 samples of each subband
// (s[sb*18+t]), of which the first sbs subbands are used; it writes 576
// samples (288 if half: the even ones, for which sbs must be at most 16)
// to out[0], out[stride], ... clamped to [-1, 1].
func (st *synthState) run(s *[576]float32, sbs int, half bool, out []float32, stride int) {
	if half {
		st.runHalf(s, sbs, out, stride)
		return
	}
	var x [32]float32
	for t := range 18 {
		for sb := range sbs {
			x[sb] = s[sb*18+t]
		}
		for sb := sbs; sb < 32; sb++ {
			x[sb] = 0
		}
		dct32(&x)
		// V[i] = C[16+i] for i <= 16, -C[48-i] up to 47, -C[i-48] after,
		// where C is the DCT above (C[32] = 0).
		st.off = (st.off - 64) & 1023
		v := (*[64]float32)(st.v[st.off : st.off+64])
		w := (*[64]float32)(st.v[st.off+1024 : st.off+1088])
		for i := range 16 {
			v[i] = x[16+i]
		}
		v[16] = 0
		for i := 17; i < 48; i++ {
			v[i] = -x[48-i]
		}
		for i := 48; i < 64; i++ {
			v[i] = -x[i-48]
		}
		*w = *v
		vv := (*[1024]float32)(st.v[st.off : st.off+1024])
		win := &synthWindow
		o := out[t*32*stride:]
		for j := range 32 {
			// 16 products added as a tree rather than one long chain.
			a := vv[j]*win[j] + vv[96+j]*win[32+j]
			b := vv[128+j]*win[64+j] + vv[224+j]*win[96+j]
			c := vv[256+j]*win[128+j] + vv[352+j]*win[160+j]
			d := vv[384+j]*win[192+j] + vv[480+j]*win[224+j]
			e := vv[512+j]*win[256+j] + vv[608+j]*win[288+j]
			f := vv[640+j]*win[320+j] + vv[736+j]*win[352+j]
			g := vv[768+j]*win[384+j] + vv[864+j]*win[416+j]
			h := vv[896+j]*win[448+j] + vv[992+j]*win[480+j]
			sum := ((a + b) + (c + d)) + ((e + f) + (g + h))
			o[j*stride] = min(max(sum, -1), 1)
		}
	}
}

// halfWindow holds the window values the even outputs use, in the order
// runHalf reads them: [k][0:16] = D[64k+2j], [k][16:32] = D[64k+32+2j].
var halfWindow = func() (w [8][32]float32) {
	for k := range 8 {
		for j := range 16 {
			w[k][j] = synthWindow[64*k+2*j]
			w[k][16+j] = synthWindow[64*k+32+2*j]
		}
	}
	return
}()

// runHalf is run for the even output samples. Those read only the even V
// values, V[2i] = C[16+2i], -C[48-2i] or -C[2i-48]: the even DCT outputs,
// which are the 16-point DCT of x[n]+x[31-n], here just x[n] (the subbands
// from 16 up are zero).
func (st *synthState) runHalf(s *[576]float32, sbs int, out []float32, stride int) {
	var x [16]float32
	for t := range 18 {
		for sb := range sbs {
			x[sb] = s[sb*18+t]
		}
		for sb := sbs; sb < 16; sb++ {
			x[sb] = 0
		}
		dct16(&x) // x[k] = C[2k]
		st.hoff = (st.hoff - 32) & 511
		v := (*[32]float32)(st.h[st.hoff : st.hoff+32])
		for i := range 8 {
			v[i] = x[8+i]
		}
		v[8] = 0
		for i := 9; i < 24; i++ {
			v[i] = -x[24-i]
		}
		for i := 24; i < 32; i++ {
			v[i] = -x[i-24]
		}
		*(*[32]float32)(st.h[st.hoff+512 : st.hoff+544]) = *v
		vv := (*[512]float32)(st.h[st.hoff : st.hoff+512])
		w := &halfWindow
		o := out[t*16*stride:]
		for j := range 16 {
			a := vv[j]*w[0][j] + vv[48+j]*w[0][16+j]
			b := vv[64+j]*w[1][j] + vv[112+j]*w[1][16+j]
			c := vv[128+j]*w[2][j] + vv[176+j]*w[2][16+j]
			d := vv[192+j]*w[3][j] + vv[240+j]*w[3][16+j]
			e := vv[256+j]*w[4][j] + vv[304+j]*w[4][16+j]
			f := vv[320+j]*w[5][j] + vv[368+j]*w[5][16+j]
			g := vv[384+j]*w[6][j] + vv[432+j]*w[6][16+j]
			h := vv[448+j]*w[7][j] + vv[496+j]*w[7][16+j]
			sum := ((a + b) + (c + d)) + ((e + f) + (g + h))
			o[j*stride] = min(max(sum, -1), 1)
		}
	}
}
