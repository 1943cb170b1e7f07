package softphone

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/emiago/sipgo/sip"
)

// Direction says who placed a call.
type Direction int

// Directions.
const (
	Outgoing Direction = iota
	Incoming
)

func (d Direction) String() string {
	if d == Incoming {
		return "incoming"
	}
	return "outgoing"
}

// CallState is where a call is in its life.
type CallState int

// Call states.
const (
	CallDialing  CallState = iota // outgoing: INVITE sent, nothing heard yet
	CallAlerting                  // outgoing: the far end rings (180/183)
	CallOffered                   // incoming: the handler is deciding
	CallRinging                   // incoming: ringing here
	CallActive                    // established (possibly on hold)
	CallEnded                     // over
)

func (s CallState) String() string {
	return [...]string{"dialing", "alerting", "offered", "ringing", "active", "ended"}[s]
}

// CallStats are measurements of a call, for benchmarks and diagnostics.
type CallStats struct {
	Started        time.Time // Dial called / INVITE received
	InviteSent     time.Time // outgoing: the first INVITE went out
	Answered       time.Time // 200 OK sent or received
	FirstAudio     time.Time // first non-silent frame given to the sink
	JitterFrames   int       // current jitter buffer target, in 20 ms frames
	ReceivedCodecs string    // codec the far end sends, when known
}

// Call is one call, incoming or outgoing. Its methods are safe for
// concurrent use.
type Call struct {
	p   *Phone
	id  string
	dir Direction

	mu         sync.Mutex
	state      CallState
	local      sip.Uri // our address in this dialog
	localName  string
	remote     sip.Uri // the far end's address
	remoteName string
	localTag   string
	remoteTag  string
	target     sip.Uri  // remote target (Contact)
	routes     []string // route set
	cseq       uint32
	remoteCSeq uint32
	invite     *sip.Request // incoming: the initial INVITE; outgoing: the last sent
	inConn     *conn        // incoming: the connection of the INVITE
	finalSent  bool
	answering  bool
	ms         *mediaSession
	media      Media
	localSDP   string
	sdpVer     uint64
	remoteSDP  string
	localHold  bool
	remoteHold bool
	ended      *EndedEvent
	done       chan struct{}
	hcancel    context.CancelFunc // ends the handler's ctx
	dcancel    context.CancelFunc // ends an outgoing dial
	ringTimer  *time.Timer
	started    time.Time
	inviteSent time.Time
	answered   time.Time
	failedOnce bool
	replaces   string // outgoing: Replaces header value to send
	// onRinging (outgoing, dialConfig.onRinging) is called with the first
	// 180/183; only the dialling goroutine touches it.
	onRinging   func(code int)
	referTarget string // the target of our last REFER
	referCode   int    // the progress of our last REFER (TransferProgress)
	referDone   bool
	keepAnswer  bool          // Cancel: a 2xx that crosses our CANCEL keeps the call
	up          chan struct{} // outgoing: closed once the call is answered and its media runs

	reqMu sync.Mutex // one in-dialog request of ours at a time (re-INVITE, REFER)
}

func (p *Phone) newCall(dir Direction) *Call {
	return &Call{p: p, dir: dir, done: make(chan struct{}), up: make(chan struct{}), started: time.Now()}
}

// ID returns the call's SIP Call-ID.
func (c *Call) ID() string { return c.id }

// Direction says whether the call is incoming or outgoing.
func (c *Call) Direction() Direction { return c.dir }

// Remote returns the far end's SIP URI.
func (c *Call) Remote() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.remote.String()
}

// RemoteName returns the far end's display name, if it gave one.
func (c *Call) RemoteName() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.remoteName
}

// State returns the call's state.
func (c *Call) State() CallState {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state
}

// Done is closed when the call has ended.
func (c *Call) Done() <-chan struct{} { return c.done }

// Ended returns how the call ended, or nil while it goes on.
func (c *Call) Ended() *EndedEvent {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ended
}

// Header returns a header of the incoming INVITE (for example Call-Info or
// Alert-Info, used for auto answer and call origin rules); "" when absent or
// for outgoing calls.
func (c *Call) Header(name string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dir != Incoming || c.invite == nil {
		return ""
	}
	return headerValue(c.invite, name)
}

// AssertedIdentity returns the far end's identity as the network asserts it
// in the incoming INVITE's P-Asserted-Identity (RFC 3325): the caller ID the
// proxy vouches for, which may differ from the From user (an outbound
// number, or the agent's number on a blind transfer). ok is false when the
// INVITE has none (or an unusable one) and for outgoing calls.
func (c *Call) AssertedIdentity() (id Identity, ok bool) {
	v := c.Header("P-Asserted-Identity")
	if v == "" {
		return Identity{}, false
	}
	return parseIdentity(v)
}

