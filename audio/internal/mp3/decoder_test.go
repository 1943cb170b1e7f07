package mp3

import (
	"errors"
	"math"
	"testing"
)

func TestDCT(t *testing.T) {
	naive := func(x []float32) []float64 {
		n := len(x)
		out := make([]float64, n)
		for k := range n {
			for i, v := range x {
				out[k] += float64(v) * math.Cos(math.Pi*float64((2*i+1)*k)/float64(2*n))
			}
		}
		return out
	}
	var x32 [32]float32
	var x16 [16]float32
	for i := range x32 {
		x32[i] = float32(math.Sin(float64(i*i)*0.37) - 0.2)
	}
	copy(x16[:], x32[7:])
	want32, want16 := naive(x32[:]), naive(x16[:])
	dct32(&x32)
	dct16(&x16)
	for k := range want32 {
		if d := math.Abs(float64(x32[k]) - want32[k]); d > 1e-5 {
			t.Errorf("dct32[%d] = %g, want %g", k, x32[k], want32[k])
		}
	}
	for k := range want16 {
		if d := math.Abs(float64(x16[k]) - want16[k]); d > 1e-5 {
			t.Errorf("dct16[%d] = %g, want %g", k, x16[k], want16[k])
		}
	}
}

// TestIMDCT36 compares the DCT-IV form with go-mp3's direct sum.
func TestIMDCT36(t *testing.T) {
	var in [18]float32
	for i := range in {
		in[i] = float32(math.Cos(float64(i)*1.3) * 0.7)
	}
	for bt := range 4 {
		if bt == 2 {
			continue
		}
		var got [36]float32
		imdct36(&in, &imdctWindow[bt], &got)
		for p := range 36 {
			var want float64
			for m := range 18 {
				want += float64(in[m]) * math.Cos(math.Pi/72*float64((2*p+19)*(2*m+1)))
			}
			want *= float64(imdctWindow[bt][p])
			if d := math.Abs(float64(got[p]) - want); d > 1e-5 {
				t.Errorf("block type %d, out[%d] = %g, want %g", bt, p, got[p], want)
			}
		}
	}
}

// maxDiff returns the largest difference between a and b[i*stride+off].
func maxDiff(t *testing.T, a, b []float32, stride, off int) float64 {
	t.Helper()
	if len(a)*stride != len(b) {
		t.Fatalf("%d and %d samples", len(a), len(b))
	}
	m := 0.0
	for i, v := range a {
		m = max(m, math.Abs(float64(v-b[i*stride+off])))
	}
	return m
}

// TestMonoIsMean checks WithMono against the mean of a stereo decode, for
// every stereo mode among the test files (joint with M/S, forced M/S,
// stereo, dual channel).
func TestMonoIsMean(t *testing.T) {
	for _, f := range []string{"mp3/js44.mp3", "mp3/ms24vbr.mp3", "mp3/st48crc.mp3", "mp3/dual32.mp3", "tone.mp3", "mp3/mono32.mp3"} {
		data := readMP3(t, f)
		st, _ := decodeAll(t, data)
		mono, _ := decodeAll(t, data, WithMono())
		mean := make([]float32, len(st)/2)
		for i := range mean {
			mean[i] = (st[2*i] + st[2*i+1]) / 2
		}
		if d := maxDiff(t, mono, mean, 1, 0); d > 2e-6 {
			t.Errorf("%s: mono differs from the mean by up to %g", f, d)
		}
	}
}

// TestHalfRateIsEvenSamples checks WithHalfRate against every other sample
// of a full-rate decode of the same 16 subbands, and that dropping subbands
// leaves the lower ones as they were (their filter outputs are the same;
// what changes is the sum).
func TestHalfRateIsEvenSamples(t *testing.T) {
	for _, f := range []string{"mp3/js44.mp3", "mp3/st48crc.mp3", "tone.mp3"} {
		data := readMP3(t, f)
		for _, n := range []int{16, 15, 9} {
			full, _ := decodeAll(t, data, WithMono(), WithSubbands(n))
			half, _ := decodeAll(t, data, WithMono(), WithSubbands(n), WithHalfRate())
			if d := maxDiff(t, half, full, 2, 0); d > 2e-6 {
				t.Errorf("%s, %d subbands: half rate differs from the even samples by up to %g", f, n, d)
			}
		}
	}
}

func TestFrameErrors(t *testing.T) {
	frame := func(b1, b2, b3 byte, n int) []byte {
		return append([]byte{0xFF, b1, b2, b3}, make([]byte, n)...)
	}
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"MPEG-1 Layer III 128k 44.1k", frame(0xFB, 0x90, 0x44, 413), nil},
		{"cut off", frame(0xFB, 0x90, 0x44, 100), ErrTruncated},
		{"MPEG-2.5", frame(0xE3, 0x90, 0x44, 413), ErrMPEG25},
		{"Layer II", frame(0xFD, 0x90, 0x44, 413), ErrLayer},
		{"free format", frame(0xFB, 0x00, 0x44, 413), ErrFreeFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := append([]byte("junk"), tt.data...)
			start, _, ok, err := NextFrame(data, 0)
			if !ok || start != 4 || !errors.Is(err, tt.want) {
				t.Fatalf("NextFrame: %d %v %v, want 4 true %v", start, ok, err, tt.want)
			}
			_, err = New().Decode(data[start:], make([]float32, 2304))
			if !errors.Is(err, tt.want) {
				t.Fatalf("Decode: %v, want %v", err, tt.want)
			}
		})
	}
	if _, _, ok, _ := NextFrame([]byte{0, 0xFF, 0xFB, 0x90}, 0); ok {
		t.Error("found a header of 3 bytes at the end of the data")
	}
}
