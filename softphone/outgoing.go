package softphone

import (
	"context"
	"time"

	"github.com/emiago/sipgo/sip"
)

// maxRedirects bounds how many 3xx an outgoing call follows.
const maxRedirects = 5

// Dial calls target (a SIP URI, a tel: number or a user name of the
// account's domain) and returns when the call is answered, with the call
// active. The call shows up in events from the start (RingingEvent carries
// it), so the app can show and hang it up before the answer. Cancelling ctx
// before the answer sends CANCEL; a rejection returns a *StatusError.
// Options (WithCallerID, WithHeader) tune this call only; a value they
// refuse returns an *OptionError before anything is sent.
func (p *Phone) Dial(ctx context.Context, target string, m Media, opts ...DialOption) (*Call, error) {
	var dc dialConfig
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&dc); err != nil {
			return nil, err
		}
	}
	return p.dial(ctx, target, m, "", "", dc)
}

// dial is Dial with an optional Replaces (attended transfer) and Referred-By.
func (p *Phone) dial(ctx context.Context, target string, m Media, replaces, referredBy string, dc dialConfig) (*Call, error) {
	uri, err := p.parseTarget(target)
	if err != nil {
		return nil, err
	}
	conn, err := p.waitConn(ctx)
	if err != nil {
		return nil, err
	}
	c := p.newCall(Outgoing)
	c.id = randomToken(24)
	c.local = p.aor()
	c.localName = p.acct.DisplayName
	if dc.display != "" {
		c.localName = dc.display
	}
	c.localTag = randomToken(12)
	c.remote = uri
	c.target = uri
	c.cseq = 1
	c.media = m
	c.replaces = replaces
	c.onRinging = dc.onRinging
	c.state = CallDialing
	dctx, dcancel := context.WithCancel(ctx)
	defer dcancel()
	c.dcancel = dcancel
	if err := p.addCall(c); err != nil {
		return nil, err
	}
	p.emit(OutgoingCallEvent{Call: c})
	ms, err := p.newMediaSession(c, m)
	if err != nil {
		c.end(EndFailed, 0, err)
		return nil, err
	}
	c.mu.Lock()
	c.ms = ms
	c.mu.Unlock()
	offer, err := ms.offer(dctx)
	if err != nil {
		c.end(EndFailed, 0, err)
		return nil, err
	}
	c.mu.Lock()
	c.localSDP, c.sdpVer = offer, sdpVersion(offer)
	c.mu.Unlock()
	var extra []sip.Header
	if replaces != "" {
		extra = append(extra, sip.NewHeader("Replaces", replaces))
	}
	if referredBy != "" {
		extra = append(extra, sip.NewHeader("Referred-By", referredBy))
	}
	extra = append(extra, sip.NewHeader("Supported", "replaces, outbound"))
	extra = append(extra, dc.extraHeaders(c.localName, p.domain)...)
	if err := c.sendInvite(dctx, ctx, conn, offer, extra); err != nil {
		return nil, err
	}
	return c, nil
}

// invite runs the INVITE transaction(s) of an outgoing call: digest
// authentication, redirects, ringing, CANCEL on dctx's end, ACK.
func (c *Call) sendInvite(dctx, ctx context.Context, conn *conn, offer string, extra []sip.Header) error {
	p := c.p
	authed := false
	redirects := 0
	var auth sip.Header
	for {
		contact := p.contactHeader(conn) // before c.mu: it takes the phone's lock
		c.mu.Lock()
		from := &sip.FromHeader{DisplayName: c.localName, Address: c.local, Params: sip.NewParams()}
		from.Params.Add("tag", c.localTag)
		to := &sip.ToHeader{Address: c.remote, Params: sip.NewParams()}
		spec := reqSpec{
			method: sip.INVITE, ruri: c.target, from: from, to: to, callID: c.id, cseq: c.cseq,
			branch: newBranch(), contact: contact, body: []byte(offer),
			contentType: "application/sdp", extra: extra,
		}
		c.mu.Unlock()
		req := p.build(conn, spec)
		if auth != nil {
			req.AppendHeader(auth)
		}
		c.mu.Lock()
		c.invite = req
		if c.inviteSent.IsZero() {
			c.inviteSent = time.Now()
		}
		c.mu.Unlock()
		tx, err := p.sendOn(conn, req)
		if err != nil {
			c.end(EndFailed, 0, err)
			return err
		}
		lastRing := 0
		res, err := tx.wait(dctx, func(r *sip.Response) {
			if (r.StatusCode == 180 || r.StatusCode == 183) && r.StatusCode != lastRing {
				lastRing = r.StatusCode
				c.mu.Lock()
				if c.state == CallDialing {
					c.state = CallAlerting
				}
				c.mu.Unlock()
				p.emit(RingingEvent{Call: c, Code: r.StatusCode})
				if f := c.onRinging; f != nil {
					c.onRinging = nil // once
					f(r.StatusCode)
				}
			}
		})
		if err != nil {
			if dctx.Err() != nil {
				return c.cancelInvite(tx, ctx)
			}
			p.dropTx(tx)
			c.end(EndFailed, 0, err)
			return err
		}
		switch {
		case res.IsSuccess():
			return c.established(conn, res)
		case isAuthChallenge(res) && !authed:
			authed = true
			p.ackNon2xx(conn, req, res)
			c.mu.Lock()
			c.cseq++
			c.mu.Unlock()
			probe := p.build(conn, spec)
			if !p.authorize(probe, res, 1) {
				err := statusError(sip.INVITE, res)
				c.end(EndRejected, res.StatusCode, err)
				return err
			}
			name := "Authorization"
			if res.StatusCode == 407 {
				name = "Proxy-Authorization"
			}
			auth = probe.GetHeader(name)
		case res.IsRedirection() && redirects < maxRedirects:
			p.ackNon2xx(conn, req, res)
			ct := headerValue(res, "Contact")
			var u sip.Uri
			if ct == "" || sip.ParseUri(addrURI(splitFirst(ct)), &u) != nil {
				err := statusError(sip.INVITE, res)
				c.end(EndRejected, res.StatusCode, err)
				return err
			}
			redirects++
			p.cfg.log.Info("call redirected", "call", c.id, "status", res.StatusCode, "to", u.String())
			c.mu.Lock()
			c.target = u
			c.remote = u
			c.cseq++
			c.mu.Unlock()
			auth = nil
			authed = false
		default:
			p.ackNon2xx(conn, req, res)
			err := statusError(sip.INVITE, res)
			c.end(EndRejected, res.StatusCode, err)
			return err
		}
	}
}

