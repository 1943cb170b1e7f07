package mp3

import "math"

// synthState is one channel's polyphase synthesis filter bank: the V vector
// of ISO/IEC 11172-3 (the last 16 sets of 64 values) as a ring, stored twice
// so that any 1024 consecutive values are contiguous.
type synthState struct {
	v   [2048]float32
	off int // where the newest set starts
}

// dctFactors[n] holds 1/(2 cos(pi (2i+1) / (2n))) for Lee's DCT of size n.
var dctFactors = func() (f [33][]float32) {
	for n := 2; n <= 32; n *= 2 {
		f[n] = make([]float32, n/2)
		for i := range n / 2 {
			f[n][i] = float32(1 / (2 * math.Cos(math.Pi*float64(2*i+1)/float64(2*n))))
		}
	}
	return
}()

// dct computes X[k] = sum_n x[n] cos(pi (2n+1) k / (2N)) in place, N =
// len(x) a power of two, by Lee's recursive split; tmp holds N values.
func dct(x, tmp []float32) {
	n := len(x)
	if n == 1 {
		return
	}
	if n == 2 {
		x[0], x[1] = x[0]+x[1], (x[0]-x[1])*float32(math.Sqrt2/2)
		return
	}
	h := n / 2
	f := dctFactors[n]
	a, b := tmp[:h], tmp[h:n]
	for i := range h {
		a[i] = x[i] + x[n-1-i]
		b[i] = (x[i] - x[n-1-i]) * f[i]
	}
	dct(a, x[:h])
	dct(b, x[h:n])
	for k := range h - 1 {
		x[2*k] = a[k]
		x[2*k+1] = b[k] + b[k+1]
	}
	x[n-2] = a[h-1]
	x[n-1] = b[h-1]
}

// run synthesises one granule: s holds 18 samples of each subband
// (s[sb*18+t]), of which the first sbs subbands are used; it writes 576
// samples (288 if half: the even ones) to out[0], out[stride], ... clamped
// to [-1, 1].
func (st *synthState) run(s *[576]float32, sbs int, half bool, out []float32, stride int) {
	var x, tmp [32]float32
	step, per := 1, 32
	if half {
		step, per = 2, 16
	}
	for t := range 18 {
		for sb := range sbs {
			x[sb] = s[sb*18+t]
		}
		for sb := sbs; sb < 32; sb++ {
			x[sb] = 0
		}
		dct(x[:], tmp[:])
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
		o := out[t*per*stride:]
		for j := 0; j < 32; j += step {
			var sum float32
			for k := range 8 {
				sum += vv[128*k+j] * synthWindow[64*k+j]
				sum += vv[128*k+96+j] * synthWindow[64*k+32+j]
			}
			sum = min(max(sum, -1), 1)
			o[j/step*stride] = sum
		}
	}
}
