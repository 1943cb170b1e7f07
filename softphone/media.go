package softphone

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// Source supplies the audio a call sends: ReadFrame fills frame (FrameSamples
// mono samples at SampleRate) with the next 20 ms. It is called every 20 ms
// from the call's send goroutine and must not block for long; with nothing
// to give it fills silence.
type Source interface {
	ReadFrame(frame []int16) error
}

// Sink receives the audio a call plays: WriteFrame gets the next 20 ms
// (FrameSamples mono samples at SampleRate) every 20 ms, silence included.
// The frame is reused after WriteFrame returns.
type Sink interface {
	WriteFrame(frame []int16) error
}

// Media connects a call to audio. A nil Source sends silence; a nil Sink
// discards what is received.
type Media struct {
	Source Source
	Sink   Sink
}

// newMediaAPI builds the pion API of a phone: its codecs and ICE settings.
func newMediaAPI(cfg config) (*webrtc.API, error) {
	m := &webrtc.MediaEngine{}
	for _, c := range cfg.codecs {
		var p webrtc.RTPCodecParameters
		switch c {
		case CodecOpus:
			p = webrtc.RTPCodecParameters{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2, SDPFmtpLine: "minptime=10;useinbandfec=1"}, PayloadType: 111}
		case CodecPCMU:
			p = webrtc.RTPCodecParameters{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypePCMU, ClockRate: 8000}, PayloadType: 0}
		case CodecPCMA:
			p = webrtc.RTPCodecParameters{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypePCMA, ClockRate: 8000}, PayloadType: 8}
		}
		if err := m.RegisterCodec(p, webrtc.RTPCodecTypeAudio); err != nil {
			return nil, fmt.Errorf("register codec %s: %w", c, err)
		}
	}
	for _, te := range []webrtc.RTPCodecParameters{
		{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: "audio/telephone-event", ClockRate: 48000, SDPFmtpLine: "0-16"}, PayloadType: 110},
		{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: "audio/telephone-event", ClockRate: 8000, SDPFmtpLine: "0-16"}, PayloadType: 101},
	} {
		if err := m.RegisterCodec(te, webrtc.RTPCodecTypeAudio); err != nil {
			return nil, fmt.Errorf("register telephone-event: %w", err)
		}
	}
	s := webrtc.SettingEngine{}
	s.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	s.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4, webrtc.NetworkTypeUDP6})
	if cfg.loopbackICE {
		s.SetIncludeLoopbackCandidate(true)
		s.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
		s.SetIPFilter(func(ip net.IP) bool { return ip.IsLoopback() })
	}
	// Audio needs RTCP sender and receiver reports only: pion's defaults
	// (NACK, TWCC, stats) cost CPU on every packet and serve video.
	ir := &interceptor.Registry{}
	if err := webrtc.ConfigureRTCPReports(ir); err != nil {
		return nil, fmt.Errorf("rtcp reports: %w", err)
	}
	return webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithSettingEngine(s), webrtc.WithInterceptorRegistry(ir)), nil
}

// audioTrack is our outgoing audio as a pion TrackLocal that writes raw RTP
// with whatever payload type it needs (audio or telephone-event), which
// pion's static tracks do not allow.
type audioTrack struct {
	mu     sync.Mutex
	ws     webrtc.TrackLocalWriter
	ssrc   uint32
	codec  webrtc.RTPCodecParameters
	tePT   uint8
	teOK   bool
	prefer []string
	bound  chan struct{}
	once   sync.Once
}