// Held reports whether we hold the call (local) and whether the far end does.
func (c *Call) Held() (local, remote bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.localHold, c.remoteHold
}

// Stats returns measurements of the call.
func (c *Call) Stats() CallStats {
	c.mu.Lock()
	ms := c.ms
	st := CallStats{Started: c.started, InviteSent: c.inviteSent, Answered: c.answered}
	c.mu.Unlock()
	if ms != nil {
		if n := ms.firstPlayed.Load(); n != 0 {
			st.FirstAudio = time.Unix(0, n)
		}
	}
	return st
}

// SetMute stops (true) or restarts (false) sending the source's audio; the
// call keeps sending silence so the far end does not think it is held.
func (c *Call) SetMute(mute bool) {
	c.mu.Lock()
	ms := c.ms
	c.mu.Unlock()
	if ms != nil {
		ms.muted.Store(mute)
	}
}

// SetMedia changes the call's audio source and sink.
func (c *Call) SetMedia(m Media) {
	c.mu.Lock()
	c.media = m
	ms := c.ms
	c.mu.Unlock()
	if ms != nil {
		ms.setMedia(m)
	}
}

// SendDTMF queues digits (0-9 * # A-D) to send as RFC 4733 telephone-events,
// 100 ms each with 60 ms between them. It does not wait for them to be sent.
func (c *Call) SendDTMF(digits string) error {
	if err := validDTMF(digits); err != nil {
		return err
	}
	c.mu.Lock()
	ms, st := c.ms, c.state
	c.mu.Unlock()
	if st != CallActive || ms == nil {
		return ErrBadState
	}
	for _, d := range digits {
		if d >= 'a' && d <= 'd' {
			d -= 'a' - 'A'
		}
		select {
		case ms.dtmf <- d:
		default:
			return fmt.Errorf("%w: DTMF queue full", ErrBadState)
		}
	}
	return nil
}

// levelSink

func (c *Call) dtmfReceived(r rune) { c.p.emit(DTMFEvent{Call: c, Digit: r}) }
func (c *Call) levels(in, out float64) {
	c.p.emit(AudioLevelEvent{Call: c, Inbound: in, Outbound: out})
}

func (c *Call) mediaFailed(err error) {
	c.mu.Lock()
	first := !c.failedOnce
	c.failedOnce = true
	c.mu.Unlock()
	if first {
		c.p.cfg.log.Warn("media error", "call", c.id, "err", err)
		c.p.emit(ErrorEvent{Call: c, Err: err})
	}
}

// end records the end of the call once, stops its media and reports it.
func (c *Call) end(reason EndReason, code int, err error) {
	c.mu.Lock()
	if c.ended != nil {
		c.mu.Unlock()
		return
	}
	ev := EndedEvent{Call: c, Reason: reason, Code: code, Err: err}
	c.ended = &ev
	c.state = CallEnded
	ms := c.ms
	if c.ringTimer != nil {
		c.ringTimer.Stop()
	}
	hc, dc := c.hcancel, c.dcancel
	c.mu.Unlock()
	if hc != nil {
		hc()
	}
	if dc != nil {
		dc()
	}
	if ms != nil {
		ms.close()
	}
	c.p.removeCall(c)
	close(c.done)
	c.p.emit(ev)
}

func (p *Phone) addCall(c *Call) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return ErrClosed
	}
	if len(p.calls) >= p.cfg.maxCalls {
		return ErrBusy
	}
	p.calls[c.id] = c
	return nil
}

func (p *Phone) removeCall(c *Call) {
	p.mu.Lock()
	if p.calls[c.id] == c {
		delete(p.calls, c.id)
	}
	p.mu.Unlock()
}

func (p *Phone) findCall(callID string) *Call {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls[callID]
}

// spawn runs f on a goroutine the phone waits for at Close; false when closing.
func (p *Phone) spawn(f func()) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		f()
	}()
	return true
}

