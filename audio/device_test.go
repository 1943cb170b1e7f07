package audio

import (
	"context"
	"errors"
	"math"
	"runtime"
	"sync"
	"testing"
	"time"
)

func openNull(t *testing.T, opts ...Option) *System {
	t.Helper()
	s, err := Open(append([]Option{WithBackends(BackendNull)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestNullDevices(t *testing.T) {
	s := openNull(t)
	devs, err := s.Devices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var kinds [3]int
	for _, d := range devs {
		kinds[d.Kind]++
		t.Logf("%s %q id=%q default=%v", d.Kind, d.Name, d.ID, d.Default)
	}
	if kinds[Capture] == 0 || kinds[Playback] == 0 {
		t.Fatalf("devices %+v: want at least one of each kind", devs)
	}
	_, err = s.OpenCapture(context.Background(), "no such microphone", StreamConfig{})
	var de *DeviceError
	if !errors.Is(err, ErrNoDevice) || !errors.As(err, &de) || de.Device != "no such microphone" {
		t.Fatalf("got %v, want ErrNoDevice naming the device", err)
	}
	t.Log(err)
}

func TestNullRecord(t *testing.T) {
	s := openNull(t)
	var mu sync.Mutex
	var levels []Level
	b, err := s.Record(context.Background(), "", 500*time.Millisecond, WithLevels(func(l Level) {
		mu.Lock()
		levels = append(levels, l)
		mu.Unlock()
	}), WithStream(StreamConfig{Rate: 16000, Channels: 1}))
	if err != nil {
		t.Fatal(err)
	}
	if b.Rate != 16000 || b.Channels != 1 || b.Frames() != 8000 {
		t.Fatalf("got %d Hz %d ch %d frames, want 8000 frames at 16 kHz", b.Rate, b.Channels, b.Frames())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(levels) != 10 {
		t.Errorf("%d levels in 0.5 s, want 10", len(levels))
	}
	for i, l := range levels {
		if l.RMS != -120 || l.Peak != -120 {
			t.Errorf("level %d: %+v, want silence", i, l)
		}
		if want := time.Duration(i+1) * 50 * time.Millisecond; l.Elapsed != want {
			t.Errorf("level %d at %v, want %v", i, l.Elapsed, want)
		}
	}
}

func TestNullRecordStopAndCancel(t *testing.T) {
	s := openNull(t)
	// Stop: no error, the audio so far.
	r, err := s.StartRecording(context.Background(), "default")
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	b, err := r.Stop()
	if err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if d := b.Duration(); d < 100*time.Millisecond || d > time.Second {
		t.Errorf("stopped after 300ms with %v of audio", d)
	}
	// The caller's context ends: its error, the audio so far.
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	r, err = s.StartRecording(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-r.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("recording did not end with its context")
	}
	if _, err := r.Wait(); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want DeadlineExceeded", err)
	}
	r.Close()
}

// TestNullDeviceStops stops the device under a recording, as a backend does
// when a device disappears: the recording ends with ErrDeviceLost.
func TestNullDeviceStops(t *testing.T) {
	s := openNull(t)
	r, err := s.StartRecording(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if err := r.cs.dev.Stop(); err != nil { // not through Close: the stop callback sees it as a loss
		t.Fatal(err)
	}
	select {
	case <-r.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("recording hangs after its device stopped")
	}
	b, err := r.Wait()
	var de *DeviceError
	if !errors.Is(err, ErrDeviceLost) || !errors.As(err, &de) {
		t.Fatalf("got %v, want ErrDeviceLost", err)
	}
	if b.Frames() == 0 {
		t.Error("the audio before the loss is lost too")
	}
	t.Log(err)
}

func TestNullPlay(t *testing.T) {
	s := openNull(t)
	b := &Buffer{Rate: 16000, Channels: 1, Data: sine(16000, 440, 0.5, 0.4)}
	start := time.Now()
	if err := s.Play(context.Background(), "", b); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("0.4 s played in %v", d)
	}
	// Stop part way.
	long := &Buffer{Rate: 16000, Channels: 1, Data: sine(16000, 440, 0.5, 5)}
	p, err := s.StartPlaying(context.Background(), "", long)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	if err := p.Stop(); err != nil {
		t.Fatal(err)
	}
	if pos := p.Position(); pos <= 0 || pos > 2*time.Second {
		t.Errorf("position %v after 200ms", pos)
	}
	if err := s.Play(context.Background(), "", &Buffer{Rate: 16000, Channels: 1}); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty buffer: %v", err)
	}
}

// TestSystemCloseJoins closes a system with a recording and a playback
// running: both end and no goroutine is left behind.
func TestSystemCloseJoins(t *testing.T) {
	before := runtime.NumGoroutine()
	s, err := Open(WithBackends(BackendNull))
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.StartRecording(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.StartPlaying(context.Background(), "", &Buffer{Rate: 8000, Channels: 1, Data: make([]float32, 80000)})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	s.Close()
	for _, done := range []<-chan struct{}{r.Done(), p.Done()} {
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("a stream outlived Close")
		}
	}
	if _, err := s.StartRecording(context.Background(), ""); err == nil {
		t.Error("recording on a closed system")
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after Close, %d before", n, before)
	}
}

func TestLevelMeter(t *testing.T) {
	m := newLevelMeter(1000, 1) // 50 samples a window
	x := make([]int16, 100)
	for i := range x {
		x[i] = int16(16384 * math.Sin(2*math.Pi*float64(i)/10))
	}
	var got []float64
	m.add(x, 0, func(rms, peak float64, _ bool, end int) { got = append(got, rms, peak, float64(end)) })
	if len(got) != 6 || math.Abs(got[0]-(-9.03)) > 0.1 || math.Abs(got[1]-(-6.46)) > 0.05 || got[2] != 50 || got[5] != 100 {
		t.Fatalf("levels %v, want RMS -9.03 dBFS, peak -6.46 dBFS (sampled sine) at 50 and 100", got)
	}
}

func TestRing(t *testing.T) {
	q := newRing(10) // 16
	if n := q.write([]byte("0123456789")); n != 10 {
		t.Fatal(n)
	}
	p := make([]byte, 8)
	if n := q.read(p); n != 8 || string(p) != "01234567" {
		t.Fatal(string(p[:n]))
	}
	if n := q.write([]byte("abcdefghijklmnop")); n != 14 { // wraps, 2 dropped
		t.Fatal(n)
	}
	out := make([]byte, 32)
	n := q.read(out)
	if string(out[:n]) != "89abcdefghijklmn" {
		t.Fatalf("%q", out[:n])
	}
}

// TestCallbacksDoNotAllocate runs the device data callbacks as miniaudio
// would, including with a full or empty queue.
func TestCallbacksDoNotAllocate(t *testing.T) {
	s := openNull(t)
	st := s.newStream("", Capture, StreamConfig{Rate: 8000, Buffer: 100 * time.Millisecond})
	in := make([]byte, 320)
	if n := testing.AllocsPerRun(200, func() { st.onCapture(nil, in, 160) }); n != 0 {
		t.Errorf("capture callback: %v allocations", n)
	}
	if st.Xruns() == 0 {
		t.Error("a full queue was not counted")
	}
	p := &PlaybackStream{stream: s.newStream("", Playback, StreamConfig{Rate: 8000})}
	out := make([]byte, 320)
	p.q.write(make([]byte, 1000))
	p.queued.Store(500)
	if n := testing.AllocsPerRun(200, func() { p.onPlayback(out, nil, 160) }); n != 0 {
		t.Errorf("playback callback: %v allocations", n)
	}
	if p.played.Load() != 500 || p.Xruns() == 0 {
		t.Errorf("played %d, xruns %d", p.played.Load(), p.Xruns())
	}
}
