package softphone

import (
	"context"

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
	res, err := c.request(ctx, sip.INVITE, []byte(offer), "application/sdp")
	if err != nil {
		return err
	}
	if !res.IsSuccess() {
		return statusError(sip.INVITE, res)
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
