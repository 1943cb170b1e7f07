package vorbis

import (
	"math"
	"math/cmplx"
)

// imdct computes the inverse MDCT of size n (n/2 coefficients in, n samples
// out) as Vorbis defines it, through a DCT-IV done with an n/4-point FFT.
type imdct struct {
	n      int
	tw     []complex128 // pre-twiddle, n/4
	post   []complex128 // post-twiddle, n/4
	fft    *fft
	buf    []complex128
	u      []float64
	window map[[2]int][]float32
}

func newIMDCT(n int) *imdct {
	m := n / 2
	t := &imdct{n: n, tw: make([]complex128, m/2), post: make([]complex128, m/2), fft: newFFT(m / 2), buf: make([]complex128, m/2), u: make([]float64, m)}
	for k := range t.tw {
		t.tw[k] = cmplx.Exp(complex(0, -math.Pi*float64(4*k+1)/float64(4*m)))
		t.post[k] = cmplx.Exp(complex(0, -math.Pi*float64(k)/float64(m)))
	}
	return t
}

// dct4 computes u[n] = sum_k x[k] cos(pi/m (n+1/2)(k+1/2)), m = len(x).
func (t *imdct) dct4(x []float32, u []float64) {
	m := len(x)
	for k := range m / 2 {
		t.buf[k] = complex(float64(x[2*k]), float64(x[m-1-2*k])) * t.tw[k]
	}
	t.fft.transform(t.buf)
	for j := range m / 2 {
		w := t.buf[j] * t.post[j]
		u[2*j] = real(w)
		u[m-1-2*j] = -imag(w)
	}
}

// transform writes the n outputs of the inverse MDCT of x (n/2 values).
func (t *imdct) transform(x []float32, out []float32) {
	m := t.n / 2
	t.dct4(x, t.u)
	u := t.u
	for i := range m / 2 {
		out[i] = float32(u[i+m/2])
	}
	for i := m / 2; i < 3*m/2; i++ {
		out[i] = float32(-u[3*m/2-1-i])
	}
	for i := 3 * m / 2; i < 2*m; i++ {
		out[i] = float32(-u[i-3*m/2])
	}
}

// fft is an in-place radix-2 complex FFT (forward, e^-2πi/n).
type fft struct {
	n   int
	rev []int
	w   []complex128
}

func newFFT(n int) *fft {
	f := &fft{n: n, rev: make([]int, n), w: make([]complex128, n/2)}
	bits := ilog(n) - 1
	for i := range f.rev {
		r := 0
		for b := uint(0); b < bits; b++ {
			if i&(1<<b) != 0 {
				r |= 1 << (bits - 1 - b)
			}
		}
		f.rev[i] = r
	}
	for i := range f.w {
		f.w[i] = cmplx.Exp(complex(0, -2*math.Pi*float64(i)/float64(n)))
	}
	return f
}

func (f *fft) transform(a []complex128) {
	n := f.n
	for i, r := range f.rev {
		if i < r {
			a[i], a[r] = a[r], a[i]
		}
	}
	for size := 2; size <= n; size <<= 1 {
		half := size / 2
		step := n / size
		for start := 0; start < n; start += size {
			for k := range half {
				w := f.w[k*step]
				x, y := a[start+k], a[start+k+half]*w
				a[start+k], a[start+k+half] = x+y, x-y
			}
		}
	}
}
