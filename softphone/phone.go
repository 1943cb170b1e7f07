package softphone

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"time"

	"github.com/emiago/sipgo/sip"
	"github.com/pion/webrtc/v4"
)

// Phone is one registered SIP account with its calls. Create it with New;
// Close it to unregister, end its calls and stop its goroutines.
type Phone struct {
	acct     Account
	srv      *url.URL
	domain   string
	cfg      config
	instance string
	api      *webrtc.API
	events   *eventQueue

	ctx    context.Context // ends at Close
	cancel context.CancelFunc
	wg     sync.WaitGroup // every goroutine the phone starts
	runWG  sync.WaitGroup // the connection loop

	mu        sync.Mutex
	conn      *conn
	connReady chan struct{} // closed when conn is set; replaced when it drops
	txs       map[string]*clientTx
	calls     map[string]*Call
	reg       RegistrationEvent
	closed    bool
	kick      chan struct{} // asks the loop to re-register now
	conns     int           // connections made so far
	gruu      *sip.Uri      // public GRUU from the registrar, if any
	regs      regSession    // owned by the connection loop
}

// New validates the account, starts connecting and registering in the
// background, and returns the phone. Watch Events for the registration state.
func New(acct Account, opts ...Option) (*Phone, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	u, domain, err := acct.validate()
	if err != nil {
		return nil, err
	}
	for _, c := range cfg.codecs {
		if c != CodecOpus && c != CodecPCMU && c != CodecPCMA {
			return nil, &ConfigError{Field: "codec", Value: c, Allow: "opus, PCMU or PCMA"}
		}
	}
	api, err := newMediaAPI(cfg)
	if err != nil {
		return nil, err
	}
	p := &Phone{
		acct:      acct,
		srv:       u,
		domain:    domain,
		cfg:       cfg,
		instance:  cfg.instanceID,
		api:       api,
		events:    newEventQueue(),
		connReady: make(chan struct{}),
		txs:       make(map[string]*clientTx),
		calls:     make(map[string]*Call),
		kick:      make(chan struct{}, 1),
	}
	if p.instance == "" {
		p.instance = "urn:uuid:" + newUUID()
	}
	p.cfg.log = cfg.log.With("user", acct.User)
	p.ctx, p.cancel = context.WithCancel(context.Background())
	p.runWG.Add(1)
	go p.run()
	return p, nil
}

// Events returns the channel of events. Read it continuously; it is closed
// after Close.
func (p *Phone) Events() <-chan Event { return p.events.out }

// Registration returns the current registration state.
func (p *Phone) Registration() RegistrationEvent {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.reg
}

// Calls returns the calls in progress.
func (p *Phone) Calls() []*Call {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]*Call, 0, len(p.calls))
	for _, c := range p.calls {
		out = append(out, c)
	}
	return out
}

// Reregister asks the phone to register again now (for example after the
// computer wakes from sleep). It does not wait.
func (p *Phone) Reregister() {
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

func (p *Phone) emit(e Event) { p.events.push(e) }

func (p *Phone) setReg(r RegistrationEvent) {
	p.mu.Lock()
	same := p.reg.State == r.State && p.reg.Code == r.Code && (r.State != RegRegistered || p.reg.Expires == r.Expires)
	p.reg = r
	p.mu.Unlock()
	if !same {
		p.emit(r)
	}
}

func (p *Phone) currentConn() *conn {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.conn
}

// waitConn waits until a connection is up.
func (p *Phone) waitConn(ctx context.Context) (*conn, error) {
	for {
		p.mu.Lock()
		c, ready := p.conn, p.connReady
		p.mu.Unlock()
		if c != nil && !c.closed() {
			return c, nil
		}
		select {
		case <-ready:
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-p.ctx.Done():
			return nil, ErrClosed
		}
	}
}

// Close ends all calls, unregisters, closes the connection and waits for
// every goroutine of the phone. The events channel is closed at the end.
func (p *Phone) Close(ctx context.Context) error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	calls := make([]*Call, 0, len(p.calls))
	for _, c := range p.calls {
		calls = append(calls, c)
	}
	p.mu.Unlock()
	var wg sync.WaitGroup
	for _, c := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			hctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			defer cancel()
			c.terminate(hctx, EndClosed)
		}()
	}
	wg.Wait()
	p.cancel() // the loop unregisters and closes the connection
	done := make(chan struct{})
	go func() {
		p.runWG.Wait()
		p.wg.Wait()
		close(done)
	}()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		if c := p.currentConn(); c != nil {
			c.close(ErrClosed)
		}
		<-done
		err = ctx.Err()
	}
	p.events.close()
	return err
}

// run keeps the phone connected and registered until Close.
func (p *Phone) run() {
	defer p.runWG.Done()
	backoff := p.cfg.backoffMin
	for {
		if p.ctx.Err() != nil {
			p.setReg(RegistrationEvent{State: RegUnregistered})
			return
		}
		p.setReg(RegistrationEvent{State: RegRegistering})
		dctx, cancel := context.WithTimeout(p.ctx, 15*time.Second)
		c, err := dialWS(dctx, p.srv, p.cfg.tls, p.cfg.log)
		cancel()
		if err != nil {
			if p.ctx.Err() != nil {
				continue
			}
			p.cfg.log.Warn("cannot connect to SIP server", "err", err, "retry_in", backoff)
			p.setReg(RegistrationEvent{State: RegFailed, Err: err})
			if !p.sleep(backoff) {
				continue
			}
			backoff = min(backoff*2, p.cfg.backoffMax)
			continue
		}
		p.cfg.log.Info("connected to SIP server", "server", redactURL(p.srv))
		ok := p.serve(c, &backoff)
		if !ok {
			continue
		}
	}
}

