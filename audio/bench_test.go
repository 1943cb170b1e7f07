package audio

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/ringside/ringside/internal/testenv"
)

// BenchmarkResample measures the resampler on 60 s of mono audio into 16 kHz;
// it reports how many times faster than real time it runs.
func BenchmarkResample(b *testing.B) {
	for _, c := range []struct {
		in int
		q  ResampleQuality
	}{{44100, QualityTelephony}, {48000, QualityTelephony}, {22050, QualityTelephony}, {8000, QualityTelephony}, {44100, QualityHigh}} {
		name := fmt.Sprintf("%d-16000/%s", c.in, map[ResampleQuality]string{QualityTelephony: "telephony", QualityHigh: "high"}[c.q])
		b.Run(name, func(b *testing.B) {
			x := sine(c.in, 440, 0.5, 60)
			r, err := NewResampler(c.in, 16000, c.q)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(4 * len(x)))
			cpu0 := cpuTime()
			for b.Loop() {
				r.Process(x)
			}
			cpu := (cpuTime() - cpu0).Seconds() / float64(b.N)
			b.ReportMetric(cpu*1000, "cpu-ms/60s")
			b.ReportMetric(60/cpu, "x-realtime-cpu")
			b.ReportMetric(float64(r.TapsPerOutput()), "taps")
		})
	}
}

// BenchmarkResampleQuality prints our resampler's quality next to sox's on
// the same signals (the table is the result; the timing is not).
func BenchmarkResampleQuality(b *testing.B) {
	testenv.Program(b, "sox")
	// A table of figures, not a timing: made once, however many iterations
	// are asked for (b.Loop must run to its end, so it is not used here).
	table, _ := qualityTable(b)
	b.Log("\n" + table)
}

// mp3Fixture makes 60 s of 44.1 kHz stereo MP3 (speech-like chirps and tones)
// with sox and lame, once per run.
func mp3Fixture(b *testing.B) []byte {
	b.Helper()
	testenv.Program(b, "sox")
	testenv.Program(b, "lame")
	dir := b.TempDir()
	wav := filepath.Join(dir, "src.wav")
	mp3 := filepath.Join(dir, "src.mp3")
	if out, err := exec.Command("sox", "-n", "-r", "44100", "-c", "2", "-b", "16", wav,
		"synth", "60", "sine", "200-3000", "sine", "440", "tremolo", "3", "60", "vol", "0.4").CombinedOutput(); err != nil {
		b.Fatalf("sox: %v: %s", err, out)
	}
	if out, err := exec.Command("lame", "--quiet", "-b", "128", wav, mp3).CombinedOutput(); err != nil {
		b.Fatalf("lame: %v: %s", err, out)
	}
	data, err := os.ReadFile(mp3)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// cpuTime returns the CPU time this process has used, all threads together.
// On a shared machine it is steadier than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportTimes reports wall and CPU milliseconds per iteration.
func reportTimes(b *testing.B, cpu0 time.Duration) {
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/file")
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/file")
}

// BenchmarkImportMP360s decodes a 60 s 128 kbit/s 44.1 kHz stereo MP3 and
// converts it to the telephony format (the target is under 150 ms). "import"
// is the target: Import, which decodes mono, band-limited and at half rate.
// "decode-stereo" is a full decode (DecodeMP3 without options), "decode" a
// full-band mono one, "decode-as-import" Import's decoding alone. "import-error" prints how far the import path's
// 16 kHz audio lies from a full stereo decode, downmixed and resampled.
func BenchmarkImportMP360s(b *testing.B) {
	data := mp3Fixture(b)
	b.Run("decode-stereo", func(b *testing.B) {
		cpu0 := cpuTime()
		for b.Loop() {
			if _, err := DecodeMP3("bench.mp3", bytes.NewReader(data)); err != nil {
				b.Fatal(err)
			}
		}
		reportTimes(b, cpu0)
	})
	b.Run("import-error", func(b *testing.B) {
		var snr, peak float64
		for b.Loop() {
			snr, peak = compareImportPath(b, data, int(QualityTelephony.spec().stop*TelephonyRate))
		}
		b.ReportMetric(-snr, "dB-rel-signal")
		b.ReportMetric(peak, "dBFS-peak")
	})
	b.Run("decode-as-import", func(b *testing.B) {
		stop := int(QualityTelephony.spec().stop * TelephonyRate)
		cpu0 := cpuTime()
		for b.Loop() {
			if _, err := DecodeMP3("bench.mp3", bytes.NewReader(data), WithMono(), WithBandLimit(stop)); err != nil {
				b.Fatal(err)
			}
		}
		reportTimes(b, cpu0)
	})
	b.Run("decode", func(b *testing.B) {
		cpu0 := cpuTime()
		for b.Loop() {
			if _, _, err := Decode("bench.mp3", bytes.NewReader(data), WithMono()); err != nil {
				b.Fatal(err)
			}
		}
		reportTimes(b, cpu0)
	})
	b.Run("decode-one-goroutine", func(b *testing.B) {
		cpu0 := cpuTime()
		for b.Loop() {
			s := newSink("bench.mp3", FormatMP3)
			if _, err := decodeMP3Stream(s, newDecodeConfig([]DecodeOption{WithMono()}), data); err != nil {
				b.Fatal(err)
			}
		}
		reportTimes(b, cpu0)
	})
	b.Run("import", func(b *testing.B) {
		cpu0 := cpuTime()
		for b.Loop() {
			if _, err := Import("bench.mp3", bytes.NewReader(data)); err != nil {
				b.Fatal(err)
			}
		}
		reportTimes(b, cpu0)
	})
	b.Run("decode+convert", func(b *testing.B) {
		cpu0 := cpuTime()
		for b.Loop() {
			buf, _, err := Decode("bench.mp3", bytes.NewReader(data), WithMono())
			if err != nil {
				b.Fatal(err)
			}
			if _, err := Convert(buf); err != nil {
				b.Fatal(err)
			}
		}
		reportTimes(b, cpu0)
	})
}

// BenchmarkImportOGG60s decodes a 60 s 44.1 kHz stereo Ogg Vorbis file (sox
// -C 3, about 112 kbit/s) with our own decoder and converts it.
func BenchmarkImportOGG60s(b *testing.B) {
	testenv.Program(b, "sox")
	dir := b.TempDir()
	ogg := filepath.Join(dir, "src.ogg")
	if out, err := exec.Command("sox", "-n", "-r", "44100", "-c", "2", "-C", "3", ogg,
		"synth", "60", "sine", "200-3000", "sine", "440", "tremolo", "3", "60", "vol", "0.4").CombinedOutput(); err != nil {
		b.Fatalf("sox: %v: %s", err, out)
	}
	data, err := os.ReadFile(ogg)
	if err != nil {
		b.Fatal(err)
	}
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := Import("bench.ogg", bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
	reportTimes(b, cpu0)
}
