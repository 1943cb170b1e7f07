// Package audiotest provides fakes and signal helpers for testing code built
// on package audio: a text-to-speech engine that needs no program, tones,
// frequency and level measurements, WAV bytes, and a System on the null
// backend.
package audiotest

import (
	"bytes"
	"context"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/ringside/ringside/audio"
)

// Tone returns a mono sine of freq Hz at amplitude amp (1 = full scale).
func Tone(rate int, freq, amp float64, d time.Duration) *audio.Buffer {
	n := int(d.Seconds() * float64(rate))
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(amp * math.Sin(2*math.Pi*freq*float64(i)/float64(rate)))
	}
	return &audio.Buffer{Rate: rate, Channels: 1, Data: x}
}

// Silence returns d of mono digital silence.
func Silence(rate int, d time.Duration) *audio.Buffer {
	return &audio.Buffer{Rate: rate, Channels: 1, Data: make([]float32, int(d.Seconds()*float64(rate)))}
}

// Frequency estimates the frequency of the tone in the first channel of b
// from its upward zero crossings; 0 if there are fewer than two.
func Frequency(b *audio.Buffer) float64 {
	first, last, n := -1, 0, 0
	ch := b.Channels
	for i := 1; i < b.Frames(); i++ {
		if b.Data[(i-1)*ch] < 0 && b.Data[i*ch] >= 0 {
			if first < 0 {
				first = i
			} else {
				n++
				last = i
			}
		}
	}
	if n == 0 {
		return 0
	}
	return float64(n) * float64(b.Rate) / float64(last-first)
}

// RMS returns the RMS level of b in dBFS.
func RMS(b *audio.Buffer) float64 {
	var s float64
	for _, v := range b.Data {
		s += float64(v) * float64(v)
	}
	if len(b.Data) == 0 {
		return -120
	}
	return audio.DBFS(math.Sqrt(s / float64(len(b.Data))))
}

// WAV returns b as 16-bit WAV file bytes.
func WAV(t testing.TB, b *audio.Buffer) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := audio.WriteWAV(&buf, b, audio.PCM16); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// NullSystem opens an audio.System on miniaudio's null backend (silence in,
// output discarded, real-time pace) and closes it when the test ends.
func NullSystem(t testing.TB) *audio.System {
	t.Helper()
	s, err := audio.Open(audio.WithBackends(audio.BackendNull))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Speaker is a fake audio.Speaker: it "says" each text as a 300 Hz tone of
// 60 ms per character at 16 kHz, and records what it was asked to say.
type Speaker struct {
	Err error // returned by Speak when set

	mu    sync.Mutex
	texts []string
}

// Name returns "fake".
func (s *Speaker) Name() string { return "fake" }

// Speak implements audio.Speaker.
func (s *Speaker) Speak(ctx context.Context, text string) (*audio.Buffer, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.texts = append(s.texts, text)
	s.mu.Unlock()
	if s.Err != nil {
		return nil, s.Err
	}
	if text == "" {
		return nil, audio.ErrBadText
	}
	return Tone(16000, 300, 0.3, time.Duration(len([]rune(text)))*60*time.Millisecond), nil
}

// Texts returns what Speak was asked to say, in order.
func (s *Speaker) Texts() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.texts...)
}

var _ audio.Speaker = (*Speaker)(nil)
