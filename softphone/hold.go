package softphone

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/emiago/sipgo/sip"
)

// Hold puts an established call on hold: a re-INVITE offering sendonly (or
// inactive when the far end holds too). Our audio stops going out and what
// comes in is not played.
func (c *Call) Hold(ctx context.Context) error { return c.setHold(ctx, true) }

// Resume takes the call off hold with a re-INVITE offering sendrecv.
func (c *Call) Resume(ctx context.Context) error { return c.setHold(ctx, false) }

func (c *Call) setHold(ctx context.Context, hold bool) error {
	c.reqMu.Lock()
	defer c.reqMu.Unlock()
	c.mu.Lock()
	if c.state != CallActive {
		c.mu.Unlock()
		return ErrBadState
	}
	if c.localHold == hold {
		c.mu.Unlock()
		return nil
	}
	dir := "sendrecv"
	if hold {
		dir = "sendonly"
	}
	c.sdpVer++
	offer := withDirection(c.localSDP, dir, c.sdpVer)
	c.mu.Unlock()
	res, err := c.reinvite(ctx, offer)
	if err != nil {
		return err
	}
	theirs := sdpDirection(string(res.Body()))
	c.mu.Lock()
	c.localHold = hold
	c.localSDP = offer
	if len(res.Body()) > 0 {
		c.remoteSDP = string(res.Body())
	}
	c.mu.Unlock()
	c.applyDirection(dir, theirs)
	c.p.emit(HeldEvent{Call: c, Held: hold})
	return nil
}

// handleReinvite answers a re-INVITE from the far end: hold, resume or a
// session refresh, answered from our current description. A re-INVITE that
// changes the ICE credentials (an ICE restart) is refused with 488.
func (c *Call) handleReinvite(conn *conn, req *sip.Request) {
	if !c.reqMu.TryLock() {
		_ = c.p.respond(conn, req, 491, "Request Pending", "", nil)
		return
	}
	defer c.reqMu.Unlock()
	body := string(req.Body())
	c.mu.Lock()
	if c.state != CallActive {
		c.mu.Unlock()
		_ = c.p.respond(conn, req, 491, "Request Pending", "", nil)
		return
	}
	if body != "" {
		if err := checkOffer(req.Body(), c.p.cfg.codecs); err != nil || sdpICEUfrag(body) != sdpICEUfrag(c.remoteSDP) {
			c.mu.Unlock()
			c.p.cfg.log.Info("re-INVITE refused", "call", c.id, "err", err)
			_ = c.p.respond(conn, req, 488, "Not Acceptable Here", "", nil)
			return
		}
	}
	offered := "sendrecv"
	if body != "" {
		offered = sdpDirection(body)
	}
	ours := answerDirection(offered, c.localHold)
	c.sdpVer++
	answer := withDirection(c.localSDP, ours, c.sdpVer)
	var target sip.Uri
	if ct := headerValue(req, "Contact"); ct != "" && sip.ParseUri(addrURI(splitFirst(ct)), &target) == nil {
		c.target = target // target refresh (RFC 3261 section 12.2.2)
	}
	wasHeld := c.remoteHold
	held := offered == "sendonly" || offered == "inactive"
	c.remoteHold = held
	if body != "" {
		c.remoteSDP = body
	}
	tag := c.localTag
	c.mu.Unlock()
	if err := c.p.respond(conn, req, 200, "OK", tag, []byte(answer), c.p.contactHeader(conn)); err != nil {
		return
	}
	c.applyDirection(ours, offered)
	if held != wasHeld {
		c.p.emit(HeldEvent{Call: c, Held: held, Remote: true})
	}
}

// reinvite sends a re-INVITE with offer, retrying after 491 Request Pending
// (glare) as RFC 3261 section 14.1 says, and takes the target refresh of the
// 2xx. The caller holds reqMu.
func (c *Call) reinvite(ctx context.Context, offer string) (*sip.Response, error) {
	for attempt := 0; ; attempt++ {
		res, err := c.request(ctx, sip.INVITE, []byte(offer), "application/sdp")
		if err != nil {
			return nil, err
		}
		if res.StatusCode == 491 && attempt < 3 {
			// The owner of the Call-ID waits 2.1-4 s, the other 0-2 s.
			wait := time.Duration(rand.IntN(2000)) * time.Millisecond
			if c.dir == Outgoing {
				wait += 2100 * time.Millisecond
			}
			c.reqMu.Unlock()
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-ctx.Done():
			}
			t.Stop()
			c.reqMu.Lock()
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			continue
		}
		if !res.IsSuccess() {
			return res, statusError(sip.INVITE, res)
		}
		var target sip.Uri
		if ct := headerValue(res, "Contact"); ct != "" && sip.ParseUri(addrURI(splitFirst(ct)), &target) == nil {
			c.mu.Lock()
			c.target = target
			c.mu.Unlock()
		}
		return res, nil
	}
}

// refreshTarget sends a re-INVITE with our unchanged session so the far end
// and the proxy learn our new connection (after a reconnect).
func (c *Call) refreshTarget(ctx context.Context) error {
	c.reqMu.Lock()
	defer c.reqMu.Unlock()
	c.mu.Lock()
	if c.state != CallActive {
		c.mu.Unlock()
		return ErrBadState
	}
	c.sdpVer++
	dir := sdpDirection(c.localSDP)
	offer := withDirection(c.localSDP, dir, c.sdpVer)
	c.mu.Unlock()
	_, err := c.reinvite(ctx, offer)
	if err == nil {
		c.mu.Lock()
		c.localSDP = offer
		c.mu.Unlock()
	}
	return err
}

// refreshDialogs re-INVITEs every established call after the phone
// reconnected, so in-dialog requests reach it on the new connection.
func (p *Phone) refreshDialogs(c *conn) {
	p.mu.Lock()
	first := p.conns <= 1
	var calls []*Call
	for _, call := range p.calls {
		calls = append(calls, call)
	}
	p.mu.Unlock()
	if first {
		return
	}
	for _, call := range calls {
		if call.State() != CallActive {
			continue
		}
		p.spawn(func() {
			ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
			defer cancel()
			var err error
			// The far end may not have reconnected yet (404, 480...): retry.
			for attempt := 1; ; attempt++ {
				err = call.refreshTarget(ctx)
				var se *StatusError
				if err == nil || !errors.As(err, &se) || se.Code < 404 || attempt == 8 {
					break
				}
				t := time.NewTimer(time.Duration(attempt) * 500 * time.Millisecond)
				select {
				case <-t.C:
				case <-ctx.Done():
				}
				t.Stop()
				if ctx.Err() != nil {
					break
				}
			}
			if err != nil {
				p.cfg.log.Warn("call not refreshed after reconnect", "call", call.id, "err", err)
			}
			p.emit(CallRefreshedEvent{Call: call, Err: err})
		})
	}
}
