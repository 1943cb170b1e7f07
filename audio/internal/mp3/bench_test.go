package mp3

import (
	"syscall"
	"testing"
	"time"
)

// BenchmarkDecode decodes a 1.2 s 44.1 kHz joint-stereo 128 kbit/s file on
// one goroutine: in full, and as Import asks (mono, 15 subbands, half rate).
func BenchmarkDecode(b *testing.B) {
	data := readMP3(b, "mp3/js44.mp3")
	for _, c := range []struct {
		name string
		opts []Option
	}{
		{"stereo", nil},
		{"mono", []Option{WithMono()}},
		{"import", []Option{WithMono(), WithSubbands(15), WithHalfRate()}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			var secs float64
			cpu0 := cpuTime()
			for b.Loop() {
				out, rate := decodeAll(b, data, c.opts...)
				secs = float64(len(out)) / float64(rate) / float64(New(c.opts...).Channels())
			}
			b.ReportMetric(secs*float64(b.N)/b.Elapsed().Seconds(), "x-realtime")
			b.ReportMetric(secs*float64(b.N)/(cpuTime()-cpu0).Seconds(), "x-realtime-cpu")
		})
	}
}

// cpuTime returns the CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkIMDCT36 times one long-block IMDCT.
func BenchmarkIMDCT36(b *testing.B) {
	var in [18]float32
	var out [36]float32
	for i := range in {
		in[i] = float32(i%5) - 2
	}
	for b.Loop() {
		imdct36(&in, &imdctWindow[0], &out)
		in[0] = out[3]
	}
}