func splitFirst(v string) string {
	l := splitAddrList(v)
	if len(l) == 0 {
		return v
	}
	return l[0]
}

// cancelInvite sends CANCEL for the pending INVITE and waits for its final
// response: 487; a refusal that crossed the CANCEL, which ends the call as
// rejected; or a 2xx that crossed the CANCEL, which is ACKed and BYEd unless
// Cancel asked to keep it.
func (c *Call) cancelInvite(tx *clientTx, ctx context.Context) error {
	p := c.p
	cerr := ctx.Err()
	if cerr == nil {
		cerr = context.Canceled
	}
	c.mu.Lock()
	inv := c.invite
	c.mu.Unlock()
	cancel := cancelRequest(inv)
	ctx2, stop := context.WithTimeout(context.Background(), timerB)
	defer stop()
	if ctxTx, err := p.sendOn(tx.conn, cancel); err == nil {
		p.spawn(func() {
			_, _ = ctxTx.wait(ctx2, nil)
			p.dropTx(ctxTx)
		})
	}
	res, err := tx.wait(ctx2, nil)
	if err == nil && res.IsSuccess() {
		c.mu.Lock()
		keep := c.keepAnswer
		c.mu.Unlock()
		err := c.established(tx.conn, res)
		if keep {
			// Cancel asked to keep a call answered before our CANCEL
			// reached the far end: it is active now.
			return err
		}
		bctx, bstop := context.WithTimeout(context.Background(), 5*time.Second)
		c.terminate(bctx, EndLocalHangup)
		bstop()
		return cerr
	}
	if err == nil {
		p.ackNon2xx(tx.conn, inv, res)
		if res.StatusCode != 487 {
			// The far end refused the call before our CANCEL reached it.
			serr := statusError(sip.INVITE, res)
			c.end(EndRejected, res.StatusCode, serr)
			return cerr
		}
	} else {
		p.dropTx(tx)
	}
	c.end(EndLocalHangup, 487, nil)
	return cerr
}

// established completes an answered outgoing call: dialog state from the 2xx,
// ACK, the far end's SDP answer, media.
func (c *Call) established(conn *conn, res *sip.Response) error {
	to := res.To()
	tag, _ := to.Params.Get("tag")
	var target sip.Uri
	ct := headerValue(res, "Contact")
	if ct == "" || sip.ParseUri(addrURI(splitFirst(ct)), &target) != nil {
		target = c.target
	}
	rr := routeValues(res.GetHeaders("Record-Route"))
	routes := make([]string, len(rr))
	for i := range rr {
		routes[i] = rr[len(rr)-1-i]
	}
	c.mu.Lock()
	c.remoteTag = tag
	c.remoteName = to.DisplayName
	c.target = target
	c.routes = routes
	c.remoteSDP = string(res.Body())
	c.state = CallActive
	c.answered = time.Now()
	ms := c.ms
	c.dcancel = nil
	c.mu.Unlock()
	c.ack2xx(conn, res)
	if err := ms.setAnswer(string(res.Body())); err != nil {
		c.p.cfg.log.Warn("unusable SDP answer", "call", c.id, "err", err)
		bctx, stop := context.WithTimeout(context.Background(), 5*time.Second)
		defer stop()
		_, _ = c.request(bctx, sip.BYE, nil, "")
		c.end(EndFailed, 488, err)
		return err
	}
	c.applyDirection(sdpDirection(c.localSDP), sdpDirection(string(res.Body())))
	ms.start(c.p.cfg.levelEvery)
	close(c.up)
	c.p.emit(AnsweredEvent{Call: c})
	return nil
}

// applyDirection sets what media may flow from our direction and theirs.
func (c *Call) applyDirection(ours, theirs string) {
	oSend, oRecv := dirAllows(ours)
	tSend, tRecv := dirAllows(theirs)
	c.mu.Lock()
	ms, held := c.ms, c.localHold
	c.mu.Unlock()
	if ms == nil {
		return
	}
	// On hold we may send (music on hold) but send nothing: the microphone
	// must not reach the held party.
	ms.sendOK.Store(oSend && tRecv && !held)
	ms.recvOK.Store(oRecv && tSend)
}
