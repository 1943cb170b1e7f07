// Package softphonetest provides audio sources and sinks for tests of the
// softphone and of code above it: a sine tone source, a sink that measures
// what it hears, and helpers to read Kamailio test accounts from the
// environment the test scripts set.
package softphonetest

import (
	"math"
	"os"
	"strings"
	"sync"
	"time"
)

// Tone is a softphone.Source of a sine wave at Freq Hz, 48 kHz. It is safe
// for concurrent use.
type Tone struct {
	Freq  float64
	Level float64 // peak amplitude 0..1; 0 means 0.3

	mu    sync.Mutex
	phase float64
	reads int
	first time.Time
}

// ReadFrame fills frame with the next samples of the tone.
func (t *Tone) ReadFrame(frame []int16) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	amp := t.Level
	if amp == 0 {
		amp = 0.3
	}
	step := 2 * math.Pi * t.Freq / 48000
	for i := range frame {
		frame[i] = int16(amp * 32767 * math.Sin(t.phase))
		t.phase += step
		if t.phase > 2*math.Pi {
			t.phase -= 2 * math.Pi
		}
	}
	if t.reads == 0 {
		t.first = time.Now()
	}
	t.reads++
	return nil
}

// Reads returns how many frames were read.
func (t *Tone) Reads() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.reads
}

// Probe is a softphone.Sink that keeps the last second of what it hears
// and can tell its dominant frequency. It is safe for concurrent use.
type Probe struct {
	mu      sync.Mutex
	buf     []int16
	frames  int
	loud    int
	firstAt time.Time
	notify  chan struct{}
}

// NewProbe returns an empty probe.
func NewProbe() *Probe { return &Probe{notify: make(chan struct{}, 1)} }

// WriteFrame records a frame.
func (p *Probe) WriteFrame(frame []int16) error {
	p.mu.Lock()
	p.frames++
	if rms(frame) > 300 {
		p.loud++
		if p.firstAt.IsZero() {
			p.firstAt = time.Now()
		}
	}
	p.buf = append(p.buf, frame...)
	if len(p.buf) > 48000 {
		p.buf = p.buf[len(p.buf)-48000:]
	}
	p.mu.Unlock()
	select {
	case p.notify <- struct{}{}:
	default:
	}
	return nil
}

// LoudFrames returns how many non-silent frames were heard.
func (p *Probe) LoudFrames() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.loud
}

// FirstLoud returns when the first non-silent frame arrived (zero if none).
func (p *Probe) FirstLoud() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.firstAt
}

// Reset forgets what was heard.
func (p *Probe) Reset() {
	p.mu.Lock()
	p.buf, p.loud, p.frames, p.firstAt = nil, 0, 0, time.Time{}
	p.mu.Unlock()
}

// WaitLoud waits until n non-silent frames were heard or timeout passes.
func (p *Probe) WaitLoud(n int, timeout time.Duration) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		if p.LoudFrames() >= n {
			return true
		}
		select {
		case <-p.notify:
		case <-deadline.C:
			return p.LoudFrames() >= n
		}
	}
}

// Level returns the power of the last 200 ms at freq relative to their
// total power (0..1), by the Goertzel algorithm.
func (p *Probe) Level(freq float64) float64 {
	p.mu.Lock()
	n := min(len(p.buf), 9600)
	x := append([]int16(nil), p.buf[len(p.buf)-n:]...)
	p.mu.Unlock()
	return ToneShare(x, freq, 48000)
}

// Dominant returns which of freqs has the largest share of the last 200 ms.
func (p *Probe) Dominant(freqs ...float64) (float64, float64) {
	best, share := 0.0, -1.0
	for _, f := range freqs {
		if s := p.Level(f); s > share {
			best, share = f, s
		}
	}
	return best, share
}

// ToneShare is the share (0..1) of the power of x that lies at freq.
func ToneShare(x []int16, freq, rate float64) float64 {
	if len(x) == 0 {
		return 0
	}
	w := 2 * math.Pi * freq / rate
	coeff := 2 * math.Cos(w)
	var s1, s2, total float64
	for _, v := range x {
		f := float64(v)
		total += f * f
		s := f + coeff*s1 - s2
		s2, s1 = s1, s
	}
	power := s1*s1 + s2*s2 - coeff*s1*s2
	if total == 0 {
		return 0
	}
	// A pure tone of amplitude A over N samples gives power (A*N/2)^2 and
	// total A^2*N/2, so the share is power*2/(N*total).
	return power * 2 / (float64(len(x)) * total)
}

func rms(x []int16) float64 {
	var s float64
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	return math.Sqrt(s / float64(len(x)))
}

// User is a test account.
type User struct{ Name, Password string }

// KamailioEnv is what scripts/services/40-kamailio.sh exports.
type KamailioEnv struct {
	WS     string
	Domain string
	Users  []User
	Ctl    string
}

// Group returns the environment with only the n-th group of three test users
// (0: alice bob carol, 1: dave erin frank, 2: grace heidi ivan, 3: judy
// mallory oscar, as scripts/services/40-kamailio.sh makes them). Test
// packages run in parallel against the same Kamailio: each takes its own
// group, or calls fork to another package's phones. The softphone package
// uses group 1, softphone/interop group 2; app uses the first three users
// (group 0); group 3 is free.
// With fewer users than the group needs, the first three are returned.
func (e KamailioEnv) Group(n int) KamailioEnv {
	if len(e.Users) >= 3*(n+1) {
		e.Users = e.Users[3*n : 3*n+3]
	} else if len(e.Users) > 3 {
		e.Users = e.Users[:3]
	}
	return e
}

// FromEnv reads the Kamailio test environment; ok is false when it is unset.
func FromEnv() (KamailioEnv, bool) {
	e := KamailioEnv{
		WS:     os.Getenv("RINGSIDE_TEST_KAMAILIO_WS"),
		Domain: os.Getenv("RINGSIDE_TEST_SIP_DOMAIN"),
		Ctl:    os.Getenv("RINGSIDE_TEST_KAMAILIO_CTL"),
	}
	for _, pair := range strings.Split(os.Getenv("RINGSIDE_TEST_SIP_USERS"), ",") {
		if n, pw, ok := strings.Cut(pair, ":"); ok {
			e.Users = append(e.Users, User{Name: n, Password: pw})
		}
	}
	return e, e.WS != "" && len(e.Users) >= 3
}
