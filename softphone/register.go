package softphone

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/emiago/sipgo/sip"
)

// regState is what the registration loop keeps between REGISTERs: the same
// Call-ID and increasing CSeq (RFC 3261 section 10.2).
type regSession struct {
	callID  string
	fromTag string
	cseq    uint32
}

// register sends one REGISTER (with digest authentication when challenged)
// on c and returns the granted expiry. expires 0 unregisters. Only the
// connection loop calls it, so two REGISTERs are never in flight.
func (p *Phone) register(ctx context.Context, c *conn, expires time.Duration) (time.Duration, error) {
	if p.regs.callID == "" {
		p.regs = regSession{callID: randomToken(20), fromTag: randomToken(10), cseq: uint32(time.Now().Unix() % 100000)}
	}
	secs := int(expires / time.Second)
	build := func() *sip.Request {
		p.regs.cseq++
		contact := p.regContact(c)
		contact.Params.Add("reg-id", "1")
		contact.Params.Add("expires", strconv.Itoa(secs))
		to := &sip.ToHeader{DisplayName: p.acct.DisplayName, Address: p.aor(), Params: sip.NewParams()}
		return p.build(c, reqSpec{
			method:  sip.REGISTER,
			ruri:    sip.Uri{Scheme: "sip", Host: p.domain},
			from:    p.fromHeader(p.regs.fromTag),
			to:      to,
			callID:  p.regs.callID,
			cseq:    p.regs.cseq,
			branch:  newBranch(),
			contact: contact,
			extra: []sip.Header{
				sip.NewHeader("Expires", strconv.Itoa(secs)),
				sip.NewHeader("Supported", "path, outbound, gruu"),
			},
		})
	}
	req := build()
	for attempt := 0; ; attempt++ {
		tx, err := p.sendOn(c, req)
		if err != nil {
			return 0, err
		}
		res, err := tx.wait(ctx, nil)
		if err != nil && ctx.Err() != nil {
			// Closing: let the REGISTER in flight finish before the
			// un-REGISTER goes, so two are never in flight.
			wctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			_, _ = tx.wait(wctx, nil)
			cancel()
		}
		if err != nil {
			p.dropTx(tx)
			return 0, err
		}
		switch {
		case res.IsSuccess():
			if expires > 0 {
				g := pubGRUU(res, p.instance)
				p.cfg.log.Debug("registered", "contacts", res.GetHeaders("Contact"), "gruu", g)
				p.mu.Lock()
				p.gruu = g
				p.mu.Unlock()
			}
			return grantedExpiry(res, c, expires), nil
		case isAuthChallenge(res) && attempt == 0:
			next := build()
			if !p.authorize(next, res, 1) {
				return 0, statusError(sip.REGISTER, res)
			}
			req = next
		case res.StatusCode == 423 && attempt < 2:
			// Interval Too Brief: use the server's Min-Expires.
			if v, err := strconv.Atoi(headerValue(res, "Min-Expires")); err == nil && v > 0 {
				expires = time.Duration(v) * time.Second
				secs = v
				req = build()
				continue
			}
			return 0, statusError(sip.REGISTER, res)
		default:
			return 0, statusError(sip.REGISTER, res)
		}
	}
}

// grantedExpiry reads the expiry the server granted our contact.
func grantedExpiry(res *sip.Response, c *conn, asked time.Duration) time.Duration {
	for _, h := range res.GetHeaders("Contact") {
		ch, ok := h.(*sip.ContactHeader)
		if !ok || ch.Address.Host != c.host {
			continue
		}
		if v, ok := ch.Params.Get("expires"); ok {
			if n, err := strconv.Atoi(v); err == nil {
				return time.Duration(n) * time.Second
			}
		}
	}
	if v, err := strconv.Atoi(headerValue(res, "Expires")); err == nil {
		return time.Duration(v) * time.Second
	}
	return asked
}

// pubGRUU returns the public GRUU (RFC 5627) the registrar gave our instance.
func pubGRUU(res *sip.Response, instance string) *sip.Uri {
	for _, h := range res.GetHeaders("Contact") {
		ch, ok := h.(*sip.ContactHeader)
		if !ok {
			continue
		}
		inst, _ := ch.Params.Get("+sip.instance")
		if strings.Trim(inst, `"<>`) != instance {
			continue
		}
		// sipgo splits quoted parameter values at ';', so read the raw text.
		raw := ch.String()
		i := strings.Index(raw, `pub-gruu="`)
		if i < 0 {
			continue
		}
		v, _, ok := strings.Cut(raw[i+len(`pub-gruu="`):], `"`)
		if !ok {
			continue
		}
		var u sip.Uri
		if err := sip.ParseUri(v, &u); err == nil && u.Host != "" {
			return &u
		}
	}
	return nil
}
