package callpolicy

import (
	"strconv"
	"strings"
	"time"

	"github.com/ringside/ringside/app/prefs"
	"github.com/ringside/ringside/app/status"
)

// LiveState is the state of a call already in progress.
type LiveState int

// The states of live calls.
const (
	LiveRinging LiveState = iota // incoming, ringing here (not yet answered)
	LiveDialing                  // outgoing, not answered yet
	LiveActive                   // established
	LiveHeld                     // established and on hold
)

// up reports whether a call in state s means the agent is on a call.
func (s LiveState) up() bool { return s != LiveRinging }

// Call is the incoming call to decide about.
type Call struct {
	// Caller is the caller's SIP URI (for logs; rules read Headers).
	Caller string
	// Headers gives the INVITE's headers; nil means none.
	Headers Headers
	// FromProxy is true when the INVITE came from the account's own proxy:
	// only then are origin headers and auto-answer markers trusted.
	FromProxy bool
}

// Account is what the policy needs of the SIP account.
type Account struct {
	Domain       string // SIP domain: an extension target becomes sip:EXT@Domain
	VoicemailURI string // "" means Ringside's local voicemail
}

// Input is everything a decision depends on.
type Input struct {
	Prefs   prefs.Values
	Status  status.Status
	Live    []LiveState // the other calls in progress
	Call    Call
	Account Account
	// Rules read the call's origin; nil means DefaultRules.
	Rules []Rule
	// Now is the clock (Plan.Deadline is computed from it).
	Now time.Time
}

// Ring time bounds (SPEC.md section 12).
const (
	MinRingTime     = 5 * time.Second
	MaxRingTime     = 120 * time.Second
	DefaultRingTime = 20 * time.Second
)

// Decide returns what to do with an incoming call (SPEC.md sections 1, 3, 5).
func Decide(in Input) Plan {
	v := in.Prefs
	rules := in.Rules
	if rules == nil {
		rules = DefaultRules
	}
	origin := status.Direct
	var marked bool
	var after time.Duration
	if in.Call.FromProxy {
		var matched bool
		origin, matched = originOf(rules, in.Call.Headers)
		marked, after = AutoAnswerMarker(in.Call.Headers)
		if marked && !matched {
			origin = status.ClickToCall
		}
	}
	busy := false
	for _, s := range in.Live {
		if s.up() {
			busy = true
			break
		}
	}

	// Section 1: the status decides whether the call is offered at all.
	if !status.Offers(in.Status, origin) {
		return notOffered(in, origin, "status "+string(in.Status)+" does not offer "+origin.String()+" calls", false)
	}
	// Section 3, call waiting off: a new call while on a call is not offered.
	if busy && v["call.call_waiting"] == "off" {
		return notOffered(in, origin, "on a call and call waiting is off", true)
	}

	// Auto answer (never while on another call).
	if !busy {
		switch v["call.auto_answer"] {
		case "all":
			return Plan{Action: Answer, Origin: origin, Tone: AutoAnswerTone, AnswerAfter: after,
				Reason: "auto answer: all calls"}
		case "click_to_call":
			if marked {
				return Plan{Action: Answer, Origin: origin, Tone: AutoAnswerTone, AnswerAfter: after,
					Reason: "auto answer: call marked for auto answer by the proxy"}
			}
		}
	}

	tone := Ringtone
	if busy {
		tone = CallWaitingTone
	}
	// Forwarding with "ring extension first": ring here, then forward.
	if fw := forwarding(in, origin); fw != nil {
		first := seconds(v["forwarding.ring_extension_first"], 0, 0, MaxRingTime)
		fallback := noAnswer(in, origin, "forwarding is not available")
		if first == 0 {
			return Plan{Action: Forward, Origin: origin, Forwarding: fw, Then: &fallback,
				Reason: "forwarding is on: forward at once"}
		}
		then := Plan{Action: Forward, Origin: origin, Forwarding: fw, Then: &fallback,
			Reason: "forwarding after ringing the extension first"}
		return Plan{Action: Offer, Origin: origin, Tone: tone, RingFor: first, Deadline: in.Now.Add(first),
			Then: &then, Reason: "offered; forwarding after " + strconv.Itoa(int(first/time.Second)) + " s"}
	}
	ring := seconds(v["call.ring_time"], DefaultRingTime, MinRingTime, MaxRingTime)
	then := noAnswer(in, origin, "not answered in "+strconv.Itoa(int(ring/time.Second))+" s")
	return Plan{Action: Offer, Origin: origin, Tone: tone, RingFor: ring, Deadline: in.Now.Add(ring),
		Then: &then, Reason: "offered"}
}

