package app

import (
	"context"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/ringside/ringside/app/callpolicy"
	"github.com/ringside/ringside/app/prefs"
	"github.com/ringside/ringside/app/status"
	"github.com/ringside/ringside/softphone"
)

// incomingCall is the softphone's CallHandler: the call settings decide.
func (a *App) incomingCall(ctx context.Context, c *softphone.Call) softphone.Plan {
	ps := a.phoneState()
	ps.mu.Lock()
	p, acct, rules, trusted := ps.phone, ps.acct, ps.rules, ps.trusted
	ps.mu.Unlock()
	log := a.log.With("call", c.ID())
	var live []callpolicy.LiveState
	if p != nil {
		for _, o := range p.Calls() {
			if o == c {
				continue
			}
			switch o.State() {
			case softphone.CallDialing, softphone.CallAlerting:
				live = append(live, callpolicy.LiveDialing)
			case softphone.CallActive:
				if l, _ := o.Held(); l {
					live = append(live, callpolicy.LiveHeld)
				} else {
					live = append(live, callpolicy.LiveActive)
				}
			case softphone.CallOffered, softphone.CallRinging:
				live = append(live, callpolicy.LiveRinging)
			}
		}
	}
	plan, st := a.decide(ctx, log, callpolicy.Call{Caller: c.Remote(), Headers: c, FromProxy: fromProxy(c, trusted)}, live, acct, rules)
	ps.mu.Lock()
	if ps.calls != nil {
		ps.calls[c.ID()] = &trackedCall{call: c, plan: &plan, origin: plan.Origin, callerID: assertedNumber(c)}
	}
	ps.mu.Unlock()
	log.Info("incoming call", "from", c.Remote(), "caller_id", assertedNumber(c), "origin", plan.Origin.String(), "status", string(st),
		"plan", plan.Action.String(), "why", plan.Reason)
	return a.carryOut(ctx, c, plan, log)
}

// decide reads the settings and the status and asks the call policy.
func (a *App) decide(ctx context.Context, log *slog.Logger, call callpolicy.Call, live []callpolicy.LiveState, acct Account,
	rules []callpolicy.Rule) (callpolicy.Plan, status.Status) {
	v, err := a.Prefs(ctx)
	if err != nil {
		log.Warn("incoming call: settings unreadable, using the defaults", "err", err)
		v = prefs.Defaults()
	}
	snap, _, err := a.Status(ctx)
	if err != nil {
		log.Warn("incoming call: status unreadable, taking Available", "err", err)
		snap.Status = status.Available
	}
	return callpolicy.Decide(callpolicy.Input{
		Prefs: v, Status: snap.Status, Live: live, Rules: rules, Now: a.now(), Call: call,
		Account: callpolicy.Account{Domain: acct.Domain, VoicemailURI: acct.VoicemailURI},
	}), snap.Status
}

// carryOut turns a policy plan into the softphone's plan. Forwarding and
// local voicemail are later issues: they fall back, with a log line.
func (a *App) carryOut(ctx context.Context, c *softphone.Call, plan callpolicy.Plan, log *slog.Logger) softphone.Plan {
	switch plan.Action {
	case callpolicy.Offer:
		then := Reject480
		if plan.Then != nil {
			then = a.carryOut(ctx, c, *plan.Then, log)
		}
		if then.Action == softphone.ActRing {
			then = Reject480
		}
		// The softphone's ring timer applies then; it stops at answer,
		// CANCEL or hang-up.
		return softphone.Ring(plan.RingFor, &then)
	case callpolicy.Answer:
		m, err := a.callMedia(ctx, c)
		if err != nil {
			log.Warn("auto answer: no audio for the call; letting it ring", "err", err)
			return softphone.Ring(0, nil)
		}
		answer := softphone.AnswerWith(m)
		if plan.AnswerAfter > 0 {
			return softphone.Ring(plan.AnswerAfter, &answer)
		}
		return answer
	case callpolicy.Redirect:
		return softphone.Redirect(plan.Target)
	case callpolicy.Reject:
		return softphone.Reject(plan.Code)
	case callpolicy.Forward:
		if plan.Then == nil {
			log.Warn("call forwarding is not built yet (SPEC.md section 5): answering 480")
			return Reject480
		}
		log.Warn("call forwarding is not built yet (SPEC.md section 5): using the destination if no answer instead",
			"fallback", plan.Then.Action.String())
		return a.carryOut(ctx, c, *plan.Then, log)
	case callpolicy.LocalVoicemail:
		log.Warn("Ringside's local voicemail is not built yet (SPEC.md section 6) and the account has no voicemail URI: answering 480")
		return Reject480
	}
	return Reject480
}

