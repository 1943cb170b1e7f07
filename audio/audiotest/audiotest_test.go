package audiotest

import (
	"bytes"
	"context"
	"math"
	"testing"
	"time"

	"github.com/ringside/ringside/audio"
)

func TestHelpers(t *testing.T) {
	b := Tone(16000, 440, 0.5, time.Second)
	if f := Frequency(b); math.Abs(f-440) > 1 {
		t.Errorf("Frequency = %.2f", f)
	}
	if l := RMS(b); math.Abs(l-(-9.03)) > 0.05 {
		t.Errorf("RMS = %.2f dBFS", l)
	}
	got, err := audio.DecodeWAV("t.wav", bytes.NewReader(WAV(t, b)))
	if err != nil || got.Frames() != 16000 {
		t.Fatalf("WAV: %v %v", got, err)
	}
	if RMS(Silence(8000, time.Second)) != -120 {
		t.Error("silence is not silent")
	}
}

func TestSpeaker(t *testing.T) {
	var s Speaker
	b, err := s.Speak(context.Background(), "Ada Lovelace")
	if err != nil || b.Duration() != 720*time.Millisecond {
		t.Fatalf("%v %v", b.Duration(), err)
	}
	p, err := audio.Prepare("name", b)
	if err != nil {
		t.Fatal(err)
	}
	if p.Audio.Rate != audio.TelephonyRate {
		t.Error(p.Audio.Rate)
	}
	if got := s.Texts(); len(got) != 1 || got[0] != "Ada Lovelace" {
		t.Errorf("Texts = %q", got)
	}
}

func TestNullSystem(t *testing.T) {
	s := NullSystem(t)
	b, err := s.Record(context.Background(), "", 100*time.Millisecond)
	if err != nil || b.Frames() != 4800 {
		t.Fatalf("%d frames, %v", b.Frames(), err)
	}
}
