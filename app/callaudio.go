package app

import (
	"context"
	"sync"
	"time"

	"github.com/ringside/ringside/audio"
	"github.com/ringside/ringside/softphone"
)

// callAudioIdle is how long a call's devices stay open without frames
// flowing; then they are closed (the call ended, or was put on hold).
const callAudioIdle = time.Second

// DeviceMedia returns the MediaFunc that connects calls to the microphone
// (audio.input_device) and the speaker (audio.output_device). The devices
// open when the call's audio starts flowing and close a second after it
// stops, so a ringing call opens nothing. A device that cannot be opened is
// logged once and the call goes on with silence rather than failing.
func (a *App) DeviceMedia() MediaFunc {
	return func(ctx context.Context, c LiveCall) (softphone.Media, error) {
		sys, err := a.audioSystem()
		if err != nil {
			return softphone.Media{}, err
		}
		in, err := a.device(ctx, "", "audio.input_device")
		if err != nil {
			return softphone.Media{}, err
		}
		out, err := a.device(ctx, "", "audio.output_device")
		if err != nil {
			return softphone.Media{}, err
		}
		m := &deviceMedia{sys: sys, in: in, out: out, log: a.log.With("call", c.ID, "peer", c.Peer)}
		return softphone.Media{Source: (*micSource)(m), Sink: (*speakerSink)(m)}, nil
	}
}

type deviceMedia struct {
	sys     *audio.System
	in, out string
	log     interface{ Warn(string, ...any) }

	mu        sync.Mutex
	capture   *audio.CaptureStream
	playback  *audio.PlaybackStream
	capFailed bool
	outFailed bool
	last      time.Time
	watching  bool
}

var streamConfig = audio.StreamConfig{Rate: softphone.SampleRate, Channels: 1, Buffer: 300 * time.Millisecond}

// touch records activity and starts the idle watchdog when none runs.
func (m *deviceMedia) touch() {
	m.last = time.Now()
	if !m.watching {
		m.watching = true
		go m.watch()
	}
}

func (m *deviceMedia) watch() {
	t := time.NewTicker(callAudioIdle / 4)
	defer t.Stop()
	for range t.C {
		m.mu.Lock()
		if time.Since(m.last) >= callAudioIdle {
			m.closeLocked()
			m.watching = false
			m.mu.Unlock()
			return
		}
		m.mu.Unlock()
	}
}

func (m *deviceMedia) closeLocked() {
	if m.capture != nil {
		m.capture.Close()
		m.capture = nil
	}
	if m.playback != nil {
		m.playback.Close()
		m.playback = nil
	}
	m.capFailed, m.outFailed = false, false
}

type micSource deviceMedia

// ReadFrame gives the next 20 ms from the microphone, silence where it has
// none yet; it waits at most a few milliseconds.
func (s *micSource) ReadFrame(frame []int16) error {
	m := (*deviceMedia)(s)
	m.mu.Lock()
	m.touch()
	if m.capture == nil && !m.capFailed {
		cs, err := m.sys.OpenCapture(context.Background(), m.in, streamConfig)
		if err != nil {
			m.capFailed = true
			m.log.Warn("microphone not opened; the call sends silence", "device", m.in, "err", err)
		}
		m.capture = cs
	}
	cs := m.capture
	m.mu.Unlock()
	n := 0
	if cs != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
		for n < len(frame) {
			k, err := cs.Read(ctx, frame[n:])
			n += k
			if err != nil {
				break
			}
		}
		cancel()
	}
	clear(frame[n:])
	return nil
}

type speakerSink deviceMedia

// WriteFrame queues 20 ms for the speaker; what does not fit is dropped
// rather than letting the delay grow.
func (s *speakerSink) WriteFrame(frame []int16) error {
	m := (*deviceMedia)(s)
	m.mu.Lock()
	m.touch()
	if m.playback == nil && !m.outFailed {
		ps, err := m.sys.OpenPlayback(context.Background(), m.out, streamConfig)
		if err != nil {
			m.outFailed = true
			m.log.Warn("speaker not opened; the call is not heard", "device", m.out, "err", err)
		}
		m.playback = ps
	}
	ps := m.playback
	m.mu.Unlock()
	if ps != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Millisecond)
		ps.Write(ctx, frame)
		cancel()
	}
	return nil
}