// notOffered is section 1's rule for a call that does not ring: 480 for
// queue and ring-group calls (the queue moves on); forwarding or the
// destination if no answer, at once, for direct calls.
func notOffered(in Input, origin status.Origin, why string, busy bool) Plan {
	if origin != status.Direct {
		return Plan{Action: Reject, Origin: origin, Code: 480, Busy: busy, Reason: why + ": 480 so the queue moves on"}
	}
	if fw := forwarding(in, origin); fw != nil {
		fallback := noAnswer(in, origin, "forwarding is not available")
		return Plan{Action: Forward, Origin: origin, Forwarding: fw, Then: &fallback, Busy: busy, Reason: why + ": forwarding"}
	}
	p := noAnswer(in, origin, why)
	p.Busy = busy
	return p
}

// forwarding returns the forwarding settings when forwarding applies to a
// call of this origin, else nil.
func forwarding(in Input, origin status.Origin) *Forwarding {
	v := in.Prefs
	if v["forwarding.enabled"] != "on" || origin == status.ClickToCall {
		return nil
	}
	if origin != status.Direct && v["forwarding.direct_calls_only"] == "on" {
		return nil
	}
	nums := v.List("forwarding.numbers")
	if len(nums) == 0 {
		return nil
	}
	return &Forwarding{
		Numbers:             nums,
		InboundCallerID:     orDefault(v["forwarding.inbound_caller_id"], "remote"),
		RingStrategy:        orDefault(v["forwarding.ring_strategy"], "ring_all"),
		RingTime:            seconds(v["forwarding.ring_time"], DefaultRingTime, MinRingTime, MaxRingTime),
		RequireConfirmation: v["forwarding.require_confirmation"] == "on",
		OutgoingMessage:     orDefault(v["forwarding.outgoing_message"], "none"),
		NotifyNumbers:       v.List("forwarding.notify_numbers"),
		NoAnswer: destination(in.Account, origin, v["forwarding.no_answer_destination"], v["forwarding.no_answer_target"],
			"forwarding: nobody answered"),
	}
}

// noAnswer is what happens to a call nobody answers: the destination if no
// answer for direct calls; 480 for the others, so that a queue moves on.
func noAnswer(in Input, origin status.Origin, why string) Plan {
	if origin != status.Direct {
		return Plan{Action: Reject, Origin: origin, Code: 480, Reason: why + ": 480 so the " + origin.String() + " call moves on"}
	}
	return destination(in.Account, origin, in.Prefs["call.no_answer_destination"], in.Prefs["call.no_answer_target"], why)
}

// destination turns a "destination if no answer" setting into a plan.
func destination(acct Account, origin status.Origin, dest, target, why string) Plan {
	switch dest {
	case "hangup":
		return Plan{Action: Reject, Origin: origin, Code: 486, Reason: why + ": hang up (486)"}
	case "ivr", "queue", "team", "agent":
		uri := TargetURI(target, acct.Domain)
		if uri == "" {
			return Plan{Action: Reject, Origin: origin, Code: 480, Reason: why + ": destination " + dest + " has no target (call.no_answer_target): 480"}
		}
		return Plan{Action: Redirect, Origin: origin, Target: uri, Reason: why + ": redirect to " + dest}
	default: // voicemail, the default
		if acct.VoicemailURI != "" {
			return Plan{Action: Redirect, Origin: origin, Target: acct.VoicemailURI, Reason: why + ": voicemail"}
		}
		return Plan{Action: LocalVoicemail, Origin: origin, Reason: why + ": Ringside's local voicemail"}
	}
}

// TargetURI turns a no-answer or forwarding target into a SIP URI: SIP URIs
// stay as they are; an extension or number becomes sip:EXT@domain. "" for an
// empty or unusable target.
func TargetURI(target, domain string) string {
	t := strings.TrimSpace(target)
	switch {
	case t == "":
		return ""
	case strings.HasPrefix(t, "sip:"), strings.HasPrefix(t, "sips:"):
		return t
	case domain == "" || strings.ContainsAny(t, "@:;<> \t\r\n\""):
		return ""
	}
	return "sip:" + t + "@" + domain
}

// seconds reads a whole number of seconds, bounded; def when unreadable.
func seconds(s string, def, lo, hi time.Duration) time.Duration {
	n, err := strconv.Atoi(s)
	if err != nil {
		return def
	}
	d := time.Duration(n) * time.Second
	return min(max(d, lo), hi)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
