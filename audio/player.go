package audio

import (
	"context"
	"errors"
	"time"
)

// Playing is a playback in progress. It ends when the audio has played, when
// Stop is called, when its context ends, or when the device fails.
type Playing struct {
	ps     *PlaybackStream
	cancel context.CancelCauseFunc
	done   chan struct{}
	err    error // set before done closes
}

// StartPlaying opens a playback device by name ("" for the default) and plays
// b on it from a goroutine of its own. miniaudio converts b's rate and
// channels to the device's.
func (s *System) StartPlaying(ctx context.Context, device string, b *Buffer) (*Playing, error) {
	if b == nil || b.Frames() == 0 {
		return nil, ErrEmpty
	}
	ps, err := s.OpenPlayback(ctx, device, StreamConfig{Rate: b.Rate, Channels: b.Channels, Buffer: 500 * time.Millisecond, Period: 50 * time.Millisecond})
	if err != nil {
		return nil, err
	}
	pctx, cancel := context.WithCancelCause(ctx)
	p := &Playing{ps: ps, cancel: cancel, done: make(chan struct{})}
	samples := b.Int16()
	go p.run(pctx, samples)
	return p, nil
}

func (p *Playing) run(ctx context.Context, samples []int16) {
	defer close(p.done)
	defer p.ps.Close()
	_, err := p.ps.Write(ctx, samples)
	if err == nil {
		err = p.ps.Drain(ctx)
	}
	if err != nil && ctx.Err() != nil && errors.Is(context.Cause(ctx), errStopped) {
		err = nil
	}
	p.err = err
}

// Done is closed when the playback has ended.
func (p *Playing) Done() <-chan struct{} { return p.done }

// Position returns how much has been handed to the device so far.
func (p *Playing) Position() time.Duration { return p.ps.Played() }

// Wait waits for the playback to end. The error is nil when it played to the
// end or was stopped; otherwise ErrDeviceLost (in a *DeviceError) or the
// context's error.
func (p *Playing) Wait() error {
	<-p.done
	return p.err
}

// Stop ends the playback now and waits for its goroutine.
func (p *Playing) Stop() error {
	p.cancel(errStopped)
	return p.Wait()
}

// Close is Stop, for use with defer.
func (p *Playing) Close() error { return p.Stop() }

// Play plays b on a device by name ("" for the default) and returns when it
// has played, ctx has ended, or the device failed.
func (s *System) Play(ctx context.Context, device string, b *Buffer) error {
	p, err := s.StartPlaying(ctx, device, b)
	if err != nil {
		return err
	}
	return p.Wait()
}
