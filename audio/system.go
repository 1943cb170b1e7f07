package audio

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/gen2brain/malgo"
)

// Backend is an audio system miniaudio can talk to.
type Backend int

// The backends. BackendAuto tries the platform's usual systems in order and
// never falls back to the null device.
const (
	BackendAuto Backend = iota
	// BackendNull is miniaudio's null device: capture gives silence and
	// playback discards, both at the real-time pace. For tests.
	BackendNull
	BackendPulseAudio
	BackendALSA
	BackendJACK
	BackendCoreAudio
	BackendWASAPI
	BackendDirectSound
)

// String names the backend.
func (b Backend) String() string {
	return [...]string{"auto", "null", "pulseaudio", "alsa", "jack", "coreaudio", "wasapi", "directsound"}[b]
}

func (b Backend) malgo() []malgo.Backend {
	switch b {
	case BackendNull:
		// malgo v0.11.24's BackendNull constant names miniaudio's custom
		// backend; the null backend is the next value.
		return []malgo.Backend{malgo.Backend(malgo.BackendNull + 1)}
	case BackendPulseAudio:
		return []malgo.Backend{malgo.BackendPulseaudio}
	case BackendALSA:
		return []malgo.Backend{malgo.BackendAlsa}
	case BackendJACK:
		return []malgo.Backend{malgo.BackendJack}
	case BackendCoreAudio:
		return []malgo.Backend{malgo.BackendCoreaudio}
	case BackendWASAPI:
		return []malgo.Backend{malgo.BackendWasapi}
	case BackendDirectSound:
		return []malgo.Backend{malgo.BackendDsound}
	}
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd":
		return []malgo.Backend{malgo.BackendPulseaudio, malgo.BackendAlsa, malgo.BackendJack}
	case "darwin":
		return []malgo.Backend{malgo.BackendCoreaudio}
	case "windows":
		return []malgo.Backend{malgo.BackendWasapi, malgo.BackendDsound, malgo.BackendWinmm}
	}
	return nil
}

// Option configures a System.
type Option func(*systemConfig)

type systemConfig struct {
	backends   []Backend
	log        *slog.Logger
	stall      time.Duration
	firstFrame time.Duration
}

// WithBackends sets the audio systems to try, in order (default BackendAuto).
func WithBackends(b ...Backend) Option {
	return func(c *systemConfig) { c.backends = b }
}

// WithLogger sets the logger (default slog.Default()). miniaudio's own
// messages are logged at debug level.
func WithLogger(l *slog.Logger) Option {
	return func(c *systemConfig) { c.log = l }
}

// WithStallTimeout sets how long a started device may deliver no frames
// before it counts as lost: first before its first frame (default 5 s; a
// PulseAudio monitor source takes up to 2 s), then between frames (default 2 s).
func WithStallTimeout(first, between time.Duration) Option {
	return func(c *systemConfig) { c.firstFrame, c.stall = first, between }
}

// System is an open audio system: it lists devices and opens streams on them.
// Close stops every stream still open and joins their goroutines.
type System struct {
	cfg     systemConfig
	log     *slog.Logger
	mctx    *malgo.AllocatedContext
	ctxMu   sync.RWMutex // held for reading while mctx is used, for writing to free it
	mu      sync.Mutex
	closed  bool
	streams map[closer]struct{}
	lostWG  sync.WaitGroup // background releases of lost devices
}

type closer interface{ Close() error }

// Open opens the audio system (PulseAudio, ALSA, CoreAudio, WASAPI... or the
// null backend for tests).
func Open(opts ...Option) (*System, error) {
	c := systemConfig{log: slog.Default(), stall: 2 * time.Second, firstFrame: 5 * time.Second}
	for _, o := range opts {
		o(&c)
	}
	if len(c.backends) == 0 {
		c.backends = []Backend{BackendAuto}
	}
	var list []malgo.Backend
	for _, b := range c.backends {
		list = append(list, b.malgo()...)
	}
	log := c.log.With("component", "audio")
	mctx, err := malgo.InitContext(list, malgo.ContextConfig{}, func(msg string) {
		log.Debug("miniaudio", "msg", strings.TrimSpace(msg))
	})
	if err != nil {
		return nil, fmt.Errorf("%w (tried %v): %v", ErrNoBackend, c.backends, err)
	}
	log.Debug("audio system open", "backends", fmt.Sprint(c.backends))
	return &System{cfg: c, log: log, mctx: mctx, streams: map[closer]struct{}{}}, nil
}

