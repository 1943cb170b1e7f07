package softphone

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/emiago/sipgo/sip"
)

// handleRequest dispatches a request from the server. It runs on the read
// goroutine and must not block: slow work goes to goroutines of the phone.
func (p *Phone) handleRequest(conn *conn, req *sip.Request) {
	totag, _ := req.To().Params.Get("tag")
	switch req.Method {
	case sip.INVITE:
		if totag != "" {
			p.inDialog(conn, req, func(c *Call) { c.handleReinvite(conn, req) })
			return
		}
		if !p.spawn(func() { p.handleInvite(conn, req) }) {
			_ = p.respond(conn, req, 503, "Service Unavailable", "", nil)
		}
	case sip.ACK:
		if c := p.findCall(string(*req.CallID())); c != nil {
			c.handleACK(req)
		}
	case sip.CANCEL:
		p.handleCancel(conn, req)
	case sip.BYE:
		p.inDialog(conn, req, func(c *Call) { c.handleBye(conn, req) })
	case sip.REFER:
		p.inDialog(conn, req, func(c *Call) { c.handleRefer(conn, req) })
	case sip.NOTIFY:
		p.inDialog(conn, req, func(c *Call) { c.handleNotify(conn, req) })
	case sip.INFO:
		p.inDialog(conn, req, func(c *Call) { c.handleInfo(conn, req) })
	case sip.OPTIONS:
		_ = p.respond(conn, req, 200, "OK", "", nil,
			sip.NewHeader("Allow", allowMethods), sip.NewHeader("Accept", "application/sdp"),
			sip.NewHeader("Supported", "replaces, outbound"))
	case sip.UPDATE, sip.PRACK:
		p.inDialog(conn, req, func(c *Call) { _ = p.respond(conn, req, 501, "Not Implemented", "", nil) })
	default:
		_ = p.respond(conn, req, 405, "Method Not Allowed", "", nil, sip.NewHeader("Allow", allowMethods))
	}
}

// inDialog finds the call of an in-dialog request (481 when none) and runs f.
func (p *Phone) inDialog(conn *conn, req *sip.Request, f func(*Call)) {
	c := p.findCall(string(*req.CallID()))
	if c == nil || !c.matches(req) {
		_ = p.respond(conn, req, 481, "Call/Transaction Does Not Exist", "", nil)
		return
	}
	c.mu.Lock()
	seq := req.CSeq().SeqNo
	if c.remoteCSeq != 0 && seq < c.remoteCSeq && req.Method != sip.ACK {
		c.mu.Unlock()
		_ = p.respond(conn, req, 500, "Server Internal Error", "", nil, sip.NewHeader("Retry-After", "1"))
		return
	}
	if seq > c.remoteCSeq {
		c.remoteCSeq = seq
	}
	c.mu.Unlock()
	f(c)
}

// matches checks the dialog tags of an in-dialog request.
func (c *Call) matches(req *sip.Request) bool {
	ft, _ := req.From().Params.Get("tag")
	tt, _ := req.To().Params.Get("tag")
	c.mu.Lock()
	defer c.mu.Unlock()
	return tt == c.localTag && ft == c.remoteTag && c.state != CallEnded
}

// handleInvite carries out a new incoming call: checks, 100 Trying, the
// handler's plan.
func (p *Phone) handleInvite(conn *conn, req *sip.Request) {
	log := p.cfg.log.With("call", string(*req.CallID()))
	body := req.Body()
	ctype := strings.ToLower(strings.TrimSpace(headerValue(req, "Content-Type")))
	if i := strings.IndexByte(ctype, ';'); i >= 0 {
		ctype = strings.TrimSpace(ctype[:i])
	}
	switch {
	case len(body) == 0:
		log.Info("INVITE without an SDP offer refused")
		_ = p.respond(conn, req, 488, "Not Acceptable Here", "", nil, sip.NewHeader("Warning", `399 ringside "an SDP offer is required"`))
		return
	case ctype != "application/sdp":
		_ = p.respond(conn, req, 415, "Unsupported Media Type", "", nil, sip.NewHeader("Accept", "application/sdp"))
		return
	}
	if err := checkOffer(body, p.cfg.codecs); err != nil {
		log.Info("INVITE with unusable SDP refused", "err", err)
		_ = p.respond(conn, req, 488, "Not Acceptable Here", "", nil)
		return
	}
	ct := headerValue(req, "Contact")
	var target sip.Uri
	if ct == "" || sip.ParseUri(addrURI(splitFirst(ct)), &target) != nil {
		_ = p.respond(conn, req, 400, "Bad Request (Contact)", "", nil)
		return
	}
	if rep := headerValue(req, "Replaces"); rep != "" {
		p.handleReplaces(conn, req, rep, target)
		return
	}
	c := p.newIncoming(conn, req, target)
	if err := p.addCall(c); err != nil {
		code, phrase := 486, "Busy Here"
		if err == ErrClosed {
			code, phrase = 503, "Service Unavailable"
		}
		_ = p.respond(conn, req, code, phrase, c.localTag, nil)
		return
	}
	ringing := 0
	for _, other := range p.Calls() { // not under p.mu: State takes the call's lock
		if st := other.State(); st == CallOffered || st == CallRinging {
			ringing++
		}
	}
	if ringing > p.cfg.maxRinging {
		if c.sendFinal(486, "Busy Here", nil) == nil {
			c.end(EndDeclined, 486, nil)
		}
		return
	}
	_ = p.respond(conn, req, 100, "Trying", "", nil)
	hctx, hcancel := context.WithCancel(p.ctx)
	c.mu.Lock()
	c.hcancel = hcancel
	c.mu.Unlock()
	plan := Reject(480)
	if p.cfg.handler != nil {
		plan = p.cfg.handler.Incoming(hctx, c)
	}
	if c.isEnded() {
		return // the caller cancelled while the handler decided
	}
	p.emit(IncomingCallEvent{Call: c, Plan: plan})
	c.apply(plan)
}

