package app

import (
	"context"
	"crypto/sha1"
	"crypto/tls"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/ringside/ringside/app/callpolicy"
	"github.com/ringside/ringside/app/prefs"
	"github.com/ringside/ringside/app/status"
	"github.com/ringside/ringside/softphone"
)

// OriginRulesFile is the file in the data directory that holds the
// account's call origin rules (callpolicy.ParseRules format); without it
// callpolicy.DefaultRules apply.
const OriginRulesFile = "origin-rules.txt"

// ErrPhoneNotRunning means the softphone does not run in this process.
var ErrPhoneNotRunning = errors.New("the softphone is not running: start Ringside (or set up the account with ringside account set)")

// ErrNoSuchCall means no current call has the given id.
var ErrNoSuchCall = errors.New("no current call has this id; list them with ringside call")

// MediaFunc gives a call its audio: the seam where the audio devices plug
// in. The default (nil) sends silence and discards what is received.
type MediaFunc func(ctx context.Context, call LiveCall) (softphone.Media, error)

// PhoneOption tunes StartPhone.
type PhoneOption func(*phoneConfig)

type phoneConfig struct {
	sp    []softphone.Option
	media MediaFunc
}

// WithSoftphoneOptions passes engine options to the softphone (tests use
// softphone.WithLoopbackICE).
func WithSoftphoneOptions(opts ...softphone.Option) PhoneOption {
	return func(c *phoneConfig) { c.sp = append(c.sp, opts...) }
}

// WithCallMedia sets where calls take and give their audio.
func WithCallMedia(f MediaFunc) PhoneOption { return func(c *phoneConfig) { c.media = f } }

// phoneState is the App's softphone and what it knows of its calls.
type phoneState struct {
	mu      sync.Mutex
	phone   *softphone.Phone
	acct    Account
	trusted []string // the proxy's names and addresses (fromProxy)
	rules   []callpolicy.Rule
	media   MediaFunc
	calls   map[string]*trackedCall
	stopped chan struct{} // closed when the event loop ends
	wg      sync.WaitGroup
	dialMu  sync.Mutex // one Call at a time finds its new call

	subsMu sync.Mutex
	subs   map[chan struct{}]struct{}

	notifyMu sync.Mutex
	notify   func(MissedCall)
	smtpTLS  *tls.Config // set by WithSMTPTLSConfig
}

// phoneState returns the App's phone state (App.phone).
func (a *App) phoneState() *phoneState { return &a.phone }

// trackedCall is what the app remembers of a call until it ends.
type trackedCall struct {
	call     *softphone.Call
	plan     *callpolicy.Plan // incoming: the decision
	origin   status.Origin
	callerID string // outgoing: the number presented; incoming: the number the proxy asserted
	rang     bool
	byAgent  string // incoming: "declined" or "redirected" by the agent before answer
	muted    bool
	target   string // outgoing: the target as dialled (Call)
}

// LiveCall is a snapshot of one current call.
type LiveCall struct {
	ID        string `json:"id"`
	Direction string `json:"direction"` // incoming or outgoing
	Peer      string `json:"peer"`
	PeerName  string `json:"peer_name,omitempty"`
	// CallerID is, for an outgoing call, the number presented to the far
	// end (call.outbound_number or the dynamic caller ID); for an incoming
	// call, the caller's number as the proxy asserts it
	// (P-Asserted-Identity), which may differ from Peer. "" when none.
	CallerID string `json:"caller_id,omitempty"`
	State    string `json:"state"`  // dialing, alerting, offered, ringing, active, ended
	Origin   string `json:"origin"` // incoming: direct, queue, ring_group, click_to_call
	Held     bool   `json:"held"`
	Muted    bool   `json:"muted"` // the microphone is off for this call
	// Tone is what should sound while the call rings here: ringtone,
	// call_waiting or auto_answer (the short tone before an auto answer);
	// "" otherwise. The audio side plays it.
	Tone string `json:"tone,omitempty"`
	// AutoAnswered is true for a call the settings answer by themselves
	// (call.auto_answer): the audio side plays the short auto-answer tone.
	AutoAnswered bool `json:"auto_answered,omitempty"`
	// TransferCode is the progress of the last transfer asked of the far
	// end (Transfer, CompleteTransfer), from their NOTIFYs: 100 accepted,
	// 180 the target rings, 200 the target answered (this call then
	// ends), 300-699 the far end's call to the target failed and this
	// call stays here (on hold if it was). 0: no transfer under way.
	TransferCode int `json:"transfer_code,omitempty"`
	// TransferDone says that TransferCode is final.
	TransferDone bool      `json:"transfer_done,omitempty"`
	Start        time.Time `json:"start"`
	Answered     time.Time `json:"answered,omitzero"`
}

