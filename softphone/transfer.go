package softphone

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/emiago/sipgo/sip"
)

// Transfer sends the far end of an established call to target (blind
// transfer, RFC 3515 REFER). It returns once the far end accepted the REFER;
// progress comes as TransferEvents (from its NOTIFYs), and when the target
// answers this call ends with EndTransferred. WithTransferCallerID sets the
// identity the target should see (else the transferred party's own).
func (c *Call) Transfer(ctx context.Context, target string, opts ...TransferOption) error {
	var tc transferConfig
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&tc); err != nil {
			return err
		}
	}
	u, err := c.p.parseTarget(target)
	if err != nil {
		return err
	}
	t := u.Clone()
	t.Headers = nil
	referTo := "<" + t.String()
	if tc.number != "" {
		referTo += "?P-Preferred-Identity=" + hvalueEscape(identityValue(tc.display, tc.number, c.p.domain))
	}
	return c.refer(ctx, referTo+">", t.String())
}

// AttendedTransfer connects the far end of c to the far end of other (both
// established calls of this phone), with REFER carrying Replaces (RFC 3891):
// the far end of c calls the far end of other, replacing our call with it.
func (c *Call) AttendedTransfer(ctx context.Context, other *Call) error {
	if other == nil || other == c {
		return ErrBadState
	}
	other.mu.Lock()
	if other.state != CallActive {
		other.mu.Unlock()
		return ErrBadState
	}
	// Replaces is read by the far end of other: its to-tag is that end's
	// own (local) tag, its from-tag ours (RFC 3891 section 3).
	rep := other.id + ";to-tag=" + other.remoteTag + ";from-tag=" + other.localTag
	target := other.remote
	other.mu.Unlock()
	t := target.Clone()
	t.UriParams = nil
	t.Headers = nil
	refer := "<" + t.String() + "?Replaces=" + url.QueryEscape(rep) + ">"
	return c.refer(ctx, refer, t.String())
}

func (c *Call) refer(ctx context.Context, referTo, target string) error {
	c.reqMu.Lock()
	defer c.reqMu.Unlock()
	if c.State() != CallActive {
		return ErrBadState
	}
	c.mu.Lock()
	c.referTarget = target
	c.referCode, c.referDone = 0, false
	c.mu.Unlock()
	aor := c.p.aor()
	by := "<" + aor.String() + ">"
	res, err := c.request(ctx, sip.REFER, nil, "",
		sip.NewHeader("Refer-To", referTo), sip.NewHeader("Referred-By", by))
	if err != nil {
		return err
	}
	if !res.IsSuccess() {
		return statusError(sip.REFER, res)
	}
	c.mu.Lock()
	if c.referCode == 0 { // a NOTIFY may have overtaken the 202
		c.referCode = 100
	}
	c.mu.Unlock()
	c.p.emit(TransferEvent{Call: c, Target: target, Code: 100})
	return nil
}

// TransferProgress reports the last transfer this call asked of its far end
// (Transfer, AttendedTransfer): the status of the far end's call to the
// target as its NOTIFYs tell it (100 once the REFER was accepted, 180 while
// the target rings, 200 when it answered, 4xx-6xx when that call failed),
// and whether that status is final. Code 0: no transfer accepted. After a
// final failure the call stays with us (on hold if it was).
func (c *Call) TransferProgress() (code int, done bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.referCode, c.referDone
}

// handleNotify takes the progress of a REFER we sent (message/sipfrag).
func (c *Call) handleNotify(conn *conn, req *sip.Request) {
	ev := strings.ToLower(strings.TrimSpace(headerValue(req, "Event")))
	if !strings.HasPrefix(ev, "refer") {
		_ = c.p.respond(conn, req, 489, "Bad Event", "", nil)
		return
	}
	_ = c.p.respond(conn, req, 200, "OK", "", nil)
	code := parseSipfrag(req.Body())
	if code == 0 {
		return
	}
	c.mu.Lock()
	target := c.referTarget
	c.mu.Unlock()
	done := code >= 200 || strings.HasPrefix(strings.ToLower(headerValue(req, "Subscription-State")), "terminated")
	c.mu.Lock()
	c.referCode, c.referDone = code, done
	c.mu.Unlock()
	c.p.emit(TransferEvent{Call: c, Target: target, Code: code, Done: done})
	if done && code >= 200 && code < 300 {
		// The far end is now talking to the target: leave.
		c.p.spawn(func() {
			ctx, cancel := context.WithTimeout(c.p.ctx, 5*time.Second)
			defer cancel()
			if c.State() == CallActive {
				res, _ := c.request(ctx, sip.BYE, nil, "")
				code := 0
				if res != nil {
					code = res.StatusCode
				}
				c.end(EndTransferred, code, nil)
			}
		})
	}
}

