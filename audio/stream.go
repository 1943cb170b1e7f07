package audio

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/gen2brain/malgo"
)

// StreamConfig is the PCM layout of a capture or playback stream. miniaudio
// converts to and from the device's own format.
type StreamConfig struct {
	Rate     int           // frames per second; default 48000
	Channels int           // default 1
	Buffer   time.Duration // the queue between device and Go; default 2 s
	Period   time.Duration // the device's callback period; default 20 ms
}

func (c StreamConfig) withDefaults() StreamConfig {
	if c.Rate <= 0 {
		c.Rate = 48000
	}
	if c.Channels <= 0 {
		c.Channels = 1
	}
	if c.Buffer <= 0 {
		c.Buffer = 2 * time.Second
	}
	if c.Period <= 0 {
		c.Period = 20 * time.Millisecond
	}
	return c
}

// pollInterval is how often a blocked Read or Write looks at the queue; the
// audio callback never signals (that would take a lock), it only counts.
const pollInterval = 5 * time.Millisecond

// stream is what capture and playback share: the device, the queue between
// the device's thread and Go, and the counters the callback keeps.
type stream struct {
	sys    *System
	name   string
	kind   DeviceKind
	cfg    StreamConfig
	dev    *malgo.Device
	q      *ring
	pin    runtime.Pinner
	id     *malgo.DeviceID
	frames atomic.Uint64 // frames the callback has handled
	xruns  atomic.Uint64 // overruns (capture) or underruns (playback), in callbacks
	lost   atomic.Bool   // the device stopped without being asked
	asked  atomic.Bool   // Close asked the device to stop
	once   sync.Once
	start  time.Time
}

// newStream makes the Go side of a stream; openStream then opens the device.
// Everything the callback reads is set before the device is initialised
// (malgo's registration mutex orders it before the first callback).
func (s *System) newStream(name string, kind DeviceKind, cfg StreamConfig) *stream {
	cfg = cfg.withDefaults()
	st := &stream{sys: s, name: name, kind: kind, cfg: cfg}
	st.q = newRing(int(cfg.Buffer.Seconds()*float64(cfg.Rate)) * cfg.Channels * 2)
	return st
}

// openStream opens and starts the device; the caller holds ctxMu for reading.
func (s *System) openStream(ctx context.Context, st *stream, data malgo.DataProc) error {
	name, kind, cfg := st.name, st.kind, st.cfg
	op := "open " + kind.String()
	if s.isClosed() {
		return &DeviceError{Device: name, Op: op, Err: ErrClosed}
	}
	id, err := s.find(ctx, name, kind)
	if err != nil {
		return &DeviceError{Device: name, Op: op, Err: err}
	}
	mk := malgo.Capture
	if kind == Playback {
		mk = malgo.Playback
	}
	dc := malgo.DefaultDeviceConfig(mk)
	dc.SampleRate = uint32(cfg.Rate)
	dc.PeriodSizeInMilliseconds = uint32(max(1, cfg.Period.Milliseconds()))
	sub := malgo.SubConfig{Format: malgo.FormatS16, Channels: uint32(cfg.Channels)}
	if id != nil {
		st.id = new(malgo.DeviceID)
		*st.id = *id
		st.pin.Pin(st.id) // the config holds its address while C reads it
		sub.DeviceID = unsafe.Pointer(st.id)
	}
	if kind == Capture {
		dc.Capture = sub
	} else {
		dc.Playback = sub
	}
	dev, err := malgo.InitDevice(s.mctx.Context, dc, malgo.DeviceCallbacks{
		Data: data,
		Stop: func() {
			if !st.asked.Load() {
				st.lost.Store(true)
			}
		},
	})
	if err != nil {
		st.pin.Unpin()
		return &DeviceError{Device: name, Op: op, Err: err}
	}
	st.dev = dev
	return st.begin()
}

func (st *stream) begin() error {
	if err := st.sys.track(st); err != nil {
		st.release()
		return &DeviceError{Device: st.name, Op: "start", Err: err}
	}
	st.start = time.Now()
	if err := st.dev.Start(); err != nil {
		st.Close()
		return &DeviceError{Device: st.name, Op: "start", Err: err}
	}
	st.sys.log.Debug("stream started", "device", st.name, "kind", st.kind.String(), "rate", st.cfg.Rate, "channels", st.cfg.Channels)
	return nil
}

// Close stops the device and frees it. It is idempotent. A device that was
// lost is freed in the background (see System.releaseLost).
func (st *stream) Close() error {
	st.once.Do(func() {
		st.asked.Store(true)
		st.sys.untrack(st)
		if st.lost.Load() {
			st.sys.releaseLost(st)
		} else {
			st.release()
		}
		st.sys.log.Debug("stream closed", "device", st.name, "kind", st.kind.String(), "xruns", st.xruns.Load(), "lost", st.lost.Load())
	})
	return nil
}

func (st *stream) release() {
	st.asked.Store(true)
	st.dev.Uninit() // stops the device and waits for its thread
	st.pin.Unpin()
}

// health returns ErrDeviceLost (wrapped in a *DeviceError) when the device
// stopped by itself or has delivered no frames for too long.
func (st *stream) health(op string, lastFrames *uint64, lastChange *time.Time) error {
	if st.lost.Load() {
		return &DeviceError{Device: st.name, Op: op, Err: fmt.Errorf("%w: the device stopped or was removed", ErrDeviceLost)}
	}
	f := st.frames.Load()
	now := time.Now()
	if f != *lastFrames {
		*lastFrames, *lastChange = f, now
		return nil
	}
	limit := st.sys.cfg.stall
	if f == 0 {
		limit = st.sys.cfg.firstFrame
	}
	if now.Sub(*lastChange) > limit {
		st.lost.Store(true)
		return &DeviceError{Device: st.name, Op: op, Err: fmt.Errorf("%w: no audio for %v", ErrDeviceLost, limit)}
	}
	return nil
}

