package softphone

import (
	"context"
	"time"
)

// CallHandler decides what to do with an incoming call. Incoming is called
// once per call, on its own goroutine, before the phone answers anything but
// 100 Trying; it should return quickly (ctx ends when the caller cancels).
type CallHandler interface {
	Incoming(ctx context.Context, call *Call) Plan
}

// CallHandlerFunc adapts a function to CallHandler.
type CallHandlerFunc func(ctx context.Context, call *Call) Plan

// Incoming calls f.
func (f CallHandlerFunc) Incoming(ctx context.Context, call *Call) Plan { return f(ctx, call) }

// Action is what a Plan does.
type Action int

// Actions.
const (
	// ActReject answers Plan.Code (480, 486, 603...) at once.
	ActReject Action = iota
	// ActRing sends 180 Ringing and lets the call ring: the app answers or
	// declines it with Call methods; after Plan.RingFor (if not zero) the
	// Plan.Then plan is applied.
	ActRing
	// ActAnswer answers at once with Plan.Media.
	ActAnswer
	// ActRedirect answers 302 Moved Temporarily to Plan.Target at once.
	ActRedirect
)

// Plan is what to do with an incoming call.
type Plan struct {
	Action  Action
	Code    int           // ActReject: the status (default 480)
	Target  string        // ActRedirect: the SIP URI to send the caller to
	Media   Media         // ActAnswer: audio source and sink
	RingFor time.Duration // ActRing: how long to ring before Then
	Then    *Plan         // ActRing: applied after RingFor (ActReject or ActRedirect)
}

// Reject is a plan that answers code at once (480, 486, 603...).
func Reject(code int) Plan { return Plan{Action: ActReject, Code: code} }

// Redirect is a plan that answers 302 to target at once.
func Redirect(target string) Plan { return Plan{Action: ActRedirect, Target: target} }

// AnswerWith is a plan that answers at once with media.
func AnswerWith(m Media) Plan { return Plan{Action: ActAnswer, Media: m} }

// Ring is a plan that rings for d (0: until the app or the caller acts), then
// applies then (nil: 480).
func Ring(d time.Duration, then *Plan) Plan { return Plan{Action: ActRing, RingFor: d, Then: then} }
