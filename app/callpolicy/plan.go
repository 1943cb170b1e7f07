package callpolicy

import (
	"time"

	"github.com/ringside/ringside/app/status"
)

// Action is what a Plan does with an incoming call.
type Action int

// The actions.
const (
	// Offer rings for RingFor with Tone, then applies Then (unless the
	// agent answers or declines first, or the caller gives up).
	Offer Action = iota
	// Answer answers after AnswerAfter, with Tone (the auto-answer beep).
	Answer
	// Redirect answers 302 Moved Temporarily to Target at once.
	Redirect
	// Reject answers Code (480, 486 or 603) at once.
	Reject
	// Forward hands the call to call forwarding with Forwarding; Then is
	// the call's own no-answer plan, for when forwarding cannot run.
	Forward
	// LocalVoicemail answers and records a message in Ringside's own
	// voicemail (destination voicemail without a voicemail URI).
	LocalVoicemail
)

var actionNames = [...]string{"offer", "answer", "redirect", "reject", "forward", "local_voicemail"}

// String returns the action's name ("redirect").
func (a Action) String() string {
	if a >= 0 && int(a) < len(actionNames) {
		return actionNames[a]
	}
	return "unknown"
}

// Tone is what the agent hears while a call is offered or auto-answered.
type Tone int

// The tones.
const (
	NoTone          Tone = iota
	Ringtone             // an ordinary incoming call
	CallWaitingTone      // a call offered while another call is up
	AutoAnswerTone       // the short tone before an auto-answered call
)

var toneNames = [...]string{"none", "ringtone", "call_waiting", "auto_answer"}

// String returns the tone's name.
func (t Tone) String() string {
	if t >= 0 && int(t) < len(toneNames) {
		return toneNames[t]
	}
	return "unknown"
}

// Plan is the decision for one incoming call.
type Plan struct {
	Action Action
	// Origin is the call's origin as read from its headers.
	Origin status.Origin
	// Code is the SIP status of a Reject (480, 486, 603).
	Code int
	// Target is the SIP URI of a Redirect.
	Target string
	// RingFor is how long an Offer rings; Deadline is when it stops
	// (Input.Now + RingFor).
	RingFor  time.Duration
	Deadline time.Time
	// Tone is what plays for an Offer or an Answer.
	Tone Tone
	// AnswerAfter is the delay before an Answer (answer-after=N).
	AnswerAfter time.Duration
	// Then is what follows an Offer that nobody answers, or the fallback
	// of a Forward; never an Offer itself.
	Then *Plan
	// Forwarding holds the forwarding settings of a Forward plan.
	Forwarding *Forwarding
	// Busy is true when the call was not offered because another call was
	// up and call waiting is off (the history records it as busy).
	Busy bool
	// Reason says why, in words, for logs and tests.
	Reason string
}

// Offered reports whether the agent's phone rings or answers the call.
func (p Plan) Offered() bool { return p.Action == Offer || p.Action == Answer }

// Final returns the action that ends the call without the agent: the plan
// itself, or for an Offer what follows it.
func (p Plan) Final() Plan {
	if p.Action == Offer && p.Then != nil {
		return *p.Then
	}
	return p
}

// Forwarding is what call forwarding needs (SPEC.md section 5).
type Forwarding struct {
	Numbers             []string      // destinations, in order
	InboundCallerID     string        // "remote" or "local"
	RingStrategy        string        // ring_all, hunt, memory_hunt
	RingTime            time.Duration // per destination
	RequireConfirmation bool
	OutgoingMessage     string   // "none" or an audio item id
	NotifyNumbers       []string // told about each forwarded call
	// NoAnswer is forwarding's own destination if nobody answers.
	NoAnswer Plan
}
