package callpolicy

import (
	"testing"
	"time"

	"github.com/ringside/ringside/app/prefs"
	"github.com/ringside/ringside/app/status"
)

// t0 is the fake clock of every decision.
var t0 = time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)

var acct = Account{Domain: "pbx.example.com", VoicemailURI: "sip:*97@pbx.example.com"}

func with(kv ...string) prefs.Values {
	v := prefs.Defaults()
	for i := 0; i+1 < len(kv); i += 2 {
		v[kv[i]] = kv[i+1]
	}
	return v
}

var (
	queueCall = Call{Caller: "sip:+15551234@pbx", Headers: HeaderMap{"X-Queue": "sales"}, FromProxy: true}
	groupCall = Call{Caller: "sip:+15551234@pbx", Headers: HeaderMap{"Alert-Info": "<http://x>;info=ring-group"}, FromProxy: true}
	direct    = Call{Caller: "sip:bob@pbx", FromProxy: true}
	c2c       = Call{Caller: "sip:pbx", Headers: HeaderMap{"Call-Info": "<sip:pbx>;answer-after=0"}, FromProxy: true}
)

// want is the part of a Plan a row checks.
type want struct {
	action Action
	code   int
	target string
	ring   time.Duration
	then   *want
	tone   Tone
	origin status.Origin
	busy   bool
	after  time.Duration
}

func check(t *testing.T, got Plan, w want) {
	t.Helper()
	if got.Action != w.action || got.Code != w.code || got.Target != w.target || got.RingFor != w.ring ||
		got.Origin != w.origin || got.Busy != w.busy || got.AnswerAfter != w.after {
		t.Fatalf("plan = %+v (%s), want %+v", got, got.Reason, w)
	}
	if got.Action == Offer || got.Action == Answer {
		if got.Tone != w.tone {
			t.Fatalf("tone = %v, want %v", got.Tone, w.tone)
		}
	}
	if got.Action == Offer && !got.Deadline.Equal(t0.Add(w.ring)) {
		t.Fatalf("deadline = %v, want %v", got.Deadline, t0.Add(w.ring))
	}
	if w.then != nil {
		if got.Then == nil {
			t.Fatalf("plan %+v has no Then, want %+v", got, *w.then)
		}
		check(t, *got.Then, *w.then)
	}
}

func TestStatusRows(t *testing.T) {
	// SPEC.md section 1: every status against every origin.
	ringDirect := want{action: Offer, ring: 20 * time.Second, tone: Ringtone, then: &want{action: Redirect, target: acct.VoicemailURI}}
	ringQueue := want{action: Offer, ring: 20 * time.Second, tone: Ringtone, origin: status.Queue, then: &want{action: Reject, code: 480, origin: status.Queue}}
	ringGroup := ringQueue
	ringGroup.origin, ringGroup.then = status.RingGroup, &want{action: Reject, code: 480, origin: status.RingGroup}
	directNot := want{action: Redirect, target: acct.VoicemailURI}
	queueNot := want{action: Reject, code: 480, origin: status.Queue}
	groupNot := want{action: Reject, code: 480, origin: status.RingGroup}
	rows := []struct {
		st                    status.Status
		direct, queue, ringGr want
	}{
		{status.Available, ringDirect, ringQueue, ringGroup},
		{status.Away, ringDirect, queueNot, groupNot},
		{status.AfterCallWork, ringDirect, queueNot, groupNot},
		{status.OnBreak, directNot, queueNot, groupNot},
		{status.Unavailable, directNot, queueNot, groupNot},
		{status.DoNotDisturb, directNot, queueNot, groupNot},
	}
	for _, r := range rows {
		t.Run(string(r.st), func(t *testing.T) {
			in := Input{Prefs: with(), Status: r.st, Account: acct, Now: t0}
			in.Call = direct
			check(t, Decide(in), r.direct)
			in.Call = queueCall
			check(t, Decide(in), r.queue)
			in.Call = groupCall
			check(t, Decide(in), r.ringGr)
			in.Call = c2c // the agent's own call-back rings in every status (auto answer off)
			check(t, Decide(in), want{action: Offer, ring: 20 * time.Second, tone: Ringtone, origin: status.ClickToCall,
				then: &want{action: Reject, code: 480, origin: status.ClickToCall}})
		})
	}
	t.Run("unknown status offers nothing", func(t *testing.T) {
		check(t, Decide(Input{Prefs: with(), Status: "lunch", Call: queueCall, Account: acct, Now: t0}), queueNot)
	})
}

