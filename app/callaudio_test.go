package app

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/ringside/ringside/internal/testenv"
	"github.com/ringside/ringside/softphone"
	"github.com/ringside/ringside/softphone/softphonetest"
)

// TestDeviceMedia runs a call's audio through the test PulseAudio: the
// microphone (its default source, a 440 Hz tone) is what the call sends,
// the speaker takes what it receives without holding the call up, and both
// devices close once the frames stop.
func TestDeviceMedia(t *testing.T) {
	testenv.Env(t, "RINGSIDE_TEST_PULSE", "PulseAudio")
	a, _ := openTest(t)
	m, err := a.DeviceMedia()(context.Background(), LiveCall{ID: "c1", Peer: "sip:bob@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	frame := make([]int16, softphone.FrameSamples)
	tone := make([]int16, softphone.FrameSamples)
	for i := range tone {
		tone[i] = int16(8000 * math.Sin(2*math.Pi*1000*float64(i)/softphone.SampleRate))
	}
	var sent []int16
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	slowest := time.Duration(0)
	for i := 0; i < 150; i++ { // 3 s: the first capture frames take a while
		<-tick.C
		start := time.Now()
		if err := m.Source.ReadFrame(frame); err != nil {
			t.Fatal(err)
		}
		if err := m.Sink.WriteFrame(tone); err != nil {
			t.Fatal(err)
		}
		slowest = max(slowest, time.Since(start))
		if i >= 100 {
			sent = append(sent, frame...)
		}
	}
	if share := softphonetest.ToneShare(sent, 440, softphone.SampleRate); share < 0.8 {
		t.Errorf("the call sends %.2f of its power at 440 Hz from the microphone, want most of it", share)
	}
	t.Logf("slowest ReadFrame+WriteFrame: %v", slowest)
	dm := (*deviceMedia)(m.Source.(*micSource))
	deadline := time.Now().Add(5 * time.Second)
	for {
		dm.mu.Lock()
		open := dm.capture != nil || dm.playback != nil || dm.watching
		dm.mu.Unlock()
		if !open {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("devices still open 5 s after the call's audio stopped")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