// sleep waits d or until Close; it returns false when closing.
func (p *Phone) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-p.ctx.Done():
		return false
	case <-p.kick:
		return true
	}
}

// serve runs one connection: reader, pinger, and the registration refresh,
// until the connection drops or the phone closes.
func (p *Phone) serve(c *conn, backoff *time.Duration) bool {
	stopPing := make(chan struct{})
	var cw sync.WaitGroup
	cw.Add(2)
	go func() {
		defer cw.Done()
		c.readLoop(p.cfg.keepalive, func(m sip.Message, raw []byte) { p.handleMessage(c, m, raw) })
	}()
	go func() {
		defer cw.Done()
		c.pingLoop(p.cfg.keepalive, stopPing)
	}()
	p.mu.Lock()
	p.conn = c
	p.conns++
	close(p.connReady)
	p.mu.Unlock()
	defer func() {
		close(stopPing)
		c.close(nil)
		cw.Wait()
		p.mu.Lock()
		p.conn = nil
		p.connReady = make(chan struct{})
		p.mu.Unlock()
	}()

	registered := false
	for {
		expires, err := p.register(p.ctx, c, p.cfg.expires)
		if p.ctx.Err() != nil {
			if registered && !c.closed() {
				uctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				if _, err := p.register(uctx, c, 0); err != nil {
					p.cfg.log.Debug("un-REGISTER failed", "err", err)
				}
				cancel()
			}
			p.setReg(RegistrationEvent{State: RegUnregistered})
			return false
		}
		var refresh time.Duration
		if err != nil {
			registered = false
			p.cfg.log.Warn("registration failed", "err", err, "retry_in", *backoff)
			ev := RegistrationEvent{State: RegFailed, Err: err}
			var se *StatusError
			if errors.As(err, &se) {
				ev.Code = se.Code
			}
			p.setReg(ev)
			if c.closed() {
				p.sleep(*backoff)
				*backoff = min(*backoff*2, p.cfg.backoffMax)
				return true
			}
			refresh = *backoff
			*backoff = min(*backoff*2, p.cfg.backoffMax)
		} else {
			if !registered {
				p.refreshDialogs(c)
			}
			registered = true
			*backoff = p.cfg.backoffMin
			p.setReg(RegistrationEvent{State: RegRegistered, Code: 200, Expires: expires})
			// Refresh at half the granted time, at least a few seconds early.
			refresh = expires / 2
			if refresh > expires-5*time.Second && expires > 10*time.Second {
				refresh = expires - 5*time.Second
			}
			if refresh < time.Second {
				refresh = time.Second
			}
		}
		t := time.NewTimer(refresh)
		select {
		case <-t.C:
		case <-p.kick:
		case <-p.ctx.Done():
		case <-c.done:
			t.Stop()
			p.cfg.log.Warn("connection to SIP server lost", "err", c.err, "retry_in", *backoff)
			p.setReg(RegistrationEvent{State: RegRegistering, Err: c.err})
			p.sleep(*backoff)
			*backoff = min(*backoff*2, p.cfg.backoffMax)
			return true
		}
		t.Stop()
		if c.closed() {
			p.setReg(RegistrationEvent{State: RegRegistering, Err: c.err})
			return true
		}
	}
}

// handleMessage dispatches one message read from c.
func (p *Phone) handleMessage(c *conn, m sip.Message, raw []byte) {
	switch msg := m.(type) {
	case *sip.Response:
		p.handleResponse(msg)
	case *sip.Request:
		msg.SetSource(c.remote)
		if err := checkRequest(msg); err != nil {
			p.cfg.log.Warn("bad request", "method", msg.Method, "err", err)
			if msg.Method != sip.ACK && msg.Via() != nil && msg.From() != nil && msg.To() != nil && msg.CallID() != nil && msg.CSeq() != nil {
				_ = p.respond(c, msg, 400, "Bad Request", "", nil)
			}
			return
		}
		if len(msg.Body()) > p.cfg.maxBodyBytes {
			p.cfg.log.Warn("request body too large", "method", msg.Method, "bytes", len(msg.Body()))
			if msg.Method != sip.ACK {
				_ = p.respond(c, msg, 413, "Request Entity Too Large", "", nil)
			}
			return
		}
		p.handleRequest(c, msg)
	}
}

// checkRequest verifies the headers every request needs (RFC 3261 section 8.1.1).
func checkRequest(r *sip.Request) error {
	switch {
	case r.Via() == nil:
		return fmt.Errorf("no Via")
	case r.From() == nil:
		return fmt.Errorf("no From")
	case r.To() == nil:
		return fmt.Errorf("no To")
	case r.CallID() == nil || *r.CallID() == "":
		return fmt.Errorf("no Call-ID")
	case r.CSeq() == nil:
		return fmt.Errorf("no CSeq")
	case !methodIs(r.CSeq().MethodName, string(r.Method)) && r.Method != sip.ACK && r.Method != sip.CANCEL:
		return fmt.Errorf("CSeq method %s does not match %s", r.CSeq().MethodName, r.Method)
	}
	return nil
}