func (p *Phone) newIncoming(conn *conn, req *sip.Request, target sip.Uri) *Call {
	c := p.newCall(Incoming)
	c.id = string(*req.CallID())
	from, to := req.From(), req.To()
	c.remoteTag, _ = from.Params.Get("tag")
	c.remote = from.Address
	c.remoteName = from.DisplayName
	c.local = to.Address
	c.localName = p.acct.DisplayName
	c.localTag = randomToken(12)
	c.target = target
	c.routes = routeValues(req.GetHeaders("Record-Route"))
	c.remoteCSeq = req.CSeq().SeqNo
	c.invite = req
	c.inConn = conn
	c.remoteSDP = string(req.Body())
	c.state = CallOffered
	return c
}

// apply carries out a plan for a call that is offered or ringing.
func (c *Call) apply(plan Plan) {
	ctx, cancel := context.WithTimeout(c.p.ctx, 10*time.Second)
	defer cancel()
	switch plan.Action {
	case ActAnswer:
		if err := c.Answer(ctx, plan.Media); err != nil {
			c.p.cfg.log.Warn("answer failed", "call", c.id, "err", err)
		}
	case ActRedirect:
		if err := c.Redirect(plan.Target); err != nil {
			c.p.cfg.log.Warn("redirect failed", "call", c.id, "err", err)
			if c.sendFinal(480, "Temporarily Unavailable", nil) == nil {
				c.end(EndDeclined, 480, err)
			}
		}
	case ActRing:
		c.mu.Lock()
		if c.state != CallOffered {
			c.mu.Unlock()
			return
		}
		c.state = CallRinging
		conn, req, tag := c.inConn, c.invite, c.localTag
		if plan.RingFor > 0 {
			then := Reject(480)
			if plan.Then != nil && plan.Then.Action != ActRing {
				then = *plan.Then
			}
			c.ringTimer = time.AfterFunc(plan.RingFor, func() {
				c.p.spawn(func() {
					if c.State() == CallRinging {
						c.apply(then)
					}
				})
			})
		}
		c.mu.Unlock()
		_ = c.p.respond(conn, req, 180, "Ringing", tag, nil, c.p.contactHeader(conn))
		c.p.emit(RingingEvent{Call: c, Code: 180})
	default:
		code := plan.Code
		if code < 300 || code > 699 {
			code = 480
		}
		if err := c.Decline(code); err != nil {
			c.p.cfg.log.Debug("decline failed", "call", c.id, "err", err)
		}
	}
}

// sendFinal sends the one final response to an incoming INVITE; ErrBadState
// when one was already sent.
func (c *Call) sendFinal(code int, phrase string, body []byte, extra ...sip.Header) error {
	c.mu.Lock()
	if c.dir != Incoming || c.finalSent {
		c.mu.Unlock()
		return ErrBadState
	}
	c.finalSent = true
	conn, req, tag := c.inConn, c.invite, c.localTag
	c.mu.Unlock()
	return c.p.respond(conn, req, code, phrase, tag, body, extra...)
}

// Decline answers an incoming call that is offered or ringing with code
// (480, 486, 603...).
func (c *Call) Decline(code int) error {
	if code < 300 || code > 699 {
		return &ConfigError{Field: "decline status", Value: strconv.Itoa(code), Allow: "a SIP status from 300 to 699, such as 480, 486 or 603"}
	}
	if err := c.sendFinal(code, reasonPhrase(code), nil); err != nil {
		return err
	}
	c.end(EndDeclined, code, nil)
	return nil
}

// Redirect answers an incoming call that is offered or ringing with 302
// Moved Temporarily to target (a SIP URI, tel: number or user name).
func (c *Call) Redirect(target string) error {
	u, err := c.p.parseTarget(target)
	if err != nil {
		return err
	}
	if err := c.sendFinal(302, "Moved Temporarily", nil, sip.NewHeader("Contact", "<"+u.String()+">")); err != nil {
		return err
	}
	c.end(EndRedirected, 302, nil)
	return nil
}