// Xruns returns how many callbacks found the queue full (capture: frames
// dropped) or empty (playback: silence played).
func (st *stream) Xruns() uint64 { return st.xruns.Load() }

// Format returns the stream's rate and channel count.
func (st *stream) Format() StreamConfig { return st.cfg }

// CaptureStream is an open, started capture device delivering 16-bit PCM.
type CaptureStream struct{ *stream }

// OpenCapture opens and starts a capture device by name ("" or "default" for
// the system default). Read the frames with Read, and Close it.
func (s *System) OpenCapture(ctx context.Context, device string, cfg StreamConfig) (*CaptureStream, error) {
	st := s.newStream(device, Capture, cfg)
	s.ctxMu.RLock()
	defer s.ctxMu.RUnlock()
	if err := s.openStream(ctx, st, st.onCapture); err != nil {
		return nil, err
	}
	return &CaptureStream{st}, nil
}

// onCapture is the capture device's data callback. It runs on the device's
// thread: no allocation, no lock.
func (st *stream) onCapture(_, in []byte, frames uint32) {
	if st.q.write(in) < len(in) {
		st.xruns.Add(1)
	}
	st.frames.Add(uint64(frames))
}

// Read blocks until some frames are there, then copies whole frames of
// interleaved samples into p and returns the number of samples. It returns
// ErrDeviceLost (in a *DeviceError) when the device stops or stalls, and
// ctx.Err() when ctx ends.
func (c *CaptureStream) Read(ctx context.Context, p []int16) (int, error) {
	ch := c.cfg.Channels
	p = p[:len(p)/ch*ch]
	if len(p) == 0 {
		return 0, errors.New("audio: Read: buffer smaller than one frame")
	}
	bytes := unsafe.Slice((*byte)(unsafe.Pointer(&p[0])), 2*len(p)) // little-endian hosts only, as miniaudio's s16
	var lastFrames uint64
	lastChange := time.Now()
	t := time.NewTimer(pollInterval)
	defer t.Stop()
	for {
		if c.asked.Load() {
			return 0, &DeviceError{Device: c.name, Op: "record", Err: ErrClosed}
		}
		if avail := c.q.len() / (2 * ch) * (2 * ch); avail > 0 {
			n := c.q.read(bytes[:min(avail, len(bytes))])
			return n / 2, nil
		}
		if err := c.health("record", &lastFrames, &lastChange); err != nil {
			return 0, err
		}
		t.Reset(pollInterval)
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-t.C:
		}
	}
}

// PlaybackStream is an open, started playback device taking 16-bit PCM.
type PlaybackStream struct {
	*stream
	queued atomic.Uint64 // samples written
	played atomic.Uint64 // samples handed to the device
}

// OpenPlayback opens and starts a playback device by name ("" or "default"
// for the system default). Until frames are written it plays silence.
func (s *System) OpenPlayback(ctx context.Context, device string, cfg StreamConfig) (*PlaybackStream, error) {
	p := &PlaybackStream{stream: s.newStream(device, Playback, cfg)}
	s.ctxMu.RLock()
	defer s.ctxMu.RUnlock()
	if err := s.openStream(ctx, p.stream, p.onPlayback); err != nil {
		return nil, err
	}
	return p, nil
}

// onPlayback is the playback device's data callback. It runs on the
// device's thread: no allocation, no lock.
func (p *PlaybackStream) onPlayback(out, _ []byte, frames uint32) {
	n := p.q.read(out)
	clear(out[n:])
	if n < len(out) && p.queued.Load() > p.played.Load() {
		p.xruns.Add(1)
	}
	p.played.Add(uint64(n / 2))
	p.frames.Add(uint64(frames))
}

// Write queues all of p (interleaved samples), blocking while the queue is
// full. It returns the number of samples queued.
func (p *PlaybackStream) Write(ctx context.Context, s []int16) (int, error) {
	if len(s) == 0 {
		return 0, nil
	}
	bytes := unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), 2*len(s))
	done := 0
	var lastFrames uint64
	lastChange := time.Now()
	t := time.NewTimer(pollInterval)
	defer t.Stop()
	for done < len(bytes) {
		if p.asked.Load() {
			return done / 2, &DeviceError{Device: p.name, Op: "play", Err: ErrClosed}
		}
		n := p.q.write(bytes[done:])
		done += n
		p.queued.Add(uint64(n / 2))
		if done == len(bytes) {
			break
		}
		if err := p.health("play", &lastFrames, &lastChange); err != nil {
			return done / 2, err
		}
		t.Reset(pollInterval)
		select {
		case <-ctx.Done():
			return done / 2, ctx.Err()
		case <-t.C:
		}
	}
	return done / 2, nil
}

// Drain waits until everything written has been handed to the device, plus
// one device period for it to sound.
func (p *PlaybackStream) Drain(ctx context.Context) error {
	var lastFrames uint64
	lastChange := time.Now()
	t := time.NewTimer(pollInterval)
	defer t.Stop()
	for p.played.Load() < p.queued.Load() {
		if p.asked.Load() {
			return &DeviceError{Device: p.name, Op: "play", Err: ErrClosed}
		}
		if err := p.health("play", &lastFrames, &lastChange); err != nil {
			return err
		}
		t.Reset(pollInterval)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	t.Reset(20 * time.Millisecond)
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
	}
	return nil
}

// Played returns how much of what was written has been handed to the device.
func (p *PlaybackStream) Played() time.Duration {
	return time.Duration(float64(p.played.Load()) / float64(p.cfg.Channels*p.cfg.Rate) * float64(time.Second))
}
