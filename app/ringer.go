package app

import (
	"context"
	"math"
	"sync"
	"time"

	"github.com/ringside/ringside/audio"
)

// Tones the agent hears, generated on first use rather than shipped as
// files (and not at start-up, which every command line run pays).
var (
	// ringtoneCycle: two 0.4 s bursts of 440+480 Hz (the North American
	// ring's pair), then silence, every 3 s; on the ringer device.
	ringtoneCycle = sync.OnceValue(func() *audio.Buffer {
		return toneCycle(3*time.Second, []float64{440, 480}, 400*time.Millisecond, 200*time.Millisecond, 2)
	})
	// callWaitingCycle: one soft 440 Hz beep every 5 s, on the speaker, so
	// the call in progress goes on.
	callWaitingCycle = sync.OnceValue(func() *audio.Buffer {
		return toneCycle(5*time.Second, []float64{440}, 300*time.Millisecond, 0, 1)
	})
	// autoAnswerBeep: a short 880 Hz beep before a call is answered by itself.
	autoAnswerBeep = sync.OnceValue(func() *audio.Buffer {
		return toneCycle(250*time.Millisecond, []float64{880}, 150*time.Millisecond, 0, 1)
	})
)

// toneCycle builds one period of a tone pattern at the telephony rate:
// n bursts of the summed frequencies, each on for `on` with `gap` between.
func toneCycle(period time.Duration, freqs []float64, on, gap time.Duration, n int) *audio.Buffer {
	rate := audio.TelephonyRate
	b := &audio.Buffer{Rate: rate, Channels: 1, Data: make([]float32, int(period.Seconds()*float64(rate)))}
	amp := 0.25 / float64(len(freqs))
	for k := 0; k < n; k++ {
		start := int((on + gap).Seconds() * float64(k) * float64(rate))
		count := int(on.Seconds() * float64(rate))
		for i := 0; i < count && start+i < len(b.Data); i++ {
			t := float64(i) / float64(rate)
			// 10 ms ramps keep the bursts from clicking.
			env := math.Min(1, math.Min(t, on.Seconds()-t)/0.01)
			var v float64
			for _, f := range freqs {
				v += math.Sin(2 * math.Pi * f * t)
			}
			b.Data[start+i] = float32(amp * env * v)
		}
	}
	return b
}

// StartRinger plays the ringtone on audio.ringer_device while a call rings
// here, the call-waiting beep on audio.output_device while a second call is
// offered, and a short beep before an auto-answered call. Close stops it.
func (a *App) StartRinger() {
	ctx, cancel := context.WithCancel(context.Background())
	a.stopBg = append(a.stopBg, cancel)
	a.bg.Add(1)
	go func() {
		defer a.bg.Done()
		a.ringLoop(ctx)
	}()
}

func (a *App) ringLoop(ctx context.Context) {
	changed, unsubscribe := a.SubscribePhone()
	defer unsubscribe()
	var (
		cur   string
		stop  = func() {}
		beeps = map[string]bool{} // calls that had their auto-answer beep
	)
	defer func() { stop() }()
	for {
		select {
		case <-ctx.Done():
			return
		case <-changed:
		}
		want := ""
		for _, c := range a.Calls() {
			switch {
			case c.AutoAnswered && !beeps[c.ID]:
				beeps[c.ID] = true
				go a.playTone(ctx, autoAnswerBeep(), "audio.output_device", false)
			case c.Tone == "ringtone" && want == "":
				want = "ringtone"
			case c.Tone == "call_waiting":
				want = "call_waiting"
			}
		}
		if want == cur {
			continue
		}
		stop()
		cur, stop = want, func() {}
		a.setRinging(want)
		if want == "" {
			continue
		}
		tctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		stop = func() { cancel(); <-done }
		tone, key := ringtoneCycle(), "audio.ringer_device"
		if want == "call_waiting" {
			tone, key = callWaitingCycle(), "audio.output_device"
		}
		go func() {
			defer close(done)
			a.playTone(tctx, tone, key, true)
		}()
	}
}

// playTone plays b on the device of the setting key, over and over with
// repeat, until ctx ends. A device that fails is logged once.
func (a *App) playTone(ctx context.Context, b *audio.Buffer, key string, repeat bool) {
	sys, err := a.audioSystem()
	if err != nil {
		a.log.Warn("no audio for the ringer", "err", err)
		return
	}
	dev, err := a.device(ctx, "", key)
	if err != nil {
		return
	}
	for {
		if err := sys.Play(ctx, dev, b); err != nil {
			if ctx.Err() == nil {
				a.log.Warn("ringer tone not played", "device", dev, "err", err)
			}
			return
		}
		if !repeat || ctx.Err() != nil {
			return
		}
	}
}

// Ringing says which tone the ringer plays now: "ringtone", "call_waiting" or "".
func (a *App) Ringing() string {
	a.ringMu.Lock()
	defer a.ringMu.Unlock()
	return a.ringing
}

func (a *App) setRinging(t string) {
	a.ringMu.Lock()
	a.ringing = t
	a.ringMu.Unlock()
}
