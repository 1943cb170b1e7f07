package audio

import (
	"context"
	"errors"
	"time"
)

// RecordOption configures a recording.
type RecordOption func(*recordConfig)

type recordConfig struct {
	levels func(Level)
	limit  time.Duration
	stream StreamConfig
}

// WithLevels has the recording call f with its level about 20 times a second,
// from the recording's goroutine; f must return quickly.
func WithLevels(f func(Level)) RecordOption {
	return func(c *recordConfig) { c.levels = f }
}

// WithLimit ends the recording by itself after d of audio (counted in frames,
// so the result is exactly d long). Default MaxDuration.
func WithLimit(d time.Duration) RecordOption {
	return func(c *recordConfig) { c.limit = d }
}

// WithStream sets the capture rate and channels (default 48 kHz mono).
func WithStream(cfg StreamConfig) RecordOption {
	return func(c *recordConfig) { c.stream = cfg }
}

// Recording is a recording in progress. It ends when its limit is reached,
// when Stop is called, when its context ends, or when the device fails.
type Recording struct {
	cs     *CaptureStream
	cfg    recordConfig
	cancel context.CancelCauseFunc
	done   chan struct{}
	// Set by the goroutine before done closes.
	samples []int16
	err     error
}

// StartRecording opens a capture device by name ("" for the default) and
// records from it on a goroutine of its own until the limit, Stop, ctx's end
// or a device failure. Collect the audio with Wait or Stop.
func (s *System) StartRecording(ctx context.Context, device string, opts ...RecordOption) (*Recording, error) {
	c := recordConfig{limit: MaxDuration}
	for _, o := range opts {
		o(&c)
	}
	c.stream = c.stream.withDefaults()
	cs, err := s.OpenCapture(ctx, device, c.stream)
	if err != nil {
		return nil, err
	}
	rctx, cancel := context.WithCancelCause(ctx)
	r := &Recording{cs: cs, cfg: c, cancel: cancel, done: make(chan struct{})}
	go r.run(rctx)
	return r, nil
}

func (r *Recording) run(ctx context.Context) {
	defer close(r.done)
	defer r.cs.Close()
	st := r.cs.Format()
	total := int(r.cfg.limit.Seconds()*float64(st.Rate)) * st.Channels
	r.samples = make([]int16, 0, min(total, 60*st.Rate*st.Channels))
	meter := newLevelMeter(st.Rate, st.Channels)
	chunk := make([]int16, st.Rate/50*st.Channels) // 20 ms
	emit := func(rms, peak float64, clipped bool, end int) {
		if r.cfg.levels != nil {
			el := time.Duration(float64(end/st.Channels) / float64(st.Rate) * float64(time.Second))
			r.cfg.levels(Level{RMS: rms, Peak: peak, Elapsed: el, Clipped: clipped})
		}
	}
	for len(r.samples) < total {
		n, err := r.cs.Read(ctx, chunk)
		if err != nil {
			if ctx.Err() != nil && errors.Is(context.Cause(ctx), errStopped) {
				return // Stop
			}
			r.err = err
			return
		}
		n = min(n, total-len(r.samples))
		fed := len(r.samples)
		r.samples = append(r.samples, chunk[:n]...)
		meter.add(chunk[:n], fed, emit)
	}
}

var errStopped = errors.New("recording stopped")

// Done is closed when the recording has ended, for whatever reason.
func (r *Recording) Done() <-chan struct{} { return r.done }

// Wait waits until the recording ends and returns what was recorded. The
// error is nil when the limit was reached or Stop was called; it is
// ErrDeviceLost (in a *DeviceError) when the device failed, or the context's
// error; in both cases the audio recorded until then comes with it.
func (r *Recording) Wait() (*Buffer, error) {
	<-r.done
	st := r.cs.Format()
	b := FromInt16(st.Rate, st.Channels, r.samples)
	return b, r.err
}

// Stop ends the recording now and returns it, as Wait does.
func (r *Recording) Stop() (*Buffer, error) {
	r.stop()
	return r.Wait()
}

func (r *Recording) stop() {
	// The cause tells Stop from the end of the caller's context.
	r.cancel(errStopped)
}

// Close ends the recording, discards it and joins its goroutine.
func (r *Recording) Close() error {
	r.stop()
	<-r.done
	return nil
}

// Record records d of audio from a device by name ("" for the default) and
// returns it, at 48 kHz mono unless WithStream says otherwise.
func (s *System) Record(ctx context.Context, device string, d time.Duration, opts ...RecordOption) (*Buffer, error) {
	r, err := s.StartRecording(ctx, device, append(opts, WithLimit(d))...)
	if err != nil {
		return nil, err
	}
	return r.Wait()
}
