package audio

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ringside/ringside/internal/testenv"
)

// resampleFunc resamples a mono signal from in to out Hz.
type resampleFunc func(x []float32, in, out int) ([]float32, error)

func ours(q ResampleQuality) resampleFunc {
	return func(x []float32, in, out int) ([]float32, error) {
		r, err := NewResampler(in, out, q)
		if err != nil {
			return nil, err
		}
		return r.Process(x), nil
	}
}

// soxResample runs `sox ... rate <args>` on raw float32 samples.
func soxResample(dir string, args ...string) resampleFunc {
	return func(x []float32, in, out int) ([]float32, error) {
		src := filepath.Join(dir, "in.f32")
		dst := filepath.Join(dir, "out.f32")
		raw := make([]byte, 4*len(x))
		for i, v := range x {
			binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(v))
		}
		if err := os.WriteFile(src, raw, 0o600); err != nil {
			return nil, err
		}
		cmdArgs := []string{"-D", "-t", "f32", "-r", fmt.Sprint(in), "-c", "1", src,
			"-t", "f32", "-r", fmt.Sprint(out), "-c", "1", dst, "rate"}
		cmdArgs = append(cmdArgs, args...)
		if b, err := exec.Command("sox", cmdArgs...).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("sox: %v: %s", err, b)
		}
		raw, err := os.ReadFile(dst)
		if err != nil {
			return nil, err
		}
		y := make([]float32, len(raw)/4)
		for i := range y {
			y[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
		}
		return y, nil
	}
}

func sine(rate int, freq, amp float64, seconds float64) []float32 {
	x := make([]float32, int(seconds*float64(rate)))
	for i := range x {
		x[i] = float32(amp * math.Sin(2*math.Pi*freq*float64(i)/float64(rate)))
	}
	return x
}

// fitSine returns the amplitude of the component at freq and the RMS of what
// is left (DC, distortion, noise), over the middle of y (edges skipped).
func fitSine(y []float32, rate int, freq float64) (amp, residual float64) {
	skip := len(y) / 8
	seg := y[skip : len(y)-skip]
	// Whole periods only, so that sin and cos are orthogonal.
	per := float64(rate) / freq
	n := int(math.Floor(float64(len(seg))/per) * per)
	seg = seg[:n]
	var a, b, dc float64
	for i, v := range seg {
		ph := 2 * math.Pi * freq * float64(i+skip) / float64(rate)
		a += float64(v) * math.Sin(ph)
		b += float64(v) * math.Cos(ph)
		dc += float64(v)
	}
	a, b, dc = 2*a/float64(n), 2*b/float64(n), dc/float64(n)
	var res float64
	for i, v := range seg {
		ph := 2 * math.Pi * freq * float64(i+skip) / float64(rate)
		e := float64(v) - a*math.Sin(ph) - b*math.Cos(ph) - dc
		res += e * e
	}
	return math.Hypot(a, b), math.Sqrt(res / float64(n))
}

func rms(y []float32) float64 {
	skip := len(y) / 8
	var s float64
	for _, v := range y[skip : len(y)-skip] {
		s += float64(v) * float64(v)
	}
	return math.Sqrt(s / float64(len(y)-2*skip))
}

// resampleQuality holds the figures of one resampler on one conversion.
type resampleQuality struct {
	rippleDB   float64 // max - min gain over the passband test tones
	passMinDB  float64 // the lowest gain there
	thdnDB     float64 // THD+N of a 1 kHz tone at -6 dBFS, relative to the tone
	alias85DB  float64 // output level of an 8.5 kHz input tone (folds to 7.5 kHz)
	alias95DB  float64 // ... of a 9.5 kHz tone (folds to 6.5 kHz)
	alias12kDB float64 // ... of a 12 kHz tone (folds to 4 kHz)
	alias20kDB float64 // ... of a 20 kHz tone (folds to 4 kHz)
}