// StartPhone starts the softphone with the stored account and the SIP
// password from the keyring; incoming calls follow the call settings
// (package callpolicy). StopPhone (and Close) stop it.
func (a *App) StartPhone(ctx context.Context, opts ...PhoneOption) error {
	var cfg phoneConfig
	for _, o := range opts {
		o(&cfg)
	}
	ps := a.phoneState()
	ps.mu.Lock()
	running := ps.phone != nil
	ps.mu.Unlock()
	if running {
		return nil
	}
	acct, err := a.Account(ctx)
	if err != nil {
		return err
	}
	pw, err := a.SIPPassword(acct)
	if err != nil {
		if isNotFound(err) {
			return errors.New("the SIP password is not in the OS keyring; set it with: ringside account set --password-stdin")
		}
		return fmt.Errorf("SIP password: %w", err)
	}
	rules, err := a.originRules()
	if err != nil {
		return err
	}
	srv, err := url.Parse(acct.Server)
	if err != nil {
		return &AccountError{"server", acct.Server, "a SIP-over-WebSocket URI such as wss://pbx.example.com:8443/ws"}
	}
	trusted := trustedHops(ctx, srv.Hostname(), acct.Domain)
	base := []softphone.Option{
		softphone.WithLogger(a.log.With("part", "softphone")),
		softphone.WithCallHandler(softphone.CallHandlerFunc(a.incomingCall)),
		softphone.WithInstanceID(instanceURN(a.dir, acct)),
		softphone.WithUserAgent("Ringside"),
	}
	p, err := softphone.New(softphone.Account{
		Server: acct.Server, User: acct.User, AuthUser: acct.AuthUser, Domain: acct.Domain,
		DisplayName: acct.DisplayName, Password: pw,
	}, append(base, cfg.sp...)...)
	if err != nil {
		return err
	}
	ps.mu.Lock()
	if ps.phone != nil { // another StartPhone won
		ps.mu.Unlock()
		_ = p.Close(ctx)
		return nil
	}
	ps.phone, ps.acct, ps.trusted, ps.rules, ps.media = p, acct, trusted, rules, cfg.media
	ps.calls = map[string]*trackedCall{}
	ps.stopped = make(chan struct{})
	stopped := ps.stopped
	ps.wg.Add(1)
	ps.mu.Unlock()
	go func() {
		defer ps.wg.Done()
		defer close(stopped)
		a.phoneEvents(p)
	}()
	a.log.Info("softphone started", "user", acct.User, "domain", acct.Domain)
	a.phoneChanged()
	return nil
}

// StopPhone ends the calls, unregisters and stops the softphone; it does
// nothing when it does not run.
func (a *App) StopPhone(ctx context.Context) error {
	ps := a.phoneState()
	ps.mu.Lock()
	p := ps.phone
	ps.mu.Unlock()
	if p == nil {
		return nil
	}
	err := p.Close(ctx) // closes Events: the loop records the last calls and ends
	ps.wg.Wait()
	ps.mu.Lock()
	ps.phone = nil
	ps.calls = nil
	ps.mu.Unlock()
	a.phoneChanged()
	return err
}

// stopPhone is StopPhone for Close; it also waits for missed-call emails.
func (a *App) stopPhone() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := a.StopPhone(ctx); err != nil {
		a.log.Warn("softphone did not stop cleanly", "err", err)
	}
	a.phoneState().wg.Wait() // missed-call emails in flight
}