func TestNotOfferedDirectGoesToForwarding(t *testing.T) {
	v := with("forwarding.enabled", "on", "forwarding.numbers", "+442079460001,sip:desk@pbx", "forwarding.ring_time", "30",
		"forwarding.no_answer_destination", "hangup")
	p := Decide(Input{Prefs: v, Status: status.DoNotDisturb, Call: direct, Account: acct, Now: t0})
	check(t, p, want{action: Forward, then: &want{action: Redirect, target: acct.VoicemailURI}})
	fw := p.Forwarding
	if fw == nil || len(fw.Numbers) != 2 || fw.RingTime != 30*time.Second || fw.RingStrategy != "ring_all" ||
		fw.InboundCallerID != "remote" || fw.NoAnswer.Action != Reject || fw.NoAnswer.Code != 486 {
		t.Fatalf("forwarding = %+v", fw)
	}
	// A queue call not offered still gets 480, forwarding or not.
	check(t, Decide(Input{Prefs: v, Status: status.DoNotDisturb, Call: queueCall, Account: acct, Now: t0}),
		want{action: Reject, code: 480, origin: status.Queue})
	// Forwarding on without numbers does not apply.
	v2 := with("forwarding.enabled", "on")
	check(t, Decide(Input{Prefs: v2, Status: status.OnBreak, Call: direct, Account: acct, Now: t0}),
		want{action: Redirect, target: acct.VoicemailURI})
}

func TestForwardingOffered(t *testing.T) {
	base := []string{"forwarding.enabled", "on", "forwarding.numbers", "+442079460001"}
	tests := []struct {
		name string
		kv   []string
		call Call
		want want
	}{
		{"at once", nil, direct, want{action: Forward, then: &want{action: Redirect, target: acct.VoicemailURI}}},
		{"ring extension first", []string{"forwarding.ring_extension_first", "15"}, direct,
			want{action: Offer, ring: 15 * time.Second, tone: Ringtone, then: &want{action: Forward, then: &want{action: Redirect, target: acct.VoicemailURI}}}},
		{"queue call forwarded too", nil, queueCall, want{action: Forward, origin: status.Queue, then: &want{action: Reject, code: 480, origin: status.Queue}}},
		{"direct calls only", []string{"forwarding.direct_calls_only", "on"}, queueCall,
			want{action: Offer, ring: 20 * time.Second, tone: Ringtone, origin: status.Queue, then: &want{action: Reject, code: 480, origin: status.Queue}}},
		{"never click-to-call", nil, c2c, want{action: Offer, ring: 20 * time.Second, tone: Ringtone, origin: status.ClickToCall, then: &want{action: Reject, code: 480, origin: status.ClickToCall}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := with(append(append([]string{}, base...), tt.kv...)...)
			check(t, Decide(Input{Prefs: v, Status: status.Available, Call: tt.call, Account: acct, Now: t0}), tt.want)
		})
	}
}

