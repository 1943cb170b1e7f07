package audio

import "math"

// SilenceThresholdDBFS is the level below which TrimSilence and IsSilent take
// audio as silence: the RMS of a 10 ms window, in dBFS.
const SilenceThresholdDBFS = -50.0

// trimPad is how much of the quiet edge TrimSilence keeps, so that soft
// onsets and word endings are not clipped.
const trimPad = 0.1 // seconds

// TrimSilence returns b without the silence at its start and end (windows of
// 10 ms whose RMS is below thresholdDBFS), keeping 100 ms of margin on each
// side. Audio that is silent throughout comes back empty. The result shares
// b's samples.
func TrimSilence(b *Buffer, thresholdDBFS float64) *Buffer {
	first, last, ok := loudWindows(b, thresholdDBFS)
	if !ok {
		return &Buffer{Rate: b.Rate, Channels: b.Channels}
	}
	win := windowFrames(b.Rate)
	pad := int(trimPad * float64(b.Rate))
	start := max(0, first*win-pad)
	end := min(b.Frames(), (last+1)*win+pad)
	return &Buffer{Rate: b.Rate, Channels: b.Channels, Data: b.Data[start*b.Channels : end*b.Channels]}
}

// IsSilent reports whether no 10 ms window of b rises above thresholdDBFS.
func IsSilent(b *Buffer, thresholdDBFS float64) bool {
	_, _, ok := loudWindows(b, thresholdDBFS)
	return !ok
}

func windowFrames(rate int) int { return max(1, rate/100) }

// loudWindows returns the first and last 10 ms windows above the threshold.
func loudWindows(b *Buffer, thresholdDBFS float64) (first, last int, ok bool) {
	win := windowFrames(b.Rate)
	ch := b.Channels
	n := b.Frames()
	limit := math.Pow(10, thresholdDBFS/10) // on mean square
	first = -1
	for w := 0; w*win < n; w++ {
		end := min(n, (w+1)*win)
		var s float64
		for _, v := range b.Data[w*win*ch : end*ch] {
			s += float64(v) * float64(v)
		}
		if s/float64((end-w*win)*ch) > limit {
			if first < 0 {
				first = w
			}
			last = w
		}
	}
	return first, last, first >= 0
}