func (t *audioTrack) Bind(ctx webrtc.TrackLocalContext) (webrtc.RTPCodecParameters, error) {
	params := ctx.CodecParameters()
	var chosen *webrtc.RTPCodecParameters
	for _, name := range t.prefer {
		for i := range params {
			if strings.EqualFold(strings.TrimPrefix(params[i].MimeType, "audio/"), name) {
				chosen = &params[i]
				break
			}
		}
		if chosen != nil {
			break
		}
	}
	if chosen == nil {
		return webrtc.RTPCodecParameters{}, fmt.Errorf("%w: no codec in common", ErrBadSDP)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.codec = *chosen
	t.ws = ctx.WriteStream()
	t.ssrc = uint32(ctx.SSRC())
	for _, p := range params {
		if strings.EqualFold(p.MimeType, "audio/telephone-event") && p.ClockRate == chosen.ClockRate {
			t.tePT, t.teOK = uint8(p.PayloadType), true
		}
	}
	t.once.Do(func() { close(t.bound) })
	return *chosen, nil
}

func (t *audioTrack) Unbind(webrtc.TrackLocalContext) error {
	t.mu.Lock()
	t.ws = nil
	t.mu.Unlock()
	return nil
}

func (t *audioTrack) ID() string                { return "audio" }
func (t *audioTrack) RID() string               { return "" }
func (t *audioTrack) StreamID() string          { return "ringside" }
func (t *audioTrack) Kind() webrtc.RTPCodecType { return webrtc.RTPCodecTypeAudio }

func (t *audioTrack) write(h *rtp.Header, payload []byte) error {
	t.mu.Lock()
	ws := t.ws
	h.SSRC = t.ssrc
	t.mu.Unlock()
	if ws == nil {
		return nil
	}
	_, err := ws.WriteRTP(h, payload)
	return err
}

// mediaSession is the WebRTC side of one call.
type mediaSession struct {
	call  *Call
	pc    *webrtc.PeerConnection
	track *audioTrack
	log   levelSink

	mu     sync.Mutex
	media  Media
	pts    map[uint8]ptInfo
	closed bool

	sendOK atomic.Bool // the negotiated direction and hold state allow sending
	recvOK atomic.Bool // ... and playing
	muted  atomic.Bool

	dtmf     chan rune
	ctx      context.Context
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	started  atomic.Bool
	gotAudio chan struct{} // closed at the first audio packet received
	gotOnce  sync.Once
	up       chan struct{} // closed when ICE and DTLS are connected
	upOnce   sync.Once

	inLevel, outLevel atomic.Uint64 // float64 bits, dBFS
	firstPlayed       atomic.Int64  // unix nanos of the first non-silent frame given to the sink
}

// levelSink receives per-call audio events.
type levelSink interface {
	dtmfReceived(r rune)
	levels(in, out float64)
	mediaFailed(err error)
}

func (p *Phone) newMediaSession(c *Call, m Media) (*mediaSession, error) {
	conf := webrtc.Configuration{ICEServers: p.cfg.iceServers, BundlePolicy: webrtc.BundlePolicyMaxBundle, RTCPMuxPolicy: webrtc.RTCPMuxPolicyRequire}
	pc, err := p.api.NewPeerConnection(conf)
	if err != nil {
		return nil, fmt.Errorf("media: %w", err)
	}
	ms := &mediaSession{
		call:     c,
		pc:       pc,
		track:    &audioTrack{prefer: p.cfg.codecs, bound: make(chan struct{})},
		log:      c,
		media:    m,
		dtmf:     make(chan rune, 64),
		gotAudio: make(chan struct{}),
		up:       make(chan struct{}),
	}
	ms.sendOK.Store(true)
	ms.recvOK.Store(true)
	ms.ctx, ms.cancel = context.WithCancel(p.ctx)
	pc.OnTrack(func(tr *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
		ms.goUnlessClosed(func() { ms.receive(tr) })
	})
	pc.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
		if s == webrtc.PeerConnectionStateConnected {
			ms.upOnce.Do(func() { close(ms.up) })
		}
		if s == webrtc.PeerConnectionStateFailed {
			c.mediaFailed(errors.New("media: ICE/DTLS connection failed"))
		}
	})
	return ms, nil
}

// gather waits for ICE gathering to finish and returns the full description.
func (ms *mediaSession) gather(ctx context.Context, set func() error) (string, error) {
	done := webrtc.GatheringCompletePromise(ms.pc)
	if err := set(); err != nil {
		return "", err
	}
	select {
	case <-done:
	case <-ctx.Done():
		return "", ctx.Err()
	case <-time.After(10 * time.Second):
		return "", errors.New("media: ICE gathering did not finish")
	}
	return ms.pc.LocalDescription().SDP, nil
}

// offer makes the full offer (no trickle).
func (ms *mediaSession) offer(ctx context.Context) (string, error) {
	if _, err := ms.pc.AddTransceiverFromTrack(ms.track, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendrecv}); err != nil {
		return "", fmt.Errorf("media: %w", err)
	}
	o, err := ms.pc.CreateOffer(nil)
	if err != nil {
		return "", fmt.Errorf("media: %w", err)
	}
	return ms.gather(ctx, func() error { return ms.pc.SetLocalDescription(o) })
}

// answer takes the far end's offer and makes the full answer.
func (ms *mediaSession) answer(ctx context.Context, offer string) (string, error) {
	if err := ms.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: offer}); err != nil {
		return "", fmt.Errorf("%w: %v", ErrBadSDP, err)
	}
	if _, err := ms.pc.AddTrack(ms.track); err != nil {
		return "", fmt.Errorf("media: %w", err)
	}
	a, err := ms.pc.CreateAnswer(nil)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrBadSDP, err)
	}
	sdp, err := ms.gather(ctx, func() error { return ms.pc.SetLocalDescription(a) })
	if err != nil {
		return "", err
	}
	ms.setPTs(offer, sdp)
	return sdp, nil
}