func (a *App) runningPhone() (*softphone.Phone, error) {
	a.phoneState().mu.Lock()
	defer a.phoneState().mu.Unlock()
	if a.phoneState().phone == nil {
		return nil, ErrPhoneNotRunning
	}
	return a.phoneState().phone, nil
}

// originRules reads OriginRulesFile, or returns nil (the default rules).
func (a *App) originRules() ([]callpolicy.Rule, error) {
	path := filepath.Join(a.dir, OriginRulesFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("call origin rules %s: %w", path, err)
	}
	rules, err := callpolicy.ParseRules(string(b))
	if err != nil {
		return nil, fmt.Errorf("call origin rules %s: %w", path, err)
	}
	return rules, nil
}

// instanceURN is a stable RFC 5626 instance id for this data directory and
// account, so that the registrar replaces our contact across restarts.
func instanceURN(dir string, acct Account) string {
	h := sha1.Sum([]byte("ringside\x00" + dir + "\x00" + acct.User + "@" + acct.Domain))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

func (a *App) registrationState() string {
	a.phoneState().mu.Lock()
	p, acct := a.phoneState().phone, a.phoneState().acct
	a.phoneState().mu.Unlock()
	if p == nil {
		return "not registered (the softphone runs only in the open app)"
	}
	r := p.Registration()
	aor := acct.User + "@" + acct.Domain
	switch r.State {
	case softphone.RegRegistered:
		return "registered as " + aor
	case softphone.RegRegistering:
		return "registering as " + aor + "…"
	case softphone.RegFailed:
		if r.Err != nil {
			return "not registered as " + aor + ": " + r.Err.Error() + " (retrying)"
		}
		return "not registered as " + aor + " (retrying)"
	}
	return "not registered"
}

// Registered reports whether the softphone runs and is registered.
func (a *App) Registered() bool {
	p, err := a.runningPhone()
	return err == nil && p.Registration().State == softphone.RegRegistered
}

// SubscribePhone returns a channel that receives (coalesced) after every
// change of registration or calls, and a function that ends the subscription.
func (a *App) SubscribePhone() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	ps := a.phoneState()
	ps.subsMu.Lock()
	if ps.subs == nil {
		ps.subs = map[chan struct{}]struct{}{}
	}
	ps.subs[ch] = struct{}{}
	ps.subsMu.Unlock()
	return ch, func() {
		ps.subsMu.Lock()
		delete(ps.subs, ch)
		ps.subsMu.Unlock()
	}
}

