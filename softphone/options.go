package softphone

import (
	"crypto/tls"
	"log/slog"
	"time"

	"github.com/pion/webrtc/v4"
)

// Option tunes a Phone; account settings stay in Account.
type Option func(*config)

type config struct {
	log          *slog.Logger
	handler      CallHandler
	tls          *tls.Config
	expires      time.Duration
	loopbackICE  bool
	iceServers   []webrtc.ICEServer
	userAgent    string
	instanceID   string
	keepalive    time.Duration
	backoffMin   time.Duration
	backoffMax   time.Duration
	maxCalls     int
	levelEvery   time.Duration
	jitterMax    time.Duration
	codecs       []string
	maxRinging   int
	dialTimeout  time.Duration
	maxBodyBytes int
}

func defaultConfig() config {
	return config{
		log:          slog.New(slog.DiscardHandler),
		expires:      300 * time.Second,
		userAgent:    "Ringside",
		keepalive:    15 * time.Second,
		backoffMin:   250 * time.Millisecond,
		backoffMax:   30 * time.Second,
		maxCalls:     8,
		maxRinging:   16,
		levelEvery:   500 * time.Millisecond,
		jitterMax:    200 * time.Millisecond,
		codecs:       []string{CodecOpus, CodecPCMU, CodecPCMA},
		dialTimeout:  10 * time.Second,
		maxBodyBytes: 32 << 10,
	}
}

// WithLogger sets the logger (default: discard). Passwords never reach it.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) {
		if l != nil {
			c.log = l
		}
	}
}

// WithCallHandler sets who decides what to do with incoming calls. Without
// one, incoming calls are answered 480 Temporarily Unavailable.
func WithCallHandler(h CallHandler) Option { return func(c *config) { c.handler = h } }

// WithTLSConfig sets the TLS configuration for wss:// servers. The default
// verifies the server certificate against the system roots.
func WithTLSConfig(t *tls.Config) Option { return func(c *config) { c.tls = t } }

// WithRegisterExpiry sets the registration lifetime asked of the server
// (default 300 s). The phone refreshes at about half of what the server grants.
func WithRegisterExpiry(d time.Duration) Option { return func(c *config) { c.expires = d } }

// WithLoopbackICE restricts ICE to 127.0.0.1 and includes loopback candidates.
// For tests and benchmarks only: real calls need real interfaces.
func WithLoopbackICE() Option { return func(c *config) { c.loopbackICE = true } }

// WithICEServers sets STUN/TURN servers for media.
func WithICEServers(s ...webrtc.ICEServer) Option { return func(c *config) { c.iceServers = s } }

// WithUserAgent sets the User-Agent header (default "Ringside").
func WithUserAgent(ua string) Option { return func(c *config) { c.userAgent = ua } }

// WithInstanceID sets the RFC 5626 +sip.instance UUID (urn:uuid:...), which
// should stay the same across restarts of the same installation. Default: a
// random one per Phone.
func WithInstanceID(urn string) Option { return func(c *config) { c.instanceID = urn } }

// WithKeepalive sets how often the phone sends a WebSocket ping and how long
// it waits for any traffic before it declares the connection dead (three
// times the interval). Default 15 s.
func WithKeepalive(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.keepalive = d
		}
	}
}

// WithReconnectBackoff sets the first and the longest wait between attempts
// to reconnect and re-register (default 250 ms, doubling up to 30 s).
func WithReconnectBackoff(min, max time.Duration) Option {
	return func(c *config) {
		if min > 0 && max >= min {
			c.backoffMin, c.backoffMax = min, max
		}
	}
}

// WithMaxCalls sets how many calls (any state) the phone holds at once
// (default 8); more incoming calls are answered 486 Busy Here.
func WithMaxCalls(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.maxCalls = n
		}
	}
}

// WithLevelInterval sets how often AudioLevel events are emitted per call
// (default 500 ms); 0 turns them off.
func WithLevelInterval(d time.Duration) Option { return func(c *config) { c.levelEvery = d } }

// WithCodecs sets the codecs offered and accepted, in order of preference,
// from CodecOpus, CodecPCMU and CodecPCMA (default all three, Opus first).
func WithCodecs(names ...string) Option {
	return func(c *config) {
		if len(names) > 0 {
			c.codecs = names
		}
	}
}