// Close closes all streams still open and the audio system.
func (s *System) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	open := make([]closer, 0, len(s.streams))
	for c := range s.streams {
		open = append(open, c)
	}
	s.mu.Unlock()
	for _, c := range open {
		c.Close()
	}
	released := make(chan struct{})
	go func() { s.lostWG.Wait(); close(released) }()
	select {
	case <-released:
	case <-time.After(lostReleaseWait):
		// Freeing the context under a device miniaudio is still stuck in
		// would crash: leave both to the end of the process.
		s.log.Warn("audio device stuck after it was lost; leaving the audio system open")
		return nil
	}
	s.ctxMu.Lock()
	defer s.ctxMu.Unlock()
	err := s.mctx.Uninit()
	s.mctx.Free()
	return err
}

// lostReleaseWait is how long Close waits for lost devices to be freed.
const lostReleaseWait = 3 * time.Second

// releaseLost frees a device that stopped by itself on a goroutine of its
// own: miniaudio's PulseAudio backend can block for good in ma_device_uninit
// when the server has removed the stream, and a recording must end with an
// error rather than hang. Close waits for these, up to lostReleaseWait.
func (s *System) releaseLost(st *stream) {
	s.lostWG.Add(1)
	go func() {
		defer s.lostWG.Done()
		done := make(chan struct{})
		go func() {
			st.release()
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(lostReleaseWait):
			s.log.Warn("audio device does not stop after it was lost", "device", st.name, "kind", st.kind.String())
		}
	}()
}

func (s *System) track(c closer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	s.streams[c] = struct{}{}
	return nil
}

func (s *System) untrack(c closer) {
	s.mu.Lock()
	delete(s.streams, c)
	s.mu.Unlock()
}

// DeviceKind tells capture devices from playback devices.
type DeviceKind int

// The kinds of device.
const (
	Capture DeviceKind = iota + 1
	Playback
)

// String returns "capture" or "playback".
func (k DeviceKind) String() string {
	if k == Capture {
		return "capture"
	}
	return "playback"
}

// Device is an audio device as the system shows it.
type Device struct {
	Name    string     // as users see it, e.g. "Built-in Audio Analog Stereo"
	ID      string     // the backend's identifier (PulseAudio: the source or sink name)
	Kind    DeviceKind // Capture or Playback
	Default bool       // the system default of its kind

	id malgo.DeviceID
}

// Devices lists capture devices, then playback devices.
func (s *System) Devices(ctx context.Context) ([]Device, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.ctxMu.RLock()
	defer s.ctxMu.RUnlock()
	if s.isClosed() {
		return nil, ErrClosed
	}
	return s.devices()
}

func (s *System) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// devices lists devices; the caller holds ctxMu.
func (s *System) devices() ([]Device, error) {
	var out []Device
	for _, k := range []DeviceKind{Capture, Playback} {
		mk := malgo.Capture
		if k == Playback {
			mk = malgo.Playback
		}
		infos, err := s.mctx.Devices(mk)
		if err != nil {
			return nil, &DeviceError{Op: "list " + k.String() + " devices", Err: err}
		}
		for _, in := range infos {
			out = append(out, Device{Name: in.Name(), ID: idText(in.ID), Kind: k, Default: in.IsDefault != 0, id: in.ID})
		}
	}
	return out, nil
}

// find resolves a device name (the caller holds ctxMu): "" or "default" is the system default (nil);
// otherwise the exact name, the exact ID, or the name ignoring case.
func (s *System) find(ctx context.Context, name string, kind DeviceKind) (*malgo.DeviceID, error) {
	if name == "" || strings.EqualFold(name, "default") {
		return nil, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	all, err := s.devices()
	if err != nil {
		return nil, err
	}
	var names []string
	var fold *Device
	for i, d := range all {
		if d.Kind != kind {
			continue
		}
		names = append(names, fmt.Sprintf("%q", d.Name))
		if d.Name == name || d.ID == name {
			return &all[i].id, nil
		}
		if fold == nil && strings.EqualFold(d.Name, name) {
			fold = &all[i]
		}
	}
	if fold != nil {
		return &fold.id, nil
	}
	return nil, fmt.Errorf("%w (%s devices: %s)", ErrNoDevice, kind, strings.Join(names, ", "))
}

// idText shows a backend device ID as text when it is one (PulseAudio and
// ALSA: UTF-8; WASAPI: UTF-16), else in hex.
func idText(id malgo.DeviceID) string {
	b := id[:]
	if i := indexNul(b); i > 0 && utf8.Valid(b[:i]) && printable(string(b[:i])) {
		if i > 1 || b[1] != 0 { // one byte then NUL may be UTF-16
			return string(b[:i])
		}
	}
	var u []uint16
	for i := 0; i+1 < len(b); i += 2 {
		c := uint16(b[i]) | uint16(b[i+1])<<8
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	if s := string(utf16.Decode(u)); len(u) > 0 && printable(s) {
		return s
	}
	return id.String()
}

func indexNul(b []byte) int {
	for i, c := range b {
		if c == 0 {
			return i
		}
	}
	return len(b)
}

func printable(s string) bool {
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return s != ""
}
