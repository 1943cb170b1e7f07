package audio

import (
	"bytes"
	"errors"
	"math"
	"path/filepath"
	"testing"
	"time"
)

func TestImportGoodFiles(t *testing.T) {
	for _, f := range []string{"tone.wav", "tone24.wav", "tonef32.wav", "tone8.wav", "tone.mp3", "tone-mono22k.flac", "tone.ogg"} {
		t.Run(f, func(t *testing.T) {
			p, err := ImportFile(filepath.Join("testdata", f))
			if err != nil {
				t.Fatal(err)
			}
			a := p.Audio
			if a.Rate != TelephonyRate || a.Channels != 1 {
				t.Fatalf("%d Hz %d ch", a.Rate, a.Channels)
			}
			// 0.5 s of tone plus 2 x 0.1 s of margin kept by the trim.
			if d := a.Duration(); d < 650*time.Millisecond || d > 780*time.Millisecond {
				t.Errorf("duration %v after trimming, want about 700ms", d)
			}
			if math.Abs(p.Loudness.AfterLUFS-TargetLUFS) > 0.5 {
				t.Errorf("loudness %.2f LUFS, want %.1f: %+v", p.Loudness.AfterLUFS, TargetLUFS, p.Loudness)
			}
			mid := a.Data[a.Frames()/3 : 2*a.Frames()/3]
			if got := dominantFrequency(mid, a.Rate); math.Abs(got-440) > 3 {
				t.Errorf("frequency %.1f", got)
			}
			var buf bytes.Buffer
			if err := WriteTelephonyWAV(&buf, a); err != nil {
				t.Fatal(err)
			}
			if want := 44 + 2*a.Frames(); buf.Len() != want {
				t.Errorf("WAV of %d bytes, want %d", buf.Len(), want)
			}
			t.Logf("%s: %v -> %v, trimmed %v, %+.1f dB, %.2f LUFS, peak %.1f dBFS", f,
				p.SourceDuration.Round(time.Millisecond), p.Duration().Round(time.Millisecond), p.Trimmed.Round(time.Millisecond),
				p.Loudness.GainDB, p.Loudness.AfterLUFS, p.Loudness.PeakDBFS)
		})
	}
}

func TestImportSilentRefused(t *testing.T) {
	for _, f := range []string{"silent.wav", "silent.flac"} {
		_, err := ImportFile(filepath.Join("testdata", "bad", f))
		var fe *FileError
		if !errors.Is(err, ErrSilent) || !errors.As(err, &fe) || fe.File != f {
			t.Errorf("%s: got %v, want a silent *FileError", f, err)
		}
	}
}

// TestLoudnessReference checks the meter against BS.1770's calibration: a
// 997 Hz sine at -20 dBFS peak in one channel reads -23.0 LUFS (the sine's
// mean square is -23.01 dB and K-weighting is +0.69 dB at 1 kHz, cancelled by
// the -0.691 constant).
func TestLoudnessReference(t *testing.T) {
	for _, rate := range []int{16000, 44100, 48000} {
		amp := math.Pow(10, -20.0/20)
		b := &Buffer{Rate: rate, Channels: 1, Data: sine(rate, 997, amp, 5)}
		if got := Loudness(b); math.Abs(got-(-23.01)) > 0.05 {
			t.Errorf("%d Hz: %.3f LUFS, want -23.01", rate, got)
		}
		// Stereo, the same tone in both channels: 3 dB louder.
		st := &Buffer{Rate: rate, Channels: 2, Data: make([]float32, 2*len(b.Data))}
		for i, v := range b.Data {
			st.Data[2*i], st.Data[2*i+1] = v, v
		}
		if got := Loudness(st); math.Abs(got-(-20.0)) > 0.05 {
			t.Errorf("%d Hz stereo: %.3f LUFS, want -20.0", rate, got)
		}
	}
	// Gating: 5 s of tone then 5 s of silence measures the tone alone.
	b := &Buffer{Rate: 16000, Channels: 1, Data: append(sine(16000, 997, 0.1, 5), make([]float32, 80000)...)}
	if got := Loudness(b); math.Abs(got-(-23.01)) > 0.1 {
		t.Errorf("gated: %.3f LUFS, want -23.01", got)
	}
	if got := Loudness(&Buffer{Rate: 16000, Channels: 1, Data: make([]float32, 16000)}); got != silentLUFS {
		t.Errorf("silence: %v", got)
	}
	// Shorter than a block: measured as one block.
	short := &Buffer{Rate: 16000, Channels: 1, Data: sine(16000, 997, 0.1, 0.25)}
	if got := Loudness(short); math.Abs(got-(-23.01)) > 0.2 {
		t.Errorf("250 ms: %.3f LUFS, want -23.01", got)
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		name    string
		amp     float64
		limited bool
	}{
		{"quiet", 0.01, false},
		{"loud", 0.9, false},
		{"peaky", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b *Buffer
			if tt.amp > 0 {
				b = &Buffer{Rate: 16000, Channels: 1, Data: sine(16000, 300, tt.amp, 3)}
			} else {
				// Quiet tone with one click at full scale: the ceiling wins.
				b = &Buffer{Rate: 16000, Channels: 1, Data: sine(16000, 300, 0.01, 3)}
				b.Data[100] = 0.5
			}
			r, err := Normalize(b, TargetLUFS)
			if err != nil {
				t.Fatal(err)
			}
			if r.Limited != tt.limited {
				t.Fatalf("limited = %v: %+v", r.Limited, r)
			}
			if !tt.limited && math.Abs(r.AfterLUFS-TargetLUFS) > 0.1 {
				t.Errorf("%.2f LUFS after, want %.1f", r.AfterLUFS, TargetLUFS)
			}
			if r.PeakDBFS > PeakCeilingDBFS+0.01 {
				t.Errorf("peak %.2f dBFS over the ceiling", r.PeakDBFS)
			}
			t.Logf("%s: %.2f -> %.2f LUFS, gain %+.2f dB, peak %.2f dBFS", tt.name, r.BeforeLUFS, r.AfterLUFS, r.GainDB, r.PeakDBFS)
		})
	}
}

func TestTrimSilence(t *testing.T) {
	rate := 16000
	x := make([]float32, rate) // 1 s silence
	x = append(x, sine(rate, 440, 0.3, 0.5)...)
	x = append(x, make([]float32, 2*rate)...)
	b := &Buffer{Rate: rate, Channels: 1, Data: x}
	got := TrimSilence(b, SilenceThresholdDBFS)
	if d := got.Duration(); d < 690*time.Millisecond || d > 720*time.Millisecond {
		t.Errorf("trimmed to %v, want 0.5 s + 2 x 0.1 s", d)
	}
	if !IsSilent(&Buffer{Rate: rate, Channels: 1, Data: make([]float32, rate)}, SilenceThresholdDBFS) {
		t.Error("silence not silent")
	}
	if e := TrimSilence(&Buffer{Rate: rate, Channels: 1, Data: make([]float32, 100)}, -50); e.Frames() != 0 {
		t.Error("silence not trimmed to nothing")
	}
}
