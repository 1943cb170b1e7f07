package softphone

import (
	"errors"
	"fmt"
)

var (
	// ErrClosed is returned by methods of a Phone or Call that was closed.
	ErrClosed = errors.New("softphone: closed")
	// ErrNotConnected is returned when a request needs the server and the
	// WebSocket connection is down.
	ErrNotConnected = errors.New("softphone: not connected to the SIP server")
	// ErrTimeout is returned when the server or the far end did not answer
	// a request in time (RFC 3261 timer B/F, 32 s).
	ErrTimeout = errors.New("softphone: request timed out")
	// ErrAuth is returned when the server refuses the credentials.
	ErrAuth = errors.New("softphone: authentication failed (check the user, auth user and password)")
	// ErrBadState is returned when a call method does not fit the call's
	// state (answering a call that is already answered, holding a call that
	// is not established).
	ErrBadState = errors.New("softphone: the call is not in a state that allows this")
	// ErrCallEnded is returned by a call method when the call ended meanwhile
	// (the caller cancelled while we answered); it matches ErrBadState too.
	ErrCallEnded = fmt.Errorf("%w: the call has ended", ErrBadState)
	// ErrBadSDP is returned when the far end's session description cannot be
	// used (unparsable, no audio, no codec in common).
	ErrBadSDP = errors.New("softphone: unusable session description")
	// ErrAnswered is returned by Call.Cancel when the far end answered
	// before the CANCEL reached it (its 200 OK crossed our CANCEL): the
	// call is active.
	ErrAnswered = errors.New("softphone: the call was answered before it could be cancelled")
	// ErrBusy is returned by Dial when the phone already has its maximum
	// number of calls.
	ErrBusy = errors.New("softphone: too many calls")
)

// StatusError is a SIP final response that ended a request: a call that was
// rejected, a REGISTER refused, a REFER declined.
type StatusError struct {
	Method string // the request method, e.g. INVITE
	Code   int    // the SIP status code, e.g. 486
	Reason string // the reason phrase
	Err    error  // a sentinel such as ErrAuth, or nil
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("softphone: %s answered %d %s", e.Method, e.Code, e.Reason)
}

// Unwrap returns the sentinel error the status maps to, if any.
func (e *StatusError) Unwrap() error { return e.Err }

// ConfigError names an Account field (or option) whose value is not allowed.
type ConfigError struct {
	Field string // e.g. "server"
	Value string // the value given (never a password)
	Allow string // what is allowed
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("softphone: account %s %q is not allowed: %s", e.Field, e.Value, e.Allow)
}

// ErrBadOption is matched by every *OptionError: a dial or transfer option
// whose value cannot be sent.
var ErrBadOption = errors.New("softphone: option not allowed")

// OptionError names a per-call option (WithCallerID, WithHeader,
// WithTransferCallerID) whose value is not allowed, and what is.
type OptionError struct {
	Option string // e.g. "WithHeader"
	Value  string // the value given
	Allow  string // what is allowed
}

func (e *OptionError) Error() string {
	return fmt.Sprintf("softphone: %s %q is not allowed: %s", e.Option, e.Value, e.Allow)
}

// Unwrap returns ErrBadOption.
func (e *OptionError) Unwrap() error { return ErrBadOption }
