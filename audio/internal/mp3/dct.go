package mp3

import "math"

// Lee's fast DCT-II, X[k] = sum_n x[n] cos(pi (2n+1) k / (2N)), for N = 2 to
// 32 on fixed-size arrays: the sums and scaled differences of mirrored
// inputs give the even and odd outputs through two DCTs of half the size.

// leeFactors returns 1/(2 cos(pi (2i+1) / (2n))) for i < n/2.
func leeFactors(n int) []float32 {
	f := make([]float32, n/2)
	for i := range f {
		f[i] = float32(1 / (2 * math.Cos(math.Pi*float64(2*i+1)/float64(2*n))))
	}
	return f
}

var (
	lee32 = [16]float32(leeFactors(32))
	lee16 = [8]float32(leeFactors(16))
	lee8  = [4]float32(leeFactors(8))
	lee4  = [2]float32(leeFactors(4))
)

func dct32(x *[32]float32) {
	var a, b [16]float32
	for i := range 16 {
		a[i] = x[i] + x[31-i]
		b[i] = (x[i] - x[31-i]) * lee32[i]
	}
	dct16(&a)
	dct16(&b)
	for k := range 15 {
		x[2*k] = a[k]
		x[2*k+1] = b[k] + b[k+1]
	}
	x[30], x[31] = a[15], b[15]
}

func dct16(x *[16]float32) {
	var a, b [8]float32
	for i := range 8 {
		a[i] = x[i] + x[15-i]
		b[i] = (x[i] - x[15-i]) * lee16[i]
	}
	dct8(&a)
	dct8(&b)
	for k := range 7 {
		x[2*k] = a[k]
		x[2*k+1] = b[k] + b[k+1]
	}
	x[14], x[15] = a[7], b[7]
}

func dct8(x *[8]float32) {
	var a, b [4]float32
	for i := range 4 {
		a[i] = x[i] + x[7-i]
		b[i] = (x[i] - x[7-i]) * lee8[i]
	}
	dct4(&a)
	dct4(&b)
	x[0], x[1] = a[0], b[0]+b[1]
	x[2], x[3] = a[1], b[1]+b[2]
	x[4], x[5] = a[2], b[2]+b[3]
	x[6], x[7] = a[3], b[3]
}

func dct4(x *[4]float32) {
	a0, a1 := x[0]+x[3], x[1]+x[2]
	b0, b1 := (x[0]-x[3])*lee4[0], (x[1]-x[2])*lee4[1]
	const c = float32(math.Sqrt2 / 2)
	a0, a1 = a0+a1, (a0-a1)*c
	b0, b1 = b0+b1, (b0-b1)*c
	x[0], x[1], x[2], x[3] = a0, b0+b1, a1, b1
}