// Reject480 is the plan for a call nothing else applies to.
var Reject480 = softphone.Reject(480)

// fromProxy reports whether an INVITE came from the account's own proxy: the
// softphone takes requests only over its connection to the account's
// server, and the topmost Via (the hop that sent it to us) must be one of
// trusted (the server's host name and addresses, the account's domain).
// Only then are origin headers and auto-answer marks trusted.
func fromProxy(c callpolicy.Headers, trusted []string) bool {
	via := c.Header("Via")
	if via == "" {
		return false
	}
	if i := strings.IndexByte(via, ','); i >= 0 {
		via = via[:i]
	}
	// "SIP/2.0/WS host:port;branch=..." -> host
	f := strings.Fields(via)
	if len(f) < 2 {
		return false
	}
	sentBy := f[1]
	if i := strings.IndexByte(sentBy, ';'); i >= 0 {
		sentBy = sentBy[:i]
	}
	h := sentBy
	if hh, _, err := net.SplitHostPort(sentBy); err == nil {
		h = hh
	}
	h = strings.Trim(h, "[]")
	for _, t := range trusted {
		if t != "" && strings.EqualFold(h, t) {
			return true
		}
	}
	return false
}

// trustedHops returns the names and addresses of the account's proxy: the
// server's host (and what it resolves to) and the SIP domain.
func trustedHops(ctx context.Context, serverHost, domain string) []string {
	out := []string{serverHost, domain}
	if serverHost != "" && net.ParseIP(serverHost) == nil {
		ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		if ips, err := net.DefaultResolver.LookupHost(ctx, serverHost); err == nil {
			out = append(out, ips...)
		}
	}
	return out
}

// phoneEvents follows the softphone's events until it closes: tracks calls,
// writes the history, notifies missed calls, starts after-call work.
func (a *App) phoneEvents(p *softphone.Phone) {
	for ev := range p.Events() {
		switch e := ev.(type) {
		case softphone.RingingEvent:
			a.phoneState().mu.Lock()
			if tc := a.phoneState().calls[e.Call.ID()]; tc != nil && e.Call.Direction() == softphone.Incoming {
				tc.rang = true
			}
			a.phoneState().mu.Unlock()
		case softphone.RegistrationEvent:
			a.log.Info("softphone registration", "state", e.State.String(), "code", e.Code)
		case softphone.EndedEvent:
			a.callEnded(e)
		}
		a.phoneChanged()
	}
}

