package audio

import (
	"math"
	"time"
)

// Buffer is decoded audio: interleaved float32 samples nominally in [-1, 1].
type Buffer struct {
	Rate     int       // frames per second
	Channels int       // samples per frame
	Data     []float32 // len(Data) == Frames()*Channels
}

// Frames returns the number of frames (samples per channel).
func (b *Buffer) Frames() int {
	if b == nil || b.Channels <= 0 {
		return 0
	}
	return len(b.Data) / b.Channels
}

// Duration returns the length of the audio.
func (b *Buffer) Duration() time.Duration {
	if b == nil || b.Rate <= 0 {
		return 0
	}
	return time.Duration(float64(b.Frames()) / float64(b.Rate) * float64(time.Second))
}

// Clone returns a deep copy.
func (b *Buffer) Clone() *Buffer {
	c := *b
	c.Data = append([]float32(nil), b.Data...)
	return &c
}

// Mono returns the buffer downmixed to one channel by averaging the channels.
// A mono buffer is returned as is (not copied).
func (b *Buffer) Mono() *Buffer {
	if b.Channels == 1 {
		return b
	}
	n := b.Frames()
	out := make([]float32, n)
	ch := b.Channels
	inv := 1 / float32(ch)
	for i := range n {
		var s float32
		for _, v := range b.Data[i*ch : i*ch+ch] {
			s += v
		}
		out[i] = s * inv
	}
	return &Buffer{Rate: b.Rate, Channels: 1, Data: out}
}

// Int16 returns the samples as 16-bit PCM, rounded and clipped.
func (b *Buffer) Int16() []int16 {
	out := make([]int16, len(b.Data))
	for i, v := range b.Data {
		out[i] = floatToInt16(v)
	}
	return out
}

// FromInt16 makes a Buffer from interleaved 16-bit PCM samples.
func FromInt16(rate, channels int, s []int16) *Buffer {
	out := make([]float32, len(s))
	for i, v := range s {
		out[i] = float32(v) / 32768
	}
	return &Buffer{Rate: rate, Channels: channels, Data: out}
}

func floatToInt16(v float32) int16 {
	x := math.Round(float64(v) * 32768)
	if x > 32767 {
		return 32767
	}
	if x < -32768 {
		return -32768
	}
	return int16(x)
}

// Peak returns the largest absolute sample value (1 is full scale).
func (b *Buffer) Peak() float64 {
	var p float32
	for _, v := range b.Data {
		if v < 0 {
			v = -v
		}
		if v > p {
			p = v
		}
	}
	return float64(p)
}

// DBFS converts a linear amplitude (1 = full scale) to dBFS, with -120 as the
// floor for silence.
func DBFS(x float64) float64 {
	if x <= 1e-6 {
		return -120
	}
	return 20 * math.Log10(x)
}