// Answer answers an incoming call that is offered or ringing, with media.
func (c *Call) Answer(ctx context.Context, m Media) error {
	c.mu.Lock()
	if c.dir != Incoming || c.finalSent || c.answering || (c.state != CallOffered && c.state != CallRinging) {
		c.mu.Unlock()
		return ErrBadState
	}
	c.answering = true
	offer := c.remoteSDP
	c.media = m
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.answering = false
		c.mu.Unlock()
	}()
	ms, err := c.p.newMediaSession(c, m)
	if err != nil {
		if c.sendFinal(500, "Server Internal Error", nil) == nil {
			c.end(EndFailed, 500, err)
		}
		return err
	}
	answer, err := ms.answer(ctx, offer)
	if err != nil {
		ms.close()
		if c.sendFinal(488, "Not Acceptable Here", nil) == nil {
			c.end(EndFailed, 488, err)
		}
		return err
	}
	c.mu.Lock()
	if c.finalSent || c.state == CallEnded {
		c.mu.Unlock()
		ms.close()
		return ErrCallEnded
	}
	c.ms = ms
	c.localSDP, c.sdpVer = answer, sdpVersion(answer)
	c.mu.Unlock()
	if err := c.sendFinal(200, "OK", []byte(answer), c.p.contactHeader(c.inConn)); err != nil {
		c.end(EndFailed, 0, err)
		return err
	}
	c.mu.Lock()
	if c.ringTimer != nil {
		c.ringTimer.Stop()
	}
	c.state = CallActive
	c.answered = time.Now()
	c.mu.Unlock()
	c.applyDirection(sdpDirection(answer), sdpDirection(offer))
	ms.start(c.p.cfg.levelEvery)
	c.p.emit(AnsweredEvent{Call: c})
	return nil
}

func (c *Call) handleACK(req *sip.Request) {
	// The 2xx over a reliable transport needs no retransmission; nothing to do.
	// An offerless re-INVITE would carry its answer here; we never send one.
	_ = req
}

// handleCancel stops an incoming call that has not been answered yet.
func (p *Phone) handleCancel(conn *conn, req *sip.Request) {
	c := p.findCall(string(*req.CallID()))
	branch, _ := req.Via().Params.Get("branch")
	if c == nil || c.dir != Incoming {
		_ = p.respond(conn, req, 481, "Call/Transaction Does Not Exist", "", nil)
		return
	}
	c.mu.Lock()
	ib, _ := c.invite.Via().Params.Get("branch")
	c.mu.Unlock()
	if ib != branch {
		_ = p.respond(conn, req, 481, "Call/Transaction Does Not Exist", "", nil)
		return
	}
	_ = p.respond(conn, req, 200, "OK", "", nil)
	if c.sendFinal(487, "Request Terminated", nil) == nil {
		c.end(EndCancelled, 487, nil)
	}
}

// handleBye ends an established call at the far end's request.
func (c *Call) handleBye(conn *conn, req *sip.Request) {
	_ = c.p.respond(conn, req, 200, "OK", "", nil)
	c.end(EndRemoteHangup, 0, nil)
}

func reasonPhrase(code int) string {
	switch code {
	case 302:
		return "Moved Temporarily"
	case 403:
		return "Forbidden"
	case 404:
		return "Not Found"
	case 480:
		return "Temporarily Unavailable"
	case 486:
		return "Busy Here"
	case 487:
		return "Request Terminated"
	case 488:
		return "Not Acceptable Here"
	case 600:
		return "Busy Everywhere"
	case 603:
		return "Decline"
	}
	return "Declined"
}

// handleInfo takes DTMF sent as SIP INFO (application/dtmf-relay or
// application/dtmf), which some PBXs use instead of RFC 4733.
func (c *Call) handleInfo(conn *conn, req *sip.Request) {
	_ = c.p.respond(conn, req, 200, "OK", "", nil)
	ctype := strings.ToLower(headerValue(req, "Content-Type"))
	body := strings.TrimSpace(string(req.Body()))
	var sig string
	switch {
	case strings.HasPrefix(ctype, "application/dtmf-relay"):
		for _, line := range strings.Split(body, "\n") {
			if k, v, ok := strings.Cut(line, "="); ok && strings.EqualFold(strings.TrimSpace(k), "Signal") {
				sig = strings.TrimSpace(v)
			}
		}
	case strings.HasPrefix(ctype, "application/dtmf"):
		sig = body
	}
	if len(sig) != 1 {
		return
	}
	d := rune(strings.ToUpper(sig)[0])
	if _, ok := dtmfEvent(d); ok {
		c.p.emit(DTMFEvent{Call: c, Digit: d})
	}
}