// setAnswer applies the far end's answer to our offer.
func (ms *mediaSession) setAnswer(answer string) error {
	if err := ms.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: answer}); err != nil {
		return fmt.Errorf("%w: %v", ErrBadSDP, err)
	}
	ms.setPTs(ms.pc.LocalDescription().SDP, answer)
	return nil
}

func (ms *mediaSession) setPTs(descs ...string) {
	m := ptMapOf(descs...)
	ms.mu.Lock()
	ms.pts = m
	ms.mu.Unlock()
}

func (ms *mediaSession) ptInfo(pt uint8) (ptInfo, bool) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	i, ok := ms.pts[pt]
	return i, ok
}

func (ms *mediaSession) setMedia(m Media) {
	ms.mu.Lock()
	ms.media = m
	ms.mu.Unlock()
}

func (ms *mediaSession) getMedia() Media {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return ms.media
}

// start runs the send goroutine.
func (ms *mediaSession) start(levelEvery time.Duration) {
	if !ms.started.CompareAndSwap(false, true) {
		return
	}
	ms.goUnlessClosed(func() { ms.sendLoop(levelEvery) })
}

// goUnlessClosed runs fn on a goroutine that Close waits for, unless the
// session is already closed.
func (ms *mediaSession) goUnlessClosed(fn func()) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	if ms.closed {
		return
	}
	ms.wg.Add(1)
	go func() {
		defer ms.wg.Done()
		fn()
	}()
}

// close stops media and waits for its goroutines.
func (ms *mediaSession) close() {
	ms.mu.Lock()
	if ms.closed {
		ms.mu.Unlock()
		return
	}
	ms.closed = true
	ms.mu.Unlock()
	ms.cancel()
	_ = ms.pc.Close()
	ms.wg.Wait()
}

