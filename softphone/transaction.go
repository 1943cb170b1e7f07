package softphone

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/emiago/sipgo/sip"
	"github.com/icholy/digest"
)

// timerB is RFC 3261's 64*T1: how long a request waits for its final response.
const timerB = 32 * time.Second

// clientTx is a client transaction over the (reliable) WebSocket: no
// retransmissions, responses matched by Via branch and CSeq method.
type clientTx struct {
	key  string
	req  *sip.Request
	conn *conn
	resp chan *sip.Response
}

func txKey(branch string, method sip.RequestMethod) string {
	return branch + "|" + string(method)
}

// send starts a client transaction for req on the current connection.
func (p *Phone) send(req *sip.Request) (*clientTx, error) {
	c := p.currentConn()
	if c == nil {
		return nil, ErrNotConnected
	}
	return p.sendOn(c, req)
}

func (p *Phone) sendOn(c *conn, req *sip.Request) (*clientTx, error) {
	branch, _ := req.Via().Params.Get("branch")
	tx := &clientTx{key: txKey(branch, req.Method), req: req, conn: c, resp: make(chan *sip.Response, 16)}
	p.mu.Lock()
	p.txs[tx.key] = tx
	p.mu.Unlock()
	if err := c.send(req); err != nil {
		p.dropTx(tx)
		return nil, err
	}
	return tx, nil
}

func (p *Phone) dropTx(tx *clientTx) {
	p.mu.Lock()
	if p.txs[tx.key] == tx {
		delete(p.txs, tx.key)
	}
	p.mu.Unlock()
}

// wait returns the final response of tx, calling provisional for each 1xx.
// It gives up when ctx ends (returning ctx's error; the caller decides about
// CANCEL), when the connection drops, or after timer B.
func (tx *clientTx) wait(ctx context.Context, provisional func(*sip.Response)) (*sip.Response, error) {
	t := time.NewTimer(timerB)
	defer t.Stop()
	for {
		select {
		case r := <-tx.resp:
			if r.StatusCode < 200 {
				if provisional != nil {
					provisional(r)
				}
				if tx.req.Method == sip.INVITE {
					t.Reset(3 * time.Minute) // Timer C: the callee is alerting
				}
				continue
			}
			return r, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-tx.conn.done:
			return nil, ErrNotConnected
		case <-t.C:
			return nil, ErrTimeout
		}
	}
}

// handleResponse hands a response to its transaction.
func (p *Phone) handleResponse(res *sip.Response) {
	via := res.Via()
	cseq := res.CSeq()
	if via == nil || cseq == nil {
		p.cfg.log.Debug("response without Via or CSeq dropped")
		return
	}
	branch, _ := via.Params.Get("branch")
	key := txKey(branch, cseq.MethodName)
	p.mu.Lock()
	tx := p.txs[key]
	if tx != nil && res.StatusCode >= 200 {
		delete(p.txs, key)
	}
	p.mu.Unlock()
	if tx == nil {
		if cseq.MethodName == sip.INVITE && res.IsSuccess() {
			p.reACK(res)
			return
		}
		p.cfg.log.Debug("response without transaction dropped", "status", res.StatusCode, "method", cseq.MethodName)
		return
	}
	select {
	case tx.resp <- res:
	default:
		p.cfg.log.Warn("response queue full; response dropped", "status", res.StatusCode)
	}
}

// authorize adds credentials answering the challenge in res (401 or 407)
// to req. It returns false when the challenge cannot be answered.
func (p *Phone) authorize(req *sip.Request, res *sip.Response, nc int) bool {
	chName, credName := "WWW-Authenticate", "Authorization"
	if res.StatusCode == 407 {
		chName, credName = "Proxy-Authenticate", "Proxy-Authorization"
	}
	hv := headerValue(res, chName)
	if hv == "" {
		return false
	}
	chal, err := digest.ParseChallenge(hv)
	if err != nil {
		p.cfg.log.Warn("unparsable digest challenge", "header", chName, "err", err)
		return false
	}
	cred, err := digest.Digest(chal, digest.Options{
		Method:   string(req.Method),
		URI:      req.Recipient.String(),
		Username: p.acct.authUser(),
		Password: p.acct.Password,
		Count:    nc,
	})
	if err != nil {
		p.cfg.log.Warn("cannot answer digest challenge", "err", err)
		return false
	}
	req.RemoveHeader(credName)
	req.AppendHeader(sip.NewHeader(credName, cred.String()))
	return true
}

