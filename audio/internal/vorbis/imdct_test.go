package vorbis

import (
	"math"
	"math/rand"
	"testing"
)

func TestIMDCTMatchesDefinition(t *testing.T) {
	for _, n := range []int{64, 256, 2048} {
		m := n / 2
		x := make([]float32, m)
		rng := rand.New(rand.NewSource(1))
		for i := range x {
			x[i] = float32(rng.Float64()*2 - 1)
		}
		out := make([]float32, n)
		newIMDCT(n).transform(x, out)
		for i := range n {
			var want float64
			for k := range m {
				want += float64(x[k]) * math.Cos(math.Pi/float64(m)*(float64(i)+0.5+float64(m)/2)*(float64(k)+0.5))
			}
			if math.Abs(want-float64(out[i])) > 1e-3 {
				t.Fatalf("n=%d: y[%d] = %v, want %v", n, i, out[i], want)
			}
		}
	}
}
