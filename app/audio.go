package app

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/ringside/ringside/audio"
)

// audioDevices opens the audio system on first use and keeps it until Close.
type audioDevices struct {
	once sync.Once
	sys  *audio.System
	err  error
}

func (a *App) audioSystem() (*audio.System, error) {
	a.audio.once.Do(func() {
		a.audio.sys, a.audio.err = audio.Open(audio.WithLogger(a.log))
	})
	return a.audio.sys, a.audio.err
}

func (a *App) closeAudio() {
	if a.audio.sys != nil {
		a.audio.sys.Close()
	}
}

// AudioDevices lists capture and playback devices.
func (a *App) AudioDevices(ctx context.Context) ([]audio.Device, error) {
	sys, err := a.audioSystem()
	if err != nil {
		return nil, err
	}
	return sys.Devices(ctx)
}

// device picks the device: the one given, else the setting key's; "default"
// is the system default.
func (a *App) device(ctx context.Context, given, key string) (string, error) {
	if given == "" {
		v, err := a.Prefs(ctx)
		if err != nil {
			return "", err
		}
		given = v[key]
	}
	if given == "default" {
		return "", nil
	}
	return given, nil
}

// RecordItem records up to d from the microphone (device "" for the setting
// audio.input_device), reporting levels about 20 times a second, then trims,
// normalises and stores it.
func (a *App) RecordItem(ctx context.Context, name, kind, device string, d time.Duration, levels func(audio.Level)) (Item, error) {
	if _, err := checkItemName(name); err != nil {
		return Item{}, err
	}
	if err := checkKind(kind); err != nil {
		return Item{}, err
	}
	if d <= 0 || d > audio.MaxDuration {
		return Item{}, fmt.Errorf("recording length %s is not allowed; allowed: 1 second to %s", d, audio.MaxDuration)
	}
	sys, err := a.audioSystem()
	if err != nil {
		return Item{}, err
	}
	dev, err := a.device(ctx, device, "audio.input_device")
	if err != nil {
		return Item{}, err
	}
	var opts []audio.RecordOption
	if levels != nil {
		opts = append(opts, audio.WithLevels(levels))
	}
	b, err := sys.Record(ctx, dev, d, opts...)
	if err != nil {
		return Item{}, err
	}
	p, err := audio.Prepare("recording", b)
	if err != nil {
		return Item{}, err
	}
	return a.AddItem(ctx, name, kind, SourceRecorded, "", p)
}

// PlayItem plays an item on a playback device ("" for audio.output_device)
// and returns when it ends or ctx is done.
func (a *App) PlayItem(ctx context.Context, id, device string) error {
	b, err := a.ItemAudio(ctx, id)
	if err != nil {
		return err
	}
	return a.PlayRecording(ctx, b, device)
}

// ExportItem writes an item's audio to path as WAV.
func (a *App) ExportItem(ctx context.Context, id, path string) error {
	if _, err := a.Item(ctx, id); err != nil {
		return err
	}
	data, err := os.ReadFile(a.itemPath(id))
	if err != nil {
		return err
	}
	if err := writeFileSync(path, data); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}