// ackNon2xx acknowledges a non-2xx final response to an INVITE: same branch,
// hop by hop (RFC 3261 section 17.1.1.3).
func (p *Phone) ackNon2xx(c *conn, inv *sip.Request, res *sip.Response) {
	ack := sip.NewRequest(sip.ACK, inv.Recipient)
	ack.AppendHeader(inv.Via().Clone())
	for _, r := range inv.GetHeaders("Route") {
		ack.AppendHeader(sip.NewHeader("Route", r.Value()))
	}
	mf := sip.MaxForwardsHeader(70)
	ack.AppendHeader(&mf)
	ack.AppendHeader(sip.HeaderClone(inv.From()))
	if to := res.To(); to != nil {
		ack.AppendHeader(sip.HeaderClone(to))
	}
	ack.AppendHeader(sip.HeaderClone(inv.CallID()))
	ack.AppendHeader(&sip.CSeqHeader{SeqNo: inv.CSeq().SeqNo, MethodName: sip.ACK})
	ack.SetBody(nil)
	if err := c.send(ack); err != nil {
		p.cfg.log.Debug("ACK not sent", "err", err)
	}
}

// cancelRequest builds the CANCEL of an INVITE (RFC 3261 section 9.1).
func cancelRequest(inv *sip.Request) *sip.Request {
	r := sip.NewRequest(sip.CANCEL, inv.Recipient)
	r.AppendHeader(inv.Via().Clone())
	for _, h := range inv.GetHeaders("Route") {
		r.AppendHeader(sip.NewHeader("Route", h.Value()))
	}
	mf := sip.MaxForwardsHeader(70)
	r.AppendHeader(&mf)
	r.AppendHeader(sip.HeaderClone(inv.From()))
	r.AppendHeader(sip.HeaderClone(inv.To()))
	r.AppendHeader(sip.HeaderClone(inv.CallID()))
	r.AppendHeader(&sip.CSeqHeader{SeqNo: inv.CSeq().SeqNo, MethodName: sip.CANCEL})
	r.SetBody(nil)
	return r
}

// respond sends a response to req on the connection it came from. toTag is
// added to To when the request had none (and the status is not 100).
func (p *Phone) respond(c *conn, req *sip.Request, code int, reason string, toTag string, body []byte, extra ...sip.Header) error {
	res := sip.NewResponseFromRequest(req, code, reason, nil)
	if to := res.To(); to != nil && code != 100 {
		if tag, ok := req.To().Params.Get("tag"); ok && tag != "" {
			to.Params.Add("tag", tag)
		} else if toTag != "" {
			to.Params.Add("tag", toTag)
		}
	}
	for _, h := range extra {
		res.AppendHeader(h)
	}
	if len(body) > 0 {
		res.AppendHeader(sip.NewHeader("Content-Type", "application/sdp"))
	}
	res.SetBody(body)
	if c == nil {
		return ErrNotConnected
	}
	if err := c.send(res); err != nil {
		return fmt.Errorf("send %d: %w", code, err)
	}
	return nil
}

// isAuthChallenge reports a 401/407.
func isAuthChallenge(res *sip.Response) bool {
	return res.StatusCode == 401 || res.StatusCode == 407
}

func statusError(method sip.RequestMethod, res *sip.Response) *StatusError {
	e := &StatusError{Method: string(method), Code: res.StatusCode, Reason: res.Reason}
	if res.StatusCode == 401 || res.StatusCode == 407 || res.StatusCode == 403 {
		e.Err = ErrAuth
	}
	return e
}

func methodIs(m sip.RequestMethod, name string) bool { return strings.EqualFold(string(m), name) }
