package app

// What the window needs of the audio library beyond the command line's
// verbs: a recording the user stops, hears and then keeps or discards.

import (
	"context"

	"github.com/ringside/ringside/audio"
)

// StartRecording starts recording from the microphone (device "" for the
// setting audio.input_device), up to audio.MaxDuration, reporting levels
// about 20 times a second. Stop it with Recording.Stop; keep it with
// KeepRecording.
func (a *App) StartRecording(ctx context.Context, device string, levels func(audio.Level)) (*audio.Recording, error) {
	sys, err := a.audioSystem()
	if err != nil {
		return nil, err
	}
	dev, err := a.device(ctx, device, "audio.input_device")
	if err != nil {
		return nil, err
	}
	opts := []audio.RecordOption{audio.WithLimit(audio.MaxDuration)}
	if levels != nil {
		opts = append(opts, audio.WithLevels(levels))
	}
	return sys.StartRecording(ctx, dev, opts...)
}

// PlayRecording plays a recording not kept yet on a playback device ("" for
// audio.output_device) and returns when it ends or ctx is done.
func (a *App) PlayRecording(ctx context.Context, b *audio.Buffer, device string) error {
	sys, err := a.audioSystem()
	if err != nil {
		return err
	}
	dev, err := a.device(ctx, device, "audio.output_device")
	if err != nil {
		return err
	}
	return sys.Play(ctx, dev, b)
}

// KeepRecording trims, normalises and stores a recording as a library item.
func (a *App) KeepRecording(ctx context.Context, name, kind string, b *audio.Buffer) (Item, error) {
	if _, err := checkItemName(name); err != nil {
		return Item{}, err
	}
	if err := checkKind(kind); err != nil {
		return Item{}, err
	}
	p, err := audio.Prepare("recording", b)
	if err != nil {
		return Item{}, err
	}
	return a.AddItem(ctx, name, kind, SourceRecorded, "", p)
}

// Hold puts the call id on hold (on) or takes it off hold.
func (a *App) Hold(ctx context.Context, id string, on bool) error {
	c, err := a.findCall(id)
	if err != nil {
		return err
	}
	if on {
		err = c.Hold(ctx)
	} else {
		err = c.Resume(ctx)
	}
	a.phoneChanged()
	return err
}

// Mute turns the microphone off (on true) or back on for the call id; the
// caller hears silence meanwhile.
func (a *App) Mute(id string, on bool) error {
	c, err := a.findCall(id)
	if err != nil {
		return err
	}
	c.SetMute(on)
	ps := a.phoneState()
	ps.mu.Lock()
	if tc := ps.calls[id]; tc != nil {
		tc.muted = on
	}
	ps.mu.Unlock()
	a.phoneChanged()
	return nil
}

// SendDTMF sends digits (0-9, *, #, A-D) on the call id (RFC 4733).
func (a *App) SendDTMF(id, digits string) error {
	c, err := a.findCall(id)
	if err != nil {
		return err
	}
	return c.SendDTMF(digits)
}
