package audio

import (
	"context"
	"errors"
	"math"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ringside/ringside/internal/testenv"
)

// openPulse opens the PulseAudio started by scripts/services/30-pulse.sh.
func openPulse(t *testing.T, opts ...Option) *System {
	t.Helper()
	testenv.Env(t, "RINGSIDE_TEST_PULSE", "PulseAudio")
	s, err := Open(append([]Option{WithBackends(BackendPulseAudio)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestPulseDevices(t *testing.T) {
	s := openPulse(t)
	devs, err := s.Devices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, d := range devs {
		t.Logf("%-8s %-40q id=%q default=%v", d.Kind, d.Name, d.ID, d.Default)
		found[d.Kind.String()+" "+d.ID] = true
	}
	for _, want := range []string{"capture ringside_sine", "capture ringside_sink.monitor", "playback ringside_sink"} {
		if !found[want] {
			t.Errorf("no %s device", want)
		}
	}
}

// goertzel returns the power of x at freq, relative to x's total power.
func goertzel(x []float32, rate int, freq float64) float64 {
	w := 2 * math.Pi * freq / float64(rate)
	c := 2 * math.Cos(w)
	var s1, s2, total float64
	for _, v := range x {
		s0 := float64(v) + c*s1 - s2
		s2, s1 = s1, s0
		total += float64(v) * float64(v)
	}
	p := s1*s1 + s2*s2 - c*s1*s2
	return p / (total * float64(len(x)) / 2)
}

// TestPulseRecordSine records the 440 Hz sine source and checks the tone's
// frequency (zero crossings and Goertzel) and the recording's duration.
func TestPulseRecordSine(t *testing.T) {
	s := openPulse(t)
	var levels atomic.Int32
	var loudest atomic.Int64
	loudest.Store(-1000)
	start := time.Now()
	b, err := s.Record(context.Background(), "ringside_sine", 1500*time.Millisecond, WithLevels(func(l Level) {
		levels.Add(1)
		if int64(l.RMS) > loudest.Load() {
			loudest.Store(int64(l.RMS))
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	wall := time.Since(start)
	if b.Rate != 48000 || b.Frames() != 72000 {
		t.Fatalf("%d frames at %d Hz, want 72000 at 48000", b.Frames(), b.Rate)
	}
	if wall < 1400*time.Millisecond {
		t.Errorf("1.5 s recorded in %v of wall time", wall)
	}
	x := b.Data[b.Rate/10:] // skip the start-up
	f := dominantFrequency(x, b.Rate)
	if math.Abs(f-440) > 2 {
		t.Errorf("zero crossings give %.2f Hz, want 440", f)
	}
	if g := goertzel(x, b.Rate, 440); g < 0.9 {
		t.Errorf("Goertzel: %.3f of the power at 440 Hz, want > 0.9", g)
	}
	if n := levels.Load(); n < 28 || n > 31 {
		t.Errorf("%d level reports in 1.5 s, want 30", n)
	}
	if l := loudest.Load(); l < -40 {
		t.Errorf("loudest level %d dBFS: the tone is missing", l)
	}
	t.Logf("440 Hz source: %.2f Hz by zero crossings, %d frames in %v, %d levels, loudest %d dBFS RMS", f, b.Frames(), wall.Round(time.Millisecond), levels.Load(), loudest.Load())
}

// TestPulsePlayToSink plays a 1 kHz tone to ringside_sink while recording its
// monitor, and finds the tone in the recording.
func TestPulsePlayToSink(t *testing.T) {
	s := openPulse(t)
	ctx := context.Background()
	var first atomic.Bool
	firstFrame := make(chan struct{})
	rec, err := s.StartRecording(ctx, "ringside_sink.monitor", WithLimit(8*time.Second), WithLevels(func(Level) {
		if first.CompareAndSwap(false, true) {
			close(firstFrame)
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()
	select { // a monitor source takes 1.2 to 2 s to deliver its first frame
	case <-firstFrame:
	case <-time.After(6 * time.Second):
		t.Fatal("the monitor delivered nothing")
	}
	tone := &Buffer{Rate: 16000, Channels: 1, Data: sine(16000, 1000, 0.5, 1)}
	if err := s.Play(ctx, "ringside_sink", tone); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	b, err := rec.Stop()
	if err != nil {
		t.Fatal(err)
	}
	// The loud part of the recording is the tone.
	tr := TrimSilence(b, -30)
	if d := tr.Duration(); d < 900*time.Millisecond || d > 1400*time.Millisecond {
		t.Fatalf("%v of sound on the monitor, want about 1 s", d)
	}
	mid := tr.Data[tr.Frames()/4 : 3*tr.Frames()/4]
	if f := dominantFrequency(mid, tr.Rate); math.Abs(f-1000) > 3 {
		t.Errorf("monitor tone %.1f Hz, want 1000", f)
	}
	if g := goertzel(mid, tr.Rate, 1000); g < 0.9 {
		t.Errorf("Goertzel %.3f at 1 kHz", g)
	}
	t.Logf("monitor: %v of tone in %v recorded, peak %.1f dBFS", tr.Duration().Round(time.Millisecond), b.Duration().Round(time.Millisecond), DBFS(tr.Peak()))
}

// TestPulseSourceRemoved unloads a source under a recording: the recording
// ends with ErrDeviceLost instead of hanging.
func TestPulseSourceRemoved(t *testing.T) {
	s := openPulse(t, WithStallTimeout(5*time.Second, time.Second))
	out, err := exec.Command("pactl", "load-module", "module-remap-source", "master=ringside_tone.monitor", "source_name=ringside_gone").Output()
	if err != nil {
		t.Fatalf("pactl load-module: %v", err)
	}
	module := strings.TrimSpace(string(out))
	unloaded := false
	defer func() {
		if !unloaded {
			exec.Command("pactl", "unload-module", module).Run()
		}
	}()
	started := make(chan struct{})
	var once atomic.Bool
	r, err := s.StartRecording(context.Background(), "ringside_gone", WithLevels(func(Level) {
		if once.CompareAndSwap(false, true) {
			close(started)
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	select {
	case <-started:
	case <-time.After(5 * time.Second):
		t.Fatal("no audio from the source")
	}
	time.Sleep(300 * time.Millisecond)
	if err := exec.Command("pactl", "unload-module", module).Run(); err != nil {
		t.Fatalf("pactl unload-module: %v", err)
	}
	unloaded = true
	removed := time.Now()
	select {
	case <-r.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the recording hangs after its source was removed")
	}
	b, err := r.Wait()
	if !errors.Is(err, ErrDeviceLost) {
		t.Fatalf("got %v, want ErrDeviceLost", err)
	}
	if b.Duration() < 300*time.Millisecond {
		t.Errorf("only %v of the audio before the removal kept", b.Duration())
	}
	t.Logf("ended %v after removal with %v of audio: %v", time.Since(removed).Round(time.Millisecond), b.Duration().Round(time.Millisecond), err)
}