// handleRefer carries out a transfer the far end asks for: call the target
// (with Replaces when given), report progress with NOTIFY, and hand this
// call's media to the new call when it answers.
func (c *Call) handleRefer(conn *conn, req *sip.Request) {
	rt := headerValue(req, "Refer-To")
	target, replaces, err := referTarget(rt)
	if err != nil || target == "" {
		_ = c.p.respond(conn, req, 400, "Bad Request (Refer-To)", "", nil)
		return
	}
	if _, err := c.p.parseTarget(target); err != nil {
		_ = c.p.respond(conn, req, 400, "Bad Request (Refer-To)", "", nil)
		return
	}
	if !c.awaitActive(time.Second) {
		_ = c.p.respond(conn, req, 603, "Decline", "", nil)
		return
	}
	_ = c.p.respond(conn, req, 202, "Accepted", "", nil, c.p.contactHeader(conn))
	c.p.emit(TransferEvent{Call: c, Target: target, Code: 100, Requested: true})
	referredBy := headerValue(req, "Referred-By")
	var dc dialConfig
	if id, ok := referIdentity(rt); ok {
		// The transferor asks us to present this identity to the target;
		// our proxy asserts it only if we may use it.
		dc.ppi = id.value()
	}
	// The transferor hears how its transfer goes, in order (RFC 3515): 100
	// Trying, 180 Ringing once the target rings, then the final answer.
	type frag struct {
		code   int
		phrase string
		final  bool
	}
	notes := make(chan frag, 3) // at most three: never blocks
	c.p.spawn(func() {
		for f := range notes {
			ctx, cancel := context.WithTimeout(c.p.ctx, 10*time.Second)
			c.notifyRefer(ctx, f.code, f.phrase, f.final)
			cancel()
			if f.final {
				c.p.emit(TransferEvent{Call: c, Target: target, Code: f.code, Requested: true, Done: true})
			}
		}
	})
	dc.onRinging = func(int) { notes <- frag{180, "Ringing", false} }
	c.p.spawn(func() {
		notes <- frag{100, "Trying", false}
		c.mu.Lock()
		m := c.media
		c.mu.Unlock()
		dctx, dcancel := context.WithTimeout(c.p.ctx, 2*time.Minute)
		_, err := c.p.dial(dctx, target, m, replaces, referredBy, dc)
		dcancel()
		code, phrase := 200, "OK"
		if err != nil {
			code, phrase = 503, "Service Unavailable"
			if se, ok := err.(*StatusError); ok {
				code, phrase = se.Code, se.Reason
			}
		} else {
			// The new call has the audio now.
			c.SetMedia(Media{})
		}
		notes <- frag{code, phrase, true}
		close(notes)
	})
}

// awaitActive reports whether the call is active, waiting up to d while our
// 200 OK to it is on its way: the caller may send a request in the dialog
// (a REFER right after its ACK) that overtakes our own bookkeeping of the
// answer by a moment.
func (c *Call) awaitActive(d time.Duration) bool {
	deadline := time.Now().Add(d)
	for {
		c.mu.Lock()
		st, answering := c.state, c.dir == Incoming && c.finalSent
		c.mu.Unlock()
		switch {
		case st == CallActive:
			return true
		case st == CallEnded || !answering || time.Now().After(deadline):
			return false
		}
		time.Sleep(time.Millisecond)
	}
}

// notifyRefer sends a NOTIFY with the sipfrag of the transfer's progress.
func (c *Call) notifyRefer(ctx context.Context, code int, phrase string, final bool) {
	state := "active;expires=60"
	if final {
		state = "terminated;reason=noresource"
	}
	body := []byte(fmt.Sprintf("SIP/2.0 %d %s\r\n", code, phrase))
	if _, err := c.request(ctx, sip.NOTIFY, body, "message/sipfrag;version=2.0",
		sip.NewHeader("Event", "refer"), sip.NewHeader("Subscription-State", state)); err != nil {
		c.p.cfg.log.Debug("NOTIFY failed", "call", c.id, "err", err)
	}
}

// handleReplaces answers an INVITE that replaces one of our calls (we are the
// target of an attended transfer): it is answered at once with the replaced
// call's media, and the replaced call ends.
func (p *Phone) handleReplaces(conn *conn, req *sip.Request, rep string, target sip.Uri) {
	callID, toTag, fromTag, ok := replacesParams(rep)
	if !ok {
		_ = p.respond(conn, req, 400, "Bad Request (Replaces)", "", nil)
		return
	}
	old := p.findCall(callID)
	if old == nil {
		_ = p.respond(conn, req, 481, "Call/Transaction Does Not Exist", "", nil)
		return
	}
	old.mu.Lock()
	match := old.localTag == toTag && old.remoteTag == fromTag && old.state == CallActive
	m := old.media
	old.mu.Unlock()
	if !match {
		_ = p.respond(conn, req, 481, "Call/Transaction Does Not Exist", "", nil)
		return
	}
	c := p.newIncoming(conn, req, target)
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		_ = p.respond(conn, req, 503, "Service Unavailable", "", nil)
		return
	}
	p.calls[c.id] = c
	p.mu.Unlock()
	_ = p.respond(conn, req, 100, "Trying", "", nil)
	plan := AnswerWith(m)
	p.emit(IncomingCallEvent{Call: c, Plan: plan})
	old.SetMedia(Media{})
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	if err := c.Answer(ctx, m); err != nil {
		old.SetMedia(m)
		return
	}
	p.emit(TransferEvent{Call: old, Target: c.Remote(), Code: 200, Done: true})
	res, _ := old.request(ctx, sip.BYE, nil, "")
	code := 0
	if res != nil {
		code = res.StatusCode
	}
	old.end(EndReplaced, code, nil)
}
