package audio

import (
	"math"
	"time"
)

// LevelsPerSecond is how often a recording reports its level.
const LevelsPerSecond = 20

// Level is the level of the last 50 ms of a recording.
type Level struct {
	RMS     float64       // dBFS (full-scale sine: -3 dBFS); -120 for digital silence
	Peak    float64       // dBFS of the largest sample
	Elapsed time.Duration // recorded so far
	Clipped bool          // a sample reached full scale
}

// levelMeter accumulates samples and emits a Level every window.
type levelMeter struct {
	window  int // samples (all channels) per report
	n       int
	sum     float64
	peak    int32
	clipped bool
}

func newLevelMeter(rate, channels int) *levelMeter {
	return &levelMeter{window: max(1, rate/LevelsPerSecond) * channels}
}

// add feeds samples; emit is called for each completed window with the
// window's level and the number of samples fed so far up to its end.
func (m *levelMeter) add(s []int16, fed int, emit func(rms, peak float64, clipped bool, end int)) {
	for i, v := range s {
		x := int32(v)
		if x < 0 {
			x = -x
		}
		if x > m.peak {
			m.peak = x
		}
		if x >= 32767 {
			m.clipped = true
		}
		m.sum += float64(v) * float64(v)
		m.n++
		if m.n == m.window {
			rms := DBFS(math.Sqrt(m.sum/float64(m.n)) / 32768)
			emit(rms, DBFS(float64(m.peak)/32768), m.clipped, fed+i+1)
			m.n, m.sum, m.peak, m.clipped = 0, 0, 0, false
		}
	}
}
