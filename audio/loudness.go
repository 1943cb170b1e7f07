package audio

import (
	"math"
	"sort"
)

// Loudness measurement after ITU-R BS.1770-4 / EBU R128: K-weighting (a high
// shelf and a high pass), mean square over 400 ms blocks with 75 % overlap,
// an absolute gate at -70 LUFS and a relative gate 10 LU below the ungated
// mean. Channels are weighted 1 (left, right, centre; this package does not
// know surround layouts).

// TargetLUFS is the integrated loudness Normalize aims for by default: -19
// LUFS, the AES recommendation for mono speech streams (equal to -16 LUFS
// stereo), which keeps greetings at the level of speech on a phone line
// without clipping.
const TargetLUFS = -19.0

// PeakCeilingDBFS is the highest sample peak Normalize allows: where reaching
// the target would push a peak over it, the gain stops short of the target.
const PeakCeilingDBFS = -1.0

// silentLUFS is what Loudness returns when no block passes the absolute gate.
const silentLUFS = -120.0

// biquad is a direct form I second-order section.
type biquad struct{ b0, b1, b2, a1, a2 float64 }

// kWeighting returns the two K-weighting stages for a sample rate, derived
// from the analogue prototypes so that any rate works (at 48 kHz they match
// the coefficients printed in BS.1770).
func kWeighting(rate int) [2]biquad {
	fs := float64(rate)
	// Stage 1: high shelf, +4 dB above about 1.5 kHz.
	f0, g, q := 1681.974450955533, 3.999843853973347, 0.7071752369554196
	k := math.Tan(math.Pi * f0 / fs)
	vh := math.Pow(10, g/20)
	vb := math.Pow(vh, 0.4996667741545416)
	a0 := 1 + k/q + k*k
	shelf := biquad{
		b0: (vh + vb*k/q + k*k) / a0,
		b1: 2 * (k*k - vh) / a0,
		b2: (vh - vb*k/q + k*k) / a0,
		a1: 2 * (k*k - 1) / a0,
		a2: (1 - k/q + k*k) / a0,
	}
	// Stage 2: high pass at about 38 Hz (RLB weighting).
	f0, q = 38.13547087602444, 0.5003270373238773
	k = math.Tan(math.Pi * f0 / fs)
	a0 = 1 + k/q + k*k
	hp := biquad{b0: 1, b1: -2, b2: 1, a1: 2 * (k*k - 1) / a0, a2: (1 - k/q + k*k) / a0}
	return [2]biquad{shelf, hp}
}

// Loudness returns the integrated loudness of b in LUFS (LKFS), or -120 when
// nothing passes the absolute gate. Audio shorter than one 400 ms block (a
// short name, say) is measured as a single block of its own length; under
// 20 ms it counts as silence.
func Loudness(b *Buffer) float64 {
	ch, n := b.Channels, b.Frames()
	block := int(0.4 * float64(b.Rate))
	if n < block {
		block = n &^ 3
	}
	step := block / 4
	if n < b.Rate/50 || step == 0 {
		return silentLUFS
	}
	// Per-step sums of K-weighted squares, all channels added.
	steps := n / step
	sums := make([]float64, steps)
	f := kWeighting(b.Rate)
	for c := range ch {
		var x1, x2, y1, y2, z1, z2, w1, w2 float64
		s1, s2 := f[0], f[1]
		for i := range steps * step {
			x := float64(b.Data[i*ch+c])
			y := s1.b0*x + s1.b1*x1 + s1.b2*x2 - s1.a1*y1 - s1.a2*y2
			x2, x1 = x1, x
			y2, y1 = y1, y
			z := s2.b0*y + s2.b1*w1 + s2.b2*w2 - s2.a1*z1 - s2.a2*z2
			w2, w1 = w1, y
			z2, z1 = z1, z
			sums[i/step] += z * z
		}
	}
	var blocks []float64 // mean square per 400 ms block
	for i := 0; i+4 <= steps; i++ {
		blocks = append(blocks, (sums[i]+sums[i+1]+sums[i+2]+sums[i+3])/float64(block))
	}
	lufs := func(ms float64) float64 { return -0.691 + 10*math.Log10(ms) }
	gated := blocks[:0:0]
	for _, z := range blocks {
		if z > 0 && lufs(z) > -70 {
			gated = append(gated, z)
		}
	}
	if len(gated) == 0 {
		return silentLUFS
	}
	rel := lufs(mean(gated)) - 10
	final := gated[:0:0]
	for _, z := range gated {
		if lufs(z) > rel {
			final = append(final, z)
		}
	}
	return lufs(mean(final))
}

func mean(x []float64) float64 {
	sort.Float64s(x) // sum small to large for accuracy
	var s float64
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// NormalizeResult tells what Normalize did.
type NormalizeResult struct {
	BeforeLUFS float64 // integrated loudness of the input
	AfterLUFS  float64 // measured on the output
	GainDB     float64 // gain applied
	PeakDBFS   float64 // sample peak of the output
	Limited    bool    // the peak ceiling kept the gain below the target
}

// Normalize scales b (in place) towards the integrated loudness target, without
// letting the sample peak exceed PeakCeilingDBFS. Silence is left alone and
// reported with ErrSilent.
func Normalize(b *Buffer, targetLUFS float64) (NormalizeResult, error) {
	var r NormalizeResult
	r.BeforeLUFS = Loudness(b)
	if r.BeforeLUFS <= silentLUFS {
		r.AfterLUFS, r.PeakDBFS = r.BeforeLUFS, DBFS(b.Peak())
		return r, ErrSilent
	}
	gain := targetLUFS - r.BeforeLUFS
	if peak := DBFS(b.Peak()); peak+gain > PeakCeilingDBFS {
		gain = PeakCeilingDBFS - peak
		r.Limited = true
	}
	lin := float32(math.Pow(10, gain/20))
	for i := range b.Data {
		b.Data[i] *= lin
	}
	r.GainDB = gain
	r.AfterLUFS = Loudness(b)
	r.PeakDBFS = DBFS(b.Peak())
	return r, nil
}
