package softphone

import "time"

// Event is one thing that happened to the phone or one of its calls. The
// concrete types are the *Event structs of this package.
type Event interface{ event() }

// RegState is the state of the registration with the server.
type RegState int

// Registration states.
const (
	RegUnregistered RegState = iota // not registered (closed, or never)
	RegRegistering                  // connecting or waiting for the server
	RegRegistered                   // registered; calls can come in
	RegFailed                       // refused or unreachable; retrying with backoff
)

func (s RegState) String() string {
	switch s {
	case RegUnregistered:
		return "unregistered"
	case RegRegistering:
		return "registering"
	case RegRegistered:
		return "registered"
	case RegFailed:
		return "failed"
	}
	return "unknown"
}

// RegistrationEvent reports a change of registration state.
type RegistrationEvent struct {
	State   RegState
	Code    int           // last SIP status of REGISTER, 0 if none
	Expires time.Duration // granted lifetime when registered
	Err     error         // why, when failed or unregistered unexpectedly
}

// IncomingCallEvent reports a new incoming call, after the CallHandler was asked.
type IncomingCallEvent struct {
	Call *Call
	Plan Plan
}

// OutgoingCallEvent reports a call Dial has just started (before any answer
// from the far end), so the app can show it and hang it up at once.
type OutgoingCallEvent struct{ Call *Call }

// RingingEvent reports ringing: the far end alerting (180/183) for an
// outgoing call, or this phone ringing for an incoming one.
type RingingEvent struct {
	Call *Call
	Code int // 180 or 183 for outgoing calls, 180 for incoming ones
}

// AnsweredEvent reports that a call is established (media may follow a few
// milliseconds later).
type AnsweredEvent struct{ Call *Call }

// HeldEvent reports a change of hold state.
type HeldEvent struct {
	Call   *Call
	Held   bool // true: on hold; false: resumed
	Remote bool // true when the far end put the call on hold or resumed it
}

// TransferEvent reports the progress of a transfer.
type TransferEvent struct {
	Call   *Call
	Target string // where the call is transferred
	// Code is the progress reported by the transfer target (from the NOTIFY
	// sipfrag for a transfer we asked; from the new call for one we were asked),
	// 100 when just accepted.
	Code int
	// Requested is true when the far end asked this phone to transfer (REFER
	// received); false when this phone asked the far end.
	Requested bool
	// Done is true on the final report.
	Done bool
}

// EndReason says why a call ended.
type EndReason string

// End reasons.
const (
	EndLocalHangup  EndReason = "local hangup"  // we sent BYE or CANCEL
	EndRemoteHangup EndReason = "remote hangup" // BYE from the far end
	EndCancelled    EndReason = "cancelled"     // the caller gave up before answer
	EndRejected     EndReason = "rejected"      // a final error response (Code)
	EndRedirected   EndReason = "redirected"    // we answered 3xx
	EndDeclined     EndReason = "declined"      // we answered 4xx/6xx
	EndReplaced     EndReason = "replaced"      // replaced by another call (attended transfer)
	EndTransferred  EndReason = "transferred"   // transferred away (REFER succeeded)
	EndFailed       EndReason = "failed"        // media, timeout or connection failure (Err)
	EndClosed       EndReason = "phone closed"  // Phone.Close
)

// EndedEvent reports the end of a call.
type EndedEvent struct {
	Call   *Call
	Reason EndReason
	Code   int   // SIP status that ended it, 0 if none
	Err    error // for EndFailed
}

// DTMFEvent reports a digit received as an RFC 4733 telephone-event.
type DTMFEvent struct {
	Call  *Call
	Digit rune // 0-9 * # A-D
}

// AudioLevelEvent reports the audio levels of a call in dBFS (-100 for silence).
type AudioLevelEvent struct {
	Call     *Call
	Inbound  float64 // what the sink played
	Outbound float64 // what the source gave (before mute)
}

// CallRefreshedEvent reports that an established call was carried over to a
// new connection after the phone reconnected (a re-INVITE told the far end
// and the proxy where the phone is now). Err is set when that failed: the
// media may go on, but the far end's BYE or re-INVITE may not reach us.
type CallRefreshedEvent struct {
	Call *Call
	Err  error
}

// ErrorEvent reports an error that is not tied to a single request the app
// made (a malformed message, a media failure).
type ErrorEvent struct {
	Call *Call // nil when not about a call
	Err  error
}

func (RegistrationEvent) event()  {}
func (IncomingCallEvent) event()  {}
func (RingingEvent) event()       {}
func (AnsweredEvent) event()      {}
func (HeldEvent) event()          {}
func (TransferEvent) event()      {}
func (EndedEvent) event()         {}
func (DTMFEvent) event()          {}
func (AudioLevelEvent) event()    {}
func (ErrorEvent) event()         {}
func (CallRefreshedEvent) event() {}
func (OutgoingCallEvent) event()  {}