// callEnded records a call that ended and acts on it.
func (a *App) callEnded(e softphone.EndedEvent) {
	ps := a.phoneState()
	ps.mu.Lock()
	tc := ps.calls[e.Call.ID()]
	delete(ps.calls, e.Call.ID())
	ps.mu.Unlock()
	if tc == nil {
		tc = &trackedCall{call: e.Call}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	v, err := a.Prefs(ctx)
	if err != nil {
		v = prefs.Defaults()
	}
	c := e.Call
	st := c.Stats()
	entry, missedAny := historyEntry(endFacts{EndedEvent: e, ID: c.ID(), Direction: c.Direction(), Remote: c.Remote(),
		RemoteName: c.RemoteName(), Started: st.Started, Answered: st.Answered}, tc, v, a.now())
	entry, err = a.RecordCall(ctx, entry)
	if err != nil {
		a.log.Warn("call not recorded in the history", "call", e.Call.ID(), "err", err)
	}
	a.log.Info("call ended", "call", e.Call.ID(), "direction", entry.Direction, "result", entry.Result,
		"ended_by", entry.EndedBy, "reason", string(e.Reason), "code", e.Code)
	if entry.Result == ResultAnswered {
		if err := a.CallEnded(ctx); err != nil {
			a.log.Warn("after-call work not started", "err", err)
		}
	}
	if missedAny {
		a.missedCall(entry, v)
	}
}

// endFacts is what the history needs of a call that ended.
type endFacts struct {
	softphone.EndedEvent
	ID                 string
	Direction          softphone.Direction
	Remote, RemoteName string
	Started, Answered  time.Time
}

// historyEntry builds the history entry of a call that ended. missedAny is
// true for a call the agent missed (before the missed-list filter of
// call.log_missed_queue_calls), which missed-call notifications consider.
func historyEntry(f endFacts, tc *trackedCall, v prefs.Values, now time.Time) (HistoryEntry, bool) {
	e := f.EndedEvent
	st := softphone.CallStats{Started: f.Started, Answered: f.Answered}
	start := st.Started
	if start.IsZero() {
		start = now
	}
	en := HistoryEntry{CallID: f.ID, Direction: f.Direction.String(), Origin: tc.origin.String(),
		Peer: f.Remote, PeerName: f.RemoteName, Code: e.Code, CallerID: tc.callerID, Start: start}
	if st.Answered.IsZero() {
		en.Ring = now.Sub(start)
	} else {
		en.Ring = st.Answered.Sub(start)
		en.Talk = now.Sub(st.Answered)
	}
	endedBy := func() string {
		switch e.Reason {
		case softphone.EndLocalHangup, softphone.EndTransferred, softphone.EndReplaced:
			return EndedByLocal
		case softphone.EndRemoteHangup, softphone.EndCancelled, softphone.EndRejected:
			return EndedByRemote
		}
		return EndedBySystem
	}
	en.EndedBy = endedBy()
	if f.Direction == softphone.Outgoing {
		switch {
		case !st.Answered.IsZero():
			en.Result = ResultAnswered
		case e.Reason == softphone.EndRejected && (e.Code == 486 || e.Code == 600):
			en.Result = ResultBusy
		case e.Reason == softphone.EndRejected:
			en.Result = ResultRejected
		case e.Reason == softphone.EndLocalHangup || e.Reason == softphone.EndClosed:
			en.Result, en.EndedBy = ResultCancelled, EndedByLocal
		default:
			en.Result = ResultFailed
		}
		return en, false
	}
	final := callpolicy.Plan{Action: callpolicy.Reject, Code: e.Code}
	if tc.plan != nil {
		final = tc.plan.Final()
		if tc.plan.Action == callpolicy.Forward && tc.plan.Then != nil {
			final = *tc.plan.Then
		}
	}
	missed := false
	switch {
	case !st.Answered.IsZero():
		en.Result = ResultAnswered
	case tc.byAgent == "declined":
		en.Result, en.EndedBy = ResultRejected, EndedByLocal
	case tc.byAgent == "redirected":
		en.Result, en.EndedBy = ResultRedirected, EndedByLocal
	case tc.rang || e.Reason == softphone.EndCancelled:
		// It rang here (or the caller gave up while we decided): missed,
		// whatever the no-answer destination did with it afterwards.
		en.Result, missed = ResultMissed, true
		if e.Reason == softphone.EndRedirected {
			en.Target = final.Target
		}
	case tc.plan == nil && e.Code == 486:
		// Refused by the softphone itself (too many calls) before any plan.
		en.Result, missed = ResultBusy, true
	case tc.plan != nil && tc.plan.Busy:
		en.Result, missed = ResultBusy, tc.origin == status.Direct
	case e.Reason == softphone.EndRedirected:
		en.Result, en.Target, missed = ResultRedirected, final.Target, tc.origin == status.Direct
	default:
		en.Result, missed = ResultRejected, tc.origin == status.Direct
	}
	if tc.origin == status.ClickToCall {
		missed = false // the agent's own call-back
	}
	en.Missed = missed
	if missed && (tc.origin == status.Queue || tc.origin == status.RingGroup) && v["call.log_missed_queue_calls"] == "off" {
		en.Missed = false
	}
	return en, missed
}