func TestNoAnswerDestination(t *testing.T) {
	// SPEC.md section 3: ring time, then the destination if no answer.
	tests := []struct {
		name string
		kv   []string
		acct Account
		then want
		ring time.Duration
	}{
		{"voicemail URI", nil, acct, want{action: Redirect, target: acct.VoicemailURI}, 20 * time.Second},
		{"local voicemail", nil, Account{Domain: "pbx.example.com"}, want{action: LocalVoicemail}, 20 * time.Second},
		{"hang up", []string{"call.no_answer_destination", "hangup"}, acct, want{action: Reject, code: 486}, 20 * time.Second},
		{"ivr extension", []string{"call.no_answer_destination", "ivr", "call.no_answer_target", "7000"}, acct,
			want{action: Redirect, target: "sip:7000@pbx.example.com"}, 20 * time.Second},
		{"queue uri", []string{"call.no_answer_destination", "queue", "call.no_answer_target", "sip:sales@q.example.com"}, acct,
			want{action: Redirect, target: "sip:sales@q.example.com"}, 20 * time.Second},
		{"team", []string{"call.no_answer_destination", "team", "call.no_answer_target", "8100"}, acct,
			want{action: Redirect, target: "sip:8100@pbx.example.com"}, 20 * time.Second},
		{"agent", []string{"call.no_answer_destination", "agent", "call.no_answer_target", "sip:carol@pbx.example.com"}, acct,
			want{action: Redirect, target: "sip:carol@pbx.example.com"}, 20 * time.Second},
		{"target missing", []string{"call.no_answer_destination", "agent"}, acct, want{action: Reject, code: 480}, 20 * time.Second},
		{"ring time 5", []string{"call.ring_time", "5"}, acct, want{action: Redirect, target: acct.VoicemailURI}, 5 * time.Second},
		{"ring time 120", []string{"call.ring_time", "120"}, acct, want{action: Redirect, target: acct.VoicemailURI}, 120 * time.Second},
		{"ring time out of range is bounded", []string{"call.ring_time", "900"}, acct, want{action: Redirect, target: acct.VoicemailURI}, 120 * time.Second},
		{"ring time unreadable is the default", []string{"call.ring_time", "x"}, acct, want{action: Redirect, target: acct.VoicemailURI}, 20 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Decide(Input{Prefs: with(tt.kv...), Status: status.Available, Call: direct, Account: tt.acct, Now: t0})
			then := tt.then
			check(t, p, want{action: Offer, ring: tt.ring, tone: Ringtone, then: &then})
			// Not offered: the same destination at once.
			check(t, Decide(Input{Prefs: with(tt.kv...), Status: status.DoNotDisturb, Call: direct, Account: tt.acct, Now: t0}), tt.then)
		})
	}
}

func TestCallWaiting(t *testing.T) {
	on := []LiveState{LiveActive}
	tests := []struct {
		name string
		kv   []string
		live []LiveState
		call Call
		want want
	}{
		{"on: rings with the call-waiting tone", nil, on, direct,
			want{action: Offer, ring: 20 * time.Second, tone: CallWaitingTone, then: &want{action: Redirect, target: acct.VoicemailURI}}},
		{"on, held call counts", nil, []LiveState{LiveHeld}, direct,
			want{action: Offer, ring: 20 * time.Second, tone: CallWaitingTone, then: &want{action: Redirect, target: acct.VoicemailURI}}},
		{"another call only ringing: ordinary ring", []string{"call.call_waiting", "off"}, []LiveState{LiveRinging}, direct,
			want{action: Offer, ring: 20 * time.Second, tone: Ringtone, then: &want{action: Redirect, target: acct.VoicemailURI}}},
		{"off: direct call to the destination at once", []string{"call.call_waiting", "off"}, on, direct,
			want{action: Redirect, target: acct.VoicemailURI, busy: true}},
		{"off, hang up: 486", []string{"call.call_waiting", "off", "call.no_answer_destination", "hangup"}, on, direct,
			want{action: Reject, code: 486, busy: true}},
		{"off, dialing counts", []string{"call.call_waiting", "off", "call.no_answer_destination", "hangup"}, []LiveState{LiveDialing}, direct,
			want{action: Reject, code: 486, busy: true}},
		{"off: queue call 480", []string{"call.call_waiting", "off"}, on, queueCall,
			want{action: Reject, code: 480, origin: status.Queue, busy: true}},
		{"off: forwarding", []string{"call.call_waiting", "off", "forwarding.enabled", "on", "forwarding.numbers", "+442079460001"}, on, direct,
			want{action: Forward, busy: true, then: &want{action: Redirect, target: acct.VoicemailURI}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check(t, Decide(Input{Prefs: with(tt.kv...), Status: status.Available, Live: tt.live, Call: tt.call, Account: acct, Now: t0}), tt.want)
		})
	}
}

