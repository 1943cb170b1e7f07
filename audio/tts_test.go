package audio

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/ringside/ringside/internal/testenv"
)

func TestFindSpeakerMissing(t *testing.T) {
	none := func(string) (string, error) { return "", exec.ErrNotFound }
	tests := []struct{ goos, program string }{
		{"linux", "espeak-ng"},
		{"darwin", "say"},
		{"windows", "PowerShell"},
	}
	for _, tt := range tests {
		t.Run(tt.goos, func(t *testing.T) {
			_, err := FindSpeaker(withPlatform(tt.goos, none))
			var me *TTSMissingError
			if !errors.Is(err, ErrNoTTS) || !errors.As(err, &me) || !strings.Contains(err.Error(), tt.program) {
				t.Fatalf("got %v, want a TTSMissingError naming %s", err, tt.program)
			}
			t.Log(err)
		})
	}
	found := func(p string) (string, error) { return "/x/" + p, nil }
	for goos, want := range map[string]string{"linux": "espeak-ng", "darwin": "say", "windows": "SAPI"} {
		s, err := FindSpeaker(withPlatform(goos, found))
		if err != nil || s.Name() != want {
			t.Errorf("%s: got %v %v, want %s", goos, s, err, want)
		}
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct {
		in, want string
		err      bool
	}{
		{"  Hello  ", "Hello", false},
		{"a\x00b\tc\nd", "a b c\nd", false},
		{"", "", true},
		{" \n\t ", "", true},
		{strings.Repeat("x", MaxSpeechText+1), "", true},
		{"\xff\xfe", "", true},
	}
	for _, tt := range tests {
		got, err := cleanText(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("cleanText(%q) = %q, %v", tt.in, got, err)
		}
		if err != nil && !errors.Is(err, ErrBadText) {
			t.Errorf("cleanText(%q): %v is not ErrBadText", tt.in, err)
		}
	}
}

func TestEspeak(t *testing.T) {
	path := testenv.Program(t, "espeak-ng")
	sp := &Espeak{Path: path}
	ctx := context.Background()
	b, err := sp.Speak(ctx, "Hello, you have reached Ringside. Please leave a message.")
	if err != nil {
		t.Fatal(err)
	}
	if b.Channels != 1 || b.Rate != 22050 {
		t.Errorf("%d Hz %d ch, want 22050 Hz mono", b.Rate, b.Channels)
	}
	if d := b.Duration(); d < 2*time.Second || d > 8*time.Second {
		t.Errorf("duration %v", d)
	}
	p, err := Prepare("tts", b)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("espeak-ng: %v at %d Hz -> %v telephony, %.2f LUFS (gain %+.1f dB, peak %.1f dBFS)",
		b.Duration().Round(time.Millisecond), b.Rate, p.Duration().Round(time.Millisecond), p.Loudness.AfterLUFS, p.Loudness.GainDB, p.Loudness.PeakDBFS)
	if !p.Loudness.Limited && (p.Loudness.AfterLUFS < TargetLUFS-0.5 || p.Loudness.AfterLUFS > TargetLUFS+0.5) {
		t.Errorf("normalised to %.2f LUFS", p.Loudness.AfterLUFS)
	}
	// Text that would do harm in a shell or as options is only spoken.
	for _, text := range []string{`"; rm -rf / #`, "--help", "-w /tmp/owned.wav x", "$(reboot) `id`"} {
		b, err := sp.Speak(ctx, text)
		if err != nil {
			t.Errorf("%q: %v", text, err)
			continue
		}
		if IsSilent(b, SilenceThresholdDBFS) {
			t.Errorf("%q: silent", text)
		}
	}
	if _, err := os.Stat("/tmp/owned.wav"); err == nil {
		t.Error("text was taken as an option: /tmp/owned.wav exists")
	}
	if _, err := sp.Speak(ctx, "   "); !errors.Is(err, ErrBadText) {
		t.Errorf("blank text: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := sp.Speak(cctx, "cancelled"); err == nil {
		t.Error("spoke with a cancelled context")
	}
}