func (a *App) phoneChanged() {
	ps := a.phoneState()
	ps.subsMu.Lock()
	defer ps.subsMu.Unlock()
	for ch := range ps.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// Calls returns the current calls.
func (a *App) Calls() []LiveCall {
	ps := a.phoneState()
	ps.mu.Lock()
	p := ps.phone
	ps.mu.Unlock()
	if p == nil {
		return nil
	}
	var out []LiveCall
	for _, c := range p.Calls() {
		out = append(out, a.liveCall(c))
	}
	return out
}

func (a *App) liveCall(c *softphone.Call) LiveCall {
	st := c.Stats()
	lc := LiveCall{ID: c.ID(), Direction: c.Direction().String(), Peer: c.Remote(), PeerName: c.RemoteName(),
		State: c.State().String(), Origin: status.Direct.String(), Start: st.Started, Answered: st.Answered}
	lc.Held, _ = c.Held()
	lc.TransferCode, lc.TransferDone = c.TransferProgress()
	lc.CallerID = assertedNumber(c)
	a.phoneState().mu.Lock()
	if tc := a.phoneState().calls[c.ID()]; tc != nil {
		lc.Origin = tc.origin.String()
		lc.Muted = tc.muted
		if tc.callerID != "" {
			lc.CallerID = tc.callerID
		}
		if tc.plan != nil && (lc.State == "ringing" || lc.State == "offered") {
			lc.Tone = tc.plan.Tone.String()
		}
		lc.AutoAnswered = tc.plan != nil && tc.plan.Action == callpolicy.Answer
	}
	a.phoneState().mu.Unlock()
	return lc
}

func (a *App) findCall(id string) (*softphone.Call, error) {
	p, err := a.runningPhone()
	if err != nil {
		return nil, err
	}
	for _, c := range p.Calls() {
		if c.ID() == id {
			return c, nil
		}
	}
	return nil, fmt.Errorf("call %q: %w", id, ErrNoSuchCall)
}

// Hangup ends the call id, or every call when id is "": BYE when talking,
// CANCEL while dialing, 603 Decline for a call ringing here (the agent
// rejects it).
func (a *App) Hangup(ctx context.Context, id string) (int, error) {
	p, err := a.runningPhone()
	if err != nil {
		return 0, err
	}
	var calls []*softphone.Call
	if id == "" {
		calls = p.Calls()
	} else {
		c, err := a.findCall(id)
		if err != nil {
			return 0, err
		}
		calls = []*softphone.Call{c}
	}
	var errs []error
	for _, c := range calls {
		if err := a.hangup(ctx, c); err != nil {
			errs = append(errs, fmt.Errorf("call %s: %w", c.ID(), err))
		}
	}
	return len(calls), errors.Join(errs...)
}

func (a *App) hangup(ctx context.Context, c *softphone.Call) error {
	if c.Direction() == softphone.Incoming {
		if st := c.State(); st == softphone.CallOffered || st == softphone.CallRinging {
			a.markByAgent(c.ID(), "declined")
			if err := c.Decline(603); err == nil || !errors.Is(err, softphone.ErrBadState) {
				return err
			}
		}
	}
	return c.Hangup(ctx)
}

// Answer answers the incoming call id that rings here.
func (a *App) Answer(ctx context.Context, id string) error {
	c, err := a.findCall(id)
	if err != nil {
		return err
	}
	m, err := a.callMedia(ctx, c)
	if err != nil {
		return err
	}
	return c.Answer(ctx, m)
}

func (a *App) markByAgent(id, what string) {
	a.phoneState().mu.Lock()
	if tc := a.phoneState().calls[id]; tc != nil {
		tc.byAgent = what
	}
	a.phoneState().mu.Unlock()
}

func (a *App) callMedia(ctx context.Context, c *softphone.Call) (softphone.Media, error) {
	a.phoneState().mu.Lock()
	f := a.phoneState().media
	a.phoneState().mu.Unlock()
	if f == nil {
		return softphone.Media{}, nil // silence out, received audio discarded
	}
	return f(ctx, a.liveCall(c))
}

// Transfer hands the call id to target (blind transfer, REFER). The
// identity the target sees follows call.blind_transfer_caller_id: remote
// (the original caller's own, nothing added), or local (the agent's
// outbound number and name, carried in the REFER for the transferred
// party's phone to present; its proxy asserts it if allowed). With local but
// no number of the user, the caller's identity goes out, with a log line.
func (a *App) Transfer(ctx context.Context, id, target string) error {
	c, err := a.findCall(id)
	if err != nil {
		return err
	}
	v, err := a.Prefs(ctx)
	if err != nil {
		return err
	}
	var opts []softphone.TransferOption
	caller := assertedNumber(c)
	if caller == "" {
		caller = c.Remote()
	}
	num, local := callpolicy.TransferCallerID(v, caller)
	switch {
	case local && num == "":
		a.log.Info("blind transfer with the local caller ID but the user has no number (profile.numbers): the target sees the caller", "call", id)
	case local:
		opts = append(opts, softphone.WithTransferCallerID(a.callerName(v), num))
		a.log.Info("blind transfer with the local caller ID", "call", id, "number", num)
	case num == assertedNumber(c) && num != "":
		// The caller's asserted number goes with the REFER too, so the
		// target sees it again (the caller's proxy asserts it if allowed).
		opts = append(opts, softphone.WithTransferCallerID(displayName(c.RemoteName()), num))
	}
	return c.Transfer(ctx, target, opts...)
}

// callerName is the display name of the caller ID: the account's display
// name, else the user's first and last name (general.first_name,
// general.last_name); "" when none is set.
func (a *App) callerName(v prefs.Values) string {
	a.phoneState().mu.Lock()
	name := a.phoneState().acct.DisplayName
	a.phoneState().mu.Unlock()
	if name == "" {
		name = strings.TrimSpace(v["general.first_name"] + " " + v["general.last_name"])
	}
	return displayName(name)
}

// displayName makes name fit a caller ID display name.
func displayName(name string) string {
	// The softphone takes up to 64 characters without quotes, backslashes
	// or control characters; the settings allow more in a full name.
	name = strings.Map(func(r rune) rune {
		if r == '"' || r == '\\' || unicode.IsControl(r) {
			return -1
		}
		return r
	}, name)
	if r := []rune(name); len(r) > 64 {
		name = strings.TrimSpace(string(r[:64]))
	}
	return name
}

// assertedNumber is the number the proxy asserts for the far end of an
// incoming call (P-Asserted-Identity); "" when none.
func assertedNumber(c *softphone.Call) string {
	if id, ok := c.AssertedIdentity(); ok {
		return id.Number
	}
	return ""
}

// Call places a call to target (a number, extension, tel: or sip: URI) with
// the caller ID rule of the settings, and returns once the far end rings, the
// call is answered, or it failed. The call goes on after ctx ends; Hangup
// ends it.
func (a *App) Call(ctx context.Context, target string) (LiveCall, error) {
	if err := CheckTarget(target); err != nil {
		return LiveCall{}, err
	}
	p, err := a.runningPhone()
	if err != nil {
		return LiveCall{}, err
	}
	v, err := a.Prefs(ctx)
	if err != nil {
		return LiveCall{}, err
	}
	cid := callpolicy.OutgoingCallerID(v, target)
	var dopts []softphone.DialOption
	if name := a.callerName(v); cid.Number != "" || name != "" {
		// From display name and P-Preferred-Identity; the From user stays
		// the account's (the proxy authenticates it) and the proxy asserts
		// the number to the callee (P-Asserted-Identity).
		dopts = append(dopts, softphone.WithCallerID(name, cid.Number))
	}
	if cid.Number != "" {
		a.log.Info("outgoing caller ID", "number", cid.Number, "dynamic", cid.Dynamic)
	}
	ps := a.phoneState()
	ps.dialMu.Lock()
	defer ps.dialMu.Unlock()
	before := map[string]bool{}
	for _, c := range p.Calls() {
		before[c.ID()] = true
	}
	m := softphone.Media{}
	if f := ps.media; f != nil {
		if m, err = f(ctx, LiveCall{Direction: "outgoing", Peer: target}); err != nil {
			return LiveCall{}, err
		}
	}
	type result struct {
		c   *softphone.Call
		err error
	}
	done := make(chan result, 1)
	ps.wg.Add(1)
	go func() {
		defer ps.wg.Done()
		// The dial outlives the request: it ends with the call (Hangup, or
		// the phone's Close, which ends every call).
		c, err := p.Dial(context.WithoutCancel(ctx), target, m, dopts...)
		done <- result{c, err}
	}()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.NewTimer(30 * time.Second)
	defer deadline.Stop()
	var found *softphone.Call
	for {
		select {
		case r := <-done:
			if r.err != nil {
				return LiveCall{}, r.err
			}
			return a.liveCall(r.c), nil
		case <-tick.C:
			if found == nil {
				for _, c := range p.Calls() {
					if !before[c.ID()] && c.Direction() == softphone.Outgoing {
						found = c
						ps.mu.Lock()
						if ps.calls != nil {
							ps.calls[c.ID()] = &trackedCall{call: c, callerID: cid.Number, target: target}
						}
						ps.mu.Unlock()
						a.phoneChanged()
						break
					}
				}
			}
			if found != nil && found.State() != softphone.CallDialing {
				return a.liveCall(found), nil
			}
		case <-deadline.C:
			if found != nil {
				return a.liveCall(found), nil
			}
			return LiveCall{}, errors.New("the call did not start within 30 s: is the softphone registered? (ringside account show)")
		case <-ctx.Done():
			if found != nil {
				return a.liveCall(found), nil
			}
			return LiveCall{}, ctx.Err()
		}
	}
}