func TestAutoAnswer(t *testing.T) {
	marked := func(h HeaderMap) Call { return Call{Caller: "sip:pbx", Headers: h, FromProxy: true} }
	ringC2C := want{action: Offer, ring: 20 * time.Second, tone: Ringtone, origin: status.ClickToCall, then: &want{action: Reject, code: 480, origin: status.ClickToCall}}
	tests := []struct {
		name string
		mode string
		live []LiveState
		st   status.Status
		call Call
		want want
	}{
		{"disabled: marked call rings", "disabled", nil, status.Available, c2c, ringC2C},
		{"all: any call answered with a tone", "all", nil, status.Available, direct, want{action: Answer, tone: AutoAnswerTone}},
		{"all: not in DND", "all", nil, status.DoNotDisturb, direct, want{action: Redirect, target: acct.VoicemailURI}},
		{"all: not while on a call", "all", []LiveState{LiveActive}, status.Available, direct,
			want{action: Offer, ring: 20 * time.Second, tone: CallWaitingTone, then: &want{action: Redirect, target: acct.VoicemailURI}}},
		{"click_to_call: Call-Info answer-after=0", "click_to_call", nil, status.Available, c2c, want{action: Answer, tone: AutoAnswerTone, origin: status.ClickToCall}},
		{"click_to_call: answer-after=3", "click_to_call", nil, status.Available,
			marked(HeaderMap{"Call-Info": "<sip:pbx.example.com>;answer-after=3"}), want{action: Answer, tone: AutoAnswerTone, origin: status.ClickToCall, after: 3 * time.Second}},
		{"click_to_call: Alert-Info", "click_to_call", nil, status.Available,
			marked(HeaderMap{"Alert-Info": "<http://127.0.0.1/Bellcore-dr4>;info=alert-autoanswer"}), want{action: Answer, tone: AutoAnswerTone, origin: status.ClickToCall}},
		{"click_to_call: Answer-Mode Auto", "click_to_call", nil, status.Available,
			marked(HeaderMap{"Answer-Mode": "Auto;require"}), want{action: Answer, tone: AutoAnswerTone, origin: status.ClickToCall}},
		{"click_to_call: in DND too (own call-back)", "click_to_call", nil, status.DoNotDisturb, c2c, want{action: Answer, tone: AutoAnswerTone, origin: status.ClickToCall}},
		{"click_to_call: unmarked rings", "click_to_call", nil, status.Available, direct,
			want{action: Offer, ring: 20 * time.Second, tone: Ringtone, then: &want{action: Redirect, target: acct.VoicemailURI}}},
		{"click_to_call: marked but not from the proxy", "click_to_call", nil, status.Available,
			Call{Headers: HeaderMap{"Call-Info": "<sip:x>;answer-after=0"}}, want{action: Offer, ring: 20 * time.Second, tone: Ringtone, then: &want{action: Redirect, target: acct.VoicemailURI}}},
		{"click_to_call: marked queue call keeps its origin", "click_to_call", nil, status.Available,
			marked(HeaderMap{"X-Queue": "q", "Answer-Mode": "Auto"}), want{action: Answer, tone: AutoAnswerTone, origin: status.Queue}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check(t, Decide(Input{Prefs: with("call.auto_answer", tt.mode), Status: tt.st, Live: tt.live, Call: tt.call, Account: acct, Now: t0}), tt.want)
		})
	}
}

func TestUntrustedOriginIsDirect(t *testing.T) {
	c := queueCall
	c.FromProxy = false
	check(t, Decide(Input{Prefs: with(), Status: status.Away, Call: c, Account: acct, Now: t0}),
		want{action: Offer, ring: 20 * time.Second, tone: Ringtone, then: &want{action: Redirect, target: acct.VoicemailURI}})
}

func TestCustomRules(t *testing.T) {
	rules, err := ParseRules("From: sip:alice@ => queue\n")
	if err != nil {
		t.Fatal(err)
	}
	c := Call{Headers: HeaderMap{"From": `"Alice" <sip:alice@pbx>;tag=1`}, FromProxy: true}
	check(t, Decide(Input{Prefs: with(), Status: status.OnBreak, Call: c, Rules: rules, Account: acct, Now: t0}),
		want{action: Reject, code: 480, origin: status.Queue})
	// The default rules no longer apply when the account has its own.
	check(t, Decide(Input{Prefs: with(), Status: status.OnBreak, Call: queueCall, Rules: rules, Account: acct, Now: t0}),
		want{action: Redirect, target: acct.VoicemailURI})
}

func TestPlanHelpers(t *testing.T) {
	p := Decide(Input{Prefs: with(), Status: status.Available, Call: direct, Account: acct, Now: t0})
	if !p.Offered() || p.Final().Action != Redirect || p.Action.String() != "offer" || p.Tone.String() != "ringtone" {
		t.Fatalf("helpers: %+v", p)
	}
	if Action(99).String() != "unknown" || Tone(99).String() != "unknown" {
		t.Fatal("unknown names")
	}
}