// Hangup ends the call: BYE when established, CANCEL while dialing, 486 Busy
// Here while ringing here. It returns when the call has ended or ctx ends.
func (c *Call) Hangup(ctx context.Context) error {
	c.terminate(ctx, EndLocalHangup)
	select {
	case <-c.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *Call) terminate(ctx context.Context, reason EndReason) {
	c.mu.Lock()
	st := c.state
	dc := c.dcancel
	c.mu.Unlock()
	switch st {
	case CallEnded:
		return
	case CallDialing, CallAlerting:
		if dc != nil {
			dc() // Dial sends CANCEL and ends the call
		}
		select {
		case <-c.done:
		case <-ctx.Done():
			c.end(reason, 0, nil)
		}
	case CallOffered, CallRinging:
		code, phrase := 486, "Busy Here"
		if reason == EndClosed {
			code, phrase = 480, "Temporarily Unavailable"
		}
		if c.sendFinal(code, phrase, nil) == nil {
			c.end(EndDeclined, code, nil)
		} else {
			c.mu.Lock()
			answering := c.answering
			c.mu.Unlock()
			if answering {
				// Answer is in flight: wait for it, then BYE.
				select {
				case <-time.After(2 * time.Second):
				case <-ctx.Done():
				}
				c.terminate(ctx, reason)
				return
			}
			c.end(reason, 0, nil)
		}
	case CallActive:
		res, err := c.request(ctx, sip.BYE, nil, "")
		code := 0
		if res != nil {
			code = res.StatusCode
		}
		if err != nil {
			c.p.cfg.log.Debug("BYE failed", "call", c.id, "err", err)
		}
		c.end(reason, code, nil)
	}
}

// request sends an in-dialog request and waits for its final response.
func (c *Call) request(ctx context.Context, method sip.RequestMethod, body []byte, ctype string, extra ...sip.Header) (*sip.Response, error) {
	conn, err := c.p.waitConn(ctx)
	if err != nil {
		return nil, err
	}
	var contact *sip.ContactHeader
	if method == sip.INVITE || method == sip.REFER || method == sip.NOTIFY {
		contact = c.p.contactHeader(conn) // before c.mu: it takes the phone's lock
	}
	build := func() *sip.Request {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.cseq++
		from := &sip.FromHeader{DisplayName: c.localName, Address: c.local, Params: sip.NewParams()}
		from.Params.Add("tag", c.localTag)
		to := &sip.ToHeader{DisplayName: c.remoteName, Address: c.remote, Params: sip.NewParams()}
		to.Params.Add("tag", c.remoteTag)
		s := reqSpec{
			method: method, ruri: c.target, from: from, to: to, callID: c.id, cseq: c.cseq,
			branch: newBranch(), routes: c.routes, body: body, contentType: ctype, extra: extra,
		}
		if contact != nil {
			s.contact = contact.Clone()
		}
		return c.p.build(conn, s)
	}
	req := build()
	for attempt := 0; ; attempt++ {
		tx, err := c.p.sendOn(conn, req)
		if err != nil {
			return nil, err
		}
		res, err := tx.wait(ctx, nil)
		if err != nil {
			c.p.dropTx(tx)
			return nil, err
		}
		if isAuthChallenge(res) && attempt == 0 {
			if method == sip.INVITE {
				c.p.ackNon2xx(conn, req, res)
			}
			next := build()
			if c.p.authorize(next, res, 1) {
				req = next
				continue
			}
		}
		if method == sip.INVITE {
			if res.IsSuccess() {
				c.ack2xx(conn, res)
			} else {
				c.p.ackNon2xx(conn, req, res)
			}
		}
		return res, nil
	}
}

// ack2xx sends the ACK of a 2xx to our INVITE: a new transaction along the
// route set (RFC 3261 section 13.2.2.4).
func (c *Call) ack2xx(conn *conn, res *sip.Response) {
	c.mu.Lock()
	from := &sip.FromHeader{DisplayName: c.localName, Address: c.local, Params: sip.NewParams()}
	from.Params.Add("tag", c.localTag)
	to := &sip.ToHeader{DisplayName: c.remoteName, Address: c.remote, Params: sip.NewParams()}
	to.Params.Add("tag", c.remoteTag)
	s := reqSpec{method: sip.ACK, ruri: c.target, from: from, to: to, callID: c.id, cseq: res.CSeq().SeqNo, branch: newBranch(), routes: c.routes}
	c.mu.Unlock()
	if err := conn.send(c.p.build(conn, s)); err != nil {
		c.p.cfg.log.Debug("ACK not sent", "call", c.id, "err", err)
	}
}

// reACK answers a retransmitted 2xx of an established call with its ACK.
func (p *Phone) reACK(res *sip.Response) {
	cid := res.CallID()
	if cid == nil {
		return
	}
	c := p.findCall(string(*cid))
	if c == nil || c.dir != Outgoing {
		return
	}
	if conn := p.currentConn(); conn != nil {
		c.ack2xx(conn, res)
	}
}

func (c *Call) isEnded() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}