// sendLoop reads the source every 20 ms, encodes and sends; DTMF digits
// replace audio while they play (RFC 4733 section 2.5).
func (ms *mediaSession) sendLoop(levelEvery time.Duration) {
	// Packets written before DTLS-SRTP is up are dropped by pion: start the
	// clock when the connection is up, so the first frame goes out at once.
	for _, ch := range []chan struct{}{ms.track.bound, ms.up} {
		select {
		case <-ch:
		case <-ms.ctx.Done():
			return
		}
	}
	ms.track.mu.Lock()
	codec := ms.track.codec
	tePT, teOK := ms.track.tePT, ms.track.teOK
	ms.track.mu.Unlock()
	enc, err := newEncoder(strings.TrimPrefix(codec.MimeType, "audio/"))
	if err != nil {
		ms.log.mediaFailed(err)
		return
	}
	step := enc.clockRate() / 50
	pt := uint8(codec.PayloadType)
	seq := uint16(time.Now().UnixNano())
	ts := uint32(time.Now().UnixNano() >> 10)
	frame := make([]int16, FrameSamples)
	out := make([]byte, 1500)
	marker := true
	var lvlTicks, lvlEvery int
	if levelEvery > 0 {
		lvlEvery = max(int(levelEvery/(20*time.Millisecond)), 1)
	}
	var (
		dEvent   byte
		dActive  bool
		dStart   uint32
		dTicks   int
		dEndSent int
		dGap     int
	)
	const dTone, dPause = 5, 3 // 100 ms tone, 60 ms pause
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	send := func(h rtp.Header, payload []byte) {
		if err := ms.track.write(&h, payload); err != nil && ms.ctx.Err() == nil {
			if !errors.Is(err, net.ErrClosed) {
				ms.log.mediaFailed(fmt.Errorf("media: send: %w", err))
			}
		}
	}
	for {
		// Source first, so a frame read goes out at once.
		m := ms.getMedia()
		if m.Source != nil {
			if err := m.Source.ReadFrame(frame); err != nil {
				clear(frame)
			}
		} else {
			clear(frame)
		}
		ms.outLevel.Store(math.Float64bits(levelDB(frame)))
		sending := ms.sendOK.Load()
		switch {
		case dActive:
			dTicks++
			e := teEvent{event: dEvent, volume: 10, duration: uint16(uint32(dTicks) * step)}
			if dTicks >= dTone {
				e.end = true
				dEndSent++
			}
			if sending {
				send(rtp.Header{Version: 2, PayloadType: tePT, SequenceNumber: seq, Timestamp: dStart, Marker: dTicks == 1}, e.marshal())
				seq++
			}
			if dEndSent >= 3 {
				dActive = false
				dGap = dPause
			}
		case dGap > 0:
			dGap--
		default:
			select {
			case d := <-ms.dtmf:
				if ev, ok := dtmfEvent(d); ok && teOK {
					dEvent, dActive, dStart, dTicks, dEndSent = ev, true, ts, 0, 0
				}
			default:
			}
			if !dActive && sending {
				if ms.muted.Load() {
					clear(frame)
				}
				n, err := enc.encode(frame, out)
				if err == nil && n > 0 {
					send(rtp.Header{Version: 2, PayloadType: pt, SequenceNumber: seq, Timestamp: ts, Marker: marker}, out[:n])
					seq++
					marker = false
				}
			}
			if !sending {
				marker = true
			}
		}
		ts += step
		if lvlEvery > 0 {
			lvlTicks++
			if lvlTicks >= lvlEvery {
				lvlTicks = 0
				ms.log.levels(math.Float64frombits(ms.inLevel.Load()), math.Float64frombits(ms.outLevel.Load()))
			}
		}
		select {
		case <-ms.ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// receive reads RTP from the far end: DTMF events are reported, audio goes
// through the jitter buffer to the sink, played every 20 ms.
func (ms *mediaSession) receive(tr *webrtc.TrackRemote) {
	rate := tr.Codec().ClockRate
	if rate == 0 {
		rate = 48000
	}
	jb := newJitterBuffer(200*time.Millisecond, rate)
	arrived := make(chan struct{}, 1)
	ms.mu.Lock()
	if ms.closed {
		ms.mu.Unlock()
		return
	}
	ms.wg.Add(1)
	ms.mu.Unlock()
	go func() {
		defer ms.wg.Done()
		ms.playLoop(jb, arrived)
	}()
	var lastTE uint32
	haveTE := false
	for {
		pkt, _, err := tr.ReadRTP()
		if err != nil {
			return
		}
		info, ok := ms.ptInfo(pkt.PayloadType)
		if !ok {
			continue
		}
		if info.name == "telephone-event" {
			e, err := parseTE(pkt.Payload)
			if err != nil {
				continue
			}
			if !haveTE || pkt.Timestamp != lastTE {
				haveTE, lastTE = true, pkt.Timestamp
				if d, ok := dtmfDigit(e.event); ok {
					ms.log.dtmfReceived(d)
				}
			}
			continue
		}
		if !ms.recvOK.Load() {
			continue
		}
		jb.push(pkt, time.Now())
		select {
		case arrived <- struct{}{}:
		default:
		}
		ms.gotOnce.Do(func() { close(ms.gotAudio) })
	}
}

// playLoop gives the sink one frame every 20 ms from the jitter buffer. It
// starts its clock at the first packet so the first frame plays at once.
func (ms *mediaSession) playLoop(jb *jitterBuffer, arrived <-chan struct{}) {
	decs := map[uint8]decoder{}
	frame := make([]int16, FrameSamples)
	var last decoder
	select {
	case <-arrived:
	case <-ms.ctx.Done():
		return
	}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		pkt := jb.pop()
		switch {
		case pkt != nil:
			d := decs[pkt.PayloadType]
			if d == nil {
				info, _ := ms.ptInfo(pkt.PayloadType)
				nd, err := newDecoder(info.name)
				if err != nil {
					clear(frame)
					break
				}
				d = nd
				decs[pkt.PayloadType] = d
			}
			last = d
			if err := d.decode(pkt.Payload, frame); err != nil {
				d.conceal(frame)
			}
		case last != nil:
			last.conceal(frame)
		default:
			clear(frame)
		}
		if !ms.recvOK.Load() {
			clear(frame)
		}
		lvl := levelDB(frame)
		ms.inLevel.Store(math.Float64bits(lvl))
		if lvl > -90 && ms.firstPlayed.Load() == 0 {
			ms.firstPlayed.Store(time.Now().UnixNano())
		}
		if s := ms.getMedia().Sink; s != nil {
			_ = s.WriteFrame(frame)
		}
		select {
		case <-ms.ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// levelDB is the RMS level of a frame in dBFS (-100 for digital silence).
func levelDB(frame []int16) float64 {
	var sum float64
	for _, s := range frame {
		f := float64(s)
		sum += f * f
	}
	if sum == 0 {
		return -100
	}
	rms := math.Sqrt(sum/float64(len(frame))) / 32768
	return math.Max(20*math.Log10(rms), -100)
}
