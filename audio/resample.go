package audio

import (
	"fmt"
	"math"
)

// ResampleQuality selects the resampler's filter. Bandwidths are fractions of
// the lower of the two rates; attenuation applies from the stopband edge on.
type ResampleQuality int

const (
	// QualityTelephony passes up to 43% of the lower rate (6.9 kHz at 16 kHz)
	// and rejects from 57% (9.1 kHz) on by 80 dB or more: what folds back into
	// 6.9 to 8 kHz is left partly in, as sox does with -a. About 100 taps per
	// output sample when going from 44.1 to 16 kHz. The default.
	QualityTelephony ResampleQuality = iota
	// QualityHigh passes up to 45% of the lower rate and rejects from 50% on by
	// 100 dB or more: no aliasing at all, at about 3.5 times the cost.
	QualityHigh
)

type filterSpec struct{ pass, stop, atten float64 }

func (q ResampleQuality) spec() filterSpec {
	if q == QualityHigh {
		return filterSpec{pass: 0.45, stop: 0.50, atten: 100}
	}
	return filterSpec{pass: 0.43, stop: 0.57, atten: 80}
}

// maxPhases bounds the polyphase table; rate pairs whose reduced ratio needs
// more phases use the nearest of maxPhases (timing error at most 1/8192 of an
// input sample, below -75 dB at 7 kHz).
const maxPhases = 4096

// Resampler converts one-channel audio between two sample rates with a
// Kaiser-windowed sinc filter in polyphase form. A Resampler is immutable and
// safe for concurrent use.
type Resampler struct {
	in, out int
	l, m    int64 // out/in reduced to lowest terms: each output advances m/l inputs
	phases  int
	half    int // taps on each side of the centre, in input samples
	taps    int // per phase, a multiple of 4
	coef    []float32
}

// NewResampler designs a resampler from inRate to outRate Hz.
func NewResampler(inRate, outRate int, q ResampleQuality) (*Resampler, error) {
	if inRate < 1000 || outRate < 1000 || inRate > 768000 || outRate > 768000 {
		return nil, fmt.Errorf("audio: resample %d to %d Hz: rates must be 1000 to 768000 Hz", inRate, outRate)
	}
	g := gcd(inRate, outRate)
	r := &Resampler{in: inRate, out: outRate, l: int64(outRate / g), m: int64(inRate / g)}
	if r.l == r.m {
		return r, nil
	}
	sp := q.spec()
	low := float64(min(inRate, outRate))
	// Cut-off in cycles per input sample, transition width likewise.
	fc := (sp.pass + sp.stop) / 2 * low / float64(inRate)
	df := (sp.stop - sp.pass) * low / float64(inRate)
	// Kaiser: length N = (A - 7.95) / (14.36 * df); beta from A.
	n := (sp.atten - 7.95) / (14.36 * df)
	r.half = int(math.Ceil(n / 2))
	beta := 0.1102 * (sp.atten - 8.7)
	r.taps = (2*r.half + 3) &^ 3
	r.phases = int(min(r.l, maxPhases))
	r.coef = make([]float32, r.phases*r.taps)
	i0b := besselI0(beta)
	for p := range r.phases {
		frac := float64(p) / float64(r.phases)
		row := r.coef[p*r.taps : (p+1)*r.taps]
		var sum float64
		vals := make([]float64, r.taps)
		for k := range r.taps {
			// Input sample j = ip - half + 1 + k sits at t = frac + half - 1 - k
			// input samples before the output instant.
			t := frac + float64(r.half-1-k)
			if math.Abs(t) >= float64(r.half) {
				continue
			}
			w := besselI0(beta*math.Sqrt(1-(t/float64(r.half))*(t/float64(r.half)))) / i0b
			v := 2 * fc * sinc(2*fc*t) * w
			vals[k] = v
			sum += v
		}
		for k, v := range vals {
			row[k] = float32(v / sum) // unity gain at DC for every phase
		}
	}
	return r, nil
}

// TapsPerOutput returns how many multiply-adds one output sample costs.
func (r *Resampler) TapsPerOutput() int { return r.taps }

// OutputLen returns the number of samples Process makes from n inputs.
func (r *Resampler) OutputLen(n int) int {
	return int((int64(n)*r.l + r.m - 1) / r.m)
}

// Process resamples a whole one-channel signal; the signal is taken as zero
// before its start and after its end, and the output is aligned in time with
// the input (no delay).
func (r *Resampler) Process(x []float32) []float32 {
	if r.l == r.m {
		return append([]float32(nil), x...)
	}
	out := make([]float32, r.OutputLen(len(x)))
	taps := r.taps
	for n := range out {
		pos := int64(n) * r.m
		ip := int(pos / r.l)
		p := pos % r.l
		if int64(r.phases) != r.l {
			p = (p*int64(r.phases) + r.l/2) / r.l
			if p == int64(r.phases) {
				p = 0
				ip++
			}
		}
		row := r.coef[int(p)*taps : int(p)*taps+taps]
		j0 := ip - r.half + 1
		if j0 >= 0 && j0+taps <= len(x) {
			out[n] = dot(row, x[j0:j0+taps])
			continue
		}
		var s float32
		for k, c := range row {
			if j := j0 + k; j >= 0 && j < len(x) {
				s += c * x[j]
			}
		}
		out[n] = s
	}
	return out
}

// dot is the filter's inner loop: len(a) == len(b), a multiple of 4.
func dot(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	for k := 0; k+4 <= len(a); k += 4 {
		s0 += a[k] * b[k]
		s1 += a[k+1] * b[k+1]
		s2 += a[k+2] * b[k+2]
		s3 += a[k+3] * b[k+3]
	}
	return (s0 + s1) + (s2 + s3)
}

// Resample returns b at the given rate, each channel resampled with
// QualityTelephony.
func Resample(b *Buffer, rate int) (*Buffer, error) {
	return ResampleWith(b, rate, QualityTelephony)
}

// ResampleWith is Resample with a chosen quality.
func ResampleWith(b *Buffer, rate int, q ResampleQuality) (*Buffer, error) {
	if b.Rate == rate {
		return b.Clone(), nil
	}
	r, err := NewResampler(b.Rate, rate, q)
	if err != nil {
		return nil, err
	}
	if b.Channels == 1 {
		return &Buffer{Rate: rate, Channels: 1, Data: r.Process(b.Data)}, nil
	}
	ch := b.Channels
	n := b.Frames()
	plane := make([]float32, n)
	var out []float32
	for c := range ch {
		for i := range n {
			plane[i] = b.Data[i*ch+c]
		}
		y := r.Process(plane)
		if out == nil {
			out = make([]float32, len(y)*ch)
		}
		for i, v := range y {
			out[i*ch+c] = v
		}
	}
	return &Buffer{Rate: rate, Channels: ch, Data: out}, nil
}

func sinc(x float64) float64 {
	if x == 0 {
		return 1
	}
	return math.Sin(math.Pi*x) / (math.Pi * x)
}

// besselI0 is the zeroth-order modified Bessel function of the first kind.
func besselI0(x float64) float64 {
	sum, term := 1.0, 1.0
	for k := 1; k < 200; k++ {
		term *= (x / (2 * float64(k))) * (x / (2 * float64(k)))
		sum += term
		if term < sum*1e-17 {
			break
		}
	}
	return sum
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