// measureResampler runs the standard signals from 44.1 kHz to 16 kHz.
func measureResampler(f resampleFunc) (resampleQuality, error) {
	const in, out, amp = 44100, 16000, 0.5
	var q resampleQuality
	lo, hi := math.Inf(1), math.Inf(-1)
	for freq := 100.0; freq <= 6900; freq += 200 {
		y, err := f(sine(in, freq, amp, 0.5), in, out)
		if err != nil {
			return q, err
		}
		a, _ := fitSine(y, out, freq)
		g := 20 * math.Log10(a/amp)
		lo, hi = math.Min(lo, g), math.Max(hi, g)
	}
	q.rippleDB, q.passMinDB = hi-lo, lo
	y, err := f(sine(in, 1000, amp, 1), in, out)
	if err != nil {
		return q, err
	}
	a, res := fitSine(y, out, 1000)
	q.thdnDB = 20 * math.Log10(res/(a/math.Sqrt2))
	for _, c := range []struct {
		freq float64
		dst  *float64
	}{{8500, &q.alias85DB}, {9500, &q.alias95DB}, {12000, &q.alias12kDB}, {20000, &q.alias20kDB}} {
		y, err := f(sine(in, c.freq, amp, 0.5), in, out)
		if err != nil {
			return q, err
		}
		*c.dst = 20 * math.Log10(math.Max(rms(y)*math.Sqrt2/amp, 1e-9))
	}
	return q, nil
}

func (q resampleQuality) row(name string) string {
	return fmt.Sprintf("%-28s %8.4f %8.3f %8.1f %8.1f %8.1f %8.1f %8.1f", name,
		q.rippleDB, q.passMinDB, q.thdnDB, q.alias85DB, q.alias95DB, q.alias12kDB, q.alias20kDB)
}

const qualityHeader = "44.1 -> 16 kHz               ripple   min dB   THD+N    8.5k     9.5k     12k      20k\n" +
	"(dB; tones 0.1-6.9 kHz)      0.1-6.9k gain     1 kHz    alias    alias    alias    alias"

// qualityTable measures ours and sox's resamplers on the same signals.
func qualityTable(t testing.TB) (string, map[string]resampleQuality) {
	t.Helper()
	dir := t.TempDir()
	rows := []struct {
		name string
		f    resampleFunc
	}{
		{"ringside QualityTelephony", ours(QualityTelephony)},
		{"ringside QualityHigh", ours(QualityHigh)},
		{"sox rate -h (default)", soxResample(dir, "-h")},
		{"sox rate -v", soxResample(dir, "-v")},
		{"sox rate -q (quick)", soxResample(dir, "-q")},
	}
	var sb strings.Builder
	sb.WriteString(qualityHeader + "\n")
	got := map[string]resampleQuality{}
	for _, r := range rows {
		q, err := measureResampler(r.f)
		if err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		got[r.name] = q
		sb.WriteString(q.row(r.name) + "\n")
	}
	return sb.String(), got
}

// TestResampleQualityAgainstSox measures passband ripple, THD+N and aliasing
// rejection of our resampler and of sox's on the same signals, logs the table
// (go test -v -run QualityAgainstSox) and checks ours meets its design.
func TestResampleQualityAgainstSox(t *testing.T) {
	testenv.Program(t, "sox")
	table, got := qualityTable(t)
	t.Log("\n" + table)
	tel := got["ringside QualityTelephony"]
	if tel.rippleDB > 0.05 || tel.thdnDB > -70 || tel.alias95DB > -75 || tel.alias12kDB > -75 || tel.alias20kDB > -75 {
		t.Errorf("QualityTelephony below its design: %+v", tel)
	}
	high := got["ringside QualityHigh"]
	if high.rippleDB > 0.01 || high.thdnDB > -90 || high.alias85DB > -90 || high.alias12kDB > -95 {
		t.Errorf("QualityHigh below its design: %+v", high)
	}
}

func TestResamplerBasics(t *testing.T) {
	tests := []struct{ in, out int }{{44100, 16000}, {48000, 16000}, {8000, 16000}, {22050, 16000}, {16000, 16000}, {44056, 16000}, {16000, 8000}}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d-%d", tt.in, tt.out), func(t *testing.T) {
			r, err := NewResampler(tt.in, tt.out, QualityTelephony)
			if err != nil {
				t.Fatal(err)
			}
			x := sine(tt.in, 440, 0.5, 0.5)
			y := r.Process(x)
			if want := int(math.Ceil(float64(len(x)) * float64(tt.out) / float64(tt.in))); len(y) != want {
				t.Fatalf("%d samples, want %d", len(y), want)
			}
			a, res := fitSine(y, tt.out, 440)
			if math.Abs(a-0.5) > 0.005 || res > 0.001 {
				t.Errorf("440 Hz: amplitude %.4f residual %.5f", a, res)
			}
		})
	}
	if _, err := NewResampler(10, 16000, QualityTelephony); err == nil {
		t.Error("10 Hz accepted")
	}
}
